import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import type { CaseCipher } from '../crypto/case-cipher';
import { ArtifactStore, ArtifactWriter, StoredCaseFolder, durableWrite } from './artifact-store';

/** Sealing is the cipher's business (tested with it); here a file's bytes are kept as given. */
const plainCipher = {
  require: () => Promise.resolve({ id: 'k', key: Buffer.alloc(32) }),
  encrypt: (_case: string, _key: unknown, bytes: Buffer) => bytes,
} as unknown as CaseCipher;

const FILES = ['01-a.pdf', '02-b.pdf', '03-c.docx'].map((name) => ({
  name,
  bytes: Buffer.alloc(64 * 1024, name.charCodeAt(1)),
}));

describe('ArtifactStore on disk', () => {
  let dataDir: string;
  let root: string;

  const store = (writer?: ArtifactWriter) =>
    new ArtifactStore(loadConfig({ DATA_DIR: dataDir }), plainCipher, writer);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'po-store-'));
    root = join(dataDir, 'artifacts');
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('puts a packet in place whole, with its files readable only by the service user', async () => {
    const caseId = randomUUID();
    const packetId = randomUUID();
    await store().put(caseId, packetId, FILES);
    expect(readdirSync(join(root, caseId, packetId)).sort()).toEqual(FILES.map((f) => f.name));
    expect(readdirSync(root)).toEqual([caseId]);
    for (const f of FILES) {
      expect(statSync(join(root, caseId, packetId, f.name)).mode & 0o777).toBe(0o600);
    }
  });

  it('leaves nothing behind when a write fails part-way, as on a full disk', async () => {
    let writes = 0;
    const fullAfterOne: ArtifactWriter = async (path, bytes) => {
      if (++writes === 1) return durableWrite(path, bytes);
      writeFileSync(path, bytes.subarray(0, 10));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    };
    const caseId = randomUUID();
    await expect(store(fullAfterOne).put(caseId, randomUUID(), FILES)).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    expect(readdirSync(root)).toEqual([]);
  });

  it('at start sweeps every temporary folder; later only those older than the cutoff', async () => {
    mkdirSync(join(root, '.tmp-old'), { recursive: true });
    mkdirSync(join(root, '.tmp-new'), { recursive: true });
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, '.tmp-old'), hourAgo, hourAgo);
    expect(await store().sweep(new Date(Date.now() - 600_000))).toBe(1);
    expect(readdirSync(root)).toEqual(['.tmp-new']);
    expect(await store().sweep()).toBe(1);
    expect(readdirSync(root)).toEqual([]);
  });

  it('lists case and packet folders in batches, and nothing that is not one', async () => {
    const cases = [randomUUID(), randomUUID(), randomUUID()];
    const packet = randomUUID();
    await store().put(cases[0], packet, FILES);
    for (const c of cases.slice(1)) mkdirSync(join(root, c), { recursive: true });
    mkdirSync(join(root, '.tmp-x'));
    mkdirSync(join(root, 'not-an-id'));
    writeFileSync(join(root, randomUUID()), 'a file, not a folder');
    mkdirSync(join(root, cases[1], 'stray'));
    writeFileSync(join(root, cases[1], randomUUID()), 'a file');

    const batches: StoredCaseFolder[][] = [];
    for await (const batch of store().folders(2)) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
    const found = batches.flat().sort((a, b) => a.caseId.localeCompare(b.caseId));
    expect(found.map((f) => f.caseId)).toEqual([...cases].sort());
    for (const f of found) expect(Date.now() - f.modifiedAt.getTime()).toBeLessThan(60_000);
    expect(found.find((f) => f.caseId === cases[0])?.packets.map((p) => p.packetId)).toEqual([
      packet,
    ]);
    expect(found.find((f) => f.caseId === cases[1])?.packets).toEqual([]);
    expect(existsSync(join(root, '.tmp-x'))).toBe(true);
  });
});
