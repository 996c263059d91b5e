import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { CaseEntity } from '../../src/cases/case.entity';
import { sha256 } from '../../src/common/sha256';
import { PacketResponse } from '../../src/packets/packet.dto';
import { ORPHAN_GRACE_MS, OrphanSweeper } from '../../src/retention/orphan-sweeper';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND, TestEnvironment, createTestEnvironment } from '../support/database';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';
import { checkConsistency, consistent, storeRoot } from './support/consistency';
import { crashAt } from './support/crash';
import { startApp } from './support/fault-app';

/** Makes a folder look as if its crash happened `ms` ago (a restart some minutes later). */
function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
}

describe(`a process killed while writing (${TEST_DB_KIND})`, () => {
  let env: TestEnvironment;
  let app: INestApplication;
  let api: StaffApi;
  let root: string;
  // Cases: one whose packet must survive everything, one a crash deletes half-way, one written to.
  let kept: string;
  let keptPacket: string;
  let deleted: string;
  let writtenTo: string;
  let orphanPacket: string;
  let freshOrphan: string;

  async function newCase(): Promise<string> {
    const res = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('typical') })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  async function newPacket(caseId: string): Promise<string> {
    return ((await api.post(`/cases/${caseId}/packets`).expect(201)).body as PacketResponse).id;
  }

  beforeAll(async () => {
    env = await createTestEnvironment({ PURGE_INTERVAL_MINUTES: '0' });
    app = await startApp(env.config);
    api = await staffApi(app);
    root = storeRoot(app);
    kept = await newCase();
    keptPacket = await newPacket(kept);
    deleted = await newCase();
    await newPacket(deleted);
    writtenTo = await newCase();
    await newPacket(writtenTo);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await env?.cleanup();
  });

  it('killed with a file half written: only a temporary folder is left, nothing in place', async () => {
    const half = await crashAt('mid-write', env.config, writtenTo, randomUUID());
    const tmp = dirname(half);
    expect(tmp.startsWith(join(root, '.tmp-'))).toBe(true);
    expect(existsSync(half)).toBe(true);
    // Eight whole files and the ninth cut short, all in the temporary folder only.
    expect(readdirSync(tmp)).toHaveLength(9);
    expect(statSync(half).size).toBeLessThan(2 * 1024 * 1024);
    expect(readdirSync(join(root, writtenTo))).toHaveLength(1);
  });

  it('killed between the files and the row: the folder is unreachable through the API', async () => {
    orphanPacket = await crashAt('after-files', env.config, writtenTo, randomUUID());
    expect(readdirSync(join(root, writtenTo, orphanPacket))).toHaveLength(24);
    const list = await api.get(`/cases/${writtenTo}/packets`).expect(200);
    expect((list.body as PacketResponse[]).map((p) => p.id)).not.toContain(orphanPacket);
    await api.get(`/cases/${writtenTo}/packets/${orphanPacket}`).expect(404);
    await api.get(`/cases/${writtenTo}/packets/${orphanPacket}/files/01-large.pdf`).expect(404);
    await api.get(`/cases/${writtenTo}/packets/${orphanPacket}/packet.zip`).expect(404);
  });

  it('killed between deleting a case and its files: the files are unreachable', async () => {
    expect(await crashAt('case-deleted', env.config, deleted)).toBe(deleted);
    expect(await app.get(DataSource).getRepository(CaseEntity).countBy({ id: deleted })).toBe(0);
    expect(existsSync(join(root, deleted))).toBe(true);
    await api.get(`/cases/${deleted}`).expect(404);
    await api.get(`/cases/${deleted}/packets`).expect(404);
  });

  it('after a restart: no temporary folder, no orphan older than the grace, every packet whole', async () => {
    // A crash some minutes before the restart for the first two, one just now for the third:
    // a folder that new may be a packet another process is about to record, and must stay.
    freshOrphan = await crashAt('after-files', env.config, writtenTo, randomUUID());
    age(join(root, writtenTo, orphanPacket), ORPHAN_GRACE_MS + 60_000);
    age(join(root, deleted), ORPHAN_GRACE_MS + 60_000);
    await app.close();

    app = await startApp(env.config);
    api = await staffApi(app, { organisationId: api.organisationId });

    expect(readdirSync(root).filter((e) => e.startsWith('.tmp-'))).toEqual([]);
    expect(existsSync(join(root, writtenTo, orphanPacket))).toBe(false);
    expect(existsSync(join(root, deleted))).toBe(false);
    expect(existsSync(join(root, writtenTo, freshOrphan))).toBe(true);

    // Once past the grace (the sweep's clock moved on), the last one goes too.
    const later = new Date(Date.now() + ORPHAN_GRACE_MS + 60_000);
    expect(await app.get(OrphanSweeper).sweep(later)).toEqual({
      packets: 1,
      cases: 0,
      temporary: 0,
    });
    const report = await checkConsistency(app);
    expect(report).toEqual(consistent(report));
    expect(report.cases).toBe(2);
    expect(report.packets).toBe(2);

    // Every packet the API lists downloads completely and decrypts to what its manifest says.
    for (const caseId of [kept, writtenTo]) {
      const packets = (await api.get(`/cases/${caseId}/packets`).expect(200))
        .body as PacketResponse[];
      expect(packets).toHaveLength(1);
      if (caseId === kept) expect(packets.map((p) => p.id)).toEqual([keptPacket]);
      for (const p of packets) {
        const sums = new Map<string, string>([
          ...p.documents.flatMap((d) => d.files.map((f): [string, string] => [f.name, f.sha256])),
          ...p.bundles.flatMap((b): [string, string][] =>
            b.file ? [[b.file.name, b.file.sha256]] : [],
          ),
        ]);
        for (const [name, link] of Object.entries(p.links.files)) {
          const res = await api.get(link).buffer(true).parse(binaryParser).expect(200);
          const expected = sums.get(name);
          if (expected) expect(sha256(res.body as Buffer)).toBe(expected);
          else expect(name).toBe('manifest.json');
        }
        const zip = await api.get(p.links.archive).buffer(true).parse(binaryParser).expect(200);
        expect((zip.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      }
    }
  }, 180_000);
});
