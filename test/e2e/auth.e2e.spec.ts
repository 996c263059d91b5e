import request from 'supertest';
import type { App } from 'supertest/types';
import { UsersService } from '../../src/accounts/users.service';
import { JsonLogger } from '../../src/logging/json-logger';
import { TestApp, createTestApp } from '../support/app';

/**
 * Staff sign-in through the whole service with the real JSON logger at its most verbose: the
 * cookie carries the right attributes behind HTTPS, and no line ever holds a password, a session
 * or API token, or an email address.
 */
describe('staff authentication end to end', () => {
  const lines: string[] = [];
  let t: TestApp;
  let http: App;
  const email = 'sentinel.staffer@logcheck.example';
  const password = 'SENTINELPASS tangerine orbit glacier';
  const secrets: string[] = [
    email,
    'sentinel.staffer',
    password,
    'SENTINELPASS',
    'wrong SENTINELGUESS',
  ];

  beforeAll(async () => {
    const logger = new JsonLogger('debug', { sink: (l) => lines.push(l), production: false });
    t = await createTestApp({ COOKIE_SECURE: 'true' }, { logger });
    http = t.app.getHttpServer() as App;
    const users = t.app.get(UsersService);
    const org = await users.createOrganisation('Logcheck Legal');
    await users.create({ organisationId: org.id, email, password, role: 'admin' });
  });

  afterAll(() => t.close());

  it('marks the cookie Secure when COOKIE_SECURE is set, and keeps tokens out of every log line', async () => {
    await request(http)
      .post('/auth/login')
      .send({ email, password: 'wrong SENTINELGUESS' })
      .expect(401);
    await request(http)
      .post('/auth/login')
      .send({ email: 'nobody.sentinel@logcheck.example', password: 'wrong SENTINELGUESS' })
      .expect(401);
    const res = await request(http).post('/auth/login').send({ email, password }).expect(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = setCookie.split(';', 1)[0] ?? '';
    const sessionToken = cookie.split('=')[1] ?? '';

    const created = await request(http)
      .post('/tokens')
      .set('Cookie', cookie)
      .send({ name: 'sync', scopes: ['cases:read'] })
      .expect(201);
    const apiToken = created.body.token as string;
    await request(http).get('/auth/me').set('Authorization', `Bearer ${apiToken}`).expect(200);
    await request(http)
      .post('/users')
      .set('Cookie', cookie)
      .send({
        email: 'second.sentinel@logcheck.example',
        password: 'Password2026!',
        role: 'attorney',
      })
      .expect(400);
    await request(http).post('/auth/logout').set('Cookie', cookie).expect(204);

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const s of [
      ...secrets,
      sessionToken,
      apiToken,
      apiToken.slice(4),
      'second.sentinel',
      'Password2026!',
      'nobody.sentinel',
    ]) {
      expect([s, log.includes(s)]).toEqual([s, false]);
    }
    expect(log).toMatch(/staff signed in/);
  });
});
