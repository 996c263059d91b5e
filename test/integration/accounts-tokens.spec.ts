import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { ApiTokenEntity } from '../../src/accounts/api-token.entity';
import { TEST_DB_KIND } from '../support/database';
import { SeededOrganisation, createAccountsApp, login, seedOrganisation } from './accounts-app';

describe(`API tokens (${TEST_DB_KIND})`, () => {
  let t: Awaited<ReturnType<typeof createAccountsApp>>;
  let http: App;
  let org: SeededOrganisation;
  let admin: string;

  beforeAll(async () => {
    t = await createAccountsApp();
    http = t.http();
    org = await seedOrganisation(t, 'Riverside Law Collective');
    admin = await login(http, org.users.admin.email, org.users.admin.password);
  });

  afterAll(() => t.close());

  const makeToken = async (scopes: string[], name = 'case-management sync') =>
    (await request(http).post('/tokens').set('Cookie', admin).send({ name, scopes }).expect(201))
      .body as { id: string; token: string; scopes: string[] };

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('shows a new token once, recognisably prefixed, and never again', async () => {
    const created = await request(http)
      .post('/tokens')
      .set('Cookie', admin)
      .send({ name: 'nightly export', scopes: ['cases:read', 'audit:read'] })
      .expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'nightly export',
      scopes: ['cases:read', 'audit:read'],
      createdBy: org.users.admin.id,
      revokedAt: null,
    });
    expect(created.body.token).toMatch(/^pot_[A-Za-z0-9_-]{43}$/);
    const listed = await request(http).get('/tokens').set('Cookie', admin).expect(200);
    const row = (listed.body as { id: string }[]).find((x) => x.id === created.body.id);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('token');
    expect(listed.text).not.toContain(created.body.token);
  });

  it('stores only the hash: no row holds the token', async () => {
    const { token } = await makeToken(['cases:read']);
    const rows = await t.app.get(DataSource).getRepository(ApiTokenEntity).find();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
  });

  it('authenticates with Authorization: Bearer', async () => {
    const { token } = await makeToken(['cases:read']);
    const me = await request(http).get('/auth/me').set(bearer(token)).expect(200);
    expect(me.body.id).toBe(org.users.admin.id);
  });

  it("limits a token to its scopes even when its maker's role allows more", async () => {
    const { token } = await makeToken(['cases:read']);
    const res = await request(http).get('/users').set(bearer(token)).expect(403);
    expect(res.body.code).toBe('forbidden');
    await request(http).get('/tokens').set(bearer(token)).expect(403);
  });

  it('refuses to grant scopes outside the fixed list, including managing users or tokens', async () => {
    for (const scopes of [['users:manage'], ['tokens:manage'], ['cases:shred'], []]) {
      const res = await request(http)
        .post('/tokens')
        .set('Cookie', admin)
        .send({ name: 'too much', scopes })
        .expect(400);
      expect(res.body.details[0].field).toBe('scopes');
    }
  });

  it('refuses a revoked token with the same answer as an unknown one', async () => {
    const { id, token } = await makeToken(['cases:read']);
    await request(http).get('/auth/me').set(bearer(token)).expect(200);
    await request(http).delete(`/tokens/${id}`).set('Cookie', admin).expect(204);
    const revoked = await request(http).get('/auth/me').set(bearer(token)).expect(401);
    const unknown = await request(http)
      .get('/auth/me')
      .set(bearer(`pot_${'x'.repeat(43)}`))
      .expect(401);
    expect(revoked.text).toBe(unknown.text);
    const listed = await request(http).get('/tokens').set('Cookie', admin).expect(200);
    expect(
      (listed.body as { id: string; revokedAt: string | null }[]).find((x) => x.id === id),
    ).toMatchObject({ revokedAt: expect.any(String) });
  });

  it('does not fall back to the session cookie when the bearer token is bad', async () => {
    await request(http).get('/auth/me').set('Cookie', admin).set(bearer('nonsense')).expect(401);
    await request(http)
      .get('/auth/me')
      .set('Cookie', admin)
      .set('Authorization', 'Basic abc')
      .expect(401);
  });

  it("stops working when its maker's account is disabled", async () => {
    const other = await seedOrganisation(t, 'Token Maker Office');
    const otherAdmin = await login(http, other.users.admin.email, other.users.admin.password);
    const created = await request(http)
      .post('/tokens')
      .set('Cookie', otherAdmin)
      .send({ name: 'sync', scopes: ['cases:read'] })
      .expect(201);
    await request(http).get('/auth/me').set(bearer(created.body.token)).expect(200);
    // A second admin disables the first.
    const second = await request(http)
      .post('/users')
      .set('Cookie', otherAdmin)
      .send({
        email: 'second-admin@token-maker.example',
        password: 'quiet river under old bridges',
        role: 'admin',
      })
      .expect(201);
    const secondCookie = await login(http, second.body.email, 'quiet river under old bridges');
    await request(http)
      .post(`/users/${other.users.admin.id}/disable`)
      .set('Cookie', secondCookie)
      .expect(200);
    await request(http).get('/auth/me').set(bearer(created.body.token)).expect(401);
  });

  it("cannot see or revoke another organisation's tokens: 404 as for an unknown id", async () => {
    const { id } = await makeToken(['cases:read']);
    const other = await seedOrganisation(t, 'Northside Advocates');
    const otherAdmin = await login(http, other.users.admin.email, other.users.admin.password);
    const listed = await request(http).get('/tokens').set('Cookie', otherAdmin).expect(200);
    expect(listed.body).toEqual([]);
    const theirs = await request(http)
      .delete(`/tokens/${id}`)
      .set('Cookie', otherAdmin)
      .expect(404);
    const nothing = await request(http)
      .delete('/tokens/5b0c2f0e-8f5d-4d47-9a3a-1f1f2a7a9e11')
      .set('Cookie', otherAdmin)
      .expect(404);
    expect(theirs.text).toBe(nothing.text);
  });

  it('lets only admins manage tokens', async () => {
    const attorney = await login(http, org.users.attorney.email, org.users.attorney.password);
    await request(http).get('/tokens').set('Cookie', attorney).expect(403);
    await request(http)
      .post('/tokens')
      .set('Cookie', attorney)
      .send({ name: 'mine', scopes: ['cases:read'] })
      .expect(403);
  });
});
