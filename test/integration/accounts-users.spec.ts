import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { UserEntity } from '../../src/accounts/user.entity';
import { TEST_DB_KIND } from '../support/database';
import { SeededOrganisation, createAccountsApp, login, seedOrganisation } from './accounts-app';

const RANDOM_ID = '9d7e6c1a-3b2f-4e8d-a1c0-5f4e3d2c1b0a';

describe(`staff accounts and the permission guard (${TEST_DB_KIND})`, () => {
  let t: Awaited<ReturnType<typeof createAccountsApp>>;
  let http: App;
  let a: SeededOrganisation;
  let b: SeededOrganisation;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await createAccountsApp();
    http = t.http();
    a = await seedOrganisation(t, 'Eastgate Legal Aid');
    b = await seedOrganisation(t, 'Westbrook Family Law');
    for (const role of ['admin', 'attorney', 'paralegal'] as const) {
      cookies[role] = await login(http, a.users[role].email, a.users[role].password);
    }
    cookies.otherAdmin = await login(http, b.users.admin.email, b.users.admin.password);
  });

  afterAll(() => t.close());

  it('lets an admin create an account in their own organisation, stored lower-cased and hashed', async () => {
    const password = 'lemon boats drift past harbour cranes';
    const res = await request(http)
      .post('/users')
      .set('Cookie', cookies.admin ?? '')
      .send({ email: 'New.Paralegal@Eastgate.example', password, role: 'paralegal' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      organisationId: a.organisationId,
      email: 'new.paralegal@eastgate.example',
      role: 'paralegal',
      createdAt: expect.any(String),
      disabledAt: null,
    });
    const row = await t.app
      .get(DataSource)
      .getRepository(UserEntity)
      .findOneByOrFail({ id: res.body.id });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.passwordHash).not.toContain(password);
    await login(http, 'NEW.PARALEGAL@eastgate.example', password);
  });

  it('refuses a weak initial password with a 400 naming the field, never echoing it', async () => {
    for (const password of [
      'short pw',
      'Password2026!',
      'eastgatelegalaid99',
      'aaaaaaaaaaaaaaaa',
    ]) {
      const res = await request(http)
        .post('/users')
        .set('Cookie', cookies.admin ?? '')
        .send({ email: 'weak@eastgate.example', password, role: 'attorney' })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('password');
      expect(res.text).not.toContain(password);
    }
  });

  it('refuses an email that already has an account, and an unknown role', async () => {
    const taken = await request(http)
      .post('/users')
      .set('Cookie', cookies.admin ?? '')
      .send({
        email: b.users.attorney.email.toUpperCase(),
        password: 'purple anchors sleep soundly',
        role: 'attorney',
      })
      .expect(400);
    expect(taken.body.details[0].field).toBe('email');
    const role = await request(http)
      .post('/users')
      .set('Cookie', cookies.admin ?? '')
      .send({
        email: 'x@eastgate.example',
        password: 'purple anchors sleep soundly',
        role: 'owner',
      })
      .expect(400);
    expect(role.body.details[0].field).toBe('role');
  });

  it('lists only the caller organisation’s accounts, without password hashes', async () => {
    const res = await request(http)
      .get('/users')
      .set('Cookie', cookies.admin ?? '')
      .expect(200);
    const orgs = new Set((res.body as { organisationId: string }[]).map((u) => u.organisationId));
    expect([...orgs]).toEqual([a.organisationId]);
    expect(res.text).not.toMatch(/argon2|passwordHash/);
  });

  it.each(['attorney', 'paralegal'])(
    'refuses the %s role managing users with 403',
    async (role) => {
      const cookie = cookies[role] ?? '';
      const list = await request(http).get('/users').set('Cookie', cookie).expect(403);
      expect(list.body).toEqual({ code: 'forbidden', message: expect.any(String), details: [] });
      await request(http)
        .post('/users')
        .set('Cookie', cookie)
        .send({
          email: 'sneaky@eastgate.example',
          password: 'purple anchors sleep soundly',
          role: 'admin',
        })
        .expect(403);
      await request(http)
        .post(`/users/${a.users.admin.id}/disable`)
        .set('Cookie', cookie)
        .expect(403);
    },
  );

  it('refuses an anonymous caller with 401 before anything else', async () => {
    await request(http).get('/users').expect(401);
    await request(http).post(`/users/${RANDOM_ID}/disable`).expect(401);
  });

  it.each([
    ['GET', ''],
    ['POST', '/disable'],
  ])(
    "answers %s on another organisation's user exactly as on a random id",
    async (method, suffix) => {
      const send = (id: string) => {
        const url = `/users/${id}${suffix}`;
        const r = method === 'GET' ? request(http).get(url) : request(http).post(url);
        return r.set('Cookie', cookies.otherAdmin ?? '');
      };
      const theirs = await send(a.users.attorney.id);
      const random = await send(RANDOM_ID);
      const malformed = await send('not-an-id');
      expect(theirs.status).toBe(404);
      expect(theirs.text).toBe(random.text);
      expect(malformed.text).toBe(random.text);
      // Nothing happened to the other organisation's account.
      await request(http)
        .get('/auth/me')
        .set('Cookie', cookies.attorney ?? '')
        .expect(200);
    },
  );

  it('does not let an admin disable their own account', async () => {
    const res = await request(http)
      .post(`/users/${a.users.admin.id}/disable`)
      .set('Cookie', cookies.admin ?? '')
      .expect(400);
    expect(res.body.details[0].field).toBe('id');
  });
});
