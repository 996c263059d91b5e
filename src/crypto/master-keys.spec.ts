import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { DecryptionError } from './aead';
import { MASTER_KEY_FILE, loadMasterKeyring, parseMasterKeys } from './master-keys';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const binding = { dataKeyId: randomUUID(), caseId: randomUUID() };

describe('master keys', () => {
  it('wraps under the current version and unwraps with the version recorded', () => {
    const ring = parseMasterKeys(`1:${k1},2:${k2}`, '2');
    const dataKey = randomBytes(32);
    const { wrapped, version } = ring.wrap(dataKey, binding);
    expect(version).toBe('2');
    expect(Buffer.from(wrapped, 'base64').includes(dataKey)).toBe(false);
    expect(ring.unwrap(wrapped, '2', binding)).toEqual(dataKey);
    // Only version 1 would have to be tried under another name: the version is bound in the AAD.
    expect(() => ring.unwrap(wrapped, '1', binding)).toThrow(DecryptionError);
  });

  it('refuses the wrong master key, another case, and a missing version, naming no key', () => {
    const { wrapped } = parseMasterKeys(`1:${k1}`, undefined).wrap(randomBytes(32), binding);
    const wrongKey = parseMasterKeys(`1:${k2}`, undefined);
    const messages: string[] = [];
    for (const attempt of [
      () => wrongKey.unwrap(wrapped, '1', binding),
      () => parseMasterKeys(`1:${k1}`, undefined).unwrap(wrapped, '1', { ...binding, caseId: 'x' }),
      () => parseMasterKeys(`2:${k2}`, undefined).unwrap(wrapped, '1', binding),
    ]) {
      try {
        attempt();
      } catch (e) {
        expect(e).toBeInstanceOf(DecryptionError);
        messages.push((e as Error).message);
      }
    }
    expect(messages).toEqual([
      'data key (master key version 1): authentication failed (tampered, bound to another case or file, or wrong key)',
      'data key (master key version 1): authentication failed (tampered, bound to another case or file, or wrong key)',
      'data key (master key version 1): that master key version is not configured in MASTER_KEYS',
    ]);
    expect(messages.join()).not.toContain(k1);
    expect(messages.join()).not.toContain(k2);
  });

  it.each([
    ['1', 'MASTER_KEYS: entry 1 is not version:base64key'],
    [`1:${k1},1:${k2}`, 'MASTER_KEYS: entry 2: version 1 repeated'],
    ['1:c2hvcnQ=', 'MASTER_KEYS: entry 1 (version 1): the key must be 32 bytes in base64'],
    [`1:${k1},2:${k2}`, 'MASTER_KEY_VERSION: required when MASTER_KEYS holds more than one key'],
    [`a b:${k1}`, 'MASTER_KEYS: entry 1: the version must be'],
  ])('stops start-up on a bad MASTER_KEYS (%#), naming the variable, not the key', (raw, msg) => {
    let message = '';
    try {
      loadConfig({ DATA_DIR: tmpdir(), MASTER_KEYS: raw });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`Invalid environment: ${msg}`);
    expect(message).not.toContain(k1);
    expect(message).not.toContain(k2);
    expect(message).not.toContain('c2hvcnQ=');
  });

  it('stops start-up on a MASTER_KEY_VERSION that is not configured', () => {
    expect(() =>
      loadConfig({ DATA_DIR: tmpdir(), MASTER_KEYS: `1:${k1}`, MASTER_KEY_VERSION: '3' }),
    ).toThrow('Invalid environment: MASTER_KEY_VERSION: version 3 is not one of the versions');
    expect(() => loadConfig({ DATA_DIR: tmpdir(), MASTER_KEY_VERSION: '1' })).toThrow(
      'Invalid environment: MASTER_KEY_VERSION: set without MASTER_KEYS',
    );
  });

  describe('embedded default (no MASTER_KEYS)', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mk-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('creates DATA_DIR/master.key (0600, version 1) once, warns, and never logs the key', () => {
      const warnings: string[] = [];
      const first = loadMasterKeyring({ DATA_DIR: dir }, (m) => warnings.push(m));
      const path = join(dir, MASTER_KEY_FILE);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(first.currentVersion).toBe('1');
      const stored = readFileSync(path, 'utf8').trim();
      expect(stored).toMatch(/^1:[A-Za-z0-9+/]{43}=$/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/created now.*MASTER_KEYS.*secret store/);
      expect(warnings[0]).not.toContain(stored.slice(2));

      const second = loadMasterKeyring({ DATA_DIR: dir }, () => undefined);
      const { wrapped } = first.wrap(Buffer.alloc(32, 7), binding);
      expect(second.unwrap(wrapped, '1', binding)).toEqual(Buffer.alloc(32, 7));
      expect(readFileSync(path, 'utf8').trim()).toBe(stored);
    });

    it('prefers MASTER_KEYS and then writes no file', () => {
      const ring = loadMasterKeyring({ DATA_DIR: dir, MASTER_KEYS: `7:${k1}` }, () => {
        throw new Error('no warning expected');
      });
      expect(ring.currentVersion).toBe('7');
      expect(() => statSync(join(dir, MASTER_KEY_FILE))).toThrow();
    });
  });
});
