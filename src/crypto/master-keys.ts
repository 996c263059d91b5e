import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptionError, IV_BYTES, KEY_BYTES, TAG_BYTES, open, seal } from './aead';

/**
 * Master keys wrap the per-case data keys. They come from the operator, outside the database:
 * `MASTER_KEYS` = `version:base64key[,version:base64key...]` and `MASTER_KEY_VERSION` naming the
 * one new data keys (and rotation) use. Older versions stay listed until rotation has re-wrapped
 * every data key, then can be removed.
 */
export const MASTER_KEY_FILE = 'master.key';
const VERSION = /^[A-Za-z0-9._-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A configuration problem; names the variable and the entry, never the key itself. */
export class MasterKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyConfigError';
  }
}

export class MasterKeyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: Map<string, Buffer>,
    readonly currentVersion: string,
    /** Where the keys came from, for messages: `MASTER_KEYS` or the key file's path. */
    readonly source: string,
  ) {
    if (!keys.has(currentVersion)) {
      throw new MasterKeyConfigError(`master key version ${currentVersion} is not in ${source}`);
    }
    this.keys = keys;
  }

  get versions(): string[] {
    return [...this.keys.keys()];
  }

  has(version: string): boolean {
    return this.keys.has(version);
  }

  /** Wraps a data key under the current master key, bound to its id and case. */
  wrap(dataKey: Buffer, binding: WrapBinding): { wrapped: string; version: string } {
    const version = this.currentVersion;
    const sealed = seal(this.key(version), dataKey, wrapAad(binding, version));
    return {
      wrapped: Buffer.concat([Buffer.of(1), sealed.iv, sealed.tag, sealed.ciphertext]).toString(
        'base64',
      ),
      version,
    };
  }

  unwrap(wrapped: string, version: string, binding: WrapBinding): Buffer {
    const what = `data key (master key version ${version})`;
    if (!this.keys.has(version)) {
      throw new DecryptionError(
        `${what}: that master key version is not configured in ${this.source}`,
      );
    }
    const bytes = Buffer.from(wrapped, 'base64');
    if (bytes.length !== 1 + IV_BYTES + TAG_BYTES + KEY_BYTES || bytes[0] !== 1) {
      throw new DecryptionError(`${what}: malformed wrapped key`);
    }
    return open(
      this.key(version),
      {
        iv: bytes.subarray(1, 1 + IV_BYTES),
        tag: bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES),
        ciphertext: bytes.subarray(1 + IV_BYTES + TAG_BYTES),
      },
      wrapAad(binding, version),
      what,
    );
  }

  private key(version: string): Buffer {
    const key = this.keys.get(version);
    if (!key) throw new DecryptionError(`master key version ${version} is not configured`);
    return key;
  }
}

export interface WrapBinding {
  dataKeyId: string;
  caseId: string;
}

function wrapAad(b: WrapBinding, version: string): Buffer {
  return Buffer.from(`po-assembly|data-key|${b.dataKeyId}|case:${b.caseId}|master:${version}`);
}

/**
 * Parses `MASTER_KEYS` / `MASTER_KEY_VERSION` (or the key file, named by `source`). Every error
 * names the variable and the entry's position, never its content.
 */
export function parseMasterKeys(
  raw: string,
  currentVersion: string | undefined,
  source = 'MASTER_KEYS',
): MasterKeyring {
  const keys = new Map<string, Buffer>();
  const entries = raw
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw new MasterKeyConfigError(`${source}: no keys given`);
  entries.forEach((entry, i) => {
    const at = `${source}: entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new MasterKeyConfigError(`${at} is not version:base64key`);
    const version = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!VERSION.test(version)) {
      throw new MasterKeyConfigError(`${at}: the version must be 1-32 letters, digits, . _ or -`);
    }
    if (keys.has(version)) throw new MasterKeyConfigError(`${at}: version ${version} repeated`);
    const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES) {
      throw new MasterKeyConfigError(
        `${at} (version ${version}): the key must be ${KEY_BYTES} bytes in base64`,
      );
    }
    keys.set(version, key);
  });
  let current = currentVersion;
  if (current === undefined) {
    if (keys.size > 1) {
      throw new MasterKeyConfigError(
        `MASTER_KEY_VERSION: required when ${source} holds more than one key`,
      );
    }
    current = [...keys.keys()][0];
  }
  if (!keys.has(current)) {
    throw new MasterKeyConfigError(
      `MASTER_KEY_VERSION: version ${current} is not one of the versions in ${source}`,
    );
  }
  return new MasterKeyring(keys, current, source);
}

export interface MasterKeySettings {
  DATA_DIR: string;
  MASTER_KEYS?: string;
  MASTER_KEY_VERSION?: string;
}

/**
 * The keyring the service runs with: `MASTER_KEYS` when set; otherwise the embedded default,
 * `DATA_DIR/master.key` (mode 0600), created with a random version-1 key on first start, with a
 * warning that production should take its keys from a secret store.
 */
export function loadMasterKeyring(
  config: MasterKeySettings,
  warn: (message: string) => void,
): MasterKeyring {
  if (config.MASTER_KEYS) return parseMasterKeys(config.MASTER_KEYS, config.MASTER_KEY_VERSION);
  const path = join(config.DATA_DIR, MASTER_KEY_FILE);
  let created = false;
  try {
    // 'wx': never overwrite a key another process wrote first.
    writeFileSync(path, `1:${randomBytes(KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (!created && (statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    warn(`${path} was readable by other users; its mode is now 0600`);
  }
  warn(
    `Master key read from ${path}${created ? ' (created now)' : ''}: in production, provide ` +
      'MASTER_KEYS and MASTER_KEY_VERSION from a secret store, and keep the key away from backups of the data folder',
  );
  return parseMasterKeys(readFileSync(path, 'utf8'), undefined, path);
}
