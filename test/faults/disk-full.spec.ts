import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { BatchView, CreatedBatch } from '../../src/batches/batch.dto';
import { cellsOf, csvText } from '../../src/batches/input/batch-test-helpers';
import { CaseEntity } from '../../src/cases/case.entity';
import { loadConfig } from '../../src/config/app-config';
import { PacketEntity } from '../../src/packets/packet.entity';
import { ARTIFACT_WRITER, ArtifactWriter, durableWrite } from '../../src/storage/artifact-store';
import { TEST_DB_KIND, TestEnvironment, createTestEnvironment } from '../support/database';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';
import { checkConsistency, consistent, storeRoot } from './support/consistency';
import { CapturedLog, startApp } from './support/fault-app';
import { fillUp, mountTmpfs, unmount } from './support/tmpfs';

const STORAGE_FULL = {
  code: 'storage_full',
  message: expect.stringMatching(/run out of storage space/) as unknown,
  details: [],
};

/**
 * Only where this machine forbids mounting a tmpfs: a writer that fails the way Node's does on a
 * full disk, after putting part of the file on disk, as a real write(2) may.
 */
class InjectedFullDisk {
  full = false;
  readonly write: ArtifactWriter = async (path, bytes) => {
    if (!this.full) return durableWrite(path, bytes);
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.write(bytes, 0, Math.floor(bytes.length / 3));
    } finally {
      await handle.close();
    }
    throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
      errno: -28,
      code: 'ENOSPC',
      syscall: 'write',
    });
  };
}

describe(`a full disk under the packet files (${TEST_DB_KIND})`, () => {
  let env: TestEnvironment;
  let app: INestApplication;
  let api: StaffApi;
  let artifacts: string;
  let mounted = false;
  const injected = new InjectedFullDisk();
  let fill: () => () => void;
  let caseId: string;

  beforeAll(async () => {
    env = await createTestEnvironment({
      PURGE_INTERVAL_MINUTES: '0',
      BATCH_JOB_ATTEMPTS: '2',
      BATCH_RETRY_DELAY_MS: '0',
    });
    artifacts = env.config.artifactsDir;
    mounted = mountTmpfs(artifacts, 64 * 1024 * 1024);
    if (!mounted) {
      console.warn('disk-full: cannot mount a tmpfs here; failing writes with ENOSPC instead');
    }
    fill = mounted
      ? () => fillUp(artifacts)
      : () => {
          injected.full = true;
          return () => void (injected.full = false);
        };
    app = await startApp(env.config, {
      overrides: mounted ? [] : [{ provide: ARTIFACT_WRITER, useValue: injected.write }],
    });
    api = await staffApi(app);
    const res = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('typical') })
      .expect(201);
    caseId = (res.body as { id: string }).id;
    await api.post(`/cases/${caseId}/packets`).expect(201);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (mounted) unmount(artifacts);
    await env?.cleanup();
  });

  it('answers 507 storage_full, keeps no partial folder and leaves the case as it was', async () => {
    const before = (await api.get(`/cases/${caseId}`).expect(200)).body as unknown;
    const packetsBefore = await app.get(DataSource).getRepository(PacketEntity).countBy({ caseId });
    const free = fill();
    try {
      const res = await api.post(`/cases/${caseId}/packets`).expect(507);
      expect(res.body).toEqual(STORAGE_FULL);
      expect(JSON.stringify(res.body)).not.toMatch(/ENOSPC|artifacts|\.tmp-|\//);
      expect(readdirSync(storeRoot(app)).filter((e) => e.startsWith('.tmp-'))).toEqual([]);
      expect(readdirSync(join(storeRoot(app), caseId))).toHaveLength(packetsBefore);
      expect(await app.get(DataSource).getRepository(PacketEntity).countBy({ caseId })).toBe(
        packetsBefore,
      );
    } finally {
      free();
    }
    expect((await api.get(`/cases/${caseId}`).expect(200)).body).toEqual(before);
    const report = await checkConsistency(app);
    expect(report).toEqual(consistent(report));
  });

  it('fails each row of a batch run on a full disk as "storage full", never "internal error"', async () => {
    const free = fill();
    let batch: BatchView | undefined;
    try {
      const text = csvText([cellsOf('minimal'), cellsOf('minimal')]);
      const paralegal = await staffApi(app, { role: 'paralegal' });
      const res = await paralegal
        .post('/batches?packId=generic-us&mode=run')
        .set('Content-Type', 'text/csv')
        .send(Buffer.from(text, 'utf8'))
        .expect(201);
      const id = (res.body as CreatedBatch).batch.id;
      for (let i = 0; i < 600 && !batch?.finishedAt; i++) {
        await new Promise((r) => setTimeout(r, 100));
        batch = (await paralegal.get(`/batches/${id}`).expect(200)).body as BatchView;
      }
    } finally {
      free();
    }
    expect(batch?.counts).toMatchObject({ done: 0, failed: 2 });
    for (const row of batch?.rows ?? []) {
      expect(row.error).toMatch(/run out of storage space/);
    }
    const report = await checkConsistency(app);
    expect(report).toEqual(consistent(report));
  });

  it('works again as soon as there is room, without a restart', async () => {
    await api.post(`/cases/${caseId}/packets`).expect(201);
    const report = await checkConsistency(app);
    expect(report).toEqual(consistent(report));
    expect(report.packets).toBe(2);
  });
});

describe('a full disk under the SQLite database', () => {
  let dataDir: string;
  let app: INestApplication;
  let api: StaffApi;
  let mounted = false;
  const log = new CapturedLog();
  let caseId: string;
  let original: unknown;

  /** The database can grow no more: a full tmpfs, or else SQLite's own page limit. */
  async function makeFull(): Promise<() => Promise<void>> {
    const ds = app.get(DataSource);
    // Emptied, the write-ahead log must grow for the next write, which meets the full disk.
    await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
    if (mounted) {
      const free = fillUp(dataDir);
      return () => Promise.resolve(free());
    }
    const [{ page_count: pages }] = (await ds.query('PRAGMA page_count')) as {
      page_count: number;
    }[];
    await ds.query(`PRAGMA max_page_count = ${pages}`);
    return async () => void (await ds.query('PRAGMA max_page_count = 1073741823'));
  }

  beforeAll(async () => {
    // Always SQLite, whatever TEST_DATABASE says: this is the embedded database's own fault.
    dataDir = mkdtempSync(join(tmpdir(), 'po-full-'));
    mounted = mountTmpfs(dataDir, 32 * 1024 * 1024);
    if (!mounted) {
      console.warn('disk-full: cannot mount a tmpfs here; limiting SQLite pages instead');
    }
    const config = loadConfig({
      DATA_DIR: dataDir,
      PURGE_INTERVAL_MINUTES: '0',
      LOG_LEVEL: 'warn',
    });
    app = await startApp(config, { logger: log });
    api = await staffApi(app);
    const res = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('minimal') })
      .expect(201);
    caseId = (res.body as { id: string }).id;
    original = (await api.get(`/cases/${caseId}`).expect(200)).body;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (mounted) unmount(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 507 for a new case and for a change, with SQLITE_FULL underneath, and saves nothing', async () => {
    const cases = await app.get(DataSource).getRepository(CaseEntity).count();
    const free = await makeFull();
    try {
      const created = await api
        .post('/cases')
        .send({ packId: 'generic-us', facts: fixture('typical') });
      expect(created.status).toBe(507);
      expect(created.body).toEqual(STORAGE_FULL);
      const changed = await api
        .put(`/cases/${caseId}`)
        .send({ facts: fixture('typical'), confidential: 'replace' });
      expect(changed.status).toBe(507);
      expect(changed.body).toEqual(STORAGE_FULL);
    } finally {
      await free();
    }
    expect(log.messages('warn')).toContain('storage_full (SQLITE_FULL)');
    expect(log.messages('error')).toEqual([]);
    expect(await app.get(DataSource).getRepository(CaseEntity).count()).toBe(cases);
    expect((await api.get(`/cases/${caseId}`).expect(200)).body).toEqual(original);
  });

  it('works again as soon as there is room, and the database is intact', async () => {
    await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('typical') })
      .expect(201);
    const [{ integrity_check: integrity }] = (await app
      .get(DataSource)
      .query('PRAGMA integrity_check')) as { integrity_check: string }[];
    expect(integrity).toBe('ok');
    const report = await checkConsistency(app);
    expect(report).toEqual(consistent(report));
  });
});
