import express from 'express';
import request from 'supertest';
import { JsonLogger } from './json-logger';
import { requestLogger, routePattern } from './request-logger.middleware';

const UUID = '3f2a9c1e-8b4d-4e6f-a1b2-c3d4e5f60789';

describe('routePattern', () => {
  it.each([
    [`/cases/${UUID}`, '/cases/:id'],
    [`/cases/${UUID}/packets/${UUID}/packet.pdf`, '/cases/:id/packets/:id/packet.pdf'],
    ['/cases/12345', '/cases/:id'],
    ['/resume/ABCD-EFGH-2345', '/resume/:id'],
    ['/cases/Zelda%20Sentinelname', '/cases/:id'],
    ['/lookup/zelda.sentinel@example.org', '/lookup/:id'],
    ['/cases?name=Zelda&phone=5550104242', '/cases'],
    ['/cases#Zelda', '/cases'],
    ['/token/eyJhbGciOiJIUzI1NiJ9', '/token/:id'],
    ['/', '/'],
  ])('%s -> %s', (url, expected) => expect(routePattern(url)).toBe(expected));
});

describe('requestLogger', () => {
  function appLoggingTo(lines: string[]): express.Express {
    const app = express();
    app.use(requestLogger(new JsonLogger('log', { sink: (l) => lines.push(l) })));
    app.use(express.json());
    app.get('/cases/:id', (_req, res) => {
      res.status(200).json({ ok: true });
    });
    app.post('/cases', (_req, res) => {
      res.status(201).json({ ok: true });
    });
    return app;
  }

  it('logs method, route pattern, status and duration once the response is finished', async () => {
    const lines: string[] = [];
    await request(appLoggingTo(lines)).get(`/cases/${UUID}?name=Zelda`).expect(200);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'log',
      context: 'Http',
      msg: 'request',
      method: 'GET',
      route: '/cases/:id',
      status: 200,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(lines[0]).not.toContain(UUID);
    expect(lines[0]).not.toContain('Zelda');
  });

  it('never logs the body, query string or headers', async () => {
    const lines: string[] = [];
    await request(appLoggingTo(lines))
      .post('/cases?resumeCode=SECRETCODE')
      .set('Authorization', 'Bearer SECRETTOKEN')
      .set('Cookie', 'sid=SECRETCOOKIE')
      .send({ petitioner: 'Zelda Sentinelname', phone: '(555) 010-4242' })
      .expect(201);
    const text = lines.join('\n');
    expect(lines).toHaveLength(1);
    expect(text).toContain('"route":"/cases"');
    expect(text).not.toMatch(/zelda|secret|010|4242/i);
  });

  it('logs an unmatched path with its id-like segments replaced', async () => {
    const lines: string[] = [];
    await request(appLoggingTo(lines)).get('/people/Zelda.Sentinelname/5550104242').expect(404);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      route: '/people/:id/:id',
      status: 404,
    });
  });
});
