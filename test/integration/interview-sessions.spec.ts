import request from 'supertest';
import { App } from 'supertest/types';
import { ResumeKdf } from '../../src/interview/draft-crypto';
import { generateResumeCode } from '../../src/interview/resume-code';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { SCRIPT } from '../support/interview-script';
import { TestClock, startInterview } from './interview-app';

const MINUTE = 60_000;
const NAME = 'Ana Lucía Torres';

/**
 * Sessions lock when idle and the code opens the draft again; wrong codes are throttled per client
 * and per code, answered before any key derivation. Clients are told apart by X-Forwarded-For,
 * which the service trusts because TRUST_PROXY is set.
 */
describe(`interview sessions and resume throttling (${TEST_DB_KIND})`, () => {
  const clock = new TestClock();
  let t: TestApp;
  let http: App;
  let derivations: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp(
      {
        TRUST_PROXY: 'true',
        RESUME_MAX_FAILURES: '3',
        RESUME_WINDOW_MINUTES: '15',
        INTERVIEW_IDLE_MINUTES: '15',
        PURGE_INTERVAL_MINUTES: '0',
      },
      { overrides: [clock.provider()] },
    );
    http = t.app.getHttpServer() as App;
    // Counts derivations; each still runs for real.
    derivations = jest.spyOn(t.app.get(ResumeKdf), 'derive');
  });

  afterAll(async () => {
    derivations.mockRestore();
    await t.close();
  });

  function resume(code: string, client: string) {
    return request(http).post('/interview/resume').set('X-Forwarded-For', client).send({ code });
  }

  /** Runs `step` and says how many key derivations it caused. */
  async function derivationsDuring(step: () => Promise<unknown>): Promise<number> {
    const before = derivations.mock.calls.length;
    await step();
    return derivations.mock.calls.length - before;
  }

  it('locks after the idle time; the code opens the draft again with its answers', async () => {
    const started = await startInterview(http);
    const next = await request(http)
      .post(`/interview/${started.sessionId}/answers`)
      .send({ answers: SCRIPT['your-name'] })
      .expect(200);

    clock.advance(14 * MINUTE);
    await request(http).get(`/interview/${started.sessionId}`).expect(200);
    clock.advance(14 * MINUTE);
    await request(http).get(`/interview/${started.sessionId}`).expect(200);
    clock.advance(15 * MINUTE);
    const locked = await request(http)
      .get(`/interview/${started.sessionId}`)
      .expect(401)
      .expect('Cache-Control', 'no-store');
    expect(locked.body).toEqual({
      code: 'interview_locked',
      message:
        'Su entrevista se bloqueó para proteger sus respuestas. Escriba su código para continuar.',
      details: [],
    });
    await request(http)
      .post(`/interview/${started.sessionId}/answers`)
      .send({ answers: SCRIPT['your-birth'] })
      .expect(401);

    const resumed = await resume(started.resumeCode, '192.0.2.10').expect(200);
    const sessionId = resumed.body.sessionId as string;
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionId).not.toBe(started.sessionId);
    expect(resumed.body).toMatchObject({ language: 'es', packId: 'generic-us' });
    expect(resumed.body.screen.title).toBe(next.body.screen.title);
    const back = await request(http).post(`/interview/${sessionId}/back`).expect(200);
    expect(back.body.screen.questions[0].value).toBe(NAME);
    // The old session stays locked; the new one works.
    await request(http).get(`/interview/${started.sessionId}`).expect(401);
    await request(http).get(`/interview/${sessionId}`).expect(200);
  });

  it('locks at once on request', async () => {
    const { sessionId } = await startInterview(http, 'en');
    await request(http).post(`/interview/${sessionId}/lock`).expect(204);
    const res = await request(http).get(`/interview/${sessionId}`).expect(401);
    expect(res.body.message).toBe(
      'Your interview was locked to protect your answers. Enter your resume code to continue.',
    );
    await request(http).post(`/interview/${sessionId}/lock`).expect(204);
    await request(http).delete(`/interview/${sessionId}`).expect(401);
    // An id never issued, or not even an id, answers not-found, locked or not.
    await request(http)
      .post(`/interview/${'B'.repeat(43)}/lock`)
      .expect(404);
    await request(http).get('/interview/not-a-session').expect(404);
  });

  it('refuses a client after RESUME_MAX_FAILURES wrong codes, before any derivation', async () => {
    const { resumeCode } = await startInterview(http);
    const client = '198.51.100.20';
    for (let i = 0; i < 3; i++) {
      const runs = await derivationsDuring(() => resume(generateResumeCode(), client).expect(400));
      expect(runs).toBe(1);
    }
    let refused: request.Response | undefined;
    expect(
      await derivationsDuring(async () => {
        refused = await resume(resumeCode, client).expect(429).expect('Retry-After', '900');
      }),
    ).toBe(0);
    expect(refused?.body).toMatchObject({
      code: 'too_many_attempts',
      details: [{ field: 'code', retryAfterSeconds: 900 }],
    });
    // Refused without even reading the code.
    await resume('not a code at all', client).expect(429);

    // Another client is not held back, and the window slides past.
    await resume(resumeCode, '198.51.100.21').expect(200);
    clock.advance(10 * MINUTE);
    const later = await resume(resumeCode, client).expect(429);
    expect(later.headers['retry-after']).toBe('300');
    clock.advance(5 * MINUTE);
    await resume(resumeCode, client).expect(200);
  });

  it('refuses one code after RESUME_MAX_FAILURES tries from any clients, however typed', async () => {
    const wrong = generateResumeCode();
    const words = wrong.split(' ');
    const spellings = [
      wrong,
      wrong.toUpperCase(),
      words.map((w) => (w.length > 4 ? w.slice(0, 4) : w)).join('-'),
    ];
    for (const [i, spelling] of spellings.entries()) {
      await resume(spelling, `203.0.113.${i + 1}`).expect(400);
    }
    const fresh = '203.0.113.99';
    expect(
      await derivationsDuring(() => resume(wrong, fresh).expect(429).expect('Retry-After', '900')),
    ).toBe(0);
    // The code is held back, not the client: another code from it is still tried.
    expect(await derivationsDuring(() => resume(generateResumeCode(), fresh).expect(400))).toBe(1);
  });

  it('answers a code of unknown words by position, with no derivation, counting it against the client', async () => {
    const { resumeCode } = await startInterview(http);
    const client = '198.51.100.40';
    const words = resumeCode.split(' ');
    const typo = [words[0], 'xyzzy', ...words.slice(2)].join(' ');
    for (let i = 0; i < 3; i++) {
      let res: request.Response | undefined;
      expect(
        await derivationsDuring(async () => {
          res = await resume(typo, client).expect(400);
        }),
      ).toBe(0);
      expect(res?.body).toEqual({
        code: 'resume_code_invalid',
        message: 'Word 2 of the code is not one of the code words. Check how it is spelled.',
        details: [
          {
            field: 'code',
            message: 'Word 2 of the code is not one of the code words. Check how it is spelled.',
          },
        ],
      });
    }
    const spanish = await request(http)
      .post('/interview/resume')
      .set('X-Forwarded-For', '198.51.100.41')
      .send({ code: words.slice(0, 7).join(' '), language: 'es' })
      .expect(400);
    expect(spanish.body.message).toBe('Un código para continuar tiene 8 palabras; este tiene 7.');
    await resume(resumeCode, client).expect(429);
  });
});
