import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';

const SAFE_ID = /^[0-9a-f-]{36}$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Packet files on disk, one folder per packet inside one folder per case, so deleting a case
 * deletes every file made from it. A packet is written into a temporary folder and
 * renamed into place, so a reader never sees half of one; leftovers of a crash are swept at start.
 */
@Injectable()
export class ArtifactStore {
  private readonly root: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.root = config.artifactsDir;
  }

  async put(
    caseId: string,
    packetId: string,
    files: { name: string; bytes: Buffer }[],
  ): Promise<void> {
    assertSafe(caseId, SAFE_ID, 'case id');
    assertSafe(packetId, SAFE_ID, 'packet id');
    const tmp = join(this.root, `.tmp-${randomUUID()}`);
    await mkdir(tmp, { recursive: true });
    try {
      for (const f of files) {
        assertSafe(f.name, SAFE_NAME, 'file name');
        await writeFile(join(tmp, f.name), f.bytes);
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
    return readFile(join(this.root, caseId, packetId, name));
  }

  async deleteCase(caseId: string): Promise<void> {
    assertSafe(caseId, SAFE_ID, 'case id');
    await rm(join(this.root, caseId), { recursive: true, force: true });
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
