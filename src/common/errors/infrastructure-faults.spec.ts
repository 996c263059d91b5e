import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { Response } from 'express';
import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { Client, DatabaseError } from 'pg';
import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { AppError } from './app-error';
import { AppErrorFilter } from './app-error.filter';
import { ErrorCode } from './error-code';
import { infrastructureFault } from './infrastructure-faults';

/** A PostgreSQL error as node-postgres builds it from the server's ErrorResponse. */
function pgError(code: string, message: string): DatabaseError {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  e.severity = 'FATAL';
  return e;
}

/** A refused statement wrapped the way TypeORM wraps every driver error. */
function viaTypeorm(driverError: Error): QueryFailedError {
  return new QueryFailedError('INSERT INTO cases VALUES ($1)', ['x'], driverError);
}

/** The error node-postgres gives when nothing listens on the port. */
async function refusedConnection(): Promise<unknown> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new Client({ host: '127.0.0.1', port, user: 'nobody', database: 'none' });
  return client.connect().then(
    () => new Error('connected to a closed port'),
    (e: unknown) => e,
  );
}

/** better-sqlite3's own error for a full database, made real by a page limit. */
function sqliteFull(): unknown {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE t (v TEXT)');
    db.pragma('max_page_count = 2');
    db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(64 * 1024));
    return new Error('the insert fitted');
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
}

function sqliteUniqueViolation(): unknown {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    return new Error('the duplicate was accepted');
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
}

describe('infrastructure faults', () => {
  it('maps a refused connection (server stopped) to database_unavailable', async () => {
    const refused = await refusedConnection();
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(infrastructureFault(refused)?.code).toBe(ErrorCode.DatabaseUnavailable);
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['57P03', 'the database system is shutting down'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
  ])('maps SQLSTATE %s (%s), bare or wrapped by TypeORM', (code, message) => {
    expect(infrastructureFault(pgError(code, message))?.code).toBe(ErrorCode.DatabaseUnavailable);
    expect(infrastructureFault(viaTypeorm(pgError(code, message)))?.code).toBe(
      ErrorCode.DatabaseUnavailable,
    );
  });

  it.each([
    'Connection terminated',
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
  ])('maps node-postgres and pg-pool connection failures: %s', (message) => {
    expect(infrastructureFault(new Error(message))?.code).toBe(ErrorCode.DatabaseUnavailable);
    expect(
      infrastructureFault(new Error('query failed', { cause: new Error(message) }))?.code,
    ).toBe(ErrorCode.DatabaseUnavailable);
  });

  it('maps the statement after TypeORM released a transaction whose connection dropped', () => {
    expect(infrastructureFault(new QueryRunnerProviderAlreadyReleasedError())?.code).toBe(
      ErrorCode.DatabaseUnavailable,
    );
    expect(infrastructureFault(new QueryRunnerAlreadyReleasedError())?.code).toBe(
      ErrorCode.DatabaseUnavailable,
    );
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint "uq_packets_batch_row"'],
    ['23503', 'insert or update on table "data_keys" violates foreign key constraint'],
    ['23502', 'null value in column "facts" violates not-null constraint'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['42P01', 'relation "cases" does not exist'],
    ['57014', 'canceling statement due to statement timeout'],
  ])('leaves refused statements alone: %s %s', (code, message) => {
    expect(infrastructureFault(viaTypeorm(pgError(code, message)))).toBeUndefined();
  });

  it('leaves SQLite constraint violations alone and maps SQLITE_FULL to storage_full', () => {
    const unique = sqliteUniqueViolation();
    expect((unique as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(infrastructureFault(viaTypeorm(unique as Error))).toBeUndefined();
    const full = sqliteFull();
    expect((full as { code?: string }).code).toBe('SQLITE_FULL');
    expect(infrastructureFault(viaTypeorm(full as Error))?.code).toBe(ErrorCode.StorageFull);
  });

  it('maps a full disk (ENOSPC, EDQUOT, PostgreSQL disk_full) to storage_full', async () => {
    const enospc = await writeFile('/dev/full', 'x').then(
      () => new Error('/dev/full accepted a write'),
      (e: unknown) => e,
    );
    expect((enospc as { code?: string }).code).toBe('ENOSPC');
    expect(infrastructureFault(enospc)?.code).toBe(ErrorCode.StorageFull);
    const edquot = Object.assign(new Error('EDQUOT: disk quota exceeded, write'), {
      code: 'EDQUOT',
    });
    expect(infrastructureFault(edquot)?.code).toBe(ErrorCode.StorageFull);
    expect(
      infrastructureFault(viaTypeorm(pgError('53100', 'could not extend file: No space left'))),
    ).toMatchObject({ code: ErrorCode.StorageFull });
  });

  it('leaves everything else alone, messages that merely mention a connection included', () => {
    for (const e of [
      new Error('boom'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      new Error('Connection terminated by the petitioner'),
      Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' }),
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
      'a string',
      null,
      undefined,
    ]) {
      expect(infrastructureFault(e)).toBeUndefined();
    }
  });

  it('survives an error that wraps itself', () => {
    const e = new Error('loop') as Error & { cause?: unknown };
    e.cause = e;
    expect(infrastructureFault(e)).toBeUndefined();
  });
});

describe('the API error filter on faults', () => {
  function answer(exception: unknown) {
    const headers: Record<string, string> = {};
    let status = 0;
    let body: unknown;
    const res = {
      setHeader: (name: string, value: string) => void (headers[name] = value),
      status(code: number) {
        status = code;
        return this;
      },
      json(b: unknown) {
        body = b;
        return this;
      },
    } as unknown as Response;
    const host = {
      switchToHttp: () => ({ getResponse: () => res }),
    } as unknown as ArgumentsHost;
    new AppErrorFilter().catch(exception, host);
    return { status, headers, body };
  }

  let logged: string[];
  beforeEach(() => {
    logged = [];
    for (const level of ['error', 'warn'] as const) {
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((...args: unknown[]) => void logged.push(String(args[0])));
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers 503 with Retry-After and the standard body, and logs the code only', async () => {
    const res = answer(
      viaTypeorm(pgError('57P01', 'terminating connection due to administrator command')),
    );
    expect(res.status).toBe(503);
    expect(res.headers['Retry-After']).toMatch(/^\d+$/);
    expect(res.body).toEqual({
      code: 'database_unavailable',
      message: expect.stringMatching(/try again shortly/i) as unknown,
      details: [
        {
          message: expect.any(String) as unknown,
          retryAfterSeconds: expect.any(Number) as unknown,
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/INSERT|terminating|administrator/);
    expect(logged).toEqual(['database_unavailable (57P01)']);
    const refused = answer(await refusedConnection());
    expect(refused.status).toBe(503);
  });

  it('answers 507 storage_full for a full disk, without the path', () => {
    const enospc = Object.assign(
      new Error('ENOSPC: no space left on device, open /data/artifacts/0b9a5c3e/x.pdf'),
      { code: 'ENOSPC', path: '/data/artifacts/0b9a5c3e/x.pdf' },
    );
    const res = answer(enospc);
    expect(res.status).toBe(507);
    expect(res.headers['Retry-After']).toBeUndefined();
    expect(res.body).toEqual({
      code: 'storage_full',
      message: expect.stringMatching(/run out of storage space/) as unknown,
      details: [],
    });
    expect(JSON.stringify(res.body)).not.toContain('artifacts');
    expect(logged.join('\n')).not.toContain('artifacts');
  });

  it('still answers a constraint violation as a plain internal error', () => {
    const res = answer(viaTypeorm(pgError('23505', 'duplicate key value')));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'internal_error', message: 'Internal error', details: [] });
  });

  it('answers an AppError of either code as itself', () => {
    expect(answer(new AppError(ErrorCode.StorageFull, 'full')).status).toBe(507);
  });
});
