import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { App } from 'supertest/types';
import { ApiTokensService } from '../../src/accounts/api-tokens.service';
import { ROLE_PERMISSIONS, Permission, Role } from '../../src/accounts/permissions';
import { UsersService } from '../../src/accounts/users.service';

/** Requests to the API as one staff account, through an API token made for it. */
export interface StaffApi {
  organisationId: string;
  userId: string;
  token: string;
  get(url: string): request.Test;
  post(url: string): request.Test;
  put(url: string): request.Test;
  delete(url: string): request.Test;
}

let accounts = 0;

/**
 * An organisation (new, or `organisationId`) with one account of `role` and a token for it with
 * every permission of the role unless `scopes` narrows it.
 */
export async function staffApi(
  app: INestApplication,
  options: { role?: Role; scopes?: Permission[]; organisationId?: string } = {},
): Promise<StaffApi> {
  const role = options.role ?? 'attorney';
  const users = app.get(UsersService);
  const organisationId =
    options.organisationId ?? (await users.createOrganisation(`Clinic ${++accounts}`)).id;
  const user = await users.create({
    organisationId,
    email: `${role}.${++accounts}.${Date.now()}@clinic.example`,
    password: 'a long enough passphrase for tests',
    role,
  });
  const scopes = options.scopes ?? [...ROLE_PERMISSIONS[role]];
  const { token } = await app.get(ApiTokensService).create(
    {
      userId: user.id,
      organisationId,
      role,
      permissions: ROLE_PERMISSIONS[role],
      via: { kind: 'session', sessionId: 'test' },
    },
    'tests',
    scopes,
  );
  const http = app.getHttpServer() as App;
  const auth = (t: request.Test): request.Test => t.set('Authorization', `Bearer ${token}`);
  return {
    organisationId,
    userId: user.id,
    token,
    get: (url) => auth(request(http).get(url)),
    post: (url) => auth(request(http).post(url)),
    put: (url) => auth(request(http).put(url)),
    delete: (url) => auth(request(http).delete(url)),
  };
}

/** A browser with its own cookies, signed in through the sign-in page. */
export class StaffAgent {
  readonly agent: TestAgent;

  constructor(http: App) {
    this.agent = request.agent(http);
  }

  async signIn(email: string, password: string): Promise<void> {
    const res = await this.agent.post('/staff/login').type('form').send({ email, password });
    expect(res.status).toBe(303);
  }
}

export type StaffRole = 'admin' | 'attorney' | 'paralegal';

/** `browser`, once signed in as `account`. */
export async function signInAs<B extends { signIn(email: string, password: string): unknown }>(
  browser: B,
  account: { email: string; password: string },
): Promise<B> {
  await browser.signIn(account.email, account.password);
  return browser;
}
