import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { BatchView, CreatedBatch } from '../../src/batches/batch.dto';
import { cellsOf, csvText, edit } from '../../src/batches/input/batch-test-helpers';
import { projectRoot } from '../../src/config/project-root';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { StaffApi, staffApi } from '../support/staff';

/**
 * Batch rows on a real Redis, built by worker processes started from the compiled service
 * (`dist/`, built here first), with workers killed, stopped and Redis restarted under them.
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379) and, like the worker it tests,
 * PostgreSQL: `npm run test:redis`.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Keys of this run only, so runs (and other users of the same Redis) never meet. */
const PREFIX = `po-test-${process.pid}-${Date.now()}`;
const ROOT = projectRoot();
const WORKER = join(ROOT, 'dist', 'src', 'batches', 'worker', 'main.js');
/** Every row's petitioner: it must not show up in any worker's output. */
const SECRET_NAME = 'Ysolde Marchetti-Quarrier';
/** Bounds for waiting on the workers; the tests assert outcomes, never how long they took. */
const PATIENCE_MS = 300_000;

const SETTINGS = {
  REDIS_URL,
  BATCH_QUEUE_PREFIX: PREFIX,
  // LibreOffice stays out of the hot path: the packets are made without the merged PDF.
  SOFFICE_PATH: '/nonexistent/soffice',
  BATCH_LOCK_SECONDS: '3',
  BATCH_SWEEP_SECONDS: '2',
  BATCH_RETRY_DELAY_MS: '200',
  BATCH_JOB_ATTEMPTS: '5',
};

interface RunningWorker {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function redisCli(...args: string[]): string {
  return execFileSync('redis-cli', ['-u', REDIS_URL, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function redisUp(): boolean {
  try {
    return redisCli('ping').trim() === 'PONG';
  } catch {
    return false;
  }
}

/**
 * The workers run the compiled service: it is built first so they run this very code. A type
 * error elsewhere in the project still emits JavaScript (and is the type check's to report), so
 * the build counts as done when it wrote the worker anew.
 */
function buildService(): void {
  const started = Date.now();
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (e) {
    const written = existsSync(WORKER) && statSync(WORKER).mtimeMs >= started - 1000;
    if (!written) throw e;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + PATIENCE_MS;
  while (Date.now() < until) {
    if (await check()) return;
    await pause(100);
  }
  throw new Error(`gave up waiting: ${what}`);
}

(TEST_DB_KIND === 'postgres' ? describe : describe.skip)('batch workers on Redis', () => {
  let t: TestApp;
  let staff: StaffApi;
  let db: DataSource;
  const workers = new Set<RunningWorker>();

  beforeAll(async () => {
    if (!redisUp()) throw new Error(`no Redis at ${REDIS_URL}`);
    buildService();
    t = await createTestApp(SETTINGS);
    db = t.app.get(DataSource);
    staff = await staffApi(t.app, { role: 'paralegal' });
  }, 600_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all([...workers].map((w) => w.exited));
    await t?.close();
    if (redisUp()) {
      const keys = redisCli('--scan', '--pattern', `${PREFIX}:*`).split('\n').filter(Boolean);
      for (let i = 0; i < keys.length; i += 500) redisCli('del', ...keys.slice(i, i + 500));
    }
  });

  function startWorker(): RunningWorker {
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...SETTINGS,
        DATA_DIR: t.env.dataDir,
        DATABASE_URL: t.env.config.DATABASE_URL,
        WORKER_CONCURRENCY: '1',
        LOG_LEVEL: 'log',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (c: Buffer) => {
      output.push(c.toString('utf8'));
      // For a failure's post-mortem: BATCH_TEST_LOG_DIR=/some/folder npm run test:redis
      const dir = process.env.BATCH_TEST_LOG_DIR;
      if (dir) appendFileSync(join(dir, `worker-${child.pid ?? 'x'}.log`), c);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const worker = { child, output, exited };
    workers.add(worker);
    void exited.then(() => workers.delete(worker));
    return worker;
  }

  async function upload(rows: number): Promise<string> {
    const cells = edit(cellsOf('minimal'), { 'petitioner.name.full': SECRET_NAME });
    const text = csvText(Array.from({ length: rows }, () => cells));
    const res = await staff
      .post('/batches?packId=generic-us&mode=run')
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(text, 'utf8'))
      .expect(201);
    return (res.body as CreatedBatch).batch.id;
  }

  async function view(id: string): Promise<BatchView> {
    return (await staff.get(`/batches/${id}`).expect(200)).body as BatchView;
  }

  async function finished(id: string): Promise<BatchView> {
    let last: BatchView | undefined;
    await waitFor(`batch ${id} to finish`, async () => {
      last = await view(id);
      return last.finishedAt !== null;
    });
    return last as BatchView;
  }

  /** Packets made per row of the batch, in row order. */
  async function packetsPerRow(batchId: string): Promise<number[]> {
    const rows: { n: string }[] = await db.query(
      `SELECT COUNT(p.id) AS n FROM batch_rows r LEFT JOIN packets p ON p.batch_row_id = r.id
       WHERE r.batch_id = $1 GROUP BY r.id, r.row_number ORDER BY r.row_number`,
      [batchId],
    );
    return rows.map((r) => Number(r.n));
  }

  /** Folders of the batch's cases that no packet row points at: leftovers of killed tries. */
  async function orphanFolders(batch: BatchView): Promise<string[]> {
    const orphans: string[] = [];
    for (const row of batch.rows) {
      const dir = join(t.env.config.artifactsDir, row.caseId);
      if (!existsSync(dir)) continue;
      const known: { id: string }[] = await db.query('SELECT id FROM packets WHERE case_id = $1', [
        row.caseId,
      ]);
      const ids = new Set(known.map((k) => k.id));
      for (const name of readdirSync(dir)) {
        if (!ids.has(name)) orphans.push(`${row.row}/${name}`);
      }
    }
    return orphans;
  }

  function expectNoCaseDataIn(output: string[]): void {
    expect(output.join('')).not.toContain('Marchetti');
  }

  it('refuses to start without REDIS_URL, saying why', () => {
    let failure: { status: number | null; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [WORKER], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, DATA_DIR: t.env.dataDir },
        stdio: 'pipe',
      });
    } catch (e) {
      const err = e as { status: number | null; stderr: Buffer };
      failure = { status: err.status, stderr: err.stderr.toString('utf8') };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain('set REDIS_URL');
  });

  it(
    'two workers make exactly one packet per row of 200, while being killed and restarted',
    async () => {
      const all: RunningWorker[] = [startWorker(), startWorker()];
      const batchId = await upload(200);
      const alive = [all[0] as RunningWorker, all[1] as RunningWorker];
      let kills = 0;
      while (kills < 4 && (await view(batchId)).finishedAt === null) {
        await pause(300 + Math.floor(Math.random() * 1500));
        const slot = Math.floor(Math.random() * alive.length);
        const victim = alive[slot] as RunningWorker;
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills++;
        const replacement = startWorker();
        alive[slot] = replacement;
        all.push(replacement);
      }
      const batch = await finished(batchId);
      expect(kills).toBeGreaterThan(0);
      expect(batch.counts).toEqual({ queued: 0, running: 0, done: 200, failed: 0, cancelled: 0 });
      expect(await packetsPerRow(batchId)).toEqual(Array.from({ length: 200 }, () => 1));
      expect(await orphanFolders(batch)).toEqual([]);
      for (const w of all) expectNoCaseDataIn(w.output);
    },
    PATIENCE_MS + 60_000,
  );

  it(
    'SIGTERM lets the running row finish: the worker exits 0 and leaves no row running',
    async () => {
      // The workers of the test before are still running; stop them to start from a known state.
      for (const w of [...workers]) w.child.kill('SIGKILL');
      await waitFor('the workers to go', () => workers.size === 0);
      const batchId = await upload(40);
      const worker = startWorker();
      await waitFor('a row to start', async () => {
        const b = await view(batchId);
        return b.counts.running + b.counts.done > 0;
      });
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      const stopped = await view(batchId);
      expect(stopped.counts.running).toBe(0);
      expect(stopped.counts.done).toBeGreaterThan(0);
      expect(await orphanFolders(stopped)).toEqual([]);

      const next = startWorker();
      const batch = await finished(batchId);
      expect(batch.counts.done).toBe(40);
      expect(await packetsPerRow(batchId)).toEqual(Array.from({ length: 40 }, () => 1));
      next.child.kill('SIGTERM');
      expect(await next.exited).toBe(0);
      expectNoCaseDataIn([...worker.output, ...next.output]);
    },
    PATIENCE_MS + 60_000,
  );

  it('runs below the service: every thread of a worker at nice 10, the default WORKER_NICE', async () => {
    const worker = startWorker();
    await waitFor('the worker to start', () =>
      worker.output.join('').includes('batch worker started'),
    );
    const pid = worker.child.pid as number;
    const niceOf = (tid: string): number => {
      // Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command name's closing bracket.
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const threads = readdirSync(`/proc/${pid}/task`);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.map(niceOf)).toEqual(threads.map(() => 10));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  it(
    'finishes a batch across a Redis restart that lost every job',
    async () => {
      const pair = [startWorker(), startWorker()];
      const batchId = await upload(100);
      await waitFor('some rows to be done', async () => (await view(batchId)).counts.done >= 10);
      redisCli('shutdown', 'nosave');
      await waitFor('Redis to stop', () => !redisUp());
      execFileSync('redis-server', [
        '--daemonize',
        'yes',
        '--bind',
        '127.0.0.1',
        '-::1',
        '--port',
        '6379',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        '/var/lib/redis',
        '--logfile',
        '/var/log/redis/ci.log',
      ]);
      await waitFor('Redis to start', () => redisUp());
      const batch = await finished(batchId);
      expect(batch.counts).toEqual({ queued: 0, running: 0, done: 100, failed: 0, cancelled: 0 });
      expect(await packetsPerRow(batchId)).toEqual(Array.from({ length: 100 }, () => 1));
      expect(await orphanFolders(batch)).toEqual([]);
      for (const w of pair) w.child.kill('SIGTERM');
      expect(await Promise.all(pair.map((w) => w.exited))).toEqual([0, 0]);
    },
    PATIENCE_MS + 60_000,
  );
});
