import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource, MoreThan } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditTrail } from '../../src/audit/audit-trail';
import type { AuditRecordResponse } from '../../src/audit/audit.types';
import { TEST_DB_KIND } from '../support/database';
import {
  MINUTE,
  SeededOrganisation,
  createAccountsApp,
  login,
  seedOrganisation,
  sessionCookie,
} from './accounts-app';

const RANDOM_ID = '0f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098';
const CASE_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

interface ListBody {
  records: AuditRecordResponse[];
  next: string | null;
}

/** RFC 4180 as csvLine writes it: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

describe(`the audit trail (${TEST_DB_KIND})`, () => {
  let t: Awaited<ReturnType<typeof createAccountsApp>>;
  let http: App;
  let db: DataSource;
  let a: SeededOrganisation;
  let b: SeededOrganisation;
  let adminA: string;
  let adminB: string;
  let attorneyA: string;
  /** Everything typed that must never reach the trail. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createAccountsApp();
    http = t.http();
    db = t.app.get(DataSource);
    a = await seedOrganisation(t, 'Harbour Legal Aid');
    b = await seedOrganisation(t, 'Hillside Advocates');
    adminA = await login(http, a.users.admin.email, a.users.admin.password);
    adminB = await login(http, b.users.admin.email, b.users.admin.password);
    attorneyA = await login(http, a.users.attorney.email, a.users.attorney.password);
    for (const org of [a, b]) {
      for (const u of Object.values(org.users)) secrets.push(u.email, u.password);
    }
  });

  afterAll(() => t.close());

  const mark = async (): Promise<number> => {
    const last = await db.getRepository(AuditEventEntity).find({ order: { seq: 'DESC' }, take: 1 });
    return last[0]?.seq ?? 0;
  };

  const since = (seq: number): Promise<AuditEventEntity[]> =>
    db
      .getRepository(AuditEventEntity)
      .find({ where: { seq: MoreThan(seq) }, order: { seq: 'ASC' } });

  /** The one record an action left, whatever else the test did before. */
  const onlyRecordSince = async (seq: number): Promise<AuditEventEntity> => {
    const rows = await since(seq);
    expect(rows).toHaveLength(1);
    return rows[0] as AuditEventEntity;
  };

  const list = async (cookie: string, query: Record<string, string | number> = {}) =>
    (await request(http).get('/audit').query(query).set('Cookie', cookie).expect(200))
      .body as ListBody;

  describe('records each account action exactly once', () => {
    it('a sign-in', async () => {
      const before = await mark();
      const res = await request(http)
        .post('/auth/login')
        .send({ email: a.users.paralegal.email, password: a.users.paralegal.password })
        .expect(200);
      sessionCookie(res);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'auth.login',
        outcome: 'ok',
        actorKind: 'session',
        actorUserId: a.users.paralegal.id,
        organisationId: a.organisationId,
        caseId: null,
        subject: null,
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      });
    });

    it('a failed sign-in with an email that has no account: anonymous, no organisation', async () => {
      const before = await mark();
      const typed = 'someone.unknown@nowhere.example';
      secrets.push(typed, 'not the password of anyone');
      await request(http)
        .post('/auth/login')
        .send({ email: typed, password: 'not the password of anyone' })
        .expect(401);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'auth.login_failed',
        outcome: 'failed',
        actorKind: 'anonymous',
        actorUserId: null,
        organisationId: null,
        subject: null,
      });
    });

    it("a wrong password: anonymous, in the account's organisation", async () => {
      const before = await mark();
      secrets.push('quite the wrong passphrase');
      await request(http)
        .post('/auth/login')
        .send({
          email: a.users.attorney.email.toUpperCase(),
          password: 'quite the wrong passphrase',
        })
        .expect(401);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'auth.login_failed',
        outcome: 'failed',
        actorKind: 'anonymous',
        actorUserId: null,
        organisationId: a.organisationId,
        subject: null,
      });
    });

    it('a sign-out, once: a second sign-out with the ended cookie records nothing', async () => {
      const cookie = await login(http, a.users.paralegal.email, a.users.paralegal.password);
      const before = await mark();
      await request(http).post('/auth/logout').set('Cookie', cookie).expect(204);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'auth.logout',
        outcome: 'ok',
        actorKind: 'session',
        actorUserId: a.users.paralegal.id,
        organisationId: a.organisationId,
      });
      await request(http).post('/auth/logout').set('Cookie', cookie).expect(204);
      await request(http).post('/auth/logout').expect(204);
      expect(await since(before)).toHaveLength(1);
    });

    it('a refused route, named by its pattern and not its path', async () => {
      const before = await mark();
      await request(http).get(`/users/${a.users.admin.id}`).set('Cookie', attorneyA).expect(403);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'access.denied',
        outcome: 'denied',
        actorKind: 'session',
        actorUserId: a.users.attorney.id,
        organisationId: a.organisationId,
        subject: '/users/:id',
      });
    });

    it('a refusal to a token, as the token', async () => {
      const created = await request(http)
        .post('/tokens')
        .set('Cookie', adminA)
        .send({ name: 'read only', scopes: ['cases:read'] })
        .expect(201);
      secrets.push(created.body.token as string);
      const before = await mark();
      await request(http)
        .get('/audit')
        .set('Authorization', `Bearer ${created.body.token as string}`)
        .expect(403);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'access.denied',
        outcome: 'denied',
        actorKind: 'token',
        actorUserId: a.users.admin.id,
        subject: '/audit',
      });
    });

    it('an account created and disabled, naming the account by id', async () => {
      let before = await mark();
      const password = 'tidal pools mirror the grey sky';
      const email = 'temp.worker@harbour.example';
      secrets.push(password, email);
      const created = await request(http)
        .post('/users')
        .set('Cookie', adminA)
        .send({ email, password, role: 'paralegal' })
        .expect(201);
      const userId = created.body.id as string;
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'user.create',
        outcome: 'ok',
        actorKind: 'session',
        actorUserId: a.users.admin.id,
        organisationId: a.organisationId,
        subject: userId,
      });
      before = await mark();
      await request(http).post(`/users/${userId}/disable`).set('Cookie', adminA).expect(200);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'user.disable',
        actorUserId: a.users.admin.id,
        organisationId: a.organisationId,
        subject: userId,
      });
      await request(http).post(`/users/${userId}/disable`).set('Cookie', adminA).expect(200);
      expect(await since(before)).toHaveLength(1);
    });

    it('a refused account creation records nothing', async () => {
      const before = await mark();
      await request(http)
        .post('/users')
        .set('Cookie', adminA)
        .send({ email: a.users.attorney.email, password: 'short', role: 'attorney' })
        .expect(400);
      expect(await since(before)).toHaveLength(0);
    });

    it('a token created and revoked, by id and never by its name or secret', async () => {
      let before = await mark();
      const created = await request(http)
        .post('/tokens')
        .set('Cookie', adminA)
        .send({ name: 'sync for the Smith matter', scopes: ['cases:read'] })
        .expect(201);
      const { id, token } = created.body as { id: string; token: string };
      secrets.push(token, token.slice(4));
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'token.create',
        actorKind: 'session',
        actorUserId: a.users.admin.id,
        organisationId: a.organisationId,
        subject: id,
      });
      before = await mark();
      await request(http).delete(`/tokens/${id}`).set('Cookie', adminA).expect(204);
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'token.revoke',
        actorUserId: a.users.admin.id,
        subject: id,
      });
      await request(http).delete(`/tokens/${id}`).set('Cookie', adminA).expect(204);
      expect(await since(before)).toHaveLength(1);
      const rows = await db.query('SELECT * FROM audit_events');
      expect(JSON.stringify(rows)).not.toContain('Smith');
    });

    it('reading the trail, recorded after the read so the page does not show itself', async () => {
      const before = await mark();
      const page = await list(adminA);
      const view = await onlyRecordSince(before);
      expect(view).toMatchObject({
        action: 'audit.view',
        actorKind: 'session',
        actorUserId: a.users.admin.id,
        organisationId: a.organisationId,
      });
      expect(page.records.map((r) => r.id)).not.toContain(view.id);
    });

    it('a filtered read records the case filtered on and the user as subject', async () => {
      const before = await mark();
      await list(adminA, { caseId: CASE_ID, userId: a.users.attorney.id });
      expect(await onlyRecordSince(before)).toMatchObject({
        action: 'audit.view',
        caseId: CASE_ID,
        subject: a.users.attorney.id,
      });
    });

    it('exporting the trail', async () => {
      const before = await mark();
      const res = await request(http).get('/audit/export.csv').set('Cookie', adminA).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="audit.csv"');
      expect(res.headers['cache-control']).toBe('no-store');
      const exported = await onlyRecordSince(before);
      expect(exported).toMatchObject({
        action: 'audit.export',
        actorUserId: a.users.admin.id,
        organisationId: a.organisationId,
      });
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual([
        'id',
        'at',
        'action',
        'outcome',
        'actor_kind',
        'actor_user_id',
        'case_id',
        'subject',
        'ip',
      ]);
      // Recorded before the first row was read: the export lists itself first.
      expect(rows[1]?.[0]).toBe(exported.id);
    });
  });

  describe('audit:read, within one organisation', () => {
    it("never shows another organisation's records, in the list or the export", async () => {
      const aRecords: AuditRecordResponse[] = [];
      let cursor: string | null = null;
      do {
        const page: ListBody = await list(adminA, { limit: 500, ...(cursor ? { cursor } : {}) });
        aRecords.push(...page.records);
        cursor = page.next;
      } while (cursor);
      const stored = await db.getRepository(AuditEventEntity).find();
      const ofA = new Set(
        stored.filter((r) => r.organisationId === a.organisationId).map((r) => r.id),
      );
      const ofB = stored.filter((r) => r.organisationId === b.organisationId).map((r) => r.id);
      expect(ofB.length).toBeGreaterThan(0);
      // Everything of A up to the read, none of B.
      for (const r of aRecords) expect(ofA.has(r.id)).toBe(true);
      expect(aRecords.length).toBe(ofA.size - 1);
      for (const id of ofB) expect(aRecords.map((r) => r.id)).not.toContain(id);
      const bUsers = Object.values(b.users).map((u) => u.id);
      for (const r of aRecords) expect(bUsers).not.toContain(r.actor.userId);

      const csv = (await request(http).get('/audit/export.csv').set('Cookie', adminA).expect(200))
        .text;
      for (const id of ofB) expect(csv).not.toContain(id);
      for (const id of bUsers) expect(csv).not.toContain(id);

      const bPage = await list(adminB, { limit: 500 });
      expect(bPage.records.length).toBeGreaterThan(0);
      for (const r of bPage.records) expect(ofA.has(r.id)).toBe(false);
      const bCsv = (await request(http).get('/audit/export.csv').set('Cookie', adminB).expect(200))
        .text;
      expect(bCsv).not.toContain(a.users.admin.id);
    });

    it('refuses an attorney with 403, and records that refusal', async () => {
      for (const path of ['/audit', '/audit/export.csv']) {
        const before = await mark();
        const res = await request(http).get(path).set('Cookie', attorneyA).expect(403);
        expect(res.body.code).toBe('forbidden');
        expect(await onlyRecordSince(before)).toMatchObject({
          action: 'access.denied',
          outcome: 'denied',
          actorUserId: a.users.attorney.id,
          organisationId: a.organisationId,
          subject: path,
        });
      }
      await request(http).get('/audit').expect(401);
    });
  });

  describe('filters and pages', () => {
    it('refuses a bad query with 400 naming the field, and records no read', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ action: 'auth.everything' }, 'action'],
        [{ caseId: 'not-an-id' }, 'caseId'],
        [{ userId: '12345' }, 'userId'],
        [{ from: 'yesterday' }, 'from'],
        [{ from: '2026-02-30' }, 'from'],
        [{ to: '2026-W10' }, 'to'],
        [{ to: '2026-03-02T09:00:00' }, 'to'],
        [{ from: '2026-03-05', to: '2026-03-01' }, 'to'],
        [{ limit: '0' }, 'limit'],
        [{ limit: '501' }, 'limit'],
        [{ limit: 'lots' }, 'limit'],
        [{ cursor: 'abc' }, 'cursor'],
        [{ colour: 'red' }, 'colour'],
      ];
      const before = await mark();
      for (const [query, field] of cases) {
        const res = await request(http).get('/audit').query(query).set('Cookie', adminA);
        expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const res = await request(http)
        .get('/audit/export.csv')
        .query({ limit: '10' })
        .set('Cookie', adminA)
        .expect(400);
      // An error is an error, not a file called audit.csv.
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.body.details[0].field).toBe('limit');
      expect(await since(before)).toHaveLength(0);
    });

    it('pages newest first with a cursor that stays put while records are added', async () => {
      const audit = t.app.get(AuditTrail);
      const actor = { kind: 'system' as const, userId: null, organisationId: a.organisationId };
      for (let i = 0; i < 5; i++) {
        await audit.record({
          action: 'packet.view',
          actor,
          subject: `paging-${i}`,
          caseId: CASE_ID,
        });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: ListBody = await list(adminA, {
          action: 'packet.view',
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.records.map((r) => r.subject ?? ''));
        cursor = page.next;
        pages++;
        // Newer records arriving between pages do not shift the pages still to come.
        await audit.record({ action: 'packet.view', actor, subject: `late-${pages}` });
      } while (cursor);
      expect(seen).toEqual(['paging-4', 'paging-3', 'paging-2', 'paging-1', 'paging-0']);
      expect(pages).toBe(3);
    });

    it('filters by action, case, user and time', async () => {
      const audit = t.app.get(AuditTrail);
      const actor = {
        kind: 'session' as const,
        userId: a.users.attorney.id,
        organisationId: a.organisationId,
      };
      t.clock.advance(MINUTE);
      const startedAt = new Date(t.clock.now());
      await audit.record({ action: 'case.view', actor, caseId: RANDOM_ID });
      t.clock.advance(MINUTE);
      await audit.record({ action: 'case.update', actor, caseId: RANDOM_ID });
      t.clock.advance(MINUTE);
      const lastAt = new Date(t.clock.now());
      await audit.record({ action: 'case.view', actor, caseId: RANDOM_ID });

      const byCase = await list(adminA, { caseId: RANDOM_ID });
      expect(byCase.records.map((r) => r.action)).toEqual([
        'case.view',
        'case.update',
        'case.view',
      ]);
      const views = await list(adminA, { caseId: RANDOM_ID, action: 'case.view' });
      expect(views.records).toHaveLength(2);
      const window = await list(adminA, {
        from: new Date(startedAt.getTime() + MINUTE).toISOString(),
        to: lastAt.toISOString(),
      });
      expect(window.records.map((r) => r.action)).toEqual(['case.update']);
      const byUser = await list(adminA, {
        userId: a.users.attorney.id,
        from: startedAt.toISOString(),
      });
      expect(byUser.records).toHaveLength(3);
      expect(byUser.records[0]).toMatchObject({
        action: 'case.view',
        actor: { kind: 'session', userId: a.users.attorney.id },
        caseId: RANDOM_ID,
        at: lastAt.toISOString(),
      });
      const fromDay = await list(adminA, {
        from: startedAt.toISOString().slice(0, 10),
        caseId: RANDOM_ID,
      });
      // Earlier reads of this case's trail are part of it too.
      expect(fromDay.records.filter((r) => r.action !== 'audit.view')).toHaveLength(3);
    });
  });

  describe('the export', () => {
    it('turns cells a spreadsheet would run into text', async () => {
      const audit = t.app.get(AuditTrail);
      const actor = { kind: 'system' as const, userId: null, organisationId: a.organisationId };
      await audit.record({
        action: 'packet.download',
        actor,
        subject: '=HYPERLINK("http://x.example","open")',
      });
      await audit.record({ action: 'packet.download', actor, subject: '-2+3' });
      const res = await request(http)
        .get('/audit/export.csv')
        .query({ action: 'packet.download' })
        .set('Cookie', adminA)
        .expect(200);
      expect(res.text).toContain(`"'=HYPERLINK(""http://x.example"",""open"")"`);
      const rows = parseCsv(res.text);
      expect(rows.slice(1).map((r) => r[7])).toEqual([
        "'-2+3",
        `'=HYPERLINK("http://x.example","open")`,
      ]);
      for (const row of rows) {
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    });

    it('streams a trail longer than one read of the database, every record once', async () => {
      const audit = t.app.get(AuditTrail);
      const actor = { kind: 'system' as const, userId: null, organisationId: b.organisationId };
      for (let i = 0; i < 1203; i++) {
        await audit.record({ action: 'batch.download', actor, subject: `part-${i}.zip` });
      }
      const res = await request(http)
        .get('/audit/export.csv')
        .query({ action: 'batch.download' })
        .set('Cookie', adminB)
        .expect(200);
      const subjects = parseCsv(res.text)
        .slice(1)
        .map((r) => r[7]);
      expect(subjects).toHaveLength(1203);
      expect(new Set(subjects).size).toBe(1203);
      expect(subjects[0]).toBe('part-1202.zip');
      expect(subjects[1202]).toBe('part-0.zip');
    });
  });

  describe('what the records hold', () => {
    it('refuses to record a value where an id belongs', async () => {
      const audit = t.app.get(AuditTrail);
      const actor = { kind: 'system' as const, userId: null, organisationId: a.organisationId };
      const before = await mark();
      await expect(
        audit.record({ action: 'case.view', actor, caseId: 'Jane Doe v. John Doe' }),
      ).rejects.toThrow('caseId is not an id');
      await expect(
        audit.record({ action: 'case.view', actor, subject: 'jane@example.org' }),
      ).rejects.toThrow('subject must be an id or a neutral name');
      await expect(
        audit.record({ action: 'case.view', actor, subject: 'line one\nline two' }),
      ).rejects.toThrow('subject must be an id or a neutral name');
      expect(await since(before)).toHaveLength(0);
    });

    it('no password, email typed at sign-in or token secret is in any row', async () => {
      const rows: unknown[] = await db.query('SELECT * FROM audit_events');
      expect(rows.length).toBeGreaterThan(20);
      const text = JSON.stringify(rows).toLowerCase();
      expect(secrets.length).toBeGreaterThan(10);
      for (const secret of secrets) expect(text).not.toContain(secret.toLowerCase());
      expect(text).not.toContain('@');
      expect(text).not.toContain('pot_');
    });

    it('offers no way to change or remove a record', () => {
      const methods = Object.getOwnPropertyNames(AuditTrail.prototype);
      expect(methods.filter((m) => /update|delete|remove|purge|clear|edit|set/i.test(m))).toEqual(
        [],
      );
    });
  });
});
