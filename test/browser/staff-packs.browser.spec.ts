import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import PizZip from 'pizzip';
import { ZipFile } from 'yazl';
import {
  AxeFinding,
  BrowserTestServer,
  newWatchedContext,
  screenshot,
  seriousAxeViolations,
  startBrowserTestServer,
} from '../support/browser';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';

/**
 * The pack pages in Chromium: an admin uploads a court's pack through the form, sees it listed,
 * previews and activates it; a refused pack lists its problems; and the same pages work without
 * JavaScript. axe on every page, and no sideways scrolling at 320 px.
 */

jest.setTimeout(300_000);

const TEMPLATES = join(__dirname, '..', '..', 'templates');

let server: BrowserTestServer;
let harbour: SeededOrganisation;

beforeAll(async () => {
  // LibreOffice stays out of it: a preview is then every document in a ZIP, quickly.
  server = await startBrowserTestServer({ SOFFICE_PATH: '/nonexistent/soffice' });
  harbour = await seedOrganisation(server.app, 'Harbour Legal Aid');
});

afterAll(() => server.close());

type Files = Record<string, Buffer>;

/** The bundled generic-us pack under a new version, with a line that names the version. */
function genericPack(version: string): Files {
  const manifest = JSON.parse(
    readFileSync(join(TEMPLATES, 'generic-us', 'manifest.json'), 'utf8'),
  ) as { documents: { file: string; mapping?: string }[] };
  const files: Files = {
    'manifest.json': Buffer.from(JSON.stringify({ ...manifest, version }, null, 2)),
  };
  for (const doc of manifest.documents) {
    for (const path of [doc.file, doc.mapping].filter((p): p is string => p !== undefined)) {
      const folder = path.startsWith('common/') ? TEMPLATES : join(TEMPLATES, 'generic-us');
      files[path] = readFileSync(join(folder, path));
    }
  }
  files['petition.docx'] = editDocx(files['petition.docx'], (xml) =>
    xml.replace(
      '<w:body>',
      `<w:body><w:p><w:r><w:t>Uploaded court pack ${version}</w:t></w:r></w:p>`,
    ),
  );
  return files;
}

function editDocx(docx: Buffer, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(docx);
  zip.file('word/document.xml', edit(zip.file('word/document.xml')?.asText() ?? ''));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function zipOf(files: Files): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, bytes] of Object.entries(files)) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The files of a pack as a file picker gives them: names only, no folders. */
function picked(files: Files): { name: string; mimeType: string; buffer: Buffer }[] {
  return Object.entries(files).map(([path, buffer]) => ({
    name: path.slice(path.lastIndexOf('/') + 1),
    mimeType: 'application/octet-stream',
    buffer,
  }));
}

async function inspect(page: Page, name: string, findings: Record<string, AxeFinding[]>) {
  const found = await seriousAxeViolations(page);
  if (found.length > 0) findings[name] = found;
  await screenshot(page, `staff-packs-${name}`);
  const phone = page.viewportSize() ?? { width: 375, height: 812 };
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  if (overflow > 0) {
    findings[`${name} (320 px)`] = [
      { id: 'horizontal-scroll', impact: 'serious', help: `${overflow}px too wide`, targets: [] },
    ];
  }
  await page.setViewportSize(phone);
}

async function go(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.baseUrl}/staff/login`);
  await page.fill('#email', harbour.users.admin.email);
  await page.fill('#password', harbour.users.admin.password);
  await go(page, '#sign-in');
  await go(page, 'a.staff-nav-link:has-text("Packs")');
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
    const findings: Record<string, AxeFinding[]> = {};
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
    bad['declaration.docx'] = editDocx(bad['declaration.docx'], (xml) =>
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
