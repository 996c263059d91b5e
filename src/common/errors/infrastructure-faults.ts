import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';

/** What a client is told to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is not available at the moment. Try again shortly.';

/** Redis reconnects within seconds of coming back; a client waits a little longer than that. */
export const BATCHES_RETRY_AFTER_SECONDS = 30;

export const BATCHES_UNAVAILABLE_MESSAGE =
  'Batches are unavailable right now, so nothing was started. Try again in a minute.';

export const STORAGE_FULL_MESSAGE =
  'The server has run out of storage space and could not save this. Try again later.';

/**
 * Errors of the socket to the database: the server is stopped (refused), went away mid-request
 * (reset, broken pipe) or cannot be reached. They are not errors of any statement.
 */
const CONNECTION_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that mean "this connection, not this statement": admin_shutdown (a fast or
 * immediate stop), crash_shutdown, cannot_connect_now (starting up or shutting down) and
 * too_many_connections. Class 08 (connection_exception) is matched as a class.
 */
const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * node-postgres and pg-pool raise these as plain Errors, without a code: the server closed the
 * socket, a pooled client broke, or no connection could be had in time. Compared whole, so no
 * text from a statement or a user can ever match.
 */
const UNAVAILABLE_MESSAGES: ReadonlySet<string> = new Set([
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * TypeORM releases a transaction's connection itself when the server drops it between two
 * statements (PostgreSQL's FATAL 57P01 arrives while the client is idle), and the transaction's
 * next statement then fails with one of these instead of a driver error. This code base makes
 * query runners only through `manager.transaction`, which releases its runner only after the
 * callback, so a runner released inside one is the trace of a lost connection.
 */
function isDroppedTransaction(e: unknown): boolean {
  return (
    e instanceof QueryRunnerProviderAlreadyReleasedError ||
    e instanceof QueryRunnerAlreadyReleasedError
  );
}

/** Full disks: Node's file system, SQLite (better-sqlite3's code) and PostgreSQL's disk_full. */
const STORAGE_FULL_CODES: ReadonlySet<string> = new Set([
  'ENOSPC',
  'EDQUOT',
  'SQLITE_FULL',
  '53100',
]);

/**
 * The answer for a failure of what the service stands on rather than of the request: the
 * database being away (503, try again shortly) or a full disk (507). Anything else, constraint
 * violations and syntax errors included, is undefined here and stays an internal error.
 * TypeORM wraps driver errors (`driverError`) and Node wraps causes (`cause`, AggregateError's
 * `errors`); each layer is looked at.
 */
export function infrastructureFault(error: unknown): AppError | undefined {
  for (const e of layers(error)) {
    if (isDroppedTransaction(e)) return databaseUnavailable();
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined && STORAGE_FULL_CODES.has(code)) {
      return new AppError(ErrorCode.StorageFull, STORAGE_FULL_MESSAGE);
    }
    if (
      (code !== undefined &&
        (CONNECTION_ERRNOS.has(code) ||
          UNAVAILABLE_SQLSTATES.has(code) ||
          /^08[0-9A-Z]{3}$/.test(code))) ||
      (code === undefined && typeof e.message === 'string' && UNAVAILABLE_MESSAGES.has(e.message))
    ) {
      return databaseUnavailable();
    }
  }
  return undefined;
}

export function databaseUnavailable(): AppError {
  return new AppError(ErrorCode.DatabaseUnavailable, DATABASE_UNAVAILABLE_MESSAGE, [
    {
      message: `try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds`,
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    },
  ]);
}

/** The batch queue is away; everything else still answers. */
export function batchesUnavailable(): AppError {
  return new AppError(ErrorCode.BatchesUnavailable, BATCHES_UNAVAILABLE_MESSAGE, [
    {
      message: `try again in ${BATCHES_RETRY_AFTER_SECONDS} seconds`,
      retryAfterSeconds: BATCHES_RETRY_AFTER_SECONDS,
    },
  ]);
}

/** Which kind of fault it was, for a log line: a code, never a message (it may hold a path). */
export function faultKind(error: unknown): string {
  for (const e of layers(error)) {
    if (typeof e.code === 'string' && e.code !== '') return e.code;
  }
  return error instanceof Error ? error.name : typeof error;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
}

/** The error and what it wraps, breadth first, a bounded number of them (cycles are possible). */
function layers(error: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 16) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || seen.includes(e)) continue;
    seen.push(e);
    const wrapper = e as { driverError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(wrapper.driverError, wrapper.cause);
    if (Array.isArray(wrapper.errors)) queue.push(...(wrapper.errors as unknown[]));
  }
  return seen;
}
