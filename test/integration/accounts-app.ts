import request from 'supertest';
import type { App } from 'supertest/types';
import { ACCOUNTS_CLOCK } from '../../src/accounts/clock';
import type { Role } from '../../src/accounts/permissions';
import { UsersService } from '../../src/accounts/users.service';
import { TestApp, createTestApp } from '../support/app';

/** Time for staff sessions and the login throttle, moved by the test instead of waited for. */
export class AccountsTestClock {
  private at = Date.UTC(2026, 2, 2, 9, 0, 0);

  readonly now = (): number => this.at;

  advance(ms: number): void {
    this.at += ms;
  }
}

export const MINUTE = 60_000;

/** The whole service on a fresh migrated database, with the accounts' clock given. */
export async function createAccountsApp(
  clock = new AccountsTestClock(),
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<TestApp & { clock: AccountsTestClock; http: () => App }> {
  const t = await createTestApp(extraEnv, {
    overrides: [{ provide: ACCOUNTS_CLOCK, useValue: clock.now }],
  });
  return { ...t, clock, http: () => t.app.getHttpServer() as App };
}

/** Distinct, policy-meeting passwords for seeded accounts. */
export const PASSWORDS: Record<Role, string> = {
  admin: 'amber kettle under the stairs',
  attorney: 'seven herons fold the map',
  paralegal: 'violet tram past the lighthouse',
};

export interface SeededOrganisation {
  organisationId: string;
  users: Record<Role, { id: string; email: string; password: string }>;
}

/** An organisation with one account of each role, made through the service the API uses. */
export async function seedOrganisation(app: TestApp, name: string): Promise<SeededOrganisation> {
  const users = app.app.get(UsersService);
  const org = await users.createOrganisation(name);
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const out: Partial<SeededOrganisation['users']> = {};
  for (const role of ['admin', 'attorney', 'paralegal'] as const) {
    const email = `${role}@${slug}.example`;
    const user = await users.create({
      organisationId: org.id,
      email,
      password: PASSWORDS[role],
      role,
    });
    out[role] = { id: user.id, email, password: PASSWORDS[role] };
  }
  return { organisationId: org.id, users: out as SeededOrganisation['users'] };
}

/** The `staff_session=...` pair from a response's Set-Cookie, ready to send back. */
export function sessionCookie(res: request.Response): string {
  const raw = res.headers['set-cookie'] as unknown;
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  const line = lines.find((l) => l.startsWith('staff_session='));
  if (!line) throw new Error('no staff_session cookie was set');
  return line.split(';', 1)[0] ?? '';
}

export async function login(
  http: App,
  email: string,
  password: string,
  cookie?: string,
): Promise<string> {
  const req = request(http).post('/auth/login').send({ email, password });
  if (cookie) void req.set('Cookie', cookie);
  const res = await req;
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return sessionCookie(res);
}
