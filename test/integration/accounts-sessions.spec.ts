import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { StaffSessionEntity } from '../../src/accounts/staff-session.entity';
import { TEST_DB_KIND } from '../support/database';
import {
  MINUTE,
  SeededOrganisation,
  createAccountsApp,
  login,
  seedOrganisation,
  sessionCookie,
} from './accounts-app';

describe(`staff sign-in and sessions (${TEST_DB_KIND})`, () => {
  let t: Awaited<ReturnType<typeof createAccountsApp>>;
  let http: App;
  let org: SeededOrganisation;

  beforeAll(async () => {
    t = await createAccountsApp();
    http = t.http();
    org = await seedOrganisation(t, 'Harbour Legal Aid');
  });

  afterAll(() => t.close());

  const me = (cookie: string) => request(http).get('/auth/me').set('Cookie', cookie);

  it('signs in with the right password and sets a strict, HttpOnly session cookie', async () => {
    const { email, password, id } = org.users.attorney;
    const res = await request(http)
      .post('/auth/login')
      .send({ email: email.toUpperCase(), password })
      .expect(200);
    expect(res.body.user).toMatchObject({ id, email, role: 'attorney' });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^staff_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    expect((await me(sessionCookie(res)).expect(200)).body).toMatchObject({ id });
  });

  it('stores only the hash of the session token', async () => {
    const cookie = await login(http, org.users.attorney.email, org.users.attorney.password);
    const token = cookie.split('=')[1] ?? '';
    const rows = await t.app.get(DataSource).getRepository(StaffSessionEntity).find();
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('answers an unknown email and a wrong password byte for byte the same', async () => {
    const unknown = await request(http)
      .post('/auth/login')
      .send({ email: 'nobody@harbour-legal-aid.example', password: 'some long passphrase here' });
    const wrong = await request(http)
      .post('/auth/login')
      .send({ email: org.users.paralegal.email, password: 'some long passphrase here' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
    expect(JSON.parse(unknown.text)).toEqual({
      code: 'unauthorized',
      message: expect.any(String),
      details: [],
    });
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('rotates the session at sign-in: the cookie the browser carried no longer works', async () => {
    const { email, password } = org.users.paralegal;
    const first = await login(http, email, password);
    const second = await login(http, email, password, first);
    expect(second).not.toBe(first);
    await me(first).expect(401);
    await me(second).expect(200);
  });

  it('ends the session on the server at logout', async () => {
    const cookie = await login(http, org.users.paralegal.email, org.users.paralegal.password);
    const res = await request(http).post('/auth/logout').set('Cookie', cookie).expect(204);
    expect(String(res.headers['set-cookie'])).toMatch(/staff_session=;/);
    await me(cookie).expect(401);
  });

  it('ends a session left idle for STAFF_IDLE_MINUTES, and keeps an active one going', async () => {
    const cookie = await login(http, org.users.attorney.email, org.users.attorney.password);
    t.clock.advance(29 * MINUTE);
    await me(cookie).expect(200);
    t.clock.advance(29 * MINUTE);
    await me(cookie).expect(200);
    t.clock.advance(30 * MINUTE);
    await me(cookie).expect(401);
    t.clock.advance(-30 * MINUTE);
    // Ended on the server when found idle: turning the clock back does not revive it.
    await me(cookie).expect(401);
    t.clock.advance(30 * MINUTE);
  });

  it('ends a session STAFF_SESSION_HOURS after sign-in however active it is', async () => {
    const cookie = await login(http, org.users.attorney.email, org.users.attorney.password);
    for (let i = 0; i < 12 * 3 - 1; i++) {
      t.clock.advance(20 * MINUTE);
      await me(cookie).expect(200);
    }
    t.clock.advance(20 * MINUTE);
    await me(cookie).expect(401);
  });

  it('ends every session of an account the moment it is disabled', async () => {
    const seeded = await seedOrganisation(t, 'Disable Test Office');
    const admin = await login(http, seeded.users.admin.email, seeded.users.admin.password);
    const { email, password, id } = seeded.users.attorney;
    const phone = await login(http, email, password);
    const laptop = await login(http, email, password);
    await me(phone).expect(200);
    const res = await request(http).post(`/users/${id}/disable`).set('Cookie', admin).expect(200);
    expect(res.body.disabledAt).toEqual(expect.any(String));
    await me(phone).expect(401);
    await me(laptop).expect(401);
    const rows = await t.app
      .get(DataSource)
      .getRepository(StaffSessionEntity)
      .findBy({ userId: id });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.endedAt !== null)).toBe(true);
    // The disabled account cannot sign in again, and is told exactly what a wrong password is.
    const disabled = await request(http).post('/auth/login').send({ email, password }).expect(401);
    const wrong = await request(http)
      .post('/auth/login')
      .send({ email: seeded.users.paralegal.email, password: 'not the right passphrase' })
      .expect(401);
    expect(disabled.text).toBe(wrong.text);
  });

  it('throttles repeated failures for one email with 429 and Retry-After', async () => {
    const seeded = await seedOrganisation(t, 'Throttle Office');
    const { email, password } = seeded.users.attorney;
    for (let i = 0; i < 5; i++) {
      await request(http)
        .post('/auth/login')
        .send({ email, password: `wrong guess number ${i}` })
        .expect(401);
    }
    const res = await request(http).post('/auth/login').send({ email, password }).expect(429);
    expect(res.body).toEqual({
      code: 'too_many_attempts',
      message: expect.any(String),
      details: [{ message: expect.any(String), retryAfterSeconds: 15 * 60 }],
    });
    expect(res.headers['retry-after']).toBe(String(15 * 60));
    t.clock.advance(15 * MINUTE);
    await request(http).post('/auth/login').send({ email, password }).expect(200);
  });

  it('throttles one client address trying many emails', async () => {
    // Earlier tests' failures come from the same address: let them age out first.
    t.clock.advance(15 * MINUTE);
    for (let i = 0; i < 20; i++) {
      await request(http)
        .post('/auth/login')
        .send({ email: `probe${i}@elsewhere.example`, password: 'not the password at all' })
        .expect(401);
    }
    const res = await request(http)
      .post('/auth/login')
      .send({ email: org.users.admin.email, password: org.users.admin.password })
      .expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * MINUTE);
  });

  it('refuses requests without a session, or with a made-up one, with one answer', async () => {
    const none = await request(http).get('/auth/me').expect(401);
    const forged = await me('staff_session=' + 'A'.repeat(43)).expect(401);
    expect(forged.text).toBe(none.text);
  });
});
