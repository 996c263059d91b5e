import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import PizZip from 'pizzip';
import {
  BrowserTestServer,
  newWatchedContext,
  screenshot,
  startBrowserTestServer,
} from '../support/browser';
import { Findings, go, signInTo, staffInspector } from '../support/staff-browser';
import { Files, editDocx, genericPack, zipOf } from '../support/pack-files';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';

/**
 * The pack pages in Chromium: an admin uploads a court's pack through the form, sees it listed,
 * previews and activates it; a refused pack lists its problems; and the same pages work without
 * JavaScript. axe on every page, and no sideways scrolling at 320 px.
 */

jest.setTimeout(300_000);

let server: BrowserTestServer;
let harbour: SeededOrganisation;

beforeAll(async () => {
  // LibreOffice stays out of it: a preview is then every document in a ZIP, quickly.
  server = await startBrowserTestServer({ SOFFICE_PATH: '/nonexistent/soffice' });
  harbour = await seedOrganisation(server.app, 'Harbour Legal Aid');
});

afterAll(() => server.close());

const inspect = staffInspector('staff-packs', { desktop: false });

async function signIn(page: Page): Promise<void> {
  await signInTo(page, server.baseUrl, harbour.users.admin, 'Packs');
}

/** The files of a pack as a file picker gives them: names only, no folders. */
function picked(files: Files): { name: string; mimeType: string; buffer: Buffer }[] {
  return Object.entries(files).map(([path, buffer]) => ({
    name: path.slice(path.lastIndexOf('/') + 1),
    mimeType: 'application/octet-stream',
    buffer,
  }));
}

/** The versions table as `version status`, newest first. */
async function versions(page: Page): Promise<string[]> {
  const rows = page.locator('#versions-caption').locator('xpath=../tbody/tr');
  const out: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    // The link's text is the version, then words only a screen reader reads.
    out.push(`${cells[0]?.split(/\s/)[0]} ${cells[2]?.trim()}`);
  }
  return out;
}

describe('the pack pages in a browser', () => {
  it('takes an admin from a ZIP to an active version, and lists the problems of a bad pack', async () => {
    const { context, foreignRequests } = await newWatchedContext(server, { width: 375 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const findings: Findings = {};
    await signIn(page);
    expect(await page.title()).toBe('Staff — Packs');
    expect(await page.getAttribute('a.staff-nav-link:has-text("Packs")', 'aria-current')).toBe(
      'page',
    );
    await inspect(page, 'list-empty', findings);

    // Sent with nothing chosen: the summary takes focus and leads to the field.
    await go(page, '#upload-pack');
    expect(await page.title()).toBe('Error: Staff — Packs');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'error-summary',
    );
    expect(await page.locator('#error-summary a[href="#pack-archive"]').innerText()).toBe(
      'Choose the pack’s ZIP file, or its files',
    );
    await inspect(page, 'form-error', findings);

    // Files picked one by one, one of them a DOCX with a DOCTYPE: every problem, by file.
    const bad = genericPack('2.0.0');
    bad['declaration.docx'] = editDocx(bad['declaration.docx'], 'word/document.xml', (xml) =>
      xml.replace('?>', '?><!DOCTYPE w:document [<!ENTITY x "y">]>'),
    );
    await page.setInputFiles('#pack-files', picked(bad));
    await go(page, '#upload-pack');
    expect(await page.title()).toBe('Error: Staff — Pack refused');
    const problems = page.locator('#problems-caption').locator('xpath=../tbody/tr');
    expect(await problems.count()).toBe(2);
    expect(await problems.nth(0).innerText()).toMatch(
      /^declaration\.docx\s+Part word\/document\.xml: it has a DOCTYPE declaration/,
    );
    await inspect(page, 'refused', findings);

    // The form again, on the same page: now the good pack, as one ZIP.
    await page.setInputFiles('#pack-archive', {
      name: 'county-pack.zip',
      mimeType: 'application/zip',
      buffer: await zipOf(genericPack('1.1.0')),
    });
    await go(page, '#upload-pack');
    expect(await page.title()).toBe('Staff — generic-us 1.1.0');
    expect(await page.locator('[role=status]').first().innerText()).toContain('stored as a draft');
    expect(await page.locator('#version-status').innerText()).toBe('Draft');
    await inspect(page, 'version-draft', findings);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#preview-version'),
    ]);
    expect(download.suggestedFilename()).toBe('generic-us-1.1.0-preview.zip');
    const preview = new PizZip(await readFile(await download.path()));
    expect(Object.keys(preview.files).some((n) => n.endsWith('.docx'))).toBe(true);
    expect(await page.title()).toBe('Staff — generic-us 1.1.0');

    await go(page, 'a.staff-nav-link:has-text("Packs")');
    expect(await versions(page)).toEqual(['1.1.0 Draft']);
    await inspect(page, 'list', findings);

    await go(page, 'a.table-link:has-text("1.1.0")');
    await go(page, '#activate-version');
    expect(new URL(page.url()).pathname).toBe('/staff/packs');
    expect(await page.locator('[role=status]').first().innerText()).toContain(
      'The version was activated',
    );
    expect(await versions(page)).toEqual(['1.1.0 Active']);
    await inspect(page, 'list-active', findings);

    await go(page, 'a.table-link:has-text("1.1.0")');
    expect(await page.locator('#version-status').innerText()).toBe('Active');
    await inspect(page, 'version-active', findings);

    expect(findings).toEqual({});
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: files picked one by one, then activated', async () => {
    // The same markup as above, which axe has checked; scripts off, axe itself cannot run.
    const { context } = await newWatchedContext(server, { width: 375, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await page.setInputFiles('#pack-files', picked(genericPack('1.2.0')));
    await go(page, '#upload-pack');
    expect(await page.title()).toBe('Staff — generic-us 1.2.0');
    await go(page, '#activate-version');
    expect(await versions(page)).toEqual(['1.2.0 Active', '1.1.0 Retired']);

    await go(page, 'a.table-link:has-text("1.1.0")');
    await go(page, '#restore-version');
    expect(await versions(page)).toEqual(['1.2.0 Retired', '1.1.0 Active']);
    await screenshot(page, 'staff-packs-restored-nojs');
    await context.close();
  });
});
