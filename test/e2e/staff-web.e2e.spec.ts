import { randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { App } from 'supertest/types';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { csrfOf, decodeHtml, title } from '../support/html-text';
import { StaffRole, signInAs } from '../support/staff';
import { SeededOrganisation, login, seedOrganisation } from '../integration/accounts-app';

/**
 * The staff pages driven with plain HTTP, as a browser without JavaScript uses them: forms are
 * posted as application/x-www-form-urlencoded with the cookie the service set and the token the
 * page carried. Every response is checked for the headers that keep the pages out of caches.
 */

const PETITIONER = 'Jennifer Anne Walsh';
const SAFE_PHONE = '617-555-0144';
const RESIDENCE = '77 Larchmont Street';

function expectSafeHeaders(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
}

function hiddenValue(html: string, name: string): string {
  return decodeHtml(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '');
}

/** A browser with its own cookies, signed in through the sign-in page. */
class StaffBrowser {
  readonly agent: TestAgent;

  constructor(http: App) {
    this.agent = request.agent(http);
  }

  async signIn(email: string, password: string): Promise<Response> {
    const res = await this.post('/staff/login', { email, password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/staff/matters');
    return res;
  }

  async get(path: string): Promise<Response> {
    const res = await this.agent.get(path);
    expectSafeHeaders(res);
    if (String(res.headers['content-type']).startsWith('text/html')) {
      expect(title(res.text)).toMatch(/^(Error: )?Staff — /);
      expect(title(res.text)).not.toMatch(/Walsh|Jennifer|Kevin/);
    }
    return res;
  }

  async post(path: string, fields: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    const res = await this.agent.post(path).type('form').send(body.toString());
    expectSafeHeaders(res);
    if (res.status === 303) expect(String(res.headers.location)).not.toMatch(/Walsh|Jennifer/);
    return res;
  }

  /** Posts a form of the page at `from`, with that page's token. */
  async submit(
    from: string,
    action: string,
    fields: Record<string, string | string[]> = {},
  ): Promise<Response> {
    const page = await this.get(from);
    return this.post(action, { _csrf: csrfOf(page.text), ...fields });
  }
}

describe(`the staff pages (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let harbour: SeededOrganisation;
  let hillside: SeededOrganisation;
  let caseId: string;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.app.getHttpServer() as App;
    harbour = await seedOrganisation(t, 'Harbour Legal Aid');
    hillside = await seedOrganisation(t, 'Hillside Law');
    const cookie = await login(http, harbour.users.attorney.email, harbour.users.attorney.password);
    const created = await request(http)
      .post('/cases')
      .set('Cookie', cookie)
      .send({ packId: 'generic-us', facts: fixture('typical') })
      .expect(201);
    caseId = (created.body as { id: string }).id;
  });

  afterAll(() => t.close());

  const signedIn = (org: SeededOrganisation, role: StaffRole): Promise<StaffBrowser> =>
    signInAs(new StaffBrowser(http), org.users[role]);

  async function storedFacts(): Promise<Record<string, Record<string, unknown>>> {
    const cookie = await login(http, harbour.users.admin.email, harbour.users.admin.password);
    const res = await request(http)
      .get(`/cases/${caseId}?confidential=true`)
      .set('Cookie', cookie)
      .expect(200);
    return (res.body as { facts: Record<string, Record<string, unknown>> }).facts;
  }

  describe('signing in and out', () => {
    it('answers a wrong password and an unknown email with the same one message', async () => {
      const b = new StaffBrowser(http);
      const page = await b.get('/staff/login');
      expect(page.status).toBe(200);
      expect(title(page.text)).toBe('Staff — Sign in');
      expect(page.text).toContain('<label class="label" for="email">');
      expect(page.text).toContain('autocomplete="current-password"');

      const wrong = await b.post('/staff/login', {
        email: harbour.users.attorney.email,
        password: 'not the password at all',
      });
      const unknown = await b.post('/staff/login', {
        email: 'nobody@harbour-legal-aid.example',
        password: 'not the password at all',
      });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(400);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(title(res.text)).toBe('Error: Staff — Sign in');
        expect(res.text).toContain('role="alert"');
        expect(res.text).toContain('<a href="#email">The email or password is not right</a>');
        expect(res.text).toMatch(/id="email"[^>]*aria-describedby="email-error"/);
        expect(res.text).toMatch(/id="email"[^>]*aria-invalid="true"/);
      }
      // The email typed is shown again; the password never is.
      expect(wrong.text).toContain(`value="${harbour.users.attorney.email}"`);
      expect(wrong.text).not.toContain('not the password at all');
    });

    it('says how long to wait once sign-ins for an email are throttled', async () => {
      const b = new StaffBrowser(http);
      const email = 'someone.guessing@nowhere.example';
      for (let i = 0; i < 5; i++) {
        const res = await b.post('/staff/login', { email, password: `guess number ${i}` });
        expect(res.status).toBe(400);
      }
      const res = await b.post('/staff/login', { email, password: 'one more guess' });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.text).toMatch(
        /<a href="#email">Too many failed sign-ins\. Wait \d+ minutes? and try again\.<\/a>/,
      );
    });

    it('names the empty fields, each linked from the summary', async () => {
      const res = await new StaffBrowser(http).post('/staff/login', { email: '', password: '' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<a href="#email">Enter your email address</a>');
      expect(res.text).toContain('<a href="#password">Enter your password</a>');
    });

    it('sets the session cookie as the API does, and signing out ends the session', async () => {
      const b = new StaffBrowser(http);
      const res = await b.signIn(harbour.users.paralegal.email, harbour.users.paralegal.password);
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith('staff_session='),
      );
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).not.toMatch(/Max-Age|Expires/);
      expect((await b.get('/staff/login')).headers.location).toBe('/staff/matters');

      const out = await b.submit('/staff/matters', '/staff/logout');
      expect(out.status).toBe(303);
      expect(out.headers.location).toBe('/staff/login');
      const after = await b.get('/staff/matters');
      expect(after.status).toBe(303);
      expect(after.headers.location).toBe('/staff/login');
    });

    it('sends every staff page without a live session to the sign-in page', async () => {
      const b = new StaffBrowser(http);
      for (const path of [
        '/staff',
        '/staff/matters',
        `/staff/matters/${caseId}`,
        `/staff/matters/${caseId}/edit?field=court.name`,
        '/staff/users',
        '/staff/tokens',
        '/staff/audit',
        '/staff/no-such-page',
      ]) {
        const res = await b.get(path);
        expect([path, res.status, res.headers.location]).toEqual([path, 303, '/staff/login']);
      }
      const post = await b.post(`/staff/matters/${caseId}/packets`, {});
      expect(post.status).toBe(303);
      expect(post.headers.location).toBe('/staff/login');
    });
  });

  describe('forms', () => {
    it('refuses a post without the form token, or with a wrong one, with a 403 page', async () => {
      const b = await signedIn(harbour, 'attorney');
      const before = (await storedFacts()).court;
      const edit = `/staff/matters/${caseId}/edit`;
      const page = await b.get(`${edit}?field=court.name`);
      const fields = {
        field: 'court.name',
        _was: hiddenValue(page.text, '_was'),
        value: 'Forged District Court',
      };
      const missing = await b.post(edit, fields);
      const wrong = await b.post(edit, { ...fields, _csrf: 'A'.repeat(43) });
      for (const res of [missing, wrong]) {
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('This form has expired');
      }
      // The token of another session does not do either.
      const other = await signedIn(harbour, 'admin');
      const theirs = csrfOf((await other.get('/staff/matters')).text);
      expect((await b.post(edit, { ...fields, _csrf: theirs })).status).toBe(403);
      expect((await storedFacts()).court).toEqual(before);
    });

    it('refuses a sign-in posted from another site', async () => {
      const res = await request(http)
        .post('/staff/login')
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send({ email: harbour.users.admin.email, password: harbour.users.admin.password });
      expect(res.status).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('answers an oversized form with 413 and a page that says so', async () => {
      const big = `email=a&password=${'x'.repeat(300 * 1024)}`;
      const res = await request(http).post('/staff/login').type('form').send(big);
      expect(res.status).toBe(413);
      expectSafeHeaders(res);
      expect(res.text).toContain('That form was too large to send');
      const b = await signedIn(harbour, 'attorney');
      const signedInRes = await b.agent
        .post(`/staff/matters/${caseId}/edit`)
        .type('form')
        .send(`field=court.name&value=${'y'.repeat(300 * 1024)}`);
      expect(signedInRes.status).toBe(413);
    });
  });

  describe('matters', () => {
    it('lists the matter and finds it by name, without the name in any address', async () => {
      const b = await signedIn(harbour, 'paralegal');
      const list = await b.get('/staff/matters');
      expect(list.status).toBe(200);
      expect(title(list.text)).toBe('Staff — Matters');
      expect(list.text).toContain(`href="/staff/matters/${caseId}"`);
      expect(list.text).toContain(PETITIONER);
      expect(list.text).toContain('Kevin Michael Walsh');
      expect(list.text).toContain('Quincy District Court');

      const found = await b.submit('/staff/matters', '/staff/matters/search', { q: 'walsh' });
      expect(found.status).toBe(200);
      expect(found.text).toContain(`href="/staff/matters/${caseId}"`);
      const none = await b.submit('/staff/matters', '/staff/matters/search', {
        q: 'nobody of that name',
      });
      expect(none.text).toContain('No matter matches these filters.');
      const bad = await b.submit('/staff/matters', '/staff/matters/search', { from: 'yesterday' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('<a href="#filter-from">Updated on or after must be a date');
    });

    it('says plainly when a share code is not valid', async () => {
      const b = await signedIn(harbour, 'attorney');
      const res = await b.submit('/staff/matters', '/staff/shares', { code: 'ABCD-EFGH-JKMN' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<a href="#share-code">That share code is not valid');
      expect(res.text).toMatch(/id="share-code"[^>]*aria-invalid="true"/);
    });

    it('keeps the confidential values out of the page until they are asked for', async () => {
      const b = await signedIn(harbour, 'attorney');
      const page = await b.get(`/staff/matters/${caseId}`);
      expect(page.status).toBe(200);
      expect(title(page.text)).toMatch(/^Staff — Matter M-[0-9A-F]{8}$/);
      expect(page.text).toContain(PETITIONER);
      expect(page.text).not.toContain(SAFE_PHONE);
      expect(page.text).not.toContain(RESIDENCE);
      expect(page.text).toContain('Some details are confidential and hidden');
      expect(page.text).toContain('id="show-confidential"');

      const shown = await b.submit(
        `/staff/matters/${caseId}`,
        `/staff/matters/${caseId}/confidential`,
      );
      expect(shown.status).toBe(200);
      expect(shown.text).toContain(SAFE_PHONE);
      expect(shown.text).toContain(RESIDENCE);
      expect(shown.text).toContain('tag-confidential');
    });

    it('changes one fact, keeps the confidential ones, and shows the change', async () => {
      const b = await signedIn(harbour, 'attorney');
      const detail = await b.get(`/staff/matters/${caseId}`);
      const link = `/staff/matters/${caseId}/edit?field=court.caseNumber`;
      expect(detail.text).toContain(`href="${link}"`);
      const form = await b.get(link);
      expect(form.status).toBe(200);
      expect(title(form.text)).toMatch(/^Staff — Change a fact of matter M-/);
      expect(form.text).toContain('<label class="label" for="value">Case number</label>');

      const saved = await b.post(`/staff/matters/${caseId}/edit`, {
        _csrf: csrfOf(form.text),
        field: 'court.caseNumber',
        _was: hiddenValue(form.text, '_was'),
        value: '  2026-PO-0042 ',
      });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(
        `/staff/matters/${caseId}?saved=court.caseNumber#fact-court-caseNumber`,
      );
      const stored = await storedFacts();
      expect(stored.court.caseNumber).toBe('2026-PO-0042');
      expect(stored.petitioner.safePhone).toBe(SAFE_PHONE);

      const after = await b.get(saved.headers.location as string);
      expect(after.text).toContain('Saved: Court – Case number.');
      expect(after.text).toMatch(/id="fact-court-caseNumber"[\s\S]*?2026-PO-0042/);
    });

    it('names the field when a value is refused, and keeps what was typed', async () => {
      const b = await signedIn(harbour, 'attorney');
      const field = 'incidents.0.date';
      const form = await b.get(`/staff/matters/${caseId}/edit?field=${field}`);
      expect(form.text).toContain('type="date"');
      const res = await b.post(`/staff/matters/${caseId}/edit`, {
        _csrf: csrfOf(form.text),
        field,
        _was: hiddenValue(form.text, '_was'),
        value: '2999-01-01',
      });
      expect(res.status).toBe(400);
      expect(title(res.text)).toMatch(/^Error: Staff — /);
      expect(res.text).toMatch(/<a href="#value">Date must be a date that exists[^<]*future/);
      expect(res.text).toMatch(/id="value"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('value="2999-01-01"');
      expect((await storedFacts()).incidents).toEqual(fixture('typical').incidents);
    });

    it('edits a confidential fact only through an audited view of it', async () => {
      const b = await signedIn(harbour, 'attorney');
      const field = 'petitioner.safePhone';
      const form = await b.get(`/staff/matters/${caseId}/edit?field=${field}`);
      expect(form.text).toContain('This detail is confidential');
      expect(form.text).toContain(`value="${SAFE_PHONE}"`);
      const res = await b.post(`/staff/matters/${caseId}/edit`, {
        _csrf: csrfOf(form.text),
        field,
        _was: hiddenValue(form.text, '_was'),
        value: '617-555-0199',
      });
      expect(res.status).toBe(303);
      const stored = await storedFacts();
      expect(stored.petitioner.safePhone).toBe('617-555-0199');
      expect((stored.petitioner.residentialAddress as { street: string }).street).toBe(RESIDENCE);
      // Put back for the other tests.
      const again = await b.get(`/staff/matters/${caseId}/edit?field=${field}`);
      await b.post(`/staff/matters/${caseId}/edit`, {
        _csrf: csrfOf(again.text),
        field,
        _was: hiddenValue(again.text, '_was'),
        value: SAFE_PHONE,
      });
    });

    it('refuses to save over a change someone else made to the same fact', async () => {
      const b = await signedIn(harbour, 'attorney');
      const field = 'court.county';
      const first = await b.get(`/staff/matters/${caseId}/edit?field=${field}`);
      const other = await signedIn(harbour, 'paralegal');
      const theirs = await other.get(`/staff/matters/${caseId}/edit?field=${field}`);
      await other.post(`/staff/matters/${caseId}/edit`, {
        _csrf: csrfOf(theirs.text),
        field,
        _was: hiddenValue(theirs.text, '_was'),
        value: 'Plymouth',
      });
      const late = await b.post(`/staff/matters/${caseId}/edit`, {
        _csrf: csrfOf(first.text),
        field,
        _was: hiddenValue(first.text, '_was'),
        value: 'Bristol',
      });
      expect(late.status).toBe(409);
      expect(late.text).toContain('changed by someone else');
      expect((await storedFacts()).court.county).toBe('Plymouth');
    });

    it('regenerates the packet and links its files to the API', async () => {
      const b = await signedIn(harbour, 'paralegal');
      const res = await b.submit(`/staff/matters/${caseId}`, `/staff/matters/${caseId}/packets`);
      expect(res.status).toBe(303);
      const page = await b.get(res.headers.location as string);
      expect(page.text).toMatch(/Packet version 1 was made/);
      expect(page.text).toContain('Version 1 (latest)');
      const zip = /id="download-zip-v1" href="([^"]+)"/.exec(page.text)?.[1];
      expect(zip).toMatch(new RegExp(`^/cases/${caseId}/packets/[0-9a-f-]{36}/packet\\.zip$`));
      const file = /<a href="(\/cases\/[^"]+\/files\/[^"]+\.docx)" download>/.exec(page.text)?.[1];
      expect(file).toBeDefined();
      const download = await b.agent.get(file ?? '');
      expect(download.status).toBe(200);
      expect(download.headers['content-disposition']).toMatch(
        /^attachment; filename="[^"]+\.docx"$/,
      );
    });

    it("answers another organisation's matter exactly like one that does not exist", async () => {
      const b = await signedIn(hillside, 'admin');
      const theirs = await b.get(`/staff/matters/${caseId}`);
      const missing = await b.get(`/staff/matters/${randomUUID()}`);
      expect(theirs.status).toBe(404);
      expect(theirs.text).toBe(missing.text);
      expect(theirs.text).not.toContain(PETITIONER);
      const edit = await b.get(`/staff/matters/${caseId}/edit?field=court.name`);
      expect(edit.status).toBe(404);
      // Any other address under /staff answers with the same page, never the API's JSON.
      const nowhere = await b.get('/staff/no-such-page');
      expect(nowhere.status).toBe(404);
      expect(nowhere.text).toBe(missing.text);
      const list = await b.get('/staff/matters');
      expect(list.text).not.toContain(caseId);
    });
  });

  describe('administration', () => {
    it('shows a paralegal no Users, Tokens or Audit, and refuses them with 403 pages', async () => {
      const b = await signedIn(harbour, 'paralegal');
      const list = await b.get('/staff/matters');
      expect(list.text).toContain('href="/staff/matters"');
      for (const path of ['/staff/users', '/staff/tokens', '/staff/audit']) {
        expect(list.text).not.toContain(`href="${path}"`);
        const res = await b.get(path);
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('Your account cannot do this');
      }
      const admin = await signedIn(harbour, 'admin');
      const adminList = await admin.get('/staff/matters');
      for (const path of ['/staff/users', '/staff/tokens', '/staff/audit']) {
        expect(adminList.text).toContain(`href="${path}"`);
      }
    });

    it('lets an admin add and disable an account', async () => {
      const b = await signedIn(harbour, 'admin');
      const weak = await b.submit('/staff/users', '/staff/users', {
        email: 'new.paralegal@harbour.example',
        role: 'paralegal',
        password: 'password',
      });
      expect(weak.status).toBe(400);
      expect(weak.text).toContain('href="#user-password"');
      const added = await b.submit('/staff/users', '/staff/users', {
        email: 'new.paralegal@harbour.example',
        role: 'paralegal',
        password: 'quiet orchard behind the mill',
      });
      expect(added.status).toBe(303);
      const users = await b.get('/staff/users?done=created');
      expect(users.text).toContain('The account was added.');
      const id =
        /href="\/staff\/users\/([0-9a-f-]{36})\/disable">Disable<span class="visually-hidden"> new\.paralegal/.exec(
          users.text,
        )?.[1];
      expect(id).toBeDefined();
      const confirm = await b.get(`/staff/users/${id}/disable`);
      expect(confirm.text).toContain('new.paralegal@harbour.example');
      const disabled = await b.post(`/staff/users/${id}/disable`, { _csrf: csrfOf(confirm.text) });
      expect(disabled.status).toBe(303);
      expect((await b.get('/staff/users')).text).toMatch(/new\.paralegal[\s\S]*?Disabled/);
    });

    it('shows a new API token once, with a warning, and revokes it', async () => {
      const b = await signedIn(harbour, 'admin');
      const made = await b.submit('/staff/tokens', '/staff/tokens', {
        name: 'case system',
        scopes: ['cases:read', 'packets:download'],
      });
      expect(made.status).toBe(200);
      expect(made.text).toContain('it is shown only this once');
      const secret = decodeHtml(/id="token-secret"[^>]*>([^<]+)</.exec(made.text)?.[1] ?? '');
      expect(secret.length).toBeGreaterThan(20);
      const api = await request(http).get('/cases').set('Authorization', `Bearer ${secret}`);
      expect(api.status).toBe(200);

      const list = await b.get('/staff/tokens');
      expect(list.text).not.toContain(secret);
      const id = /href="\/staff\/tokens\/([0-9a-f-]{36})\/revoke"/.exec(list.text)?.[1];
      const confirm = await b.get(`/staff/tokens/${id}/revoke`);
      const revoked = await b.post(`/staff/tokens/${id}/revoke`, { _csrf: csrfOf(confirm.text) });
      expect(revoked.status).toBe(303);
      const after = await request(http).get('/cases').set('Authorization', `Bearer ${secret}`);
      expect(after.status).toBe(401);
    });

    it('shows the audit trail with filters, older pages and the CSV export', async () => {
      const b = await signedIn(harbour, 'admin');
      await b.submit(`/staff/matters/${caseId}`, `/staff/matters/${caseId}/confidential`);
      const page = await b.get(`/staff/audit?action=case.confidential.view&caseId=${caseId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('case.confidential.view');
      expect(page.text).toContain(`href="/staff/matters/${caseId}"`);
      expect(page.text).toContain(
        `href="/audit/export.csv?action=case.confidential.view&amp;caseId=${caseId}"`,
      );
      const csv = await b.agent.get(
        `/audit/export.csv?action=case.confidential.view&caseId=${caseId}`,
      );
      expect(csv.status).toBe(200);
      expect(csv.text.split('\n').filter((l) => l.includes('case.confidential.view')).length).toBe(
        page.text.match(/<th scope="row">case\.confidential\.view<\/th>/g)?.length,
      );
      // Enough views of the matter for a second page of them.
      for (let i = 0; i < 51; i++) await b.get(`/staff/matters/${caseId}`);
      const views = `/staff/audit?action=case.view&caseId=${caseId}`;
      const newest = await b.get(views);
      const older = /id="older-records" href="([^"]+)"/.exec(newest.text)?.[1];
      expect(older).toMatch(/cursor=\d+\.\d+/);
      const next = await b.get(decodeHtml(older ?? ''));
      expect(next.status).toBe(200);
      expect(next.text).toContain('Newest records');
      const rows = (html: string): number =>
        html.match(/<th scope="row">case\.view</g)?.length ?? 0;
      const all = await b.agent.get(`/audit/export.csv?action=case.view&caseId=${caseId}`);
      const exported = all.text.split('\n').filter((l) => l.includes(',case.view,')).length;
      expect(rows(newest.text)).toBe(50);
      expect(rows(newest.text) + rows(next.text)).toBe(Math.min(exported, 100));
      const bad = await b.get('/staff/audit?from=soon');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('<a href="#audit-from">From must be a date');
      expect(bad.text).toMatch(/id="audit-from"[^>]*aria-invalid="true"/);
    });
  });
});
