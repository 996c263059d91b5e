import request from 'supertest';
import { App } from 'supertest/types';
import type { ScreenView } from '../../src/interview/interview-engine';
import { JsonLogger } from '../../src/logging/json-logger';
import { TestApp, createTestApp } from '../support/app';
import { SCRIPT } from '../support/interview-script';

/**
 * Safety principle 3 for the interview: its secrets travel in bodies (answers, the resume code)
 * and in paths (the session id). The service runs the interview's flows, failures included, with
 * the real JSON logger at its most verbose, and every line is searched for each of them.
 */
describe('interview logs hold no answers, codes or session ids', () => {
  const lines: string[] = [];
  let t: TestApp;
  let sessionId: string;
  let resumedId: string;
  let resumeCode: string;

  beforeAll(async () => {
    const logger = new JsonLogger('debug', { sink: (l) => lines.push(l), production: false });
    t = await createTestApp({}, { logger });
    const http = t.app.getHttpServer() as App;
    const started = await request(http)
      .post('/interview')
      .send({ packId: 'generic-us', language: 'es' })
      .expect(201);
    ({ sessionId, resumeCode } = started.body as { sessionId: string; resumeCode: string });
    let screen = (started.body as { screen: ScreenView }).screen;
    for (const key of ['your-name', 'your-birth', 'your-gender']) {
      expect(screen.position).toMatchObject({ screenId: key });
      const res = await request(http)
        .post(`/interview/${sessionId}/answers`)
        .send({ answers: SCRIPT[key] })
        .expect(200);
      screen = (res.body as { screen: ScreenView }).screen;
    }
    await request(http)
      .post(`/interview/${sessionId}/answers`)
      .send({ answers: { 'petitioner-language': 'Zelda'.repeat(100) } })
      .expect(400);
    await request(http).post(`/interview/${sessionId}/lock`).expect(204);
    await request(http).get(`/interview/${sessionId}`).expect(401);
    const words = resumeCode.split(' ');
    await request(http)
      .post('/interview/resume')
      .send({ code: [...words.slice(0, 7), 'zzzz'].join(' ') })
      .expect(400);
    await request(http)
      .post('/interview/resume')
      .send({ code: [...words.slice(0, 7), words[7] === 'zoo' ? 'abandon' : 'zoo'].join(' ') })
      .expect(400);
    const resumed = await request(http)
      .post('/interview/resume')
      .send({ code: resumeCode })
      .expect(200);
    resumedId = (resumed.body as { sessionId: string }).sessionId;
    await request(http).get(`/interview/${resumedId}/review`).expect(200);
    await request(http).delete(`/interview/${resumedId}`).expect(204);
  });

  afterAll(() => t.close());

  it('captured the flow, so the searches below can fail', () => {
    const routes = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.context === 'Http')
      .map((l) => [l.method, l.route, l.status]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ['POST', '/interview', 201],
        ['POST', '/interview/:sessionId/answers', 400],
        ['GET', '/interview/:sessionId', 401],
        ['POST', '/interview/resume', 400],
        ['POST', '/interview/resume', 200],
        ['DELETE', '/interview/:sessionId', 204],
      ]),
    );
  });

  it('no line holds an answer', () => {
    for (const secret of ['Ana Lucía Torres', 'Torres', '1990-04-25', 'Zelda']) {
      expect(lines.filter((l) => l.toLowerCase().includes(secret.toLowerCase()))).toEqual([]);
    }
  });

  it('no line holds the resume code, nor any two of its words in a row', () => {
    // Single words are ordinary English ("order", "survey") and may appear in any message.
    const words = resumeCode.split(' ');
    const pairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);
    for (const secret of [resumeCode, ...pairs]) {
      expect(lines.filter((l) => l.toLowerCase().includes(secret))).toEqual([]);
    }
  });

  it('no line holds a session id', () => {
    for (const id of [sessionId, resumedId]) {
      expect(lines.filter((l) => l.includes(id))).toEqual([]);
    }
  });
});
