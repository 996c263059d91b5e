import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, open, opendir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { CaseCipher } from '../crypto/case-cipher';
import { DecryptionError } from '../crypto/aead';
import { isEnvelope } from '../crypto/envelope';

const SAFE_ID = /^[0-9a-f-]{36}$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TMP_PREFIX = '.tmp-';

/**
 * Writes one new file completely and flushes it to the disk before resolving, failing as Node's
 * file system does (an Error with `code`, such as ENOSPC). Injectable so a test can make a write
 * fail or stop part-way; the service always uses `durableWrite`.
 */
export type ArtifactWriter = (path: string, bytes: Buffer) => Promise<void>;
export const ARTIFACT_WRITER = Symbol('ArtifactWriter');

export const durableWrite: ArtifactWriter = async (path, bytes) => {
  // `wx`: a temporary folder is ours alone, so an existing file there is a bug, not an update.
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** A packet's folder as found on disk; `modifiedAt` is when its last file was created. */
export interface StoredPacketFolder {
  packetId: string;
  modifiedAt: Date;
}

export interface StoredCaseFolder {
  caseId: string;
  modifiedAt: Date;
  packets: StoredPacketFolder[];
}

/**
 * Packet files on disk, one folder per packet inside one folder per case, so deleting a case
 * deletes every file made from it. Each file is sealed with its case's data key and bound to its
 * case, packet and name (see src/crypto/envelope.ts): the folder holds no readable document, and
 * once the case's data key is deleted no copy of them can be read.
 *
 * A packet is written into a temporary folder, every file flushed to the disk, and the folder
 * renamed into place, so a reader never sees half of one, not after a crash nor a power loss.
 * Temporary leftovers are swept at start; a packet folder whose row was never written (a crash or
 * a database failure between the files and the row) is unreachable, since every download starts
 * from the row, and `OrphanSweeper` removes it.
 */
@Injectable()
export class ArtifactStore {
  private readonly root: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(CaseCipher) private readonly cipher: CaseCipher,
    @Optional() @Inject(ARTIFACT_WRITER) private readonly write: ArtifactWriter = durableWrite,
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
    const tmp = join(this.root, `${TMP_PREFIX}${randomUUID()}`);
    await mkdir(tmp, { recursive: true });
    try {
      for (const f of files) {
        const purpose = { kind: 'file', packetId, name: f.name } as const;
        await this.write(join(tmp, f.name), this.cipher.encrypt(caseId, key, f.bytes, purpose));
      }
      // The names of the files, then the folder's new name, reach the disk in that order.
      await syncDirectory(tmp);
      const caseDir = join(this.root, caseId);
      const madeCaseDir = (await mkdir(caseDir, { recursive: true })) !== undefined;
      await rename(tmp, join(caseDir, packetId));
      await syncDirectory(caseDir);
      if (madeCaseDir) await syncDirectory(this.root);
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

  /**
   * Removes temporary folders left by a process that died while writing: all of them at start,
   * when nothing of this process is writing; with `olderThan`, only those last changed before it,
   * so that a periodic sweep never removes a packet being written at that moment.
   */
  async sweep(olderThan?: Date): Promise<number> {
    await mkdir(this.root, { recursive: true });
    let removed = 0;
    for (const entry of await readdir(this.root)) {
      if (!entry.startsWith(TMP_PREFIX)) continue;
      const path = join(this.root, entry);
      if (olderThan && !(await modifiedBefore(path, olderThan))) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /**
   * Every case folder with its packet folders, `batchSize` case folders at a time, without
   * reading any file. Entries that are not ours (other names, plain files) are left out.
   */
  async *folders(batchSize: number): AsyncGenerator<StoredCaseFolder[]> {
    await mkdir(this.root, { recursive: true });
    let batch: StoredCaseFolder[] = [];
    for await (const entry of await opendir(this.root)) {
      if (!entry.isDirectory() || !SAFE_ID.test(entry.name)) continue;
      const folder = await this.caseFolder(entry.name);
      if (!folder) continue;
      batch.push(folder);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Null when the folder went while it was being read (a case deleted meanwhile). */
  private async caseFolder(caseId: string): Promise<StoredCaseFolder | null> {
    const dir = join(this.root, caseId);
    try {
      const modifiedAt = (await stat(dir)).mtime;
      const packets: StoredPacketFolder[] = [];
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || !SAFE_ID.test(entry.name)) continue;
        packets.push({
          packetId: entry.name,
          modifiedAt: (await stat(join(dir, entry.name))).mtime,
        });
      }
      return { caseId, modifiedAt, packets };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}

async function modifiedBefore(path: string, cutoff: Date): Promise<boolean> {
  try {
    return (await stat(path)).mtime < cutoff;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Makes the folder's entries (new names, a rename into it) durable, as fsync does for data. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function assertSafe(value: string, pattern: RegExp, what: string): void {
  // Names come from our own manifests; this guards the file system against any future caller.
  if (!pattern.test(value)) throw new Error(`unsafe ${what}`);
}
