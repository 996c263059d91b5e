import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { CaseEntity } from '../../src/cases/case.entity';
import { setupApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config/app-config';
import { MasterKeyring, parseMasterKeys } from '../../src/crypto/master-keys';
import { countUnencryptedCases, rotateMasterKey } from '../../src/crypto/rotate-master-key';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { pdfText } from '../support/pdf-reading';
import { StaffApi, staffApi } from '../support/staff';

const run = promisify(execFile);

/** Values that must never appear in clear text in the database or the artifacts folder. */
const SENTINELS = [
  'Zelda Sentinelname',
  'Sentinelname',
  '4242 Sentinel Lane',
  'Sentinel Lane',
  'SENTINELNARRATIVE',
  // Unchanged fixture values, as a second net: the respondent's name and the phone number.
  'Kevin Michael Walsh',
  '617-555-0144',
];

function sentinelFacts(): Record<string, unknown> {
  const facts = fixture('typical');
  const petitioner = facts.petitioner as Record<string, unknown>;
  petitioner.name = { full: 'Zelda Sentinelname', given: 'Zelda', family: 'Sentinelname' };
  petitioner.otherNames = [];
  (petitioner.residentialAddress as Record<string, unknown>).street = '4242 Sentinel Lane';
  const incident = (facts.incidents as Record<string, unknown>[])[0];
  incident.narrative = `He pushed me against the wall. SENTINELNARRATIVE ${incident.narrative as string}`;
  const signature = facts.signature as Record<string, unknown>;
  if (typeof signature.name === 'string') signature.name = 'Zelda Sentinelname';
  return facts;
}

/** Every needle found in the bytes, as UTF-8 and as UTF-16LE. */
function found(bytes: Buffer, needles: string[]): string[] {
  return needles.filter(
    (n) => bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le')),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What a database backup would hold: the SQLite file and its WAL, or a PostgreSQL dump. */
async function rawDatabase(t: TestApp): Promise<Buffer> {
  if (TEST_DB_KIND === 'sqlite') {
    const path = t.env.config.sqlitePath;
    const parts = [path, `${path}-wal`, `${path}-shm`].filter((p) => existsSync(p));
    expect(parts).toContain(`${path}-wal`);
    return Buffer.concat(parts.map((p) => readFileSync(p)));
  }
  const ds = t.app.get(DataSource);
  const rows: { row: string }[] = [];
  for (const table of ['cases', 'data_keys', 'packets']) {
    rows.push(...((await ds.query(`SELECT row_to_json(t)::text AS row FROM ${table} t`)) as []));
  }
  const { stdout } = await run('pg_dump', ['--data-only', t.env.config.DATABASE_URL as string], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return Buffer.concat([Buffer.from(rows.map((r) => r.row).join('\n')), Buffer.from(stdout)]);
}

async function startApp(env: NodeJS.ProcessEnv, like: TestApp): Promise<INestApplication> {
  const config = loadConfig({
    DATA_DIR: like.env.dataDir,
    ...(like.env.config.DATABASE_URL ? { DATABASE_URL: like.env.config.DATABASE_URL } : {}),
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  setupApp(app);
  await app.init();
  return app;
}

describe(`encryption at rest (${TEST_DB_KIND})`, () => {
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');
  let t: TestApp;
  let http: App;
  let api: StaffApi;
  let caseId: string;
  let packet: { id: string; links: { merged: string | null; files: Record<string, string> } };

  beforeAll(async () => {
    t = await createTestApp({ MASTER_KEYS: `1:${k1}`, MASTER_KEY_VERSION: '1' });
    http = t.app.getHttpServer() as App;
    api = await staffApi(t.app);
    const created = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: sentinelFacts() })
      .expect(201);
    caseId = (created.body as { id: string }).id;
    packet = (await api.post(`/cases/${caseId}/packets`).expect(201)).body as never;
  });

  afterAll(() => t.close());

  async function readsBack(server: App): Promise<void> {
    const bearer = `Bearer ${api.token}`;
    const read = await request(server)
      .get(`/cases/${caseId}?confidential=true`)
      .set('Authorization', bearer)
      .expect(200);
    expect(read.body.facts.petitioner.name.full).toBe('Zelda Sentinelname');
    expect(read.body.facts.petitioner.residentialAddress.street).toBe('4242 Sentinel Lane');
    expect(read.body.facts.incidents[0].narrative).toContain('SENTINELNARRATIVE');
    expect(packet.links.merged).not.toBeNull();
    const pdf = await request(server)
      .get(packet.links.merged as string)
      .set('Authorization', bearer)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(await pdfText(bytes, { first: 1, last: 1 })).toContain('Zelda Sentinelname');
  }

  it('the API still returns the facts and a packet.pdf that is a PDF', async () => {
    await readsBack(http);
    const docx = Object.entries(packet.links.files).find(([name]) => name.endsWith('.docx'));
    expect(docx).toBeDefined();
    const res = await api
      .get((docx as [string, string])[1])
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect((res.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('the database holds no name, address or narrative in clear text', async () => {
    const raw = await rawDatabase(t);
    // Control: these are the right bytes (ids stay in clear), and the case is in them.
    expect(raw.includes(Buffer.from(caseId))).toBe(true);
    expect(found(raw, SENTINELS)).toEqual([]);
    const ds = t.app.get(DataSource);
    const row = (await ds
      .createQueryBuilder()
      .select('c.facts', 'facts')
      .from('cases', 'c')
      .where('c.id = :id', { id: caseId })
      .getRawOne()) as { facts: string };
    expect(row.facts).toMatch(/^UE9F[A-Za-z0-9+/]+={0,2}$/); // base64 of "POE" | format | ...
    expect(Buffer.from(row.facts, 'base64').subarray(0, 3).toString('latin1')).toBe('POE');
    const keys = (await ds.query('SELECT * FROM data_keys')) as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ case_id: caseId, master_key_version: '1' });
    expect(JSON.stringify(keys)).not.toContain(k1);
    expect(await countUnencryptedCases(ds)).toBe(0);
  });

  it('every file under the artifacts folder is ciphertext', () => {
    const files = filesUnder(t.env.config.artifactsDir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect({ file, head: bytes.subarray(0, 3).toString('latin1') }).toEqual({
        file,
        head: 'POE',
      });
      for (const magic of ['%PDF', 'PK', '{']) {
        expect(bytes.subarray(0, magic.length).toString('latin1')).not.toBe(magic);
      }
      expect({ file, found: found(bytes, SENTINELS) }).toEqual({ file, found: [] });
      expect(statSync(file).mode & 0o077).toBe(0);
    }
  });

  it('a file ciphertext moved to another name of the packet does not open', async () => {
    const dir = join(t.env.config.artifactsDir, caseId, packet.id);
    const names = readdirSync(dir).filter((n) => n.endsWith('.pdf'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    const [a, b] = names;
    const original = readFileSync(join(dir, b));
    writeFileSync(join(dir, b), readFileSync(join(dir, a)));
    try {
      const res = await api.get(`/cases/${caseId}/packets/${packet.id}/files/${b}`).expect(500);
      expect(res.body).toEqual({ code: 'internal_error', message: 'Internal error', details: [] });
    } finally {
      writeFileSync(join(dir, b), original);
    }
    await api.get(`/cases/${caseId}/packets/${packet.id}/files/${b}`).expect(200);
  });

  it('rotation re-wraps data keys only; the old key can then be removed', async () => {
    const ds = t.app.get(DataSource);
    const factsBefore = (await ds.query('SELECT facts FROM cases')) as unknown[];
    const mergedPath = join(t.env.config.artifactsDir, caseId, packet.id, 'packet.pdf');
    const fileBefore = readFileSync(mergedPath);

    const both: MasterKeyring = parseMasterKeys(`1:${k1},2:${k2}`, '2');
    expect(await rotateMasterKey(ds, both)).toEqual({
      rewrapped: 1,
      current: 0,
      currentVersion: '2',
    });
    expect(await rotateMasterKey(ds, both)).toEqual({
      rewrapped: 0,
      current: 1,
      currentVersion: '2',
    });
    const keys = (await ds.query('SELECT master_key_version FROM data_keys')) as unknown[];
    expect(keys).toEqual([{ master_key_version: '2' }]);
    // Facts and files are untouched by rotation.
    expect(await ds.query('SELECT facts FROM cases')).toEqual(factsBefore);
    expect(readFileSync(mergedPath)).toEqual(fileBefore);

    // A fresh process with only version 2 reads the case and its packet.
    const onlyNew = await startApp({ MASTER_KEYS: `2:${k2}`, MASTER_KEY_VERSION: '2' }, t);
    try {
      await readsBack(onlyNew.getHttpServer() as App);
    } finally {
      await onlyNew.close();
    }
    // And one with only the retired key cannot.
    const onlyOld = await startApp({ MASTER_KEYS: `1:${k1}` }, t);
    try {
      await request(onlyOld.getHttpServer() as App)
        .get(`/cases/${caseId}`)
        .set('Authorization', `Bearer ${api.token}`)
        .expect(500);
    } finally {
      await onlyOld.close();
    }
    // Rotating back to 1 without the key version 2 in the ring refuses, naming the variable.
    await expect(rotateMasterKey(ds, parseMasterKeys(`1:${k1}`, undefined))).rejects.toThrow(
      'MASTER_KEYS: data keys are wrapped by master key version(s) 2, which are not configured',
    );
  });

  it('deleting a case deletes its data key (crypto-shredding) and its files', async () => {
    const ds = t.app.get(DataSource);
    const other = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('minimal') })
      .expect(201);
    const id = (other.body as { id: string }).id;
    const count = (caseOf: string) =>
      ds
        .createQueryBuilder()
        .from('data_keys', 'k')
        .where('k.case_id = :caseOf', { caseOf })
        .getCount();
    expect(await count(id)).toBe(1);
    await api.post(`/cases/${id}/packets`).expect(201);
    expect(existsSync(join(t.env.config.artifactsDir, id))).toBe(true);
    await api.delete(`/cases/${id}`).expect(204);
    expect(await count(id)).toBe(0);
    expect(existsSync(join(t.env.config.artifactsDir, id))).toBe(false);
    expect(await count(caseId)).toBe(1);
  });

  it('a case stored before encryption still reads, and is sealed on its next update', async () => {
    const ds = t.app.get(DataSource);
    const id = '0b9a5c3e-6f1d-4c2a-9e8b-7d6c5b4a3f21';
    const facts = fixture('minimal');
    const now = new Date();
    await ds.getRepository(CaseEntity).insert({
      id,
      packId: 'generic-us',
      facts: JSON.stringify(facts),
      organisationId: api.organisationId,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    });
    expect(await countUnencryptedCases(ds)).toBe(1);
    await api.get(`/cases/${id}`).expect(200);
    await api.post(`/cases/${id}/packets`).expect(201);
    await api.put(`/cases/${id}`).send({ facts, confidential: 'replace' }).expect(200);
    expect(await countUnencryptedCases(ds)).toBe(0);
    const read = await api.get(`/cases/${id}`).expect(200);
    expect(read.body.facts.petitioner).toEqual(facts.petitioner);
    const stored = await ds.getRepository(CaseEntity).findOneByOrFail({ id });
    expect(Buffer.from(stored.facts, 'base64').subarray(0, 3).toString('latin1')).toBe('POE');
    await api.delete(`/cases/${id}`).expect(204);
  });
});
