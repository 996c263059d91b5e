import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import PizZip from 'pizzip';
import { cellsOf, csvText, edit } from '../../src/batches/input/batch-test-helpers';
import {
  BrowserTestServer,
  newWatchedContext,
  screenshot,
  startBrowserTestServer,
} from '../support/browser';
import { Findings, go, signInTo, staffInspector } from '../support/staff-browser';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';

/**
 * The batch pages in Chromium on the embedded set-up (SQLite, rows built inside the service):
 * the template link follows the chosen pack, a check lists its problems, a batch's page follows
 * its progress without a reload and then offers the ZIP, and the same pages work without
 * JavaScript. axe on every page. The 500-row run with two worker processes on Redis and
 * PostgreSQL is test/redis/staff-batches.browser.spec.ts.
 */

/** The bar's value, read in the page (the project's types know no DOM). */
const PROGRESS_VALUE = "document.getElementById('batch-progress').value";

jest.setTimeout(300_000);

let server: BrowserTestServer;
let harbour: SeededOrganisation;

beforeAll(async () => {
  // LibreOffice stays out of it: packets are made without the merged PDF, quickly.
  server = await startBrowserTestServer({ SOFFICE_PATH: '/nonexistent/soffice' });
  harbour = await seedOrganisation(server.app, 'Harbour Legal Aid');
});

afterAll(() => server.close());

const inspect = staffInspector('staff-batches', { desktop: false });

async function signIn(page: Page): Promise<void> {
  await signInTo(page, server.baseUrl, harbour.users.paralegal, 'Batches');
}

/** A cell the checks refuse; the pages must never quote it back. */
const BAD_DATE = 'the ninth of Smarch';

/** `rows` cases, the incident date of the rows numbered in `broken` made unreadable. */
function csvFile(rows: number, broken: number[] = []): Buffer {
  const cells = Array.from({ length: rows }, (_v, i) =>
    broken.includes(i + 2)
      ? edit(cellsOf('minimal'), { 'incidents.1.date': BAD_DATE })
      : cellsOf('minimal'),
  );
  return Buffer.from(csvText(cells), 'utf8');
}

async function choose(page: Page, name: string, file: Buffer): Promise<void> {
  await page.setInputFiles('#batch-file', { name, mimeType: 'text/csv', buffer: file });
}

describe('the batch pages in a browser', () => {
  it('checks a file, then follows a batch live to its ZIP', async () => {
    const { context, foreignRequests } = await newWatchedContext(server, { width: 375 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const findings: Findings = {};
    await signIn(page);
    expect(await page.title()).toBe('Staff — Batches');
    await inspect(page, 'upload', findings);

    // The template link follows the pack chosen.
    await page.selectOption('#batch-pack', 'ma-209a');
    expect(await page.getAttribute('#template-link', 'href')).toBe(
      '/staff/batches/template.csv?packId=ma-209a',
    );
    expect(await page.textContent('#template-pack')).toContain('(ma-209a)');
    await page.selectOption('#batch-pack', 'generic-us');

    await choose(page, 'cases.csv', csvFile(4, [3, 5]));
    await go(page, '#check-only');
    expect(await page.title()).toBe('Error: Staff — File checked');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'error-summary',
    );
    const problems = page.locator('#problems-caption').locator('xpath=../tbody/tr');
    expect(await problems.count()).toBe(2);
    expect(await problems.nth(0).innerText()).toMatch(/^3\s+incidents\.1\.date\s+/);
    expect(await page.textContent('#main')).not.toContain(BAD_DATE);
    await inspect(page, 'problems', findings);

    // Go on from the problems page with the same file: the valid rows only.
    await choose(page, 'cases.csv', csvFile(40, [7]));
    await go(page, '#make-valid-packets');
    expect(new URL(page.url()).pathname).toMatch(/^\/staff\/batches\/[0-9a-f-]{36}$/);
    expect(await page.textContent('#main')).toContain(
      '1 row was left out because it has problems.',
    );
    expect(await page.isVisible('#batch-refresh')).toBe(false);
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });

    const values: number[] = [];
    const until = Date.now() + 240_000;
    let inspected = false;
    while (Date.now() < until) {
      const value = await page.evaluate<number>(PROGRESS_VALUE);
      if (values[values.length - 1] !== value) values.push(value);
      if (!inspected && value > 0) {
        inspected = true;
        await inspect(page, 'batch-running', findings);
      }
      if (await page.isVisible('#download-archive')) break;
      await page.waitForTimeout(50);
    }
    expect(await page.isVisible('#download-archive')).toBe(true);
    // The link can appear between a read of the bar and the look for the link: read it once more.
    const final = await page.evaluate<number>(PROGRESS_VALUE);
    if (values[values.length - 1] !== final) values.push(final);
    expect(navigations).toBe(0);
    expect(values.length).toBeGreaterThanOrEqual(3);
    expect(values[values.length - 1]).toBe(39);
    expect(await page.textContent('#batch-count-done')).toBe('39');
    expect(await page.textContent('#batch-progress-text')).toBe('39 of 39 rows finished');
    expect(await page.textContent('#batch-announce')).toMatch(/^Every row has finished/);
    await inspect(page, 'batch-finished-live', findings);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-archive'),
    ]);
    const zip = new PizZip(await readFile(await download.path()));
    const folders = new Set(
      Object.keys(zip.files)
        .filter((n) => n.includes('/'))
        .map((n) => n.slice(0, n.indexOf('/'))),
    );
    expect(folders.size).toBe(39);
    expect([...folders].filter((f) => f.startsWith('row-0007-'))).toEqual([]);
    expect((zip.file('summary.csv')?.asText() ?? '').split('\r\n').filter(Boolean)).toHaveLength(
      40,
    );

    await go(page, 'a.staff-nav-link:has-text("Batches")');
    expect(await page.locator('a.table-link').count()).toBe(1);
    await inspect(page, 'list', findings);

    expect(findings).toEqual({});
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: a Refresh link, then the rows and the ZIP', async () => {
    // The same markup as above, which axe has checked; scripts off, axe itself cannot run.
    const { context } = await newWatchedContext(server, { width: 375, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await choose(page, 'cases.csv', csvFile(30));
    await go(page, '#make-packets');
    let refreshes = 0;
    while (refreshes < 600 && (await page.isVisible('#batch-refresh'))) {
      // Caught while the rows are being made: only the Refresh link brings the page up to date.
      expect(await page.isVisible('#cancel-batch')).toBe(true);
      expect(await page.isVisible('#download-archive')).toBe(false);
      if (refreshes === 0) await screenshot(page, 'staff-batches-running-nojs');
      await page.waitForTimeout(200);
      await go(page, '#batch-refresh');
      refreshes++;
    }
    expect(await page.isVisible('#download-archive')).toBe(true);
    expect(await page.locator('.row-status-done').count()).toBe(30);
    await screenshot(page, 'staff-batches-finished-nojs');
    await context.close();
  });
});
