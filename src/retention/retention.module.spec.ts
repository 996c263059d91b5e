import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { RetentionModule } from './retention.module';
import { OrphanReport, OrphanSweeper } from './orphan-sweeper';
import { PurgeReport, RetentionService } from './retention.service';

const CASE_ID = '0b9a5c3e-6f1d-4c2a-9e8b-7d6c5b4a3f21';

const NO_ORPHANS: OrphanReport = { packets: 0, cases: 0, temporary: 0 };

function scheduler(
  env: NodeJS.ProcessEnv,
  purge: () => Promise<PurgeReport>,
  purgeDrafts: () => Promise<number> = () => Promise.resolve(0),
  sweepOrphans: () => Promise<OrphanReport> = () => Promise.resolve(NO_ORPHANS),
) {
  const service = { purgeExpired: jest.fn(purge), purgeExpiredDrafts: jest.fn(purgeDrafts) };
  const orphans = { sweep: jest.fn(sweepOrphans) };
  const module = new RetentionModule(
    service as unknown as RetentionService,
    orphans as unknown as OrphanSweeper,
    loadConfig({ DATA_DIR: '/nonexistent', ...env }),
  );
  return { service, orphans, module };
}

describe('retention settings', () => {
  it('default to 30 days for packets, 180 for cases and a purge every hour', () => {
    const config = loadConfig({ DATA_DIR: '/nonexistent' });
    expect(config.PACKET_RETENTION_DAYS).toBe(30);
    expect(config.CASE_RETENTION_DAYS).toBe(180);
    expect(config.PURGE_INTERVAL_MINUTES).toBe(60);
  });

  it.each([
    ['PACKET_RETENTION_DAYS', '0'],
    ['PACKET_RETENTION_DAYS', 'thirty'],
    ['CASE_RETENTION_DAYS', '-1'],
    ['CASE_RETENTION_DAYS', '1.5'],
    ['PURGE_INTERVAL_MINUTES', '-5'],
  ])('refuse %s=%s at start, naming the variable', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: '/nonexistent', [name]: value })).toThrow(
      new RegExp(`Invalid environment: .*${name}`),
    );
  });
});

describe('the retention schedule', () => {
  let logged: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    logged = [];
    for (const level of ['log', 'error', 'warn'] as const) {
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((...args: unknown[]) => void logged.push(String(args[0])));
    }
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('purges every PURGE_INTERVAL_MINUTES until the module is destroyed, logging counts only', async () => {
    const { service, module } = scheduler(
      { PURGE_INTERVAL_MINUTES: '5' },
      () => Promise.resolve({ packets: 3, cases: 1 }),
      () => Promise.resolve(2),
    );
    await module.onApplicationBootstrap();
    expect(service.purgeExpired).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(service.purgeExpired).toHaveBeenCalledTimes(1);
    expect(service.purgeExpiredDrafts).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(service.purgeExpired).toHaveBeenCalledTimes(3);
    expect(service.purgeExpiredDrafts).toHaveBeenCalledTimes(3);
    expect(logged).toEqual(
      Array<string[]>(3)
        .fill([
          'purged 2 expired interview draft(s)',
          'purged 3 expired packet(s) and 1 expired case(s)',
        ])
        .flat(),
    );
    module.onModuleDestroy();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(service.purgeExpired).toHaveBeenCalledTimes(3);
  });

  it('0 turns it off', async () => {
    const { service, module } = scheduler({ PURGE_INTERVAL_MINUTES: '0' }, () =>
      Promise.resolve({ packets: 0, cases: 0 }),
    );
    await module.onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(service.purgeExpired).not.toHaveBeenCalled();
    module.onModuleDestroy();
  });

  it('does not start a purge while the last one runs, and survives a failure without logging ids', async () => {
    let finish: (r: PurgeReport) => void = () => undefined;
    const { service, module } = scheduler(
      { PURGE_INTERVAL_MINUTES: '1' },
      () => new Promise<PurgeReport>((resolve) => (finish = resolve)),
    );
    await module.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3 * 60_000);
    expect(service.purgeExpired).toHaveBeenCalledTimes(1);
    finish({ packets: 0, cases: 0 });
    await jest.advanceTimersByTimeAsync(0);

    const failure = Object.assign(new Error(`EACCES: /data/artifacts/${CASE_ID}`), {
      code: 'EACCES',
    });
    service.purgeExpired.mockImplementation(() => Promise.reject(failure));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(service.purgeExpired).toHaveBeenCalledTimes(2);
    expect(logged).toEqual(['purge failed (EACCES); it runs again at the next interval']);
    expect(logged.join('\n')).not.toContain(CASE_ID);
    module.onModuleDestroy();
  });

  it('purges drafts even when purging cases fails, and cases even when purging drafts fails', async () => {
    const { service, module } = scheduler(
      { PURGE_INTERVAL_MINUTES: '1' },
      () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
      () => Promise.resolve(4),
    );
    await module.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(logged).toEqual([
      'purged 4 expired interview draft(s)',
      'purge failed (EACCES); it runs again at the next interval',
    ]);
    service.purgeExpired.mockImplementation(() => Promise.resolve({ packets: 1, cases: 0 }));
    service.purgeExpiredDrafts.mockImplementation(() => Promise.reject(new TypeError('db')));
    logged.length = 0;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(logged).toEqual([
      'purge failed (TypeError); it runs again at the next interval',
      'purged 1 expired packet(s) and 0 expired case(s)',
    ]);
    module.onModuleDestroy();
  });
});

describe('the sweep of files without rows', () => {
  let logged: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    logged = [];
    for (const level of ['log', 'error', 'warn'] as const) {
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((...args: unknown[]) => void logged.push(String(args[0])));
    }
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs at start even when purges are not scheduled, and warns with counts only', async () => {
    const { orphans, module } = scheduler(
      { PURGE_INTERVAL_MINUTES: '0' },
      () => Promise.resolve({ packets: 0, cases: 0 }),
      undefined,
      () => Promise.resolve({ packets: 2, cases: 1, temporary: 0 }),
    );
    await module.onApplicationBootstrap();
    expect(orphans.sweep).toHaveBeenCalledTimes(1);
    expect(logged).toEqual([
      'removed files without rows: 2 packet folder(s), 1 case folder(s), 0 unfinished write(s)',
    ]);
    module.onModuleDestroy();
  });

  it('runs after every scheduled purge, even one that failed', async () => {
    const { orphans, module } = scheduler({ PURGE_INTERVAL_MINUTES: '1' }, () =>
      Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
    );
    await module.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2 * 60_000);
    expect(orphans.sweep).toHaveBeenCalledTimes(3);
    module.onModuleDestroy();
  });

  it('does not stop the start when the database is not there yet', async () => {
    const { module } = scheduler(
      { PURGE_INTERVAL_MINUTES: '1' },
      () => Promise.resolve({ packets: 0, cases: 0 }),
      undefined,
      () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    );
    await expect(module.onApplicationBootstrap()).resolves.toBeUndefined();
    expect(logged).toEqual([
      'sweep failed (ECONNREFUSED); it runs again with the next purge or start',
    ]);
    expect(jest.getTimerCount()).toBe(1);
    module.onModuleDestroy();
  });
});
