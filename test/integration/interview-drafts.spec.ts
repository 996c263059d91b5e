import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { runCli } from '../../src/cli/main';
import { generateResumeCode } from '../../src/interview/resume-code';
import { InterviewDraftEntity } from '../../src/interview/interview-draft.entity';
import type { ScreenView } from '../../src/interview/interview-engine';
import { RetentionService } from '../../src/retention/retention.service';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { screenKey } from '../support/interview-driver';
import { SCRIPT } from '../support/interview-script';
import { Started, TestClock, startInterview } from './interview-app';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60_000;
const NAME = 'Ana Lucía Torres';

/** Every string in an answer, to look for in what is stored. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe(`interview drafts at rest (${TEST_DB_KIND})`, () => {
  const clock = new TestClock();
  let t: TestApp;
  let http: App;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ PURGE_INTERVAL_MINUTES: '0' }, { overrides: [clock.provider()] });
    http = t.app.getHttpServer() as App;
    ds = t.app.get(DataSource);
  });

  afterAll(() => t.close());

  /** Answers scripted screens from the first one on; returns every answer given. */
  async function answerScreens(started: Started, count: number): Promise<unknown[]> {
    const given: unknown[] = [];
    let screen = started.screen;
    for (let i = 0; i < count; i++) {
      const answers = SCRIPT[screenKey(screen.position)];
      if (!answers) break;
      given.push(answers);
      const res = await request(http)
        .post(`/interview/${started.sessionId}/answers`)
        .send({ answers })
        .expect(200);
      screen = (res.body as { screen: ScreenView }).screen;
    }
    return given;
  }

  function resume(code: string) {
    return request(http).post('/interview/resume').send({ code });
  }

  const drafts = () => ds.getRepository(InterviewDraftEntity);

  it('stores nothing readable: no column, as text or decoded, holds a name or an answer', async () => {
    const started = await startInterview(http);
    const given = await answerScreens(started, 12);
    expect(given.length).toBeGreaterThanOrEqual(8);
    const secrets = [
      NAME,
      'Torres',
      'generic-us',
      'petitioner',
      started.resumeCode,
      ...started.resumeCode.split(' ').filter((w) => w.length >= 5),
      ...strings(given).filter((s) => s.length >= 5),
    ];
    expect(secrets).toEqual(expect.arrayContaining(['PO Box 4411', 'Luis Ramos']));

    const rows = (await ds.query('SELECT * FROM interview_drafts')) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(Object.keys(row).sort()).toEqual([
      'ciphertext',
      'created_at',
      'expires_at',
      'id',
      'kdf',
      'locator',
      'nonce',
      'updated_at',
    ]);
    expect(String(row.ciphertext).length).toBeGreaterThan(500);
    for (const [column, value] of Object.entries(row)) {
      const text = value instanceof Date ? value.toISOString() : String(value);
      const decoded = Buffer.from(text, 'base64');
      for (const secret of secrets) {
        const where = `${column} holding "${secret}"`;
        expect({ where, found: text.toLowerCase().includes(secret.toLowerCase()) }).toEqual({
          where,
          found: false,
        });
        expect({ where, found: decoded.includes(Buffer.from(secret, 'utf8')) }).toEqual({
          where,
          found: false,
        });
      }
    }

    if (TEST_DB_KIND === 'sqlite') {
      // The database files themselves, journal included: no page holds the name in any form.
      const files = ['', '-wal', '-shm']
        .map((suffix) => `${t.env.config.sqlitePath}${suffix}`)
        .filter(existsSync);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const bytes = readFileSync(file);
        for (const secret of [NAME, 'PO Box 4411', 'Luis Ramos']) {
          expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
          expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
        }
      }
    }
    await request(http).delete(`/interview/${started.sessionId}`).expect(204);
  });

  it('opens only with its own code, however it is typed', async () => {
    const started = await startInterview(http);
    const after = await request(http)
      .post(`/interview/${started.sessionId}/answers`)
      .send({ answers: SCRIPT['your-name'] })
      .expect(200);
    const words = started.resumeCode.split(' ');

    const other = await resume(generateResumeCode()).expect(400);
    expect(other.body).toEqual({
      code: 'resume_code_invalid',
      message: 'This code does not open a saved interview. Check each word and try again.',
      details: [{ field: 'code', message: other.body.message as string }],
    });
    const oneWordOff = [...words.slice(0, 7), words[7] === 'zoo' ? 'abandon' : 'zoo'].join(' ');
    expect((await resume(oneWordOff).expect(400)).body.code).toBe('resume_code_invalid');

    const typed = words.map((w, i) => (i % 2 ? w.toUpperCase() : w.slice(0, 4))).join(' - ');
    const opened = await resume(typed).expect(200).expect('Cache-Control', 'no-store');
    expect(opened.body.sessionId).not.toBe(started.sessionId);
    expect(opened.body.resumeCode).toBeUndefined();
    expect(opened.body.screen.title).toBe(after.body.screen.title);
    const back = await request(http).post(`/interview/${opened.body.sessionId}/back`).expect(200);
    expect(back.body.screen.questions[0].value).toBe(NAME);
    await request(http).delete(`/interview/${opened.body.sessionId}`).expect(204);
  });

  it('expires: readable until its day, unreadable after, then purged by the sweep', async () => {
    const retention = t.app.get(RetentionService);
    const first = await startInterview(http);
    await answerScreens(first, 1);
    await request(http).post(`/interview/${first.sessionId}/lock`).expect(204);

    clock.advance(30 * DAY - MINUTE);
    const reopened = await resume(first.resumeCode).expect(200);
    await request(http).post(`/interview/${reopened.body.sessionId}/lock`).expect(204);
    const second = await startInterview(http);
    await request(http).post(`/interview/${second.sessionId}/lock`).expect(204);

    clock.advance(2 * MINUTE);
    expect((await resume(first.resumeCode).expect(400)).body.code).toBe('resume_code_invalid');
    // Unreadable at once, while the row is still there for the sweep.
    expect(await drafts().count()).toBe(2);
    expect(await retention.purgeExpiredDrafts(new Date(clock.now()))).toBe(1);
    expect(await drafts().count()).toBe(1);
    expect((await resume(first.resumeCode).expect(400)).body.code).toBe('resume_code_invalid');
    const kept = await resume(second.resumeCode).expect(200);
    await request(http).post(`/interview/${kept.body.sessionId}/lock`).expect(204);
  });

  it('the purge command deletes expired drafts and says how many', async () => {
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const started = await startInterview(http);
      // The command runs on the real clock: every draft there is made to expire an hour ago.
      await drafts()
        .createQueryBuilder()
        .update()
        .set({ expiresAt: new Date(Date.now() - 60 * MINUTE) })
        .execute();
      expect(await drafts().count()).toBe(2);
      const env = {
        DATA_DIR: t.env.dataDir,
        ...(t.env.config.DATABASE_URL ? { DATABASE_URL: t.env.config.DATABASE_URL } : {}),
      };
      expect(await runCli(['purge'], env)).toBe(0);
      expect(out.join('\n')).toContain('Purged 2 expired interview draft(s)');
      expect(await drafts().count()).toBe(0);
      await request(http).get(`/interview/${started.sessionId}`).expect(404);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });
});
