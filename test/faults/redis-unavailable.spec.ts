import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { App } from 'supertest/types';
import { DataSource, In } from 'typeorm';
import type { BatchView, CreatedBatch } from '../../src/batches/batch.dto';
import { cellsOf, csvText } from '../../src/batches/input/batch-test-helpers';
import type { CaseFacts } from '../../src/case-facts/case-facts.dto';
import { projectRoot } from '../../src/config/project-root';
import type { ScreenView } from '../../src/interview/interview-engine';
import { BuiltPacket, PacketBuilder } from '../../src/packets/packet-builder';
import { PacketEntity } from '../../src/packets/packet.entity';
import type { LoadedPack } from '../../src/packs/pack-loader';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { decodeHtml } from '../support/html-text';
import { screenKey } from '../support/interview-driver';
import { SCRIPT } from '../support/interview-script';
import { StaffApi, staffApi } from '../support/staff';
import { CapturedLog } from './support/fault-app';

/**
 * Redis away while the service starts and runs: a throwaway redis-server of this test's own,
 * started, killed and started again on a free port (never the machine's Redis). Batches are
 * refused with a 503 while it is away and work again when it is back; everything else answers as
 * usual throughout. Runs on SQLite (`npx jest`) and PostgreSQL (`npm run test:faults`).
 */

/** In the URL only: it must never show up in a log line. */
const PASSWORD = 'redis-pw-Zq81vLx';
const ROOT = projectRoot();
const WORKER = join(ROOT, 'src', 'batches', 'worker', 'main.ts');
const REGISTER_TS = join(ROOT, 'test', 'faults', 'support', 'child', 'register-ts.js');
const UNAVAILABLE = 'batch queue unavailable (ECONNREFUSED)';
/** What a 503 must not say: where Redis is or what the driver said. */
const INTERNALS = /redis|ECONN|127\.0\.0\.1|ioredis|bullmq|\bat [\w.<>]+ \(/i;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function redisServerMissing(): string | undefined {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'redis-server is not installed';
  }
}

/** A redis-server child with nothing on disk, so a kill loses every job, as a crash may. */
class ThrowawayRedis {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://:${PASSWORD}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--requirepass', PASSWORD],
        ...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    await until(`redis-server on ${this.port}`, () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
      return output.includes('Ready to accept connections');
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** The real builder, without LibreOffice, which a test can hold at the start of a build. */
class HeldBuilder {
  private readonly real = new PacketBuilder(new DocxToPdfConverter('/nonexistent/soffice'));
  builds = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async build(pack: LoadedPack, facts: CaseFacts): Promise<BuiltPacket> {
    this.builds++;
    await this.gate;
    return this.real.build(pack, facts);
  }
}

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page has no form token');
  return decodeHtml(token);
}

const skipReason = redisServerMissing();
const describeWithRedis = skipReason ? describe.skip : describe;

describeWithRedis(
  `Redis unavailable (${TEST_DB_KIND})${skipReason ? ` [skipped: ${skipReason}]` : ''}`,
  () => {
    let redis: ThrowawayRedis;
    let t: TestApp | undefined;
    let http: App;
    let db: DataSource;
    let api: StaffApi;
    let org: SeededOrganisation;
    const builder = new HeldBuilder();
    const log = new CapturedLog();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    const workerChildren: ChildProcess[] = [];
    const otherRedis: ThrowawayRedis[] = [];

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      redis = new ThrowawayRedis(await freePort());
      t = await createTestApp(
        {
          REDIS_URL: redis.url,
          RUN_WORKER_IN_PROCESS: 'true',
          BATCH_QUEUE_PREFIX: `po-faults-${process.pid}`,
          WORKER_CONCURRENCY: '1',
          BATCH_SWEEP_SECONDS: '1',
          BATCH_RETRY_DELAY_MS: '100',
          SOFFICE_PATH: '/nonexistent/soffice',
        },
        { logger: log, overrides: [{ provide: PacketBuilder, useValue: builder }] },
      );
      http = t.app.getHttpServer() as App;
      db = t.app.get(DataSource);
      org = await seedOrganisation(t, 'Harbour Legal Aid');
      api = await staffApi(t.app, { role: 'paralegal', organisationId: org.organisationId });
    }, 60_000);

    afterAll(async () => {
      builder.release();
      for (const child of workerChildren) if (child.exitCode === null) child.kill('SIGKILL');
      await t?.close();
      await redis?.kill();
      for (const r of otherRedis) await r.kill();
      process.off('unhandledRejection', onUnhandled);
    }, 60_000);

    const warnings = (text: string) => log.messages('warn').filter((m) => m.includes(text));

    async function health(): Promise<request.Response> {
      return request(http).get('/health');
    }

    async function count(table: 'cases' | 'batches' | 'batch_rows'): Promise<number> {
      const rows: { n: number | string }[] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number(rows[0]?.n);
    }

    function upload(mode: string, rows = 2): request.Test {
      const cells = Array.from({ length: rows }, () => cellsOf('minimal'));
      return api
        .post(`/batches?packId=generic-us&mode=${mode}`)
        .set('Content-Type', 'text/csv')
        .send(csvText(cells));
    }

    async function finished(id: string): Promise<BatchView> {
      let view: BatchView | undefined;
      await until(
        `batch ${id} to finish`,
        async () => {
          view = (await api.get(`/batches/${id}`).expect(200)).body as BatchView;
          return view.finishedAt !== null;
        },
        60_000,
      );
      return view as BatchView;
    }

    /** Every row done, each with a packet of its own and exactly one packet row. */
    async function expectEachRowMadeOnce(view: BatchView): Promise<void> {
      expect(view.rows.map((r) => r.status)).toEqual(view.rows.map(() => 'done'));
      const packetIds = view.rows.map((r) => r.packetId);
      expect(new Set(packetIds).size).toBe(view.rows.length);
      const rowIds = await db.query<{ id: string }[]>(
        `SELECT id FROM batch_rows WHERE batch_id = ${TEST_DB_KIND === 'postgres' ? '$1' : '?'}`,
        [view.id],
      );
      const packets = await db
        .getRepository(PacketEntity)
        .countBy({ batchRowId: In(rowIds.map((r) => r.id)) });
      expect(packets).toBe(view.rows.length);
    }

    async function signedIn(): Promise<TestAgent> {
      const agent = request.agent(http);
      const { email, password } = org.users.paralegal;
      await agent.post('/staff/login').type('form').send({ email, password }).expect(303);
      return agent;
    }

    async function healthSays(available: boolean): Promise<void> {
      await until(`health to say batches.available ${available}`, async () => {
        const res = await health();
        return (res.body as { batches?: { available?: boolean } }).batches?.available === available;
      });
    }

    it('starts without waiting on Redis and says once, by kind, that batches are unavailable', async () => {
      await until('the outage in the log', () => warnings(UNAVAILABLE).length > 0);
      // ioredis retries every few hundred milliseconds at first: each try is not a new line.
      await pause(3000);
      expect(warnings(UNAVAILABLE)).toHaveLength(1);
      expect(log.lines.filter((l) => l.message.includes(PASSWORD))).toEqual([]);
      expect(log.messages('error')).toEqual([]);
    });

    it('reports batches as unavailable in /health, with a 200: the rest works', async () => {
      const res = await health();
      expect(res.status).toBe(200);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.body).toMatchObject({
        status: 'degraded',
        database: { ok: true },
        batches: { queue: 'redis', available: false },
      });
      expect(res.body.packs).toContainEqual(
        expect.objectContaining({ id: 'generic-us', ready: true }),
      );
    });

    it('keeps the interview and the case API answering', async () => {
      const started = await request(http)
        .post('/interview')
        .send({ packId: 'generic-us', language: 'en' })
        .expect(201);
      const { sessionId, screen } = started.body as { sessionId: string; screen: ScreenView };
      const first = screenKey(screen.position);
      const next = await request(http)
        .post(`/interview/${sessionId}/answers`)
        .send({ answers: SCRIPT[first] ?? {} })
        .expect(200);
      expect(screenKey((next.body as { screen: ScreenView }).screen.position)).not.toBe(first);

      const made = await api
        .post('/cases')
        .send({ packId: 'generic-us', facts: fixture('typical') })
        .expect(201);
      await api.get(`/cases/${(made.body as { id: string }).id}`).expect(200);
    });

    it('refuses to start a batch with 503 batches_unavailable and Retry-After, storing nothing', async () => {
      const before = await Promise.all([count('cases'), count('batches'), count('batch_rows')]);
      for (const mode of ['run', 'run-valid']) {
        const res = await upload(mode);
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('30');
        expect(res.body).toMatchObject({
          code: 'batches_unavailable',
          message: expect.stringMatching(/^Batches are unavailable right now/),
        });
        expect(JSON.stringify(res.body)).not.toMatch(INTERNALS);
      }
      // Checking a file needs no queue.
      const checked = await upload('validate').expect(200);
      expect(checked.body).toMatchObject({ mode: 'validate', validRows: 2, problems: [] });

      expect(await Promise.all([count('cases'), count('batches'), count('batch_rows')])).toEqual(
        before,
      );
      expect((await api.get('/batches').expect(200)).body).toEqual([]);
    });

    it('shows staff a page saying batches are unavailable, not a generic error', async () => {
      const agent = await signedIn();
      const form = await agent.get('/staff/batches').expect(200);
      const res = await agent
        .post('/staff/batches')
        .field('_csrf', csrfOf(form.text))
        .field('packId', 'generic-us')
        .field('mode', 'run')
        .attach('file', Buffer.from(csvText([cellsOf('minimal')]), 'utf8'), 'cases.csv');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      const text = decodeHtml(res.text);
      expect(text).toContain('Batches are unavailable right now');
      expect(text).toContain('Try again in a minute');
      expect(text).not.toContain('Something went wrong');
      expect(text).not.toMatch(INTERNALS);
      expect(await count('batches')).toBe(0);
    });

    it('makes batches again once Redis is back, without a restart', async () => {
      await redis.start();
      await healthSays(true);
      await until('the recovery in the log', () =>
        log.messages('log').some((m) => m.startsWith('batch queue available again')),
      );
      const builds = builder.builds;
      const created = (await upload('run').expect(201)).body as CreatedBatch;
      if (!('batch' in created)) throw new Error('no batch was made');
      const view = await finished(created.batch.id);
      await expectEachRowMadeOnce(view);
      expect(builder.builds - builds).toBe(2);
    });

    it('loses and duplicates no row of a batch stored just before Redis went away', async () => {
      const builds = builder.builds;
      builder.hold();
      const created = (await upload('run').expect(201)).body as CreatedBatch;
      if (!('batch' in created)) throw new Error('no batch was made');
      const id = created.batch.id;
      // Row 1 is being built; row 2 waits on the queue, which the kill empties.
      await until('the first row to start', () => builder.builds - builds === 1);
      await redis.kill();
      await healthSays(false);

      const refused = await upload('run');
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'batches_unavailable' });
      const retried = await api.post(`/batches/${id}/retry`);
      expect(retried.status).toBe(503);
      expect(retried.headers['retry-after']).toBe('30');
      // The staff page's retry says the same in words, on the batch's own page.
      const agent = await signedIn();
      const page = await agent.get(`/staff/batches/${id}`).expect(200);
      const again = await agent
        .post(`/staff/batches/${id}/retry`)
        .type('form')
        .send({ _csrf: csrfOf(page.text) });
      expect(again.status).toBe(503);
      expect(again.headers['retry-after']).toBe('30');
      expect(decodeHtml(again.text)).toContain('Batches are unavailable right now');

      await redis.start();
      await healthSays(true);
      builder.release();
      const view = await finished(id);
      await expectEachRowMadeOnce(view);
      expect(builder.builds - builds).toBe(2);
      expect(await count('batches')).toBe(2);
    });

    it('runs the worker command against an unreachable Redis: it retries, says so, and stops on SIGTERM', async () => {
      const absent = new ThrowawayRedis(await freePort());
      otherRedis.push(absent);
      const child = spawn(process.execPath, ['-r', REGISTER_TS, WORKER], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          REDIS_URL: absent.url,
          BATCH_QUEUE_PREFIX: `po-faults-worker-${process.pid}`,
          DATA_DIR: t?.env.dataDir,
          ...(t?.env.config.DATABASE_URL ? { DATABASE_URL: t.env.config.DATABASE_URL } : {}),
          SOFFICE_PATH: '/nonexistent/soffice',
          LOG_LEVEL: 'log',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      workerChildren.push(child);
      let output = '';
      child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      const lines = (text: string) => output.split('\n').filter((l) => l.includes(text));

      await until('the worker to report the outage', () => lines(UNAVAILABLE).length > 0, 120_000);
      await pause(3000);
      expect(lines(UNAVAILABLE)).toHaveLength(1);
      expect(child.exitCode).toBeNull();

      await absent.start();
      await until('the worker to connect', () => lines('batch queue available again').length > 0);
      await absent.kill();
      // A dropped connection is said as such; the refused reconnects after it are not repeated.
      await until(
        'the worker to report the second outage',
        () => lines('batch queue unavailable (connection closed)').length > 0,
      );

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines('batch worker stopped')).toHaveLength(1);
      expect(output).not.toContain(PASSWORD);
    }, 180_000);

    it('shuts down while Redis is away, having left no unhandled rejection', async () => {
      await redis.kill();
      await healthSays(false);
      const app = t;
      t = undefined;
      await app?.close();
      expect(unhandled).toEqual([]);
    });
  },
);
