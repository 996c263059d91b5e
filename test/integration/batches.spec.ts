import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import PizZip from 'pizzip';
import { DataSource, Repository } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import type {
  BatchSummary,
  BatchView,
  CreatedBatch,
  ValidationReport,
} from '../../src/batches/batch.dto';
import { BatchRowEntity } from '../../src/batches/batch.entity';
import { cellsOf, csvText, edit } from '../../src/batches/input/batch-test-helpers';
import { BatchProcessor } from '../../src/batches/queue/batch-processor';
import type { CaseFacts } from '../../src/case-facts/case-facts.dto';
import { runCli } from '../../src/cli/main';
import { AppError } from '../../src/common/errors/app-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { BuiltPacket, PacketBuilder } from '../../src/packets/packet-builder';
import type { LoadedPack } from '../../src/packs/pack-loader';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';

/**
 * The real builder (without LibreOffice, so packets are quick), which a test can make fail or
 * hold at the start of a build.
 */
class ControlledBuilder {
  private readonly real = new PacketBuilder(new DocxToPdfConverter('/nonexistent/soffice'));
  failing = false;
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
    if (this.failing)
      throw new AppError(ErrorCode.RenderFailed, 'The petition could not be rendered');
    return this.real.build(pack, facts);
  }
}

const SECRET_NAME = 'Quillon Verbatimsky';

/** Rows 2 and 4 are cases; row 3 names a state by its full name, which the model refuses. */
function threeRows(): string {
  return csvText([
    edit(cellsOf('typical'), { 'petitioner.name.full': SECRET_NAME }),
    edit(cellsOf('minimal'), { 'court.state': 'California' }),
    cellsOf('minimal'),
  ]);
}

function oneRow(): string {
  return csvText([cellsOf('minimal')]);
}

const csv = (text: string) => Buffer.from(text, 'utf8');

describe(`batches (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let staff: StaffApi;
  let builder: ControlledBuilder;
  let db: DataSource;

  beforeAll(async () => {
    builder = new ControlledBuilder();
    t = await createTestApp(
      {
        SOFFICE_PATH: '/nonexistent/soffice',
        BATCH_JOB_ATTEMPTS: '2',
        BATCH_RETRY_DELAY_MS: '0',
        BATCH_MAX_BYTES: '65536',
        // The tests below deliver rows themselves; a sweep would deliver them a second time.
        BATCH_SWEEP_SECONDS: '3600',
      },
      { overrides: [{ provide: PacketBuilder, useValue: builder }] },
    );
    db = t.app.get(DataSource);
    staff = await staffApi(t.app, { role: 'paralegal' });
  });

  afterAll(() => t.close());

  afterEach(() => {
    builder.failing = false;
    builder.release();
  });

  function upload(mode: string, text: string, as: StaffApi = staff) {
    return as
      .post(`/batches?packId=generic-us&mode=${mode}`)
      .set('Content-Type', 'text/csv')
      .send(csv(text));
  }

  async function run(text: string, mode = 'run'): Promise<CreatedBatch> {
    const res = await upload(mode, text).expect(201);
    return res.body as CreatedBatch;
  }

  async function view(id: string): Promise<BatchView> {
    return (await staff.get(`/batches/${id}`).expect(200)).body as BatchView;
  }

  /** Waits for a state of the batch the test needs; a bound, not a timing, of the test. */
  async function until(id: string, ok: (b: BatchView) => boolean): Promise<BatchView> {
    for (let i = 0; i < 600; i++) {
      const b = await view(id);
      if (ok(b)) return b;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`batch ${id} never reached the state the test waits for`);
  }

  const finished = (id: string) => until(id, (b) => b.finishedAt !== null);

  async function packetsPerRow(batchId: string): Promise<number[]> {
    const rows: { n: string | number }[] = await db.query(
      `SELECT COUNT(p.id) AS n FROM batch_rows r LEFT JOIN packets p ON p.batch_row_id = r.id
       WHERE r.batch_id = $1 GROUP BY r.id, r.row_number ORDER BY r.row_number`.replace(
        '$1',
        TEST_DB_KIND === 'postgres' ? '$1' : '?',
      ),
      [batchId],
    );
    return rows.map((r) => Number(r.n));
  }

  it('validate lists every problem by row and column, and makes nothing', async () => {
    const res = await upload('validate', threeRows()).expect(200);
    const report = res.body as ValidationReport;
    expect(report.validRows).toBe(2);
    expect(report.problems).toEqual([
      { row: 3, column: 'court.state', message: expect.stringContaining('two-letter code') },
    ]);
    expect((await staff.get('/batches').expect(200)).body).toEqual([]);
    expect((await staff.get('/cases').expect(200)).body).toEqual([]);
  });

  it('run refuses a file with any problem and lists them; nothing is made', async () => {
    const res = await upload('run', threeRows()).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toEqual([
      expect.objectContaining({ row: 3, column: 'court.state', field: 'court.state' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('California');
    expect((await staff.get('/batches').expect(200)).body).toEqual([]);
  });

  it('answers 413 in the usual error shape for a file over BATCH_MAX_BYTES', async () => {
    const res = await upload('validate', 'x'.repeat(70_000)).expect(413);
    expect(res.body).toEqual({
      code: 'payload_too_large',
      message: expect.stringContaining('65536'),
      details: [expect.objectContaining({ field: 'body' })],
    });
  });

  it('refuses a body that is not CSV or JSON Lines', async () => {
    const res = await staff
      .post('/batches?packId=generic-us&mode=validate')
      .set('Content-Type', 'application/json')
      .send('{}')
      .expect(400);
    expect(res.body.details[0].field).toBe('Content-Type');
  });

  it('reads JSON Lines: one case per line, problems by line', async () => {
    const good = JSON.stringify(fixture('minimal'));
    const res = await staff
      .post('/batches?packId=generic-us&mode=validate')
      .set('Content-Type', 'application/x-ndjson')
      .send(Buffer.from(`${good}\nnot json\n`, 'utf8'))
      .expect(200);
    expect(res.body).toEqual({
      mode: 'validate',
      packId: 'generic-us',
      validRows: 1,
      problems: [{ row: 2, column: null, message: 'the line is not valid JSON' }],
    });
  });

  it('gives the template of a pack', async () => {
    const res = await staff.get('/batches/template.csv?packId=generic-us').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.startsWith('\uFEFFpetitioner.name.full,')).toBe(true);
  });

  describe('run-valid on a file with one bad row', () => {
    let created: CreatedBatch;
    let done: BatchView;

    beforeAll(async () => {
      created = await run(threeRows(), 'run-valid');
      done = await finished(created.batch.id);
    });

    it('makes a case and exactly one packet per valid row and reports the skipped row', async () => {
      expect(created.skipped).toEqual([expect.objectContaining({ row: 3, column: 'court.state' })]);
      expect(created.batch.totalRows).toBe(2);
      expect(done.status).toBe('done');
      expect(done.counts).toEqual({ queued: 0, running: 0, done: 2, failed: 0, cancelled: 0 });
      expect(done.rows.map((r) => [r.row, r.status])).toEqual([
        [2, 'done'],
        [4, 'done'],
      ]);
      expect(await packetsPerRow(done.id)).toEqual([1, 1]);
      for (const row of done.rows) {
        const packets = await staff.get(`/cases/${row.caseId}/packets`).expect(200);
        expect((packets.body as { id: string }[]).map((p) => p.id)).toEqual([row.packetId]);
      }
    });

    it('lists the batch with its counts, for its organisation only', async () => {
      const list = (await staff.get('/batches').expect(200)).body as BatchSummary[];
      expect(list.map((b) => b.id)).toContain(done.id);
      const other = await staffApi(t.app, { role: 'paralegal' });
      expect((await other.get('/batches').expect(200)).body).toEqual([]);
    });

    it('streams the archive: a row-NNNN-<reference> folder per packet and summary.csv', async () => {
      const res = await staff
        .get(`/batches/${done.id}/archive.zip`)
        .buffer(true)
        .parse(binaryParser)
        .expect(200);
      expect(res.headers['content-type']).toBe('application/zip');
      const zip = new PizZip(res.body as Buffer);
      const names = Object.keys(zip.files);
      const folders = [
        ...new Set(names.filter((n) => n.includes('/')).map((n) => n.split('/')[0])),
      ];
      const refs = done.rows.map((r) => r.reference);
      expect(folders).toEqual([`row-0002-${refs[0]}`, `row-0004-${refs[1]}`]);
      expect(names).toEqual(
        expect.arrayContaining([
          `row-0002-${refs[0]}/01-petition.docx`,
          `row-0004-${refs[1]}/manifest.json`,
          'summary.csv',
        ]),
      );
      expect(names.join('\n')).not.toMatch(/Quillon|Verbatimsky/);
      expect(zip.file('summary.csv')?.asText()).toBe(
        `row,reference,status,error\r\n2,${refs[0]},done,\r\n4,${refs[1]},done,\r\n`,
      );
    });

    it('records the upload and the download in the audit trail, by id only', async () => {
      const events = await db.getRepository(AuditEventEntity).find({
        where: { organisationId: staff.organisationId },
      });
      const actions = events.map((e) => [e.action, e.subject, e.outcome]);
      expect(actions).toEqual(
        expect.arrayContaining([
          ['batch.create', done.id, 'ok'],
          ['batch.download', done.id, 'ok'],
        ]),
      );
      expect(JSON.stringify(events)).not.toContain('Quillon');
    });

    it('sends the counts as server-sent events, ending with a final event', async () => {
      const res = await staff.get(`/batches/${done.id}/events`).buffer(true).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      const events = res.text.split('\n\n').filter((e) => e.startsWith('event:'));
      const last = events[events.length - 1] ?? '';
      expect(last.split('\n')[0]).toBe('event: done');
      expect(JSON.parse(last.split('\n')[1]?.replace(/^data: /, '') ?? '')).toEqual({
        status: 'done',
        finished: true,
        totalRows: 2,
        counts: { queued: 0, running: 0, done: 2, failed: 0, cancelled: 0 },
      });
    });

    it("answers another organisation's batch exactly like a missing one", async () => {
      const other = await staffApi(t.app, { role: 'admin' });
      const missing = randomUUID();
      const routes: [
        string,
        (api: StaffApi, id: string) => Promise<{ status: number; text: string }>,
      ][] = [
        ['GET :id', (api, id) => api.get(`/batches/${id}`)],
        ['GET :id/events', (api, id) => api.get(`/batches/${id}/events`)],
        ['GET :id/archive.zip', (api, id) => api.get(`/batches/${id}/archive.zip`)],
        ['POST :id/cancel', (api, id) => api.post(`/batches/${id}/cancel`)],
        ['POST :id/retry', (api, id) => api.post(`/batches/${id}/retry`)],
        ['POST :id/rows/2/retry', (api, id) => api.post(`/batches/${id}/rows/2/retry`)],
      ];
      for (const [name, send] of routes) {
        const theirs = await send(other, done.id);
        const none = await send(other, missing);
        expect([name, theirs.status, theirs.text]).toEqual([name, 404, none.text]);
      }
      expect((await view(done.id)).counts.done).toBe(2);
    });
  });

  it('retries a failed row into exactly one packet', async () => {
    builder.failing = true;
    const { batch } = await run(oneRow());
    const failed = await finished(batch.id);
    expect(failed.rows).toEqual([
      expect.objectContaining({
        row: 2,
        status: 'failed',
        attempts: 2,
        packetId: null,
        error: 'The petition could not be rendered',
      }),
    ]);
    await staff.post(`/batches/${batch.id}/rows/3/retry`).expect(404);

    builder.failing = false;
    await staff.post(`/batches/${batch.id}/rows/2/retry`).expect(200);
    const retried = await finished(batch.id);
    expect(retried.status).toBe('done');
    expect(retried.rows[0]).toEqual(
      expect.objectContaining({ status: 'done', error: null, packetId: expect.any(String) }),
    );
    expect(await packetsPerRow(batch.id)).toEqual([1]);
    // Only a failed row is tried again.
    await staff.post(`/batches/${batch.id}/rows/2/retry`).expect(400);
    await staff.post(`/batches/${batch.id}/retry`).expect(200);
    expect(await packetsPerRow(batch.id)).toEqual([1]);
  });

  it('retries every failed row of a batch', async () => {
    builder.failing = true;
    const { batch } = await run(csvText([cellsOf('minimal'), cellsOf('typical')]));
    expect((await finished(batch.id)).counts.failed).toBe(2);
    builder.failing = false;
    const summary = (await staff.post(`/batches/${batch.id}/retry`).expect(200))
      .body as BatchSummary;
    expect(summary.finishedAt).toBeNull();
    expect((await finished(batch.id)).counts).toEqual({
      queued: 0,
      running: 0,
      done: 2,
      failed: 0,
      cancelled: 0,
    });
    expect(await packetsPerRow(batch.id)).toEqual([1, 1]);
  });

  it('cancel stops the rows that have not started; the running one finishes', async () => {
    builder.hold();
    const rows = [cellsOf('minimal'), cellsOf('typical'), cellsOf('minimal')];
    const { batch } = await run(csvText(rows));
    await until(batch.id, (b) => b.counts.running === 1);
    const cancelled = (await staff.post(`/batches/${batch.id}/cancel`).expect(200))
      .body as BatchSummary;
    expect(cancelled.counts).toEqual({ queued: 0, running: 1, done: 0, failed: 0, cancelled: 2 });
    builder.release();
    const end = await finished(batch.id);
    expect(end.status).toBe('cancelled');
    expect(end.rows.map((r) => r.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(await packetsPerRow(batch.id)).toEqual([1, 0, 0]);
  });

  describe('the processor, when a row is delivered again', () => {
    let processor: BatchProcessor;
    let rows: Repository<BatchRowEntity>;

    beforeAll(() => {
      processor = t.app.get(BatchProcessor);
      rows = db.getRepository(BatchRowEntity);
    });

    /** A one-row batch whose row failed: the queue is done with it and the test drives it. */
    async function failedRow(): Promise<BatchRowEntity> {
      builder.failing = true;
      const { batch } = await run(oneRow());
      await finished(batch.id);
      builder.failing = false;
      const [row] = await rows.find({ where: { batchId: batch.id } });
      if (!row) throw new Error('no row');
      return row;
    }

    it('removes the files a killed try left behind and makes the one packet', async () => {
      const row = await failedRow();
      const dead = randomUUID();
      const leftover = join(t.env.config.artifactsDir, row.caseId, dead);
      mkdirSync(leftover, { recursive: true });
      writeFileSync(join(leftover, '01-petition.docx'), 'half written');
      await rows.update({ id: row.id }, { status: 'running', claim: dead, attempts: 1 });

      await processor.process(row.id);

      expect(existsSync(leftover)).toBe(false);
      const after = await rows.findOneByOrFail({ id: row.id });
      expect([after.status, after.attempts, after.claim]).toEqual(['done', 2, null]);
      expect(readdirSync(join(t.env.config.artifactsDir, row.caseId))).toEqual([after.packetId]);
      expect(await packetsPerRow(row.batchId)).toEqual([1]);
    });

    it('two deliveries at once: the later takes the row over, the earlier discards its packet', async () => {
      const row = await failedRow();
      await rows.update({ id: row.id }, { status: 'queued', attempts: 0, error: null });
      builder.hold();
      const before = builder.builds;
      const first = processor.process(row.id);
      while (builder.builds === before) await new Promise((r) => setTimeout(r, 10));
      const second = processor.process(row.id);
      while (builder.builds === before + 1) await new Promise((r) => setTimeout(r, 10));
      builder.release();
      await Promise.all([first, second]);

      const after = await rows.findOneByOrFail({ id: row.id });
      expect(after.status).toBe('done');
      expect(await packetsPerRow(row.batchId)).toEqual([1]);
      expect(readdirSync(join(t.env.config.artifactsDir, row.caseId))).toEqual([after.packetId]);
      expect((await view(row.batchId)).finishedAt).not.toBeNull();
    });

    it('a try that finds its packet already made only marks the row done', async () => {
      const row = await failedRow();
      await processor.process(row.id); // failed rows are left alone
      expect((await rows.findOneByOrFail({ id: row.id })).status).toBe('failed');
      await rows.update({ id: row.id }, { status: 'queued', attempts: 0 });
      await processor.process(row.id);
      const done = await rows.findOneByOrFail({ id: row.id });
      // As if its job came back after the packet was recorded but before it was acknowledged.
      await rows.update({ id: row.id }, { status: 'running', packetId: null });
      const builds = builder.builds;
      await processor.process(row.id);
      const again = await rows.findOneByOrFail({ id: row.id });
      expect([again.status, again.packetId]).toEqual(['done', done.packetId]);
      expect(builder.builds).toBe(builds);
      expect(await packetsPerRow(row.batchId)).toEqual([1]);
    });
  });

  describe('command line', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'po-batch-cli-'));
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });

    afterEach(() => {
      jest.restoreAllMocks();
      rmSync(dir, { recursive: true, force: true });
    });

    const env = () => ({ DATA_DIR: join(dir, 'data'), SOFFICE_PATH: '/nonexistent/soffice' });

    it('writes a ZIP of the valid rows with --valid-only, the skipped row in its summary', async () => {
      const file = join(dir, 'cases.csv');
      writeFileSync(file, threeRows());
      const out = join(dir, 'packets.zip');
      const code = await runCli(
        ['batch', '--pack', 'generic-us', '--file', file, '--out', out, '--valid-only'],
        env(),
      );
      expect(code).toBe(0);
      const zip = new PizZip(readFileSync(out));
      const names = Object.keys(zip.files);
      expect(names.filter((n) => n.endsWith('/01-petition.docx'))).toEqual([
        expect.stringMatching(/^row-0002-M-[0-9A-F]{8}\//),
        expect.stringMatching(/^row-0004-M-[0-9A-F]{8}\//),
      ]);
      const summary = zip.file('summary.csv')?.asText() ?? '';
      expect(summary).toMatch(/\r\n3,,skipped,court\.state: /);
      // Nothing of the run is kept: its database and files were private to it.
      expect(existsSync(join(dir, 'data', 'cases.sqlite'))).toBe(false);
    });

    it('makes nothing when a row has a problem and --valid-only is not given', async () => {
      const file = join(dir, 'cases.csv');
      writeFileSync(file, threeRows());
      const out = join(dir, 'packets.zip');
      const err = jest.spyOn(process.stderr, 'write');
      expect(
        await runCli(['batch', '--pack', 'generic-us', '--file', file, '--out', out], env()),
      ).toBe(1);
      expect(existsSync(out)).toBe(false);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain(
        'row 3, column court.state:',
      );
    });
  });
});
