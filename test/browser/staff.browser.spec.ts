import { readFile } from 'node:fs/promises';
import request from 'supertest';
import type { App } from 'supertest/types';
import { BrowserTestServer, newWatchedContext, startBrowserTestServer } from '../support/browser';
import { Findings, go, signIn, staffInspector } from '../support/staff-browser';
import { fixture } from '../support/fixtures';
import { pdfText } from '../support/pdf-reading';
import { SeededOrganisation, login, seedOrganisation } from '../integration/accounts-app';

/**
 * The staff pages in a real browser (Debian's Chromium): what an attorney does with a matter —
 * sign in, find it, correct a fact, make the packet again and download it — with axe on every
 * page, at a phone's, a desktop's and the narrowest width, and nothing fetched from elsewhere.
 */

const PETITIONER = 'Jennifer Anne Walsh';

// Making a packet converts DOCX with LibreOffice: seconds each on a busy machine.
jest.setTimeout(300_000);

let server: BrowserTestServer;
let harbour: SeededOrganisation;

beforeAll(async () => {
  server = await startBrowserTestServer();
  harbour = await seedOrganisation(server.app, 'Harbour Legal Aid');
  const http = server.app.app.getHttpServer() as App;
  const cookie = await login(http, harbour.users.admin.email, harbour.users.admin.password);
  await request(http)
    .post('/cases')
    .set('Cookie', cookie)
    .send({ packId: 'generic-us', facts: fixture('typical') })
    .expect(201);
});

afterAll(() => server.close());

/** Axe, the phone and desktop screenshots, and no sideways scrolling at 320 px. */
const inspect = staffInspector('staff', { desktop: true });

describe('the staff pages in a browser', () => {
  it('takes an attorney from sign-in to a corrected, regenerated, downloaded packet', async () => {
    const { context, foreignRequests } = await newWatchedContext(server, { width: 375 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const findings: Findings = {};
    const attorney = harbour.users.attorney;

    await page.goto(`${server.baseUrl}/staff/matters`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    expect(await page.title()).toBe('Staff — Sign in');
    await inspect(page, 'login', findings);

    await signIn(page, attorney.email, 'not the right password');
    expect(await page.title()).toBe('Error: Staff — Sign in');
    expect(await page.locator('#error-summary').innerText()).toContain(
      'The email or password is not right',
    );
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'error-summary',
    );
    await inspect(page, 'login-error', findings);

    await signIn(page, attorney.email, attorney.password);
    expect(new URL(page.url()).pathname).toBe('/staff/matters');
    expect(await page.title()).toBe('Staff — Matters');
    await inspect(page, 'matters', findings);

    // The name typed in the search goes in a posted form, never into the address.
    await page.fill('#filter-q', 'Walsh');
    await go(page, '#filter-apply');
    expect(page.url()).not.toMatch(/walsh/i);
    const row = page.locator('tbody tr', { hasText: PETITIONER });
    expect(await row.count()).toBe(1);
    await inspect(page, 'matters-found', findings);
    await Promise.all([page.waitForNavigation(), row.locator('a.table-link').click()]);
    expect(page.url()).toMatch(/\/staff\/matters\/[0-9a-f-]{36}$/);
    expect(await page.title()).toMatch(/^Staff — Matter M-[0-9A-F]{8}$/);
    expect(await page.locator('#main').innerText()).not.toContain('617-555-0144');
    await inspect(page, 'matter', findings);

    // A required fact left empty is refused, naming it; then the court case number is given.
    await go(page, 'a[href$="field=court.name"]');
    await page.fill('#value', '');
    await go(page, '#save');
    expect(await page.locator('#error-summary a[href="#value"]').innerText()).toBe(
      'Name cannot be left empty',
    );
    expect(await page.getAttribute('#value', 'aria-invalid')).toBe('true');
    await inspect(page, 'edit-error', findings);
    await go(page, 'a.button-secondary:has-text("Cancel")');

    await go(page, 'a[href$="field=court.caseNumber"]');
    expect(await page.title()).toMatch(/^Staff — Change a fact of matter M-/);
    await inspect(page, 'edit', findings);
    await page.fill('#value', '2026-PO-0042');
    await go(page, '#save');
    expect(await page.locator('[role=status]').first().innerText()).toContain(
      'Saved: Court – Case number.',
    );
    expect(await page.locator('#fact-court-caseNumber').innerText()).toContain('2026-PO-0042');

    await go(page, '#generate');
    expect(await page.locator('[role=status]').first().innerText()).toContain(
      'Packet version 1 was made',
    );
    await inspect(page, 'matter-packet', findings);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-merged-v1'),
    ]);
    expect(download.suggestedFilename()).not.toMatch(/walsh|jennifer/i);
    const firstPage = await pdfText(await readFile(await download.path()), { first: 1, last: 1 });
    expect(firstPage).toContain(PETITIONER);

    await go(page, '#show-confidential');
    expect(await page.locator('#main').innerText()).toContain('617-555-0144');
    await inspect(page, 'matter-confidential', findings);

    await go(page, '#sign-out');
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await page.goto(`${server.baseUrl}/staff/matters`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');

    expect(findings).toEqual({});
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('holds the administrators’ pages to the same bar', async () => {
    const { context, foreignRequests } = await newWatchedContext(server, { width: 375 });
    const page = await context.newPage();
    const findings: Findings = {};
    await page.goto(`${server.baseUrl}/staff/login`);
    await signIn(page, harbour.users.admin.email, harbour.users.admin.password);

    await go(page, 'a.staff-nav-link:has-text("Users")');
    expect(await page.getAttribute('a.staff-nav-link:has-text("Users")', 'aria-current')).toBe(
      'page',
    );
    await inspect(page, 'users', findings);
    await page.fill('#user-email', 'new.paralegal@harbour.example');
    await page.check('#user-role-paralegal');
    await page.fill('#user-password', 'short');
    await go(page, '#add-account');
    expect(await page.locator('#error-summary a[href="#user-password"]').count()).toBe(1);
    await inspect(page, 'users-error', findings);

    await go(page, 'a.staff-nav-link:has-text("API tokens")');
    await inspect(page, 'tokens', findings);
    await page.fill('#token-name', 'case system');
    await page.check('#token-scopes-cases\\:read');
    await go(page, '#make-token');
    expect(await page.locator('#token-secret').innerText()).toMatch(/\S{20,}/);
    await inspect(page, 'token-made', findings);

    await page.goto(`${server.baseUrl}/staff/tokens`);
    await go(page, 'a.table-link:has-text("Revoke")');
    await inspect(page, 'token-revoke', findings);
    await go(page, '#revoke');

    await go(page, 'a.staff-nav-link:has-text("Audit trail")');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    await inspect(page, 'audit', findings);
    await page.selectOption('#audit-action', 'token.create');
    await go(page, '#audit-apply');
    expect(new URL(page.url()).searchParams.get('action')).toBe('token.create');
    await inspect(page, 'audit-filtered', findings);

    expect(findings).toEqual({});
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
