import type { LogLevel, LoggerService } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { LogValue, describeError, redactFields, scrubText, stackFrames } from './redaction';

/** Where finished log lines go: one JSON object per call, without the trailing newline. */
export type LogSink = (line: string) => void;

export interface JsonLoggerOptions {
  /** Defaults to writing each line to stdout. Tests pass an array's push. */
  sink?: LogSink;
  /** Production never logs stacks. Defaults to `NODE_ENV === 'production'`. */
  production?: boolean;
  /** The clock; tests fix it. */
  now?: () => Date;
}

/** From least to most verbose; a threshold enables its own level and every level before it. */
const ORDER: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export type LogThreshold = AppConfig['LOG_LEVEL'] | 'verbose';

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Nest's logger, writing JSON lines: `{ level, time, context, msg, ...fields }`. Every string
 * is scrubbed and every structured field whose key looks sensitive is redacted, but that is a
 * safety net: callers log events and counts, never case content.
 *
 * Calls follow Nest's conventions: `log(message, ...params, context?)`, and
 * `error(message, stack?, context?)`. A plain object among the params adds structured fields;
 * an Error, as message or param, is logged by its name and code only.
 */
export class JsonLogger implements LoggerService {
  private enabled: Set<LogLevel>;
  private readonly sink: LogSink;
  private readonly production: boolean;
  private readonly now: () => Date;

  constructor(threshold: LogThreshold = 'log', options: JsonLoggerOptions = {}) {
    this.enabled = new Set(ORDER.slice(0, ORDER.indexOf(threshold) + 1));
    this.sink = options.sink ?? stdoutSink;
    this.production = options.production ?? process.env.NODE_ENV === 'production';
    this.now = options.now ?? (() => new Date());
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls this when the application is given a list of levels. */
  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.enabled.has(level);
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.enabled.has(level)) return;
    const rest = [...params];
    // Nest appends the context as the last string parameter; a lone stack is not a context.
    const last = rest[rest.length - 1];
    const context = typeof last === 'string' && !looksLikeStack(last) ? last : undefined;
    if (context !== undefined) rest.pop();
    const entry: Record<string, LogValue> = {};
    const fields: Record<string, unknown> = {};
    let msg: string;
    if (message instanceof Error) {
      const err = describeError(message, !this.production);
      entry.err = err;
      msg = err.code ? `${err.name} (${err.code})` : err.name;
    } else if (isPlainObject(message)) {
      const { msg: inner, ...others } = message;
      Object.assign(fields, others);
      msg = typeof inner === 'string' ? inner : '';
    } else {
      msg = typeof message === 'string' ? message : String(message);
    }
    for (const p of rest) {
      if (p === undefined || p === null) continue;
      if (p instanceof Error) entry.err = describeError(p, !this.production);
      else if (typeof p === 'string') {
        // error(message, stack): keep only the frames, and only outside production.
        if (level === 'error' || level === 'fatal') {
          const frames = this.production ? undefined : stackFrames(p);
          if (frames) entry.stack = frames;
        }
      } else if (isPlainObject(p)) Object.assign(fields, p);
    }
    const line: Record<string, LogValue> = {
      level,
      time: this.now().toISOString(),
      ...(context !== undefined ? { context: scrubText(context, 80) } : {}),
      msg: scrubText(msg),
      ...withoutReserved(redactFields(fields, !this.production)),
      ...entry,
    };
    this.sink(JSON.stringify(line));
  }
}

const RESERVED = new Set(['level', 'time', 'context', 'msg', 'err', 'stack']);

/** A caller's field never overwrites the logger's own keys. */
function withoutReserved(fields: Record<string, LogValue>): Record<string, LogValue> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !RESERVED.has(k)));
}

function looksLikeStack(text: string): boolean {
  return /\n\s+at /.test(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
