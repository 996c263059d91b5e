import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../common/sha256';
import { AppConfig } from '../config/app-config';
import type { StoredPackFiles } from './pack-version.entity';

const SAFE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STORED_NAME = /^f\d{3}\.(pdf|docx|json)$/;
const TEMP_PREFIX = '.tmp-';

/**
 * Uploaded packs on disk: DATA_DIR/pack-uploads/<version id>/, outside every folder the service
 * serves. Files get generated names (`f001.pdf`); the names in the archive are only keys in the
 * database, never paths. A version is written into a temporary folder and renamed into place,
 * and its files are checked against their SHA-256 whenever they are read back.
 */
@Injectable()
export class PackUploadStore implements OnModuleInit {
  readonly root: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.root = join(config.DATA_DIR, 'pack-uploads');
  }

  /** Leftovers of an upload interrupted by a crash. */
  async onModuleInit(): Promise<void> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    for (const name of entries.filter((n) => n.startsWith(TEMP_PREFIX))) {
      await rm(join(this.root, name), { recursive: true, force: true });
    }
  }

  dirOf(id: string): string {
    assertId(id);
    return join(this.root, id);
  }

  /** `files` by the pack's own paths; each path's extension was proved to match its bytes. */
  async put(id: string, files: ReadonlyMap<string, Buffer>): Promise<StoredPackFiles> {
    const target = this.dirOf(id);
    const temp = join(this.root, `${TEMP_PREFIX}${randomUUID()}`);
    await mkdir(temp, { recursive: true, mode: 0o700 });
    try {
      const stored: [string, { name: string; sha256: string }][] = [];
      const paths = [...files.keys()].sort();
      for (const [i, path] of paths.entries()) {
        const bytes = files.get(path) as Buffer;
        const name = `f${String(i + 1).padStart(3, '0')}.${extensionOf(path)}`;
        await writeFile(join(temp, name), bytes, { mode: 0o600, flag: 'wx' });
        stored.push([path, { name, sha256: sha256(bytes) }]);
      }
      await rename(temp, target);
      return Object.fromEntries(stored);
    } catch (e) {
      await rm(temp, { recursive: true, force: true });
      throw e;
    }
  }

  async read(id: string, stored: StoredPackFiles): Promise<Map<string, Buffer>> {
    const dir = this.dirOf(id);
    const files = new Map<string, Buffer>();
    for (const [path, file] of Object.entries(stored)) {
      if (!STORED_NAME.test(file.name))
        throw new Error('uploaded pack: a stored file name is not one of ours');
      const bytes = await readFile(join(dir, file.name));
      if (sha256(bytes) !== file.sha256) {
        throw new Error('uploaded pack: a stored file does not match its checksum');
      }
      files.set(path, bytes);
    }
    return files;
  }

  async remove(id: string): Promise<void> {
    await rm(this.dirOf(id), { recursive: true, force: true });
  }
}

function assertId(id: string): void {
  if (!SAFE_ID.test(id)) throw new Error('uploaded pack: not a version id');
}

function extensionOf(path: string): 'pdf' | 'docx' | 'json' {
  const ext = path.toLowerCase().split('.').pop();
  if (ext === 'pdf' || ext === 'docx' || ext === 'json') return ext;
  throw new Error('uploaded pack: a file without a checked type reached storage');
}
