import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CaseEntity } from '../../src/cases/case.entity';
import { SYSTEM } from '../../src/cases/case-access';
import { CasesService } from '../../src/cases/cases.service';
import { runCli } from '../../src/cli/main';
import { DataKeyEntity } from '../../src/crypto/data-key.entity';
import { PacketEntity } from '../../src/packets/packet.entity';
import { RetentionService } from '../../src/retention/retention.service';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';

const DAY = 24 * 60 * 60 * 1000;

describe(`retention (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let api: StaffApi;
  let ds: DataSource;
  // The purge's clock: ten days ahead, so what was made just now is ten days old.
  const now = new Date(Date.now() + 10 * DAY);
  const daysBefore = (days: number) => new Date(now.getTime() - days * DAY);

  let kept: string; // case A: recent, with an expired packet and a fresh one
  let expired: string; // case B: not updated for 181 days, with a fresh packet
  let almost: string; // case C: not updated for 179 days
  let oldPacket: string;
  let freshPacket: string;
  let packetOfExpired: string;

  const artifacts = (...parts: string[]) => join(t.env.config.artifactsDir, ...parts);
  const keysOf = (caseId: string) => ds.getRepository(DataKeyEntity).countBy({ caseId });

  async function newCase(): Promise<string> {
    const res = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('minimal') })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  async function newPacket(caseId: string): Promise<string> {
    const res = await api.post(`/cases/${caseId}/packets`).expect(201);
    return (res.body as { id: string }).id;
  }

  beforeAll(async () => {
    t = await createTestApp({ PURGE_INTERVAL_MINUTES: '0' });
    api = await staffApi(t.app);
    ds = t.app.get(DataSource);
    kept = await newCase();
    oldPacket = await newPacket(kept);
    freshPacket = await newPacket(kept);
    expired = await newCase();
    packetOfExpired = await newPacket(expired);
    almost = await newCase();
    await ds.getRepository(PacketEntity).update({ id: oldPacket }, { createdAt: daysBefore(31) });
    await ds
      .getRepository(CaseEntity)
      .update({ id: expired }, { createdAt: daysBefore(200), updatedAt: daysBefore(181) });
    await ds
      .getRepository(CaseEntity)
      .update({ id: almost }, { createdAt: daysBefore(200), updatedAt: daysBefore(179) });
  }, 180_000);

  afterAll(() => t.close());

  it('purges what expired, by the clock it is given, and nothing else', async () => {
    for (const id of [oldPacket, freshPacket]) expect(existsSync(artifacts(kept, id))).toBe(true);
    expect(existsSync(artifacts(expired, packetOfExpired))).toBe(true);
    expect(await keysOf(expired)).toBe(1);

    const retention = t.app.get(RetentionService);
    expect(await retention.purgeExpired(new Date(Date.now()))).toEqual({ packets: 0, cases: 0 });
    expect(await retention.purgeExpired(now)).toEqual({ packets: 1, cases: 1 });
    expect(await retention.purgeExpired(now)).toEqual({ packets: 0, cases: 0 });
  });

  it('an expired packet is gone: row, folder and API; the fresh one still downloads', async () => {
    const packets = ds.getRepository(PacketEntity);
    expect(await packets.findOneBy({ id: oldPacket })).toBeNull();
    expect(existsSync(artifacts(kept, oldPacket))).toBe(false);
    await api.get(`/cases/${kept}/packets/${oldPacket}`).expect(404);
    await api.get(`/cases/${kept}/packets/${oldPacket}/packet.zip`).expect(404);

    expect(await packets.findOneBy({ id: freshPacket })).not.toBeNull();
    expect(readdirSync(artifacts(kept, freshPacket)).length).toBeGreaterThan(0);
    const list = await api.get(`/cases/${kept}/packets`).expect(200);
    expect((list.body as { id: string }[]).map((p) => p.id)).toEqual([freshPacket]);
    const zip = await api
      .get(`/cases/${kept}/packets/${freshPacket}/packet.zip`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect((zip.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
    await api.get(`/cases/${kept}`).expect(200);
    expect(await keysOf(kept)).toBe(1);
  });

  it('an expired case is gone with its packets (fresh ones too), files and data key', async () => {
    await api.get(`/cases/${expired}`).expect(404);
    await api.get(`/cases/${expired}/packets/${packetOfExpired}`).expect(404);
    expect(await ds.getRepository(CaseEntity).countBy({ id: expired })).toBe(0);
    expect(await ds.getRepository(PacketEntity).countBy({ caseId: expired })).toBe(0);
    expect(await keysOf(expired)).toBe(0);
    expect(existsSync(artifacts(expired))).toBe(false);
  });

  it('a case one day short of expiry stays', async () => {
    await api.get(`/cases/${almost}`).expect(200);
    expect(await keysOf(almost)).toBe(1);
  });

  it('a case updated after the cutoff is not deleted, and keeps its data key', async () => {
    // What the purge does when a case is updated between being found and being deleted.
    const cutoff = daysBefore(180);
    await api
      .put(`/cases/${almost}`)
      .send({ facts: fixture('minimal'), confidential: 'replace' })
      .expect(200);
    await expect(t.app.get(CasesService).delete(almost, SYSTEM, cutoff)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await keysOf(almost)).toBe(1);
    await api.get(`/cases/${almost}`).expect(200);
  });

  it('the purge command deletes what expired and prints the counts', async () => {
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // The command runs on the real clock: make the remaining packet 40 days old.
      await ds
        .getRepository(PacketEntity)
        .update({ id: freshPacket }, { createdAt: new Date(Date.now() - 40 * DAY) });
      const env = {
        DATA_DIR: t.env.dataDir,
        ...(t.env.config.DATABASE_URL ? { DATABASE_URL: t.env.config.DATABASE_URL } : {}),
      };
      expect(await runCli(['purge'], env)).toBe(0);
      expect(out.join('\n')).toContain('Purged 1 expired packet(s) and 0 expired case(s)');
      expect(existsSync(artifacts(kept, freshPacket))).toBe(false);
      await api.get(`/cases/${kept}/packets/${freshPacket}`).expect(404);
      await api.get(`/cases/${kept}`).expect(200);

      // A retention of 0 days would purge every packet as soon as it is made: refused at start.
      await expect(runCli(['purge'], { ...env, PACKET_RETENTION_DAYS: '0' })).rejects.toThrow(
        'PACKET_RETENTION_DAYS',
      );
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });
});
