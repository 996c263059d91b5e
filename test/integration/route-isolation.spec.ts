import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { requiredPermissionsOf } from '../../src/accounts/permission.guard';
import { projectRoot } from '../../src/config/project-root';
import { PackVersionEntity } from '../../src/pack-uploads/pack-version.entity';
import { Permission, ROLES, ROLE_PERMISSIONS, Role } from '../../src/accounts/permissions';
import { TestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { cellsOf, csvText } from '../../src/batches/input/batch-test-helpers';
import { fixture } from '../support/fixtures';
import { createAccountsApp, login, seedOrganisation } from './accounts-app';

interface Route {
  method: string;
  path: string;
  controller: string;
  /** Undefined for a route outside the staff guard. */
  permissions: Permission[] | undefined;
}

/** Every route the application serves, read from the controllers Nest registered. */
function routeTable(app: INestApplication): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({
          method: RequestMethod[method],
          path: full,
          controller: controller.name,
          permissions: requiredPermissionsOf(handler as () => unknown, controller),
        });
      }
    }
  }
  return routes;
}

/**
 * Routes outside the staff guard, on purpose: the petitioner's interview (reached by a secret
 * session id, never by a guessable id), its pages, health, and signing in and out. A new route
 * that is neither guarded nor listed here fails this test.
 */
const OPEN_CONTROLLERS = new Set(['WebController', 'InterviewController', 'HealthController']);
const OPEN_ROUTES = new Set([
  'POST /auth/login',
  'POST /auth/logout',
  'GET /staff/login',
  'POST /staff/login',
]);

const PUT_CASE_BODY = (): object => ({ facts: fixture('typical') });

describe(`every staff route, by role and by organisation (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let routes: Route[];
  const cookies: Record<'a' | 'b', Record<Role, string>> = { a: {} as never, b: {} as never };
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createAccountsApp();
    http = t.app.getHttpServer() as App;
    routes = routeTable(t.app);
    const a = await seedOrganisation(t, 'Harbour Legal Aid');
    const b = await seedOrganisation(t, 'Hillside Law');
    for (const role of ROLES) {
      cookies.a[role] = await login(http, a.users[role].email, a.users[role].password);
      cookies.b[role] = await login(http, b.users[role].email, b.users[role].password);
    }
    // Organisation A's things, which organisation B must never reach.
    const asA = (r: request.Test): request.Test => r.set('Cookie', cookies.a.admin);
    const created = await asA(request(http).post('/cases'))
      .send({ packId: 'generic-us', facts: fixture('typical') })
      .expect(201);
    const caseId = (created.body as { id: string }).id;
    const packet = await asA(request(http).post(`/cases/${caseId}/packets`)).expect(201);
    const token = await asA(request(http).post('/tokens'))
      .send({ name: 'case system', scopes: ['cases:read'] })
      .expect(201);
    const batch = await asA(request(http).post('/batches?packId=generic-us&mode=run'))
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(csvText([cellsOf('minimal')]), 'utf8'))
      .expect(201);
    const batchId = (batch.body as { batch: { id: string } }).batch.id;
    // Its events stream ends only when the batch does.
    for (let i = 0; i < 1200; i++) {
      const state = await asA(request(http).get(`/batches/${batchId}`));
      if ((state.body as { finishedAt: string | null }).finishedAt) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // A version of a pack of A's own; stored as a row is enough, since B must not get past it.
    const packVersion = randomUUID();
    await t.app
      .get(DataSource)
      .getRepository(PackVersionEntity)
      .insert({
        id: packVersion,
        organisationId: a.organisationId,
        packId: 'generic-us',
        version: '9.0.0',
        status: 'retired',
        activePackId: null,
        sha256: '0'.repeat(64),
        // The manifest as a stored version holds it: the list and the version page read it.
        manifest: readFileSync(
          join(projectRoot(), 'templates', 'generic-us', 'manifest.json'),
          'utf8',
        ),
        files: '{}',
        createdBy: a.users.admin.id,
        createdAt: new Date(),
        activatedAt: null,
      });
    ids = {
      case: caseId,
      packet: (packet.body as { id: string }).id,
      file: Object.keys((packet.body as { links: { files: object } }).links.files)[0] ?? '',
      user: a.users.paralegal.id,
      token: (token.body as { id: string }).id,
      batch: batchId,
      row: '2',
      packVersion,
    };
  });

  afterAll(() => t.close());

  /** A's id for each parameter of `path`, or a fresh one that names nothing. */
  function concrete(path: string, own: boolean): string {
    // The staff pages name their resources as the API does, under /staff.
    const resource = path.replace(/^\/staff\//, '/').split('/')[1] ?? '';
    return path.replace(/:(\w+)/g, (_m, param: string) => {
      const kind =
        param === 'packetId'
          ? 'packet'
          : param === 'name'
            ? 'file'
            : param === 'caseId' ||
                (param === 'id' && (resource === 'cases' || resource === 'matters'))
              ? 'case'
              : param === 'id' && resource === 'users'
                ? 'user'
                : param === 'id' && resource === 'tokens'
                  ? 'token'
                  : param === 'id' && resource === 'batches'
                    ? 'batch'
                    : param === 'row'
                      ? 'row'
                      : param === 'id' && resource === 'packs'
                        ? 'packVersion'
                        : undefined;
      if (!kind) throw new Error(`no sample id for :${param} in ${path}: add one to this test`);
      if (!own) return kind === 'file' ? 'court-packet.pdf' : randomUUID();
      return encodeURIComponent(ids[kind] ?? '');
    });
  }

  const formTokens = new Map<string, string>();

  /**
   * The session's token, as the staff pages put it in every form: without it a staff page's
   * post is refused before the id in it is looked at, and the isolation would not be tested.
   */
  async function formToken(cookie: string): Promise<string> {
    const known = formTokens.get(cookie);
    if (known !== undefined) return known;
    const page = await request(http).get('/staff/matters').set('Cookie', cookie);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    formTokens.set(cookie, token);
    return token;
  }

  async function send(route: Route, url: string, cookie: string): Promise<request.Response> {
    const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
    const req = request(http)[verb](url).set('Cookie', cookie);
    if (route.method === 'POST' && route.path.startsWith('/staff/')) {
      return req.type('form').send({ _csrf: await formToken(cookie) });
    }
    return route.method === 'PUT' && route.path === '/cases/:id' ? req.send(PUT_CASE_BODY()) : req;
  }

  it('finds the routes: cases, packets, users, tokens and the audit trail are all guarded', () => {
    const guarded = routes.filter((r) => r.permissions !== undefined).map((r) => r.path);
    expect(guarded).toEqual(
      expect.arrayContaining([
        '/cases',
        '/cases/:id',
        '/cases/:caseId/packets/:packetId/files/:name',
        '/users/:id',
        '/tokens/:id',
        '/audit',
      ]),
    );
  });

  it('leaves no route open except the ones listed as open on purpose', () => {
    const open = routes
      .filter((r) => r.permissions === undefined && !OPEN_CONTROLLERS.has(r.controller))
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !OPEN_ROUTES.has(r));
    expect(open).toEqual([]);
  });

  it('refuses every role the table does not allow, with 403, before touching anything', async () => {
    const refused: string[] = [];
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.permissions !== undefined)) {
      for (const role of ROLES) {
        const allowed = (route.permissions ?? []).every((p) => ROLE_PERMISSIONS[role].has(p));
        if (allowed && route.method !== 'GET') continue; // changes are exercised elsewhere
        const res = await send(route, concrete(route.path, true), cookies.a[role]);
        const label = `${role} ${route.method} ${route.path} -> ${res.status}`;
        if (!allowed) (res.status === 403 ? refused : wrong).push(label);
        // An allowed read must work too: a crash would hide behind a test of refusals only.
        if (allowed && (res.status === 401 || res.status === 403 || res.status >= 500)) {
          wrong.push(label);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
  });

  it("answers another organisation's ids exactly like ids that do not exist", async () => {
    const differences: string[] = [];
    let compared = 0;
    for (const route of routes.filter((r) => r.permissions !== undefined)) {
      if (!route.path.includes(':')) continue;
      // B's admin may do anything the table allows, so only the organisation can stop it.
      const theirs = await send(route, concrete(route.path, true), cookies.b.admin);
      const missing = await send(route, concrete(route.path, false), cookies.b.admin);
      compared++;
      const same =
        theirs.status === 404 &&
        missing.status === 404 &&
        theirs.text === missing.text &&
        theirs.headers['content-type'] === missing.headers['content-type'];
      if (!same) {
        differences.push(`${route.method} ${route.path}: ${theirs.status} vs ${missing.status}`);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(10);
    // And A's things are all still there.
    const own = await request(http).get(`/cases/${ids.case}`).set('Cookie', cookies.a.attorney);
    expect(own.status).toBe(200);
  });

  it("keeps B's lists free of A's cases", async () => {
    const list = await request(http).get('/cases').set('Cookie', cookies.b.attorney).expect(200);
    expect((list.body as { id: string }[]).map((c) => c.id)).not.toContain(ids.case);
    const mine = await request(http).get('/cases').set('Cookie', cookies.a.attorney).expect(200);
    expect((mine.body as { id: string }[]).map((c) => c.id)).toContain(ids.case);
  });
});
