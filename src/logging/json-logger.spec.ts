import { Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { JsonLogger, JsonLoggerOptions, LogThreshold } from './json-logger';
import { MAX_STRING_LENGTH, isSensitiveKey, scrubText } from './redaction';

type Line = Record<string, unknown>;

function capture(
  threshold: LogThreshold = 'debug',
  options: JsonLoggerOptions = {},
): { logger: JsonLogger; lines: string[]; parsed: () => Line[] } {
  const lines: string[] = [];
  const logger = new JsonLogger(threshold, {
    production: false,
    now: () => new Date('2026-01-02T03:04:05.000Z'),
    ...options,
    sink: (l) => lines.push(l),
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Line) };
}

describe('JsonLogger', () => {
  it('writes one JSON object per call with level, time, context and msg', () => {
    const { logger, lines, parsed } = capture();
    logger.log('packet generated', 'PacketsService');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(parsed()[0]).toEqual({
      level: 'log',
      time: '2026-01-02T03:04:05.000Z',
      context: 'PacketsService',
      msg: 'packet generated',
    });
  });

  it('writes to stdout by default', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      new JsonLogger('log').warn('hello');
      expect(write).toHaveBeenCalledTimes(1);
      const text = String(write.mock.calls[0]?.[0]);
      expect(text.endsWith('\n')).toBe(true);
      expect(JSON.parse(text)).toMatchObject({ level: 'warn', msg: 'hello' });
    } finally {
      write.mockRestore();
    }
  });

  it.each<[LogThreshold, string[]]>([
    ['error', ['fatal', 'error']],
    ['warn', ['fatal', 'error', 'warn']],
    ['log', ['fatal', 'error', 'warn', 'log']],
    ['debug', ['fatal', 'error', 'warn', 'log', 'debug']],
  ])('LOG_LEVEL=%s writes only %j', (threshold, expected) => {
    const { logger, parsed } = capture(threshold);
    logger.fatal('x');
    logger.error('x');
    logger.warn('x');
    logger.log('x');
    logger.debug('x');
    logger.verbose('x');
    expect(parsed().map((l) => l.level)).toEqual(expected);
  });

  it('honours levels Nest sets', () => {
    const { logger, parsed } = capture('debug');
    logger.setLogLevels(['error']);
    logger.log('x');
    logger.error('y');
    expect(parsed().map((l) => l.msg)).toEqual(['y']);
  });

  it('adds structured fields and redacts those whose key looks sensitive', () => {
    const { logger, parsed } = capture();
    logger.log({
      msg: 'event',
      files: 4,
      durationMs: 12.5,
      name: 'Zelda Sentinelname',
      petitionerName: 'Zelda Sentinelname',
      residentialAddress: { street: '4242 Sentinel Lane' },
      street: '4242 Sentinel Lane',
      safePhone: '555 010 4242',
      email: 'z@example.org',
      narrative: 'SENTINELNARRATIVE',
      facts: { anything: 'x' },
      body: 'x',
      password: 'x',
      accessToken: 'x',
      resumeCode: 'x',
      resume_code: 'x',
      code: 'x',
      Authorization: 'Bearer x',
      cookie: 'sid=x',
    });
    const line = parsed()[0] as Line;
    expect(line.msg).toBe('event');
    expect(line.files).toBe(4);
    expect(line.durationMs).toBe(12.5);
    for (const key of [
      'name',
      'petitionerName',
      'residentialAddress',
      'street',
      'safePhone',
      'email',
      'narrative',
      'facts',
      'body',
      'password',
      'accessToken',
      'resumeCode',
      'resume_code',
      'code',
      'Authorization',
      'cookie',
    ]) {
      expect([key, line[key]]).toEqual([key, '[redacted]']);
    }
  });

  it('redacts sensitive keys nested inside harmless ones, and scrubs nested strings', () => {
    const { logger, parsed } = capture();
    logger.log('nested', {
      request: { headers: { authorization: 'Bearer abc' }, note: 'call 555-010-4242' },
      items: [{ fullName: 'Zelda' }],
    });
    expect(parsed()[0]).toMatchObject({
      request: { headers: { authorization: '[redacted]' }, note: 'call [number]' },
      items: [{ fullName: '[redacted]' }],
    });
  });

  it('keeps an error code under a `code` key, which names a condition, not a resume code', () => {
    const { logger, parsed } = capture();
    logger.warn({ msg: 'refused', code: ErrorCode.ValidationFailed });
    expect(parsed()[0]).toMatchObject({ code: 'validation_failed' });
  });

  it("never lets a caller's field overwrite the logger's own keys", () => {
    const { logger, parsed } = capture();
    logger.log('real', { level: 'fatal', time: 'then', context: 'fake' }, 'Ctx');
    expect(parsed()[0]).toEqual({
      level: 'log',
      time: '2026-01-02T03:04:05.000Z',
      context: 'Ctx',
      msg: 'real',
    });
  });

  it('scrubs email addresses and phone-number-like digit runs from messages', () => {
    const { logger, parsed } = capture();
    logger.warn('mail zelda.sentinel@example.org or call (555) 010-4242 or +1 555.010.4242');
    logger.warn('digits 5550104242 and 555 0104');
    logger.log('packet generated (12 files, 3400 ms) for pack ma-209a 2');
    const [a, b, c] = parsed().map((l) => l.msg);
    expect(a).toBe('mail [email] or call [number] or [number]');
    expect(b).toBe('digits [number] and [number]');
    expect(c).toBe('packet generated (12 files, 3400 ms) for pack ma-209a 2');
  });

  it('cuts long free text to a safe length and says so', () => {
    const { logger, parsed } = capture();
    logger.log('x'.repeat(5000));
    const msg = parsed()[0]?.msg as string;
    expect(msg.startsWith('x'.repeat(MAX_STRING_LENGTH))).toBe(true);
    expect(msg).toContain('[4800 chars cut]');
    expect(msg.length).toBeLessThan(MAX_STRING_LENGTH + 40);
  });

  it('logs an unknown error by its name only, never its message', () => {
    const { logger, lines, parsed } = capture('debug', { production: true });
    logger.error(new TypeError('cannot read Zelda Sentinelname'));
    logger.error('failed', new RangeError('4242 Sentinel Lane'), 'Ctx');
    expect(lines.join('\n')).not.toMatch(/zelda|sentinel|4242/i);
    expect(parsed()[0]).toEqual(
      expect.objectContaining({ msg: 'TypeError', err: { name: 'TypeError' } }),
    );
    expect(parsed()[1]).toEqual(
      expect.objectContaining({ msg: 'failed', context: 'Ctx', err: { name: 'RangeError' } }),
    );
  });

  it('logs an AppError by its name and code, not its message or details', () => {
    const { logger, lines, parsed } = capture('debug', { production: true });
    logger.error(
      new AppError(ErrorCode.ValidationFailed, 'Invalid value for: Zelda', [
        { field: 'petitioner.name', message: 'Zelda Sentinelname' },
      ]),
    );
    expect(lines.join('\n')).not.toMatch(/zelda|petitioner/i);
    expect(parsed()[0]).toMatchObject({
      msg: 'AppError (validation_failed)',
      err: { name: 'AppError', code: 'validation_failed' },
    });
  });

  it('never writes stacks in production', () => {
    const { logger, lines } = capture('debug', { production: true });
    const e = new Error('Zelda');
    logger.error(e);
    logger.error('boom', e.stack);
    logger.error('boom', e.stack, 'Ctx');
    expect(lines.join('\n')).not.toContain(' at ');
    expect(lines.join('\n')).not.toContain('Zelda');
  });

  it('outside production, writes only the frames of a stack, scrubbed', () => {
    const { logger, parsed } = capture('debug', { production: false });
    const e = new Error('Zelda Sentinelname zelda@example.org');
    logger.error(e);
    logger.error('boom', e.stack, 'Ctx');
    const [a, b] = parsed();
    const stack = (a?.err as { stack: string }).stack;
    expect(stack).toMatch(/^at /);
    expect(stack).not.toContain('Zelda');
    expect(b).toMatchObject({ msg: 'boom', context: 'Ctx' });
    expect(b?.stack).toMatch(/^at /);
    expect(JSON.stringify(b)).not.toContain('Zelda');
  });

  it("treats a lone stack after the message as a stack, not as Nest's context", () => {
    const { logger, parsed } = capture('debug', { production: false });
    logger.error('boom', new Error('secret').stack);
    const line = parsed()[0] as Line;
    expect(line.context).toBeUndefined();
    expect(line.stack).toMatch(/^at /);
  });

  it("works as Nest's logger: contexts of Logger instances and Nest's own calls arrive", () => {
    const { logger, parsed } = capture('debug');
    Logger.overrideLogger(logger);
    try {
      new Logger('Errors').error('unhandled TypeError (internal_error)');
      new Logger('Packs').log('pack generic-us 1');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'Errors',
        msg: 'unhandled TypeError (internal_error)',
      }),
      expect.objectContaining({ level: 'log', context: 'Packs', msg: 'pack generic-us 1' }),
    ]);
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'name',
    'fullName',
    'username',
    'address',
    'mailingAddress',
    'street',
    'phone',
    'safePhone',
    'email',
    'narrative',
    'facts',
    'body',
    'password',
    'token',
    'x-auth-token',
    'code',
    'resumeCode',
    'authorization',
    'cookie',
    'set-cookie',
    'dateOfBirth',
  ])('%s is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each(['files', 'durationMs', 'status', 'method', 'route', 'packId', 'count', 'host', 'port'])(
    '%s is not',
    (key) => expect(isSensitiveKey(key)).toBe(false),
  );
});

describe('scrubText', () => {
  it('leaves short counts, versions and durations alone', () => {
    expect(scrubText('3 files in 1500 ms, pack v2.1.0')).toBe('3 files in 1500 ms, pack v2.1.0');
  });
});
