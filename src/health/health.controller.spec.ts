import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { BatchQueueHealth, BatchesService } from '../batches/batches.service';
import type { PacksService } from '../packs/packs.service';
import type { DocxToPdfConverter } from '../rendering/convert/docx-to-pdf';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

function controller(
  query: () => Promise<unknown>,
  queue: BatchQueueHealth = { queue: 'in-process', available: true },
): HealthController {
  const db = { query, options: { type: 'postgres' } } as unknown as DataSource;
  const packs = { list: () => [] } as unknown as PacksService;
  const converter = { available: () => true, message: () => 'ok' } as unknown as DocxToPdfConverter;
  const batches = { queueHealth: () => queue } as unknown as BatchesService;
  return new HealthController(new HealthService(db, packs, converter, batches));
}

const answers = () => Promise.resolve([{ '?column?': 1 }]);

function response() {
  const sent = { status: 200, headers: {} as Record<string, string> };
  const res = {
    status: (code: number) => void (sent.status = code),
    setHeader: (name: string, value: string) => void (sent.headers[name] = value),
  } as unknown as Response;
  return { res, sent };
}

describe('/health', () => {
  afterEach(() => jest.useRealTimers());

  it('answers 200 while the database answers', async () => {
    const { res, sent } = response();
    const report = await controller(answers).check(res);
    expect(report).toMatchObject({
      status: 'ok',
      database: { kind: 'postgres', ok: true },
      batches: { queue: 'in-process', available: true },
    });
    expect(sent).toEqual({ status: 200, headers: {} });
  });

  it('stays 200 while the batch queue is away, saying batches are unavailable', async () => {
    const { res, sent } = response();
    const report = await controller(answers, { queue: 'redis', available: false }).check(res);
    expect(report).toMatchObject({
      status: 'degraded',
      database: { ok: true },
      batches: { queue: 'redis', available: false },
    });
    expect(sent).toEqual({ status: 200, headers: {} });
  });

  it('answers 503 with Retry-After when the database refuses', async () => {
    const { res, sent } = response();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const report = await controller(() => Promise.reject(refused)).check(res);
    expect(report).toMatchObject({ status: 'degraded', database: { ok: false } });
    expect(sent).toEqual({ status: 503, headers: { 'Retry-After': '5' } });
  });

  it('counts a database that never answers as down after a few seconds', async () => {
    jest.useFakeTimers();
    const { res, sent } = response();
    const answer = controller(() => new Promise(() => undefined)).check(res);
    await jest.advanceTimersByTimeAsync(3000);
    expect((await answer).database.ok).toBe(false);
    expect(sent.status).toBe(503);
  });
});
