import request from 'supertest';
import type { App } from 'supertest/types';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { infrastructureFault } from '../../src/common/errors/infrastructure-faults';
import { PacketResponse } from '../../src/packets/packet.dto';
import { ORPHAN_GRACE_MS, OrphanSweeper } from '../../src/retention/orphan-sweeper';
import { ARTIFACT_WRITER, ArtifactWriter, durableWrite } from '../../src/storage/artifact-store';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';
import { checkConsistency, consistent } from './support/consistency';
import { CapturedLog } from './support/fault-app';
import {
  ensurePostgresRunning,
  postgresAccepting,
  postgresControlMissing,
  stopPostgres,
} from './support/postgres-server';

type Op = 'create' | 'generate' | 'read' | 'download' | 'health';
/** Where the server was when a request began and when its answer came. */
type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'up';

interface Answer {
  op: Op;
  status: number;
  began: Phase;
  ended: Phase;
  body: unknown;
  retryAfter: string | undefined;
}

const OPS: Op[] = ['create', 'generate', 'read', 'download', 'health'];
const SUCCESS: Record<Op, number> = {
  create: 201,
  generate: 201,
  read: 200,
  download: 200,
  health: 200,
};
const WORKERS = 4;
/** Answers of one kind after the restart that may still fail before one must succeed. */
const RETRY_BOUND = 10;
/** Anything in a 503 body that would be the driver or the code talking instead of the service. */
const INTERNALS =
  /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|SELECT|INSERT|UPDATE|DELETE|ECONN|57P0|terminat|postgres|typeorm|QueryFailed/i;

/** The body as JSON: downloads are read as bytes, and a refused one carries the error JSON. */
function jsonOf(res: request.Response): unknown {
  const body = res.body as unknown;
  if (!Buffer.isBuffer(body)) return body;
  if (!String(res.headers['content-type']).includes('json')) return { bytes: body.length };
  return JSON.parse(body.toString('utf8')) as unknown;
}

const skipReason =
  TEST_DB_KIND !== 'postgres'
    ? 'runs only with TEST_DATABASE=postgres (npm run test:faults)'
    : postgresControlMissing();
const describeOnPostgres = skipReason ? describe.skip : describe;

describeOnPostgres(
  `PostgreSQL stopped and started while requests run${skipReason ? ` [skipped: ${skipReason}]` : ''}`,
  () => {
    let t: TestApp;
    let api: StaffApi;
    let http: App;
    let phase: Phase = 'before';
    const answers: Answer[] = [];
    /** The service's own log: a 500 there names the error class that was not mapped. */
    const log = new CapturedLog();

    /**
     * Holds one packet at its first file until the database is down, then lets it finish: its
     * files are all written and renamed into place, and its row meets the stopped server. That is
     * the failure between files and row, made to happen every run rather than by luck.
     */
    let hold: { reached: () => void; release: Promise<void> } | undefined;
    const writer: ArtifactWriter = async (path, bytes) => {
      const held = hold;
      hold = undefined;
      if (held) {
        held.reached();
        await held.release;
      }
      return durableWrite(path, bytes);
    };

    async function answered(op: Op, test: request.Test): Promise<Answer> {
      const began = phase;
      const res = await test.timeout(60_000);
      const answer: Answer = {
        op,
        status: res.status,
        began,
        ended: phase,
        body: jsonOf(res),
        retryAfter: res.headers['retry-after'] as string | undefined,
      };
      answers.push(answer);
      return answer;
    }

    const count = (predicate: (a: Answer) => boolean, op: Op) =>
      answers.filter((a) => a.op === op && predicate(a)).length;

    async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    /**
     * One client of the service: creates a case, generates a packet of its latest case, reads the
     * case and downloads its latest packet, over and over. It keeps what it last made, so every
     * kind of request is tried while the database is away, not only the first.
     */
    async function client(running: () => boolean): Promise<void> {
      let caseId: string | undefined;
      let packet: { caseId: string; link: string } | undefined;
      const pause = (a: Answer) =>
        a.status === 503 ? new Promise((resolve) => setTimeout(resolve, 25)) : undefined;
      while (running()) {
        const created = await answered(
          'create',
          api.post('/cases').send({ packId: 'generic-us', facts: fixture('minimal') }),
        );
        if (created.status === 201) caseId = (created.body as { id: string }).id;
        await pause(created);
        if (!caseId || !running()) continue;
        const generated = await answered('generate', api.post(`/cases/${caseId}/packets`));
        if (generated.status === 201) {
          const p = generated.body as PacketResponse;
          packet = { caseId, link: p.links.merged ?? Object.values(p.links.files)[0] };
        }
        await pause(generated);
        await pause(await answered('read', api.get(`/cases/${caseId}`)));
        if (packet) {
          await pause(
            await answered('download', api.get(packet.link).buffer(true).parse(binaryParser)),
          );
        }
      }
    }

    async function healthWatcher(running: () => boolean): Promise<void> {
      while (running()) {
        await answered('health', request(http).get('/health'));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    beforeAll(async () => {
      await ensurePostgresRunning();
      t = await createTestApp(
        { PURGE_INTERVAL_MINUTES: '0' },
        { overrides: [{ provide: ARTIFACT_WRITER, useValue: writer }], logger: log },
      );
      api = await staffApi(t.app);
      http = t.app.getHttpServer() as App;
    }, 120_000);

    afterAll(async () => {
      // The server is shared with every other suite on this machine: back up before anything.
      try {
        await ensurePostgresRunning();
      } finally {
        await t?.close();
      }
      expect(await postgresAccepting()).toBe(true);
    }, 180_000);

    it('answers 503 while it is away, recovers by itself, and loses or corrupts nothing', async () => {
      let running = true;
      const crashed: unknown[] = [];
      const loops = [
        ...Array.from({ length: WORKERS }, () => client(() => running)),
        healthWatcher(() => running),
      ].map((loop) => loop.catch((e: unknown) => void crashed.push(e)));
      let reached = false;
      let release: () => void = () => undefined;
      hold = {
        reached: () => void (reached = true),
        release: new Promise((resolve) => (release = resolve)),
      };
      try {
        await until(
          'a first success of every kind',
          () => OPS.every((op) => count((a) => a.status === SUCCESS[op], op) > 0),
          120_000,
        );
        await until('a packet held at its files', () => reached, 120_000);

        phase = 'stopping';
        await stopPostgres();
        expect(await postgresAccepting()).toBe(false);
        phase = 'down';
        release();
        await until(
          'answers of every kind during the outage',
          () => OPS.every((op) => count((a) => a.began === 'down' && a.ended === 'down', op) >= 3),
          60_000,
        );

        phase = 'starting';
        await ensurePostgresRunning();
        phase = 'up';
        await until(
          'a success of every kind after the restart',
          () =>
            OPS.every((op) => count((a) => a.began === 'up' && a.status === SUCCESS[op], op) > 0),
          120_000,
        );
      } finally {
        hold = undefined;
        release();
        running = false;
        await Promise.all(loops);
        await ensurePostgresRunning();
      }
      // A request that got no HTTP answer at all (reset, timed out) is a failure too.
      expect(crashed.map(String)).toEqual([]);

      // Never anything but the answer itself or 503.
      const unexpected = answers.filter((a) => a.status !== SUCCESS[a.op] && a.status !== 503);
      expect({
        unexpected: unexpected.map((a) => ({ ...a, body: JSON.stringify(a.body).slice(0, 300) })),
        errorsLogged: log.messages('error'),
      }).toEqual({ unexpected: [], errorsLogged: [] });

      // While it was away, every answer was a 503.
      const outage = answers.filter((a) => a.began === 'down' && a.ended === 'down');
      expect(outage.filter((a) => a.status !== 503).map((a) => a.op)).toEqual([]);
      expect(new Set(outage.map((a) => a.op))).toEqual(new Set(OPS));

      // Each 503 says when to try again, in the standard shape, and nothing of the internals.
      const refusals = answers.filter((a) => a.status === 503);
      const malformed = refusals.filter((a) => {
        if (a.retryAfter !== '5') return true;
        if (a.op === 'health') {
          const report = a.body as { status: string; database: { ok: boolean } };
          return report.status !== 'degraded' || report.database.ok !== false;
        }
        const body = a.body as { code?: unknown; message?: unknown; details?: unknown };
        if (INTERNALS.test(JSON.stringify(body))) return true;
        return !(
          body.code === 'database_unavailable' &&
          typeof body.message === 'string' &&
          /try again shortly/i.test(body.message) &&
          JSON.stringify(body.details) ===
            JSON.stringify([{ message: 'try again in 5 seconds', retryAfterSeconds: 5 }]) &&
          Object.keys(body).sort().join() === 'code,details,message'
        );
      });
      expect(malformed.map((a) => ({ op: a.op, retryAfter: a.retryAfter, body: a.body }))).toEqual(
        [],
      );

      // Back by itself: each kind succeeded again within a bounded number of tries.
      const failuresBeforeSuccess = Object.fromEntries(
        OPS.map((op) => [
          op,
          answers
            .filter((a) => a.op === op && a.began === 'up')
            .findIndex((a) => a.status === SUCCESS[op]),
        ]),
      );
      const slow = OPS.filter(
        (op) => failuresBeforeSuccess[op] < 0 || failuresBeforeSuccess[op] > RETRY_BOUND,
      );
      expect({ slow, failuresBeforeSuccess }).toEqual({ slow: [], failuresBeforeSuccess });
      await request(http).get('/health').expect(200);

      // The held packet's files are there without a row, and nobody can reach them.
      const before = await checkConsistency(t.app);
      expect(before.orphanPacketFolders.length).toBeGreaterThanOrEqual(1);
      expect({ ...before, orphanPacketFolders: [] }).toEqual(consistent(before));
      for (const folder of before.orphanPacketFolders) {
        const [caseId, packetId] = folder.split('/');
        await api.get(`/cases/${caseId}/packets/${packetId}`).expect(404);
        await api.get(`/cases/${caseId}/packets/${packetId}/packet.zip`).expect(404);
      }

      // Nothing half-made once the cleanup has run (its clock past the grace: nothing is being
      // written now): the database and the disk agree completely.
      const swept = await t.app
        .get(OrphanSweeper)
        .sweep(new Date(Date.now() + ORPHAN_GRACE_MS + 60_000));
      expect(swept.packets).toBe(before.orphanPacketFolders.length);
      const report = await checkConsistency(t.app);
      expect(report).toEqual(consistent(report));
      expect(report.cases).toBeGreaterThan(WORKERS);
      expect(report.packets).toBeGreaterThan(WORKERS);
    }, 400_000);

    it('maps a connection dropped between two statements of a transaction, then works on', async () => {
      // What a fast shutdown does to one session, done to this one only: the server ends the
      // backend (57P01) while the transaction waits between statements. TypeORM then releases
      // the connection and the next statement fails with its own error, not the driver's.
      const ds = t.app.get(DataSource);
      const dropped = await ds.manager
        .transaction(async (tx) => {
          const [{ pid }] = (await tx.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
          const admin = new Client({ connectionString: t.env.config.DATABASE_URL });
          await admin.connect();
          try {
            await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          } finally {
            await admin.end();
          }
          await tx.query('SELECT 1');
        })
        .then(
          () => new Error('the transaction went on after its backend was terminated'),
          (e: unknown) => e,
        );
      expect(infrastructureFault(dropped)?.code).toBe('database_unavailable');
      // Usually TypeORM's released-runner error; the driver's own 57P01 if the statement was
      // sent before the server's message arrived (57P01, or a closed socket). One fault to a client.
      expect((dropped as Error).name).toMatch(
        /^(QueryRunnerProviderAlreadyReleasedError|QueryFailedError|Error)$/,
      );
      await api
        .post('/cases')
        .send({ packId: 'generic-us', facts: fixture('minimal') })
        .expect(201);
    });
  },
);
