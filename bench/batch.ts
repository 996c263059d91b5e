import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { loadAverage, machineInfo } from './lib/machine';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import type { BatchSummary, BatchView, CreatedBatch } from '../src/batches/batch.dto';
import type { PacketResponse } from '../src/packets/packet.dto';
import { csvLine } from '../src/common/csv-cell';
import { projectRoot } from '../src/config/project-root';
import { ServiceClient } from './batch-lib/http';
import { interviewLoad, LoadResult } from './batch-lib/interview-load';
import {
  commandName,
  cpuSeconds,
  descendants,
  freePort,
  machineCpu,
  rssKb,
  runNode,
  Started,
  startNode,
  stopProcess,
  waitUntil,
} from './batch-lib/processes';
import { machineScaling } from './batch-lib/machine-scaling';
import { renderBatchMarkdown } from './batch-lib/report';
import type {
  BatchBenchReport,
  CpuShare,
  MemoryResult,
  RssSample,
  ThroughputResult,
  LatencyRun,
} from './batch-lib/report';
import { latencies } from './batch-lib/stats';
import { collapse, pdfText } from './lib/verify';

/**
 * `npm run bench:batch`: batch generation through the real queue. Starts the compiled service
 * (enqueue only) and worker processes against PostgreSQL and Redis, on a database and a queue
 * prefix of its own, uploads a CSV as staff would, and measures throughput per worker count, one
 * worker's memory over a long batch, and the interview's latency with and without a batch running.
 * Every packet of a timed batch is counted in the database and a sample is read back with
 * pdftotext. Writes bench/results/batch-latest.json and prints a Markdown table.
 */

const ROOT = projectRoot(__dirname);
const DIST = join(ROOT, 'dist', 'src');
const SERVICE = join(DIST, 'main.js');
const WORKER = join(DIST, 'batches', 'worker', 'main.js');
const CLI = join(DIST, 'cli', 'main.js');
const COURT_FORMS = join(ROOT, '..', 'shared', 'court-forms');
/**
 * Workers start as `npm run worker` starts them: the node options of package.json's `worker`
 * script (the young generation's size), read from there so the two cannot drift apart;
 * BENCH_WORKER_NODE_ARGS overrides them to compare settings.
 */
const WORKER_NODE_ARGS =
  process.env.BENCH_WORKER_NODE_ARGS !== undefined
    ? process.env.BENCH_WORKER_NODE_ARGS.split(' ').filter(Boolean)
    : workerScriptNodeArgs();

function workerScriptNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const m = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/src\/batches\/worker\/main\.js/.exec(
    pkg.scripts.worker ?? '',
  );
  if (!m) throw new Error('package.json: the worker script does not run the worker with node');
  return m[1].split(' ').filter(Boolean);
}
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ??
  process.env.TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const PREFIX = `po-bench-${process.pid}-${Date.now()}`;
const DB_NAME = `bench_${process.pid}`;
const ADMIN_EMAIL = 'bench.admin@clinic.example';
const ADMIN_PASSWORD = 'a long enough passphrase for the batch bench';
/** Generous bounds on waiting; nothing here is asserted about time. */
const START_TIMEOUT_MS = 180_000;
const BATCH_TIMEOUT_MS = 6 * 3600_000;
const NAME_COLUMNS = ['petitioner.name.full', 'signature.typedName'];

interface Options {
  packets: number;
  workers: number[];
  memoryPackets: number;
  clients: number;
  pack: string;
  interviewPack: string;
  office: boolean;
  latencySeconds: number;
  thinkMs: number;
  sample: number;
  out: string;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      packets: { type: 'string', default: '1000' },
      workers: { type: 'string', default: '1,2' },
      'memory-packets': { type: 'string', default: '5000' },
      clients: { type: 'string', default: '50' },
      pack: { type: 'string', default: 'ca-dv' },
      'interview-pack': { type: 'string' },
      'no-office': { type: 'boolean', default: false },
      'latency-seconds': { type: 'string', default: '60' },
      'think-ms': { type: 'string', default: '1000' },
      sample: { type: 'string', default: '5' },
      out: { type: 'string' },
    },
  });
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const workers = (values.workers ?? '').split(',').map((w) => int('workers', w.trim(), 1));
  return {
    packets: int('packets', values.packets, 0),
    workers,
    memoryPackets: int('memory-packets', values['memory-packets'], 0),
    clients: int('clients', values.clients, 0),
    pack: values.pack ?? 'ca-dv',
    interviewPack: values['interview-pack'] ?? values.pack ?? 'ca-dv',
    office: !values['no-office'],
    latencySeconds: int('latency-seconds', values['latency-seconds'], 1),
    thinkMs: int('think-ms', values['think-ms'], 0),
    sample: int('sample', values.sample, 1),
    out: values.out ?? join(ROOT, 'bench', 'results', 'batch-latest.json'),
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => Math.round(kb / 102.4) / 10;

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

/** Everything the harness started, so a failure or Ctrl-C still leaves nothing behind. */
class Bench {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'po-bench-'));
  readonly procs = new Set<Started>();
  service: Started | undefined;
  api: ServiceClient | undefined;
  db: Client | undefined;
  private databaseMade = false;
  private template: string[][] = [];

  constructor(readonly opts: Options) {}

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: this.dataDir,
      DATABASE_URL: databaseUrl(),
      REDIS_URL,
      BATCH_QUEUE_PREFIX: PREFIX,
      // As the service would run: the warm office, unless the run is told to leave it out.
      OFFICE_MODE: 'warm',
      ...(this.opts.office ? {} : { SOFFICE_PATH: '/nonexistent/soffice' }),
      PURGE_INTERVAL_MINUTES: '0',
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  async setUp(): Promise<void> {
    await adminQuery(`CREATE DATABASE ${DB_NAME}`);
    this.databaseMade = true;
    await runNode(CLI, ['migrate'], this.env(), ROOT);
    await runNode(CLI, ['install-forms', '--from', COURT_FORMS], this.env(), ROOT);
    await runNode(
      CLI,
      ['create-admin', '--org', 'Bench Clinic', '--email', ADMIN_EMAIL],
      this.env({ ADMIN_PASSWORD }),
      ROOT,
    );
    const port = await freePort();
    const rows = Math.max(this.opts.packets, this.opts.memoryPackets, 1000);
    this.service = this.track(
      startNode(
        'service',
        SERVICE,
        this.env({
          PORT: String(port),
          BATCH_MAX_ROWS: String(Math.min(100_000, rows)),
          BATCH_MAX_BYTES: String(1024 * 1024 * 1024),
        }),
        ROOT,
        // Lets a run profile the service alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
        (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ),
    );
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(
      'the service to answer /health',
      async () => {
        try {
          return (await fetch(`${base}/health`)).status === 200;
        } catch {
          return false;
        }
      },
      START_TIMEOUT_MS,
      [this.service],
    );
    this.api = new ServiceClient(base);
    await this.api.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const csv = await this.api.text(`/batches/template.csv?packId=${this.opts.pack}`);
    this.template = parse(csv, { bom: true }) as string[][];
    if (this.template.length !== 2) throw new Error('the template should hold a header and a row');
  }

  track(p: Started): Started {
    this.procs.add(p);
    void p.exited.then(() => this.procs.delete(p));
    return p;
  }

  async startWorkers(count: number): Promise<Started[]> {
    const workers = Array.from({ length: count }, (_, i) =>
      this.track(
        startNode(
          `worker ${i + 1}`,
          WORKER,
          this.env({ WORKER_CONCURRENCY: '1', LOG_LEVEL: 'log' }),
          ROOT,
          WORKER_NODE_ARGS,
        ),
      ),
    );
    // For a post-mortem or a GC trace: BENCH_WORKER_LOG_DIR=/some/folder keeps each worker's output.
    const logDir = process.env.BENCH_WORKER_LOG_DIR;
    if (logDir) {
      for (const w of workers) {
        const keep = (c: Buffer) => appendFileSync(join(logDir, `worker-${w.pid}.log`), c);
        w.child.stdout?.on('data', keep);
        w.child.stderr?.on('data', keep);
      }
    }
    await waitUntil(
      'the workers to start',
      () => workers.every((w) => w.tail.join('').includes('batch worker started')),
      START_TIMEOUT_MS,
      workers,
    );
    return workers;
  }

  /** The pack's own template row, once per case, each with its own petitioner's name. */
  csv(rows: number, seed: number): { bytes: Buffer; names: string[] } {
    const [header, example] = this.template;
    const columns = NAME_COLUMNS.map((c) => header.indexOf(c)).filter((i) => i >= 0);
    if (columns.length === 0) throw new Error('the template has no petitioner name column');
    const names: string[] = [];
    let text = csvLine(header);
    for (let i = 0; i < rows; i++) {
      const name = personName(seed + i);
      names.push(name);
      const row = [...example];
      for (const c of columns) row[c] = name;
      text += csvLine(row);
    }
    return { bytes: Buffer.from(text, 'utf8'), names };
  }

  async submit(rows: number, seed: number): Promise<{ id: string; names: string[] }> {
    const { bytes, names } = this.csv(rows, seed);
    const created = await this.client().json<CreatedBatch>(
      'POST',
      `/batches?packId=${this.opts.pack}&mode=run`,
      { bytes, contentType: 'text/csv' },
      [201],
    );
    return { id: created.batch.id, names };
  }

  async summary(id: string): Promise<BatchSummary> {
    const all = await this.client().json<BatchSummary[]>('GET', '/batches');
    const found = all.find((b) => b.id === id);
    if (!found) throw new Error('the batch is not listed');
    return found;
  }

  /**
   * Connected when first needed and again after PostgreSQL dropped the connection (other work on
   * the machine may restart it): an idle client's error must not end the run unhandled.
   */
  async database(): Promise<Client> {
    if (this.db) return this.db;
    const db = new Client({ connectionString: databaseUrl() });
    db.on('error', () => {
      if (this.db === db) this.db = undefined;
    });
    await db.connect();
    this.db = db;
    return db;
  }

  client(): ServiceClient {
    if (!this.api) throw new Error('not set up');
    return this.api;
  }

  /** Packets per row, from the database: the record the service and the workers share. */
  async packetsPerRow(batchId: string): Promise<number[]> {
    const rows = await (
      await this.database()
    ).query<{ n: string }>(
      `SELECT COUNT(p.id) AS n FROM batch_rows r LEFT JOIN packets p ON p.batch_row_id = r.id
       WHERE r.batch_id = $1 GROUP BY r.id, r.row_number ORDER BY r.row_number`,
      [batchId],
    );
    return rows.rows.map((r) => Number(r.n));
  }

  /**
   * Every row has exactly one packet; a spread sample is downloaded and its court filing (the
   * merged PDF, or the first form when there is none) must show that row's petitioner.
   */
  async verify(
    batchId: string,
    names: string[],
  ): Promise<{ text: string; merged: number; sampled: number }> {
    const perRow = await this.packetsPerRow(batchId);
    const wrong = perRow.filter((n) => n !== 1).length;
    if (perRow.length !== names.length || wrong > 0) {
      throw new Error(
        `batch ${batchId}: ${perRow.length} rows for ${names.length} sent, ${wrong} without exactly one packet`,
      );
    }
    const view = await this.client().json<BatchView>('GET', `/batches/${batchId}`);
    const picks = this.samplePicks(view.rows.length);
    const count = picks.length;
    const dir = join(this.dataDir, 'read-back');
    mkdirSync(dir, { recursive: true });
    let merged = 0;
    for (const index of picks) {
      const row = view.rows[index];
      if (!row.packetId) throw new Error(`row ${row.row} has no packet`);
      const packet = await this.client().json<PacketResponse>(
        'GET',
        `/cases/${row.caseId}/packets/${row.packetId}`,
      );
      let link = packet.links.merged;
      if (link) merged++;
      else {
        const first = packet.documents
          .flatMap((d) => d.files)
          .find((f) => f.mediaType === 'application/pdf');
        link = first ? (packet.links.files[first.name] ?? null) : null;
      }
      if (!link) throw new Error(`row ${row.row}: the packet has no PDF`);
      const path = join(dir, `${row.row}.pdf`);
      writeFileSync(path, await this.client().bytes(link.startsWith('/') ? link : `/${link}`));
      // The header is row 1 of the file, so the first case is row 2.
      const name = names[row.row - 2];
      if (!(await pdfText(path)).includes(collapse(name))) {
        throw new Error(`row ${row.row}: pdftotext of the filing does not show the petitioner`);
      }
    }
    return {
      text:
        `${perRow.length} rows, one packet each (database); ${count} sampled packets' ` +
        `${merged === count ? 'merged court filing' : 'filing PDF'} shows the row's petitioner (pdftotext)`,
      merged,
      sampled: count,
    };
  }

  async waitForBatch(
    id: string,
    workers: Started[],
    onSample?: (s: BatchSummary) => void,
  ): Promise<BatchSummary> {
    let last: BatchSummary | undefined;
    await waitUntil(
      `batch ${id} to finish`,
      async () => {
        last = await this.summary(id);
        onSample?.(last);
        if (last.finishedAt !== null) return true;
        await pause(900);
        return false;
      },
      BATCH_TIMEOUT_MS,
      workers,
    );
    return last as BatchSummary;
  }

  /** Indexes of the rows read back: spread over the batch, first and last included. */
  samplePicks(rows: number): number[] {
    const count = Math.min(this.opts.sample, rows);
    return Array.from({ length: count }, (_, i) =>
      Math.floor((i * (rows - 1)) / Math.max(1, count - 1)),
    );
  }

  /**
   * A California packet is about 18 MB on disk, so 5,000 of them would fill most disks: while a
   * long batch runs, the folders of rows already done are removed, except those of the rows
   * read back at the end. Only done rows, so no folder is removed under a worker writing it.
   */
  async pruneDone(batchId: string, keep: Set<string>, removed: Set<string>): Promise<void> {
    const done = await (
      await this.database()
    ).query<{ case_id: string }>(
      `SELECT case_id FROM batch_rows WHERE batch_id = $1 AND status = 'done'`,
      [batchId],
    );
    for (const { case_id: caseId } of done.rows) {
      if (keep.has(caseId) || removed.has(caseId)) continue;
      rmSync(join(this.dataDir, 'artifacts', caseId), { recursive: true, force: true });
      removed.add(caseId);
    }
  }

  /**
   * Why rows failed, before the database is dropped: each distinct error with its count and
   * first row, the time the first failure was seen, and the end of each worker's output.
   */
  async failures(batchId: string, workers: Started[]): Promise<string> {
    const view = await this.client().json<BatchView>('GET', `/batches/${batchId}`);
    const errors = new Map<string, { count: number; first: number }>();
    for (const row of view.rows) {
      if (row.status !== 'failed') continue;
      const key = row.error ?? '(no error recorded)';
      const seen = errors.get(key) ?? { count: 0, first: row.row };
      seen.count++;
      errors.set(key, seen);
    }
    const lines = [...errors].map(([e, x]) => `  ${x.count} rows, first row ${x.first}: ${e}`);
    const tails = workers.map((w) => `--- ${w.name}:\n${w.tail.join('').slice(-4000)}`);
    return ['failed rows:', ...lines, ...tails].join('\n');
  }

  async stopAll(workers: Started[]): Promise<void> {
    await Promise.all(workers.map((w) => stopProcess(w)));
  }

  async cleanUp(): Promise<void> {
    for (const p of [...this.procs]) if (p !== this.service) await stopProcess(p, 30_000);
    if (this.service) await stopProcess(this.service, 30_000);
    await this.db?.end().catch(() => undefined);
    this.db = undefined;
    if (this.databaseMade) {
      await adminQuery(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
      this.databaseMade = false;
    }
    deleteQueueKeys();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function deleteQueueKeys(): void {
  try {
    const cli = (...args: string[]) =>
      execFileSync('redis-cli', ['-u', REDIS_URL, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const keys = cli('--scan', '--pattern', `${PREFIX}:*`).split('\n').filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) cli('del', ...keys.slice(i, i + 500));
  } catch (e) {
    console.error(`could not delete the queue's keys (${PREFIX}:*): ${String(e)}`);
  }
}

const GIVEN = ['Marisol', 'Dana', 'Priya', 'Lucía', 'Aiyana', 'Keiko', 'Fatima', 'Renée'];
const GIVEN2 = ['Beatriz', 'Noor', 'Tamsin', 'Ximena', 'Oluwaseun', 'Greta', 'Hana', 'Ines'];
const FAMILY = ['Okafor', 'Lindqvist', 'Barrera', 'Nakamura', 'Haddad', 'Kowalczyk', 'Duarte'];
const FAMILY2 = ['Whitfield', 'Ferreira', 'Abernathy', 'Oyelaran', 'Castellano', 'Moreau'];

/** A distinct, realistic name for every case number, so each packet can be told apart. */
function personName(n: number): string {
  const a = GIVEN[n % GIVEN.length];
  const b = GIVEN2[Math.floor(n / GIVEN.length) % GIVEN2.length];
  const c = FAMILY[Math.floor(n / (GIVEN.length * GIVEN2.length)) % FAMILY.length];
  const d =
    FAMILY2[Math.floor(n / (GIVEN.length * GIVEN2.length * FAMILY.length)) % FAMILY2.length];
  return `${a} ${b} ${c}-${d}`;
}

interface Sampler {
  samples: RssSample[];
  stop: () => void;
}

/** Each worker's RSS (and its LibreOffice's) once a second, with how many rows were done. */
function sampleRss(workers: Started[], doneNow: () => number): Sampler {
  const started = Date.now();
  const samples: RssSample[] = [];
  const take = () => {
    for (const [i, w] of workers.entries()) {
      const own = rssKb(w.pid);
      if (own === undefined) continue;
      const below = descendants(w.pid);
      const officeKb = below.reduce((s, pid) => s + (rssKb(pid) ?? 0), 0);
      samples.push({
        worker: i + 1,
        seconds: Math.round((Date.now() - started) / 100) / 10,
        done: doneNow(),
        rssMb: mb(own),
        officeMb: mb(officeKb),
        children: below.map(commandName).join(' '),
      });
    }
  };
  take();
  const timer = setInterval(take, 1000);
  return { samples, stop: () => clearInterval(timer) };
}

async function throughput(bench: Bench, workers: number, seed: number): Promise<ThroughputResult> {
  const n = bench.opts.packets;
  const loadBefore = loadAverage();
  const procs = await bench.startWorkers(workers);
  let done = 0;
  const rss = sampleRss(procs, () => done);
  const cpuBefore = cpuUse(bench, procs);
  const t0 = Date.now();
  const { id, names } = await bench.submit(n, seed);
  const uploadMs = Date.now() - t0;
  const last = await bench.waitForBatch(id, procs, (s) => {
    done = s.counts.done;
  });
  rss.stop();
  const cpuAfter = cpuUse(bench, procs);
  const finishedAt = Date.parse(last.finishedAt ?? '');
  const seconds = (finishedAt - t0) / 1000;
  await bench.stopAll(procs);
  if (last.counts.done !== n) {
    throw new Error(
      `${workers} worker(s): ${JSON.stringify(last.counts)} of ${n} rows\n${await bench.failures(id, procs)}`,
    );
  }
  const verified = await bench.verify(id, names);
  // Read back: its folders are no longer needed and would crowd the disk of the runs after it.
  await bench.pruneDone(id, new Set(), new Set());
  const peak = (pick: (s: RssSample) => number) => Math.max(0, ...rss.samples.map((s) => pick(s)));
  return {
    workers,
    packets: n,
    seconds: Math.round(seconds * 10) / 10,
    packetsPerSecond: Math.round((n / seconds) * 1000) / 1000,
    uploadMs,
    counts: last.counts,
    verification: verified.text,
    mergedInSample: `${verified.merged}/${verified.sampled}`,
    workerPeakRssMb: peak((s) => s.rssMb),
    officePeakRssMb: peak((s) => s.officeMb),
    cpu: cpuShare(cpuBefore, cpuAfter, n),
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAverage(),
  };
}

interface CpuUse {
  machine: { busy: number; total: number };
  workers: number;
  office: number;
  service: number;
}

/** CPU seconds so far: the machine's, the workers' own, their LibreOffice's, the service's. */
function cpuUse(bench: Bench, workers: Started[]): CpuUse {
  const sum = (pids: number[]) => pids.reduce((t, pid) => t + cpuSeconds(pid), 0);
  return {
    machine: machineCpu(),
    workers: sum(workers.map((w) => w.pid)),
    office: sum(workers.flatMap((w) => descendants(w.pid))),
    service: bench.service ? cpuSeconds(bench.service.pid) : 0,
  };
}

/**
 * Where the machine's CPU went during a timed batch. A LibreOffice that exits during the run is
 * counted with its worker (its parent reaped it); "other" is PostgreSQL, Redis, the harness and
 * anything else running.
 */
function cpuShare(before: CpuUse, after: CpuUse, packets: number): CpuShare {
  const seconds = (k: 'workers' | 'office' | 'service') =>
    Math.round((after[k] - before[k]) * 10) / 10;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  const workers = seconds('workers');
  const office = seconds('office');
  const service = seconds('service');
  return {
    machineBusyPercent: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0,
    busySeconds: Math.round(busy * 10) / 10,
    workersSeconds: workers,
    officeSeconds: office,
    serviceSeconds: service,
    otherSeconds: Math.round((busy - workers - office - service) * 10) / 10,
    busyMsPerPacket: packets > 0 ? Math.round((busy * 1000) / packets) : 0,
  };
}

async function memory(bench: Bench, seed: number): Promise<MemoryResult> {
  const m = bench.opts.memoryPackets;
  const warmupPackets = Math.min(100, Math.max(1, Math.floor(m / 10)));
  const loadBefore = loadAverage();
  const [worker] = await bench.startWorkers(1);
  let done = 0;
  const rss = sampleRss([worker], () => done);
  const t0 = Date.now();
  const { id, names } = await bench.submit(m, seed);
  const rows = (await bench.client().json<BatchView>('GET', `/batches/${id}`)).rows;
  const keep = new Set(bench.samplePicks(rows.length).map((i) => rows[i].caseId));
  const removed = new Set<string>();
  let lastPrune = Date.now();
  const last = await bench.waitForBatch(id, [worker], (s) => {
    done = s.counts.done;
    if (Date.now() - lastPrune > 10_000) {
      lastPrune = Date.now();
      void bench.pruneDone(id, keep, removed).catch((e: unknown) => log(`prune: ${String(e)}`));
    }
  });
  rss.stop();
  const seconds = (Date.parse(last.finishedAt ?? '') - t0) / 1000;
  const failures = last.counts.done !== m ? await bench.failures(id, [worker]) : '';
  await bench.stopAll([worker]);
  if (last.counts.done !== m) {
    throw new Error(`memory run: ${JSON.stringify(last.counts)}\n${failures}`);
  }
  const verified = await bench.verify(id, names);
  const afterWarmup = rss.samples.find((s) => s.done >= warmupPackets);
  const end = rss.samples[rss.samples.length - 1];
  if (!afterWarmup || !end) throw new Error('memory run: no samples after warm-up');
  const later = rss.samples.filter((s) => s.seconds >= afterWarmup.seconds);
  return {
    packets: m,
    warmupPackets,
    seconds: Math.round(seconds * 10) / 10,
    rssAfterWarmupMb: afterWarmup.rssMb,
    rssEndMb: end.rssMb,
    rssMaxMb: Math.max(...rss.samples.map((s) => s.rssMb)),
    rssMaxAfterWarmupMb: Math.max(...later.map((s) => s.rssMb)),
    growthPercent: Math.round(((end.rssMb - afterWarmup.rssMb) / afterWarmup.rssMb) * 1000) / 10,
    officeMaxMb: Math.max(...rss.samples.map((s) => s.officeMb)),
    verification: verified.text,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAverage(),
    samples: rss.samples,
  };
}

function latencyRun(r: LoadResult, extra: Partial<LatencyRun>): LatencyRun {
  return {
    clients: r.clients,
    thinkMs: r.thinkMs,
    seconds: r.seconds,
    answers: latencies(r.answers),
    starts: latencies(r.starts),
    statuses: r.statuses,
    completedInterviews: r.completed,
    failures: r.failures,
    refusals: r.refusals,
    ...extra,
  };
}

async function baseline(bench: Bench): Promise<LatencyRun> {
  const loadBefore = loadAverage();
  const r = await interviewLoad(
    bench.client().base,
    bench.opts.interviewPack,
    bench.opts.clients,
    5000,
    bench.opts.latencySeconds * 1000,
    bench.opts.thinkMs,
  );
  return latencyRun(r, { loadAverageBefore: loadBefore, loadAverageAfter: loadAverage() });
}

async function duringBatch(bench: Bench, rowsPerSecond: number | undefined): Promise<LatencyRun> {
  const windowS = bench.opts.latencySeconds;
  // Enough rows to keep both workers busy past the window even if the load does not slow them.
  const rows = rowsPerSecond
    ? Math.min(100_000, Math.ceil(rowsPerSecond * (windowS + 60) * 1.5) + 20)
    : bench.opts.packets || 200;
  const loadBefore = loadAverage();
  const procs = await bench.startWorkers(2);
  const { id } = await bench.submit(rows, 7_000_000);
  await waitUntil(
    'the first rows of the batch to be done',
    async () => (await bench.summary(id)).counts.done >= 2,
    BATCH_TIMEOUT_MS,
    procs,
  );
  const doneBefore = (await bench.summary(id)).counts.done;
  const r = await interviewLoad(
    bench.client().base,
    bench.opts.interviewPack,
    bench.opts.clients,
    5000,
    windowS * 1000,
    bench.opts.thinkMs,
  );
  const after = await bench.summary(id);
  await bench.client().json('POST', `/batches/${id}/cancel`, undefined, [200, 409]);
  await bench.stopAll(procs);
  return latencyRun(r, {
    batchRows: rows,
    packetsDuringRun: after.counts.done - doneBefore,
    batchRanThroughout: after.finishedAt === null,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAverage(),
  });
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const bench = new Bench(opts);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error('interrupted: stopping the processes and dropping the database');
    void bench.cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  const report: BatchBenchReport = {
    startedAt,
    command: `npm run bench:batch -- ${process.argv.slice(2).join(' ')}`.trim(),
    options: opts,
    workerNodeArgs: WORKER_NODE_ARGS.join(' '),
    office: opts.office
      ? 'LibreOffice, warm office (OFFICE_MODE=warm): packets include the merged PDFs'
      : 'no LibreOffice (SOFFICE_PATH=/nonexistent/soffice): packets without the merged PDFs',
    machine: machineInfo(loadBefore, []),
    throughput: [],
  };
  try {
    log(`setting up: database ${DB_NAME}, queue prefix ${PREFIX}, ${report.office}`);
    await bench.setUp();
    if (opts.clients > 0) {
      log(`interview latency, no batch: ${opts.clients} clients, ${opts.latencySeconds} s`);
      report.latencyBaseline = await baseline(bench);
    }
    let seed = 0;
    for (const w of opts.packets > 0 ? opts.workers : []) {
      log(`throughput: ${opts.packets} packets, ${w} worker(s)`);
      const r = await throughput(bench, w, seed);
      seed += opts.packets;
      log(`  ${r.packetsPerSecond} packets/s (${r.seconds} s)`);
      report.throughput.push(r);
    }
    if (opts.packets > 0 && opts.workers.includes(2)) {
      log('machine: one CPU-bound process, then two at once');
      report.machineScaling = await machineScaling();
    }
    const one = report.throughput.find((t) => t.workers === 1);
    const two = report.throughput.find((t) => t.workers === 2);
    if (one && two) {
      report.twoVsOne = Math.round((two.packetsPerSecond / one.packetsPerSecond) * 100) / 100;
    }
    if (opts.clients > 0) {
      log(`interview latency during a batch on 2 workers: ${opts.clients} clients`);
      report.latencyDuringBatch = await duringBatch(bench, two?.packetsPerSecond);
    }
    if (opts.memoryPackets > 0) {
      log(`memory: ${opts.memoryPackets} packets, 1 worker`);
      report.memory = await memory(bench, 9_000_000);
    }
  } finally {
    if (!interrupted) await bench.cleanUp();
  }
  report.machine.loadAverageAfter = loadAverage();
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(renderBatchMarkdown(report));
  return 0;
}

function log(line: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
