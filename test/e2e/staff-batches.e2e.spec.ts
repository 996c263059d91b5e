import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { App } from 'supertest/types';
import type { BatchView } from '../../src/batches/batch.dto';
import { BatchesService } from '../../src/batches/batches.service';
import { cellsOf, csvText, edit } from '../../src/batches/input/batch-test-helpers';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { StaffAgent, StaffRole, signInAs } from '../support/staff';
import { fixture } from '../support/fixtures';
import { csrfOf, decodeHtml, title } from '../support/html-text';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';

/**
 * The batch pages driven with plain HTTP, as a browser without JavaScript uses them: the upload
 * is posted as multipart/form-data with the page's form token among its fields.
 */

/** Every row's petitioner: it must never come back in a page. */
const SECRET_NAME = 'Ysolde Marchetti-Quarrier';
/** A cell the checks refuse, whose value must not be quoted back either. */
const BAD_DATE = 'the ninth of Smarch';
/** Small, so the oversized upload stays quick. */
const MAX_BYTES = 1024 * 1024;

function expectSafeHeaders(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
}

/** The problem table's rows as `row | column | message`. */
function problemRows(html: string): string[] {
  const body = /<caption id="problems-caption"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1];
  return [
    ...(body ?? '').matchAll(
      /<tr>\s*<th scope="row">([^<]*)<\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g,
    ),
  ].map((m) => `${decodeHtml(m[1] ?? '')} | ${decodeHtml(m[2] ?? '')} | ${decodeHtml(m[3] ?? '')}`);
}

function csvOf(rows: number, changes: Record<number, Record<string, string>> = {}): Buffer {
  const base = edit(cellsOf('minimal'), { 'petitioner.name.full': SECRET_NAME });
  const cells = Array.from({ length: rows }, (_v, i) => edit(base, changes[i + 2] ?? {}));
  return Buffer.from(csvText(cells), 'utf8');
}

interface Upload {
  bytes: Buffer;
  filename?: string;
  mode?: string;
  packId?: string;
  csrf?: string | null;
}

class StaffBrowser extends StaffAgent {
  async get(path: string): Promise<Response> {
    const res = await this.agent.get(path);
    expectSafeHeaders(res);
    if (String(res.headers['content-type']).startsWith('text/html')) {
      expect(title(res.text)).toMatch(/^(Error: )?Staff — /);
      expect(res.text).not.toContain('Marchetti');
    }
    return res;
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    const res = await this.agent
      .post(path)
      .type('form')
      .send(new URLSearchParams(fields).toString());
    expectSafeHeaders(res);
    return res;
  }

  /** The upload form as a browser sends it, with the token of the batches page unless given. */
  async upload(input: Upload): Promise<Response> {
    const csrf =
      input.csrf === undefined ? csrfOf((await this.get('/staff/batches')).text) : input.csrf;
    let req = this.agent.post('/staff/batches');
    if (csrf !== null) req = req.field('_csrf', csrf);
    req = req
      .field('packId', input.packId ?? 'generic-us')
      .field('mode', input.mode ?? 'validate')
      .attach('file', input.bytes, {
        filename: input.filename ?? 'cases.csv',
        contentType: 'application/octet-stream',
      });
    const res = await req;
    expectSafeHeaders(res);
    if (String(res.headers['content-type']).startsWith('text/html')) {
      expect(res.text).not.toContain('Marchetti');
      expect(res.text).not.toContain(BAD_DATE);
    }
    return res;
  }

  async batch(id: string): Promise<BatchView> {
    return (await this.agent.get(`/batches/${id}`).expect(200)).body as BatchView;
  }

  async finished(id: string): Promise<BatchView> {
    for (let i = 0; i < 1200; i++) {
      const batch = await this.batch(id);
      if (batch.finishedAt !== null) return batch;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`batch ${id} did not finish`);
  }
}

describe(`the batch pages (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let harbour: SeededOrganisation;
  let hillside: SeededOrganisation;

  beforeAll(async () => {
    t = await createTestApp({
      // LibreOffice stays out of it: the packets are made without the merged PDF.
      SOFFICE_PATH: '/nonexistent/soffice',
      BATCH_MAX_BYTES: String(MAX_BYTES),
      BATCH_RETRY_DELAY_MS: '0',
    });
    http = t.app.getHttpServer() as App;
    harbour = await seedOrganisation(t, 'Harbour Legal Aid');
    hillside = await seedOrganisation(t, 'Hillside Law');
  });

  afterAll(() => t.close());

  const signedIn = (org: SeededOrganisation, role: StaffRole): Promise<StaffBrowser> =>
    signInAs(new StaffBrowser(http), org.users[role]);

  async function madeBatch(b: StaffBrowser, rows: number): Promise<string> {
    const res = await b.upload({ bytes: csvOf(rows), mode: 'run' });
    expect(res.status).toBe(303);
    const id = /^\/staff\/batches\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
    if (!id) throw new Error(`no batch in ${String(res.headers.location)}`);
    return id;
  }

  it('offers Batches to paralegals and admins only', async () => {
    const paralegal = await signedIn(harbour, 'paralegal');
    const matters = await paralegal.get('/staff/matters');
    expect(matters.text).toContain('<a class="staff-nav-link" href="/staff/batches">Batches</a>');
    const admin = await signedIn(harbour, 'admin');
    expect((await admin.get('/staff/matters')).text).toContain('href="/staff/batches"');

    const attorney = await signedIn(harbour, 'attorney');
    expect((await attorney.get('/staff/matters')).text).not.toContain('href="/staff/batches"');
    const refused = await attorney.get('/staff/batches');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Your account cannot do this');
    const post = await attorney.upload({ bytes: csvOf(1), csrf: 'x' });
    expect(post.status).toBe(403);
    expect(post.text).toContain('Your account cannot do this');
  });

  it('shows the upload form: a pack, a file, three ways to go on and the template', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const page = await b.get('/staff/batches');
    expect(page.status).toBe(200);
    expect(title(page.text)).toBe('Staff — Batches');
    expect(page.text).toContain('aria-current="page">Batches</a>');
    expect(page.text).toMatch(
      /<form class="batch-upload[^"]*" method="post" action="\/staff\/batches" enctype="multipart\/form-data"/,
    );
    expect(page.text).toContain('<label class="label" for="batch-pack">Forms pack</label>');
    expect(page.text).toMatch(/<option value="generic-us" selected>/);
    expect(page.text).toMatch(/<input id="batch-file" name="file" type="file"/);
    expect(page.text).toContain('At most 1 MB and 2,000 cases.');
    for (const [mode, label] of [
      ['validate', 'Check only'],
      ['run', 'Make packets'],
      ['run-valid', 'Make packets for the valid rows'],
    ]) {
      expect(page.text).toMatch(
        new RegExp(
          `<button type="submit" id="[a-z-]+" name="mode" value="${mode}"[^>]*>${label}</button>`,
        ),
      );
    }
    expect(page.text).toContain('href="/staff/batches/template.csv?packId=generic-us"');
    expect(page.text).toContain('Your organisation has no batches yet.');
  });

  it('downloads the template CSV of the chosen pack', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const res = await b.agent.get('/staff/batches/template.csv?packId=generic-us');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="batch-template.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toBe(t.app.get(BatchesService).templateCsv('generic-us'));
    expect(res.text.split('\r\n')[0]).toContain('petitioner.name.full');
    for (const packId of ['no-such-pack', '../etc', '']) {
      const missing = await b.agent.get(`/staff/batches/template.csv?packId=${packId}`);
      expect(missing.status).toBe(404);
    }
  });

  it('checks a file and lists every problem by row and column, never the cell', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const bytes = csvOf(5, {
      3: { 'incidents.1.date': BAD_DATE },
      5: { 'petitioner.name.full': '', 'incidents.1.date': BAD_DATE },
    });
    const res = await b.upload({ bytes, mode: 'validate' });
    expect(res.status).toBe(200);
    expect(title(res.text)).toBe('Error: Staff — File checked');
    expect(res.text).toContain('<h1 class="heading">Problems in the file</h1>');
    expect(res.text).toContain('The file has 3 problems in 2 rows. 3 rows have no problem.');
    expect(res.text).toContain(
      '<a href="#problems">The file has 3 problems in 2 rows: see the table</a>',
    );
    const rows = problemRows(res.text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^3 \| incidents\.1\.date \| /);
    expect(rows.filter((r) => r.startsWith('5 | '))).toHaveLength(2);
    expect(rows.some((r) => r.startsWith('5 | petitioner.name.full | '))).toBe(true);
    // The form comes again, with the pack still chosen and the three buttons.
    expect(res.text).toMatch(/<option value="generic-us" selected>/);
    expect(res.text).toContain('>Make packets for the valid rows</button>');
    // Nothing was made.
    expect((await b.get('/staff/batches')).text).toContain('Your organisation has no batches yet.');
  });

  it('says a clean file is ready, and reads JSON Lines by extension or by content', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const clean = await b.upload({ bytes: csvOf(3) });
    expect(clean.status).toBe(200);
    expect(title(clean.text)).toBe('Staff — File checked');
    expect(clean.text).toContain('3 rows are ready to make packets.');

    const line = JSON.stringify({ ...fixture('minimal') });
    const jsonl = Buffer.from(`${line}\n${line}\n`, 'utf8');
    for (const filename of ['cases.jsonl', 'cases.ndjson', 'cases.txt', 'cases']) {
      const res = await b.upload({ bytes: jsonl, filename });
      expect([filename, res.status]).toEqual([filename, 200]);
      expect(res.text).toContain('2 rows are ready to make packets.');
    }
    const sheet = await b.upload({ bytes: Buffer.from('PK\u0003\u0004'), filename: 'cases.xlsx' });
    expect(sheet.status).toBe(400);
    expect(sheet.text).toContain('<a href="#batch-file">That is a spreadsheet file');
  });

  it('names a missing file or pack on the form', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const page = await b.get('/staff/batches');
    const res = await b.agent
      .post('/staff/batches')
      .field('_csrf', csrfOf(page.text))
      .field('packId', '')
      .field('mode', 'run');
    expect(res.status).toBe(400);
    expect(title(res.text)).toBe('Error: Staff — Batches');
    expect(res.text).toContain('<a href="#batch-pack">Choose a forms pack</a>');
    expect(res.text).toContain(
      '<a href="#batch-file">Choose a CSV or JSON Lines file of cases</a>',
    );
    expect(res.text).toMatch(/id="batch-file"[^>]*aria-invalid="true"/);
    const empty = await b.upload({ bytes: Buffer.alloc(0) });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('The chosen file is empty');
    const unknown = await b.upload({ bytes: csvOf(1), packId: 'atlantis' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<a href="#batch-pack">Choose a forms pack from the list</a>');
  });

  it('makes nothing when asked to make packets from a file with a problem', async () => {
    const b = await signedIn(hillside, 'paralegal');
    const bytes = csvOf(3, { 4: { 'incidents.1.date': BAD_DATE } });
    const res = await b.upload({ bytes, mode: 'run' });
    expect(res.status).toBe(400);
    expect(title(res.text)).toBe('Error: Staff — Batch not made');
    expect(res.text).toContain('<h1 class="heading">Nothing was made</h1>');
    expect(problemRows(res.text)).toEqual([
      expect.stringMatching(/^4 \| incidents\.1\.date \| /) as unknown as string,
    ]);
    expect((await b.get('/staff/batches')).text).toContain('Your organisation has no batches yet.');
  });

  it('makes packets for the valid rows and shows the batch with its counts and its ZIP', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const bytes = csvOf(4, { 3: { 'incidents.1.date': BAD_DATE } });
    const res = await b.upload({ bytes, mode: 'run-valid' });
    expect(res.status).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/staff\/batches\/[0-9a-f-]{36}\?skipped=1$/);
    const id = location.slice('/staff/batches/'.length, location.indexOf('?'));

    const first = await b.get(location);
    expect(first.status).toBe(200);
    expect(title(first.text)).toMatch(/^Staff — Batch [0-9A-F]{8}$/);
    expect(first.text).toContain('1 row was left out because it has problems.');
    expect(first.text).toMatch(
      /<progress id="batch-progress" class="progress-bar" max="3" value="\d"/,
    );
    for (const status of ['queued', 'running', 'done', 'failed', 'cancelled']) {
      expect(first.text).toMatch(new RegExp(`<dd id="batch-count-${status}">\\d</dd>`));
    }

    const batch = await b.finished(id);
    expect(batch.counts).toEqual({ queued: 0, running: 0, done: 3, failed: 0, cancelled: 0 });
    const page = await b.get(`/staff/batches/${id}`);
    expect(page.text).not.toContain('data-batch-events');
    expect(page.text).toContain('<dd id="batch-count-done">3</dd>');
    expect(page.text).toContain('value="3"');
    expect(page.text).toContain('Status: <strong id="batch-status">Finished</strong>');
    expect(page.text).toContain(
      `<a id="download-archive" class="button" href="/batches/${id}/archive.zip" download>Download all packets (ZIP)</a>`,
    );
    expect(page.text).not.toContain('id="batch-finished" class="batch-finished" hidden');
    expect(page.text).not.toContain('Cancel the rest');
    // Rows 2, 4 and 5 became cases; row 3 was left out.
    const rows = [
      ...page.text.matchAll(
        /<tr>\s*<th scope="row">(\d+)<\/th>\s*<td><a class="table-link" href="\/staff\/matters\/[0-9a-f-]{36}">M-[0-9A-F]{8}<\/a><\/td>\s*<td><span class="row-status row-status-done">Done/g,
      ),
    ].map((m) => m[1]);
    expect(rows).toEqual(['2', '4', '5']);

    const zip = await b.agent.get(`/batches/${id}/archive.zip`).buffer(true);
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');

    const list = await b.get('/staff/batches');
    expect(list.text).toContain(`href="/staff/batches/${id}"`);
    expect(list.text).toMatch(
      /<td>generic-us<\/td>\s*<td>3<\/td>\s*<td>3<\/td>\s*<td>0<\/td>\s*<td>Finished<\/td>/,
    );
  });

  it('streams progress while a batch runs, and cancels the rest of it', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const id = await madeBatch(b, 30);
    const running = await b.get(`/staff/batches/${id}`);
    expect(running.text).toContain(`data-batch-events="/batches/${id}/events"`);
    expect(running.text).toMatch(/<div id="batch-finished" class="batch-finished" hidden>/);
    expect(running.text).toContain('<a class="button button-secondary" id="batch-refresh"');
    const cancelled = await b.post(`/staff/batches/${id}/cancel`, { _csrf: csrfOf(running.text) });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe(`/staff/batches/${id}?done=cancelled`);
    const after = await b.finished(id);
    expect(after.counts.done + after.counts.cancelled).toBe(30);
    const page = await b.get(String(cancelled.headers.location));
    expect(page.text).toContain('The rows not started yet were cancelled.');

    // The events the page follows are the API's, with the same session cookie.
    const events = await b.agent.get(`/batches/${id}/events`).buffer(true);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.text).toMatch(/^event: done\ndata: \{/);
  });

  it('tries a row again only when it failed, and says so otherwise', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const id = await madeBatch(b, 1);
    await b.finished(id);
    const page = await b.get(`/staff/batches/${id}`);
    const res = await b.post(`/staff/batches/${id}/rows/2/retry`, { _csrf: csrfOf(page.text) });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Row 2 is done; only a failed row is retried');
    const all = await b.post(`/staff/batches/${id}/retry`, { _csrf: csrfOf(page.text) });
    expect(all.status).toBe(303);
    expect(all.headers.location).toBe(`/staff/batches/${id}?done=retried`);
    const missingRow = await b.post(`/staff/batches/${id}/rows/9/retry`, {
      _csrf: csrfOf(page.text),
    });
    expect(missingRow.status).toBe(404);
  });

  it('answers a file over BATCH_MAX_BYTES with 413 and a page naming the limit', async () => {
    const b = await signedIn(harbour, 'paralegal');
    const res = await b.upload({ bytes: Buffer.alloc(MAX_BYTES + 100_000, 'a') });
    expect(res.status).toBe(413);
    expect(title(res.text)).toBe('Error: Staff — File too large');
    expect(res.text).toContain('A file of cases can be at most 1 MB.');
  });

  it('refuses an upload or an action without the form token', async () => {
    const b = await signedIn(hillside, 'admin');
    for (const csrf of [null, 'A'.repeat(43)]) {
      const res = await b.upload({ bytes: csvOf(1), mode: 'run', csrf });
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired');
    }
    const other = await signedIn(hillside, 'paralegal');
    const theirs = csrfOf((await other.get('/staff/batches')).text);
    expect((await b.upload({ bytes: csvOf(1), mode: 'run', csrf: theirs })).status).toBe(403);
    expect((await b.get('/staff/batches')).text).toContain('Your organisation has no batches yet.');

    const mine = await signedIn(harbour, 'paralegal');
    const id = await madeBatch(mine, 1);
    const cancel = await mine.post(`/staff/batches/${id}/cancel`, {});
    expect(cancel.status).toBe(403);
    expect(cancel.text).toContain('This form has expired');
  });

  it("answers another organisation's batch exactly like one that does not exist", async () => {
    const owner = await signedIn(harbour, 'paralegal');
    const id = await madeBatch(owner, 1);
    const b = await signedIn(hillside, 'admin');
    const theirs = await b.get(`/staff/batches/${id}`);
    const missing = await b.get(`/staff/batches/${randomUUID()}`);
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    expect(theirs.text).toContain('Page not found');
    const token = csrfOf(theirs.text);
    for (const action of ['cancel', 'retry', 'rows/2/retry']) {
      const a = await b.post(`/staff/batches/${id}/${action}`, { _csrf: token });
      const m = await b.post(`/staff/batches/${randomUUID()}/${action}`, { _csrf: token });
      expect([action, a.status, m.status]).toEqual([action, 404, 404]);
      expect(a.text).toBe(m.text);
    }
    expect((await b.get('/staff/batches')).text).not.toContain(id);
    expect((await b.get(`/staff/batches/not-an-id`)).text).toBe(missing.text);
  });
});
