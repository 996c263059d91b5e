import { Readable } from 'node:stream';
import request from 'supertest';
import type { App } from 'supertest/types';
import { readPassword } from '../../src/accounts/create-admin';
import { runCli } from '../../src/cli/main';
import { TEST_DB_KIND } from '../support/database';
import { createAccountsApp } from './accounts-app';

describe(`create-admin command (${TEST_DB_KIND})`, () => {
  let t: Awaited<ReturnType<typeof createAccountsApp>>;
  let out: string[];
  let err: string[];
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    DATA_DIR: t.env.dataDir,
    ...(t.env.config.DATABASE_URL ? { DATABASE_URL: t.env.config.DATABASE_URL } : {}),
    ...extra,
  });

  beforeAll(async () => {
    t = await createAccountsApp();
  });

  afterAll(() => t.close());

  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    jest.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  });

  afterEach(() => jest.restoreAllMocks());

  const args = [
    'create-admin',
    '--org',
    'Lakeside Legal Services',
    '--email',
    'Chief@Lakeside.example',
  ];

  it('refuses a weak password, says why, and creates nothing', async () => {
    const weak = 'Password2026!';
    expect(await runCli(args, env({ ADMIN_PASSWORD: weak }))).toBe(1);
    const printed = [...out, ...err].join('\n');
    expect(printed).toContain('password');
    expect(printed).toMatch(/common/);
    expect(printed).not.toContain(weak);
    // Nothing was left behind: the same command with a good password creates the organisation.
    expect(await runCli(args, env({ ADMIN_PASSWORD: 'copper gulls over winter dunes' }))).toBe(0);
    expect(out.join('\n')).toMatch(/Organisation created/);
  });

  it('never takes the password from the command line', async () => {
    expect(await runCli([...args, '--password', 'copper gulls over winter dunes'], env())).toBe(2);
    expect(err.join('\n')).not.toContain('copper gulls');
  });

  it('refuses an email that already has an account', async () => {
    expect(await runCli(args, env({ ADMIN_PASSWORD: 'a different long passphrase here' }))).toBe(1);
    expect(err.join('\n')).toMatch(/already has an account/);
  });

  it('creates an admin who can sign in and manage users', async () => {
    const password = 'granite owls keep the night watch';
    const second = [
      'create-admin',
      '--org',
      'Hillcrest Advocates',
      '--email',
      'boss@hillcrest.example',
    ];
    expect(await runCli(second, env({ ADMIN_PASSWORD: password }))).toBe(0);
    const http = t.http() as App;
    const res = await request(http)
      .post('/auth/login')
      .send({ email: 'boss@hillcrest.example', password })
      .expect(200);
    expect(res.body.user.role).toBe('admin');
    const cookie = String(res.headers['set-cookie']).split(';', 1)[0] ?? '';
    await request(http).get('/users').set('Cookie', cookie).expect(200);
    const chief = await request(http)
      .post('/auth/login')
      .send({ email: 'chief@lakeside.example', password: 'copper gulls over winter dunes' })
      .expect(200);
    expect(chief.body.user.role).toBe('admin');
  });

  it('reads the password from standard input when ADMIN_PASSWORD is not set', async () => {
    const stdin = Readable.from(['copper gulls ', 'over winter dunes\nignored second line\n']);
    expect(await readPassword(stdin, () => undefined)).toBe('copper gulls over winter dunes');
  });
});
