import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { CaseCipher } from '../crypto/case-cipher';
import { DecryptionError } from '../crypto/aead';
import { isEnvelope } from '../crypto/envelope';

const SAFE_ID = /^[0-9a-f-]{36}$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Packet files on disk, one folder per packet inside one folder per case, so deleting a case
 * deletes every file made from it. Each file is sealed with its case's data key and bound to its
 * case, packet and name (see src/crypto/envelope.ts): the folder holds no readable document, and
 * once the case's data key is deleted no copy of them can be read. A packet is written into a
 * temporary folder and renamed into place, so a reader never sees half of one; leftovers of a
 * crash are swept at start.
 */
@Injectable()
export class ArtifactStore {
  private readonly root: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(CaseCipher) private readonly cipher: CaseCipher,
  ) {
    this.root = config.artifactsDir;
  }

  async put(
    caseId: string,
    packetId: string,
    files: { name: string; bytes: Buffer }[],
  ): Promise<void> {
    assertSafe(caseId, SAFE_ID, 'case id');
    assertSafe(packetId, SAFE_ID, 'packet id');
    for (const f of files) assertSafe(f.name, SAFE_NAME, 'file name');
    const key = await this.cipher.require(caseId);
    const tmp = join(this.root, `.tmp-${randomUUID()}`);
    await mkdir(tmp, { recursive: true });
    try {
      for (const f of files) {
        const purpose = { kind: 'file', packetId, name: f.name } as const;
        await writeFile(join(tmp, f.name), this.cipher.encrypt(caseId, key, f.bytes, purpose), {
          mode: 0o600,
        });
      }
      await mkdir(join(this.root, caseId), { recursive: true });
      await rename(tmp, join(this.root, caseId, packetId));
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  async get(caseId: string, packetId: string, name: string): Promise<Buffer> {
    assertSafe(caseId, SAFE_ID, 'case id');
    assertSafe(packetId, SAFE_ID, 'packet id');
    assertSafe(name, SAFE_NAME, 'file name');
    const stored = await readFile(join(this.root, caseId, packetId, name));
    if (!isEnvelope(stored)) {
      throw new DecryptionError(
        `packet file ${name}: stored unencrypted (made before encryption at rest); generate the packet again`,
      );
    }
    const key = await this.cipher.find(caseId);
    if (!key) throw new DecryptionError(`packet file ${name}: the case has no data key`);
    return this.cipher.decrypt(caseId, key, stored, { kind: 'file', packetId, name });
  }

  async deleteCase(caseId: string): Promise<void> {
    assertSafe(caseId, SAFE_ID, 'case id');
    await rm(join(this.root, caseId), { recursive: true, force: true });
  }

  /** Deletes one packet's folder (retention); the case's other packets stay. */
  async deletePacket(caseId: string, packetId: string): Promise<void> {
    assertSafe(caseId, SAFE_ID, 'case id');
    assertSafe(packetId, SAFE_ID, 'packet id');
    await rm(join(this.root, caseId, packetId), { recursive: true, force: true });
  }

  /** Removes temporary folders left by a process that died while writing. */
  async sweep(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const entry of await readdir(this.root)) {
      if (entry.startsWith('.tmp-'))
        await rm(join(this.root, entry), { recursive: true, force: true });
    }
  }
}

function assertSafe(value: string, pattern: RegExp, what: string): void {
  // Names come from our own manifests; this guards the file system against any future caller.
  if (!pattern.test(value)) throw new Error(`unsafe ${what}`);
}
