import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { projectRoot } from '../../src/config/project-root';
import { BrowserTestServer, newWatchedContext, startBrowserTestServer } from '../support/browser';
import { Findings, go, signIn, staffInspector } from '../support/staff-browser';
import { TEST_DB_KIND } from '../support/database';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';

/**
 * The paralegal's whole errand in Chromium, on the production set-up: the service only enqueues
 * (REDIS_URL), two worker processes started from the compiled service build the packets, on
 * PostgreSQL. A 500-row CSV made from the pack's own template is uploaded through the staff
 * pages; the batch's page shows its progress bar moving without a reload, then offers one ZIP,
 * which holds a folder for every row and a summary of them all. `npm run test:redis`.
 */
const ROWS = 500;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `po-test-pages-${process.pid}-${Date.now()}`;
const ROOT = projectRoot();
const WORKER = join(ROOT, 'dist', 'src', 'batches', 'worker', 'main.js');
/** Bounds for waiting; the test asserts outcomes, and reports the time only as information. */
const PATIENCE_MS = 600_000;

const SETTINGS = {
  REDIS_URL,
  BATCH_QUEUE_PREFIX: PREFIX,
  // LibreOffice stays out of it, as in the worker tests: packets without the merged PDF.
  SOFFICE_PATH: '/nonexistent/soffice',
  BATCH_SWEEP_SECONDS: '5',
};

/** The bar's value, read in the page (the project's types know no DOM). */
const PROGRESS_VALUE = "document.getElementById('batch-progress').value";

interface Announcement {
  at: number;
  text: string;
}

/** Records what the live region says, and when, in `window.announcements`. */
const WATCH_ANNOUNCEMENTS = `(() => {
  window.announcements = [];
  const live = document.getElementById('batch-announce');
  new MutationObserver(() => {
    window.announcements.push({ at: Date.now(), text: live.textContent });
  }).observe(live, { childList: true, characterData: true, subtree: true });
})()`;

jest.setTimeout(PATIENCE_MS + 300_000);

function redisUp(): boolean {
  try {
    const pong = execFileSync('redis-cli', ['-u', REDIS_URL, 'ping'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return pong.trim() === 'PONG';
  } catch {
    return false;
  }
}

/** The workers run the compiled service, built here so that they run this very code. */
function buildService(): void {
  const started = Date.now();
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (e) {
    // A type error elsewhere still emits JavaScript; the type check reports it, not this test.
    const written = existsSync(WORKER) && statSync(WORKER).mtimeMs >= started - 1000;
    if (!written) throw e;
  }
}

/** Axe, screenshots at a phone's and a desktop's width, no sideways scrolling at 320 px. */
const inspect = staffInspector('staff-batches-500', { desktop: true });

(TEST_DB_KIND === 'postgres' ? describe : describe.skip)('batch pages with two workers', () => {
  let server: BrowserTestServer;
  let harbour: SeededOrganisation;
  const workers: { child: ChildProcess; exited: Promise<number | null> }[] = [];

  beforeAll(async () => {
    if (!redisUp()) throw new Error(`no Redis at ${REDIS_URL}`);
    buildService();
    server = await startBrowserTestServer(SETTINGS);
    harbour = await seedOrganisation(server.app, 'Harbour Legal Aid');
  }, 600_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await server?.close();
    if (redisUp()) {
      const keys = execFileSync(
        'redis-cli',
        ['-u', REDIS_URL, '--scan', '--pattern', `${PREFIX}:*`],
        {
          encoding: 'utf8',
        },
      )
        .split('\n')
        .filter(Boolean);
      for (let i = 0; i < keys.length; i += 500) {
        execFileSync('redis-cli', ['-u', REDIS_URL, 'del', ...keys.slice(i, i + 500)]);
      }
    }
  });

  function startWorker(): void {
    const { env } = server.app;
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...SETTINGS,
        DATA_DIR: env.dataDir,
        DATABASE_URL: env.config.DATABASE_URL,
        WORKER_CONCURRENCY: '1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    workers.push({ child, exited });
  }

  it('makes 500 packets with two workers, a live progress bar and one ZIP', async () => {
    startWorker();
    startWorker();
    const { context, foreignRequests } = await newWatchedContext(server, { width: 375 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const findings: Findings = {};
    const paralegal = harbour.users.paralegal;

    await page.goto(`${server.baseUrl}/staff/login`);
    await signIn(page, paralegal.email, paralegal.password);
    await go(page, 'a.staff-nav-link:has-text("Batches")');
    expect(await page.title()).toBe('Staff — Batches');
    await page.selectOption('#batch-pack', 'generic-us');
    await inspect(page, 'list', findings);

    // The file is the pack's template, its example case copied to 500 rows.
    const [templateDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#template-link'),
    ]);
    expect(templateDownload.suggestedFilename()).toBe('batch-template.csv');
    const template = readFileSync(await templateDownload.path(), 'utf8');
    const headerEnd = template.indexOf('\r\n') + 2;
    const exampleRow = template.slice(headerEnd);
    expect(exampleRow.endsWith('\r\n')).toBe(true);
    const csv = Buffer.from(template.slice(0, headerEnd) + exampleRow.repeat(ROWS), 'utf8');

    await page.setInputFiles('#batch-file', {
      name: 'cases.csv',
      mimeType: 'text/csv',
      buffer: csv,
    });
    const started = Date.now();
    await go(page, '#make-packets');
    expect(new URL(page.url()).pathname).toMatch(/^\/staff\/batches\/[0-9a-f-]{36}$/);
    expect(await page.title()).toMatch(/^Staff — Batch [0-9A-F]{8}$/);
    const batchPath = new URL(page.url()).pathname;

    // Whatever the page does from here, it must not load itself again.
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    // What the screen reader is told, and when.
    await page.evaluate(WATCH_ANNOUNCEMENTS);

    const values: number[] = [];
    let inspectedRunning = false;
    const until = Date.now() + PATIENCE_MS;
    while (Date.now() < until) {
      const value = await page.evaluate<number>(PROGRESS_VALUE);
      if (values[values.length - 1] !== value) values.push(value);
      if (!inspectedRunning && value > 0 && value < ROWS) {
        inspectedRunning = true;
        await inspect(page, 'running', findings);
      }
      if (await page.isVisible('#download-archive')) break;
      await page.waitForTimeout(100);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${ROWS} rows with two workers: ${seconds.toFixed(1)} s from upload to download link`,
    );

    expect(await page.isVisible('#download-archive')).toBe(true);
    expect(navigations).toBe(0);
    // The bar moved at least twice while the page stood, and only forward.
    expect(values.length).toBeGreaterThanOrEqual(3);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(values[values.length - 1]).toBe(ROWS);
    expect(await page.textContent('#batch-count-done')).toBe('500');
    expect(await page.textContent('#batch-count-failed')).toBe('0');
    expect(await page.textContent('#batch-status')).toBe('Finished');
    expect(await page.isVisible('#cancel-batch')).toBe(false);
    const announcements = await page.evaluate<Announcement[]>('window.announcements');
    expect(announcements[announcements.length - 1]?.text).toMatch(/^Every row has finished/);
    // Throttled: never two announcements of progress within 15 seconds.
    const gaps = announcements.slice(1, -1).map((a, i) => a.at - (announcements[i]?.at ?? 0));
    expect(gaps.filter((gap) => gap < 14_000)).toEqual([]);
    await inspect(page, 'finished-live', findings);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-archive'),
    ]);
    expect(download.suggestedFilename()).toBe('batch.zip');
    const zip = new PizZip(readFileSync(await download.path()));
    const names = Object.keys(zip.files);
    const folders = new Set(
      names.filter((n) => n.includes('/')).map((n) => n.slice(0, n.indexOf('/'))),
    );
    expect(folders.size).toBe(ROWS);
    for (const folder of folders) expect(folder).toMatch(/^row-\d{4}-M-[0-9A-F]{8}$/);
    expect(names.filter((n) => n.endsWith('/01-petition.docx'))).toHaveLength(ROWS);
    const summary = (zip.file('summary.csv')?.asText() ?? '').split('\r\n').filter(Boolean);
    expect(summary[0]).toBe('row,reference,status,error');
    expect(summary).toHaveLength(ROWS + 1);
    expect(summary.slice(1).filter((line) => /^\d+,M-[0-9A-F]{8},done,$/.test(line))).toHaveLength(
      ROWS,
    );

    // Loaded again, the finished page lists every row.
    await page.goto(`${server.baseUrl}${batchPath}`);
    expect(await page.locator('#rows-caption').textContent()).toBe('Each row');
    expect(await page.locator('.row-status-done').count()).toBe(ROWS);
    await inspect(page, 'finished', findings);

    expect(findings).toEqual({});
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
