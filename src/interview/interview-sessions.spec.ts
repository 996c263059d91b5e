import { randomBytes } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { InterviewSessions, SESSION_ID, SessionLimits } from './interview-sessions';

const MINUTE = 60_000;
const LIMITS: SessionLimits = {
  idleMs: 15 * MINUTE,
  lifetimeMs: 12 * 60 * MINUTE,
  maxSessions: 3,
  maxLocked: 2,
};

function setup(limits: SessionLimits = LIMITS) {
  let now = Date.UTC(2026, 10, 1);
  const sessions = new InterviewSessions(limits, () => now);
  const open = () => {
    const key = randomBytes(32);
    const id = sessions.open(
      { draftId: 'd', locator: 'l', key, kdf: 'scrypt:15:8:1' },
      'es',
      'generic-us',
    );
    return { id, key };
  };
  return { sessions, open, advance: (ms: number) => (now += ms) };
}

function codeOf(run: () => unknown): ErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

const isZero = (key: Buffer) => key.every((b) => b === 0);

describe('interview sessions', () => {
  it('have 43-character random ids', () => {
    const { open } = setup();
    const a = open().id;
    expect(a).toMatch(SESSION_ID);
    expect(open().id).not.toBe(a);
  });

  it('stay open while used, and lock after the idle time, wiping the key', () => {
    const { sessions, open, advance } = setup();
    const { id, key } = open();
    advance(14 * MINUTE);
    expect(sessions.touch(id).language).toBe('es');
    advance(14 * MINUTE);
    expect(sessions.touch(id).packId).toBe('generic-us');
    advance(15 * MINUTE);
    expect(codeOf(() => sessions.touch(id))).toBe(ErrorCode.InterviewLocked);
    expect(isZero(key)).toBe(true);
    expect(sessions.size).toBe(0);
  });

  it('say in the session language that they are locked', () => {
    const { sessions, open, advance } = setup();
    const { id } = open();
    advance(15 * MINUTE);
    expect(() => sessions.touch(id)).toThrow('Su entrevista se bloqueó');
  });

  it('answer not-found for an id never issued', () => {
    const { sessions } = setup();
    expect(codeOf(() => sessions.touch('A'.repeat(43)))).toBe(ErrorCode.NotFound);
    expect(codeOf(() => sessions.lock('A'.repeat(43)))).toBe(ErrorCode.NotFound);
  });

  it('can be read without restarting the idle clock', () => {
    const { sessions, open, advance } = setup();
    const { id } = open();
    advance(10 * MINUTE);
    expect(sessions.peek(id)?.language).toBe('es');
    advance(5 * MINUTE);
    expect(sessions.peek(id)).toBeUndefined();
    expect(codeOf(() => sessions.touch(id))).toBe(ErrorCode.InterviewLocked);
  });

  it('end after twelve hours however busy', () => {
    const { sessions, open, advance } = setup();
    const { id, key } = open();
    for (let i = 0; i < 71; i++) {
      advance(10 * MINUTE);
      sessions.touch(id);
    }
    advance(10 * MINUTE);
    expect(codeOf(() => sessions.touch(id))).toBe(ErrorCode.InterviewLocked);
    expect(isZero(key)).toBe(true);
  });

  it('lock at once on request, and locking again changes nothing', () => {
    const { sessions, open } = setup();
    const { id, key } = open();
    sessions.lock(id);
    expect(isZero(key)).toBe(true);
    expect(codeOf(() => sessions.touch(id))).toBe(ErrorCode.InterviewLocked);
    expect(() => sessions.lock(id)).not.toThrow();
  });

  it('once ended are forgotten: not-found, not locked', () => {
    const { sessions, open } = setup();
    const { id, key } = open();
    sessions.end(id);
    expect(isZero(key)).toBe(true);
    expect(codeOf(() => sessions.touch(id))).toBe(ErrorCode.NotFound);
  });

  it('lock the oldest beyond their number, and remember only so many locked ids', () => {
    const { sessions, open } = setup();
    const first = open();
    const second = open();
    open();
    open();
    expect(sessions.size).toBe(3);
    expect(isZero(first.key)).toBe(true);
    expect(codeOf(() => sessions.touch(first.id))).toBe(ErrorCode.InterviewLocked);
    open();
    open();
    // first, second, third locked in turn; only the last two are remembered.
    expect(codeOf(() => sessions.touch(second.id))).toBe(ErrorCode.InterviewLocked);
    expect(codeOf(() => sessions.touch(first.id))).toBe(ErrorCode.NotFound);
  });

  it('wipe the keys of idle sessions on a sweep, without any request', () => {
    const { sessions, open, advance } = setup();
    const a = open();
    advance(10 * MINUTE);
    const b = open();
    advance(5 * MINUTE);
    sessions.sweep();
    expect(isZero(a.key)).toBe(true);
    expect(isZero(b.key)).toBe(false);
    expect(sessions.size).toBe(1);
  });

  it('end every session of an erased draft', () => {
    const { sessions, open } = setup();
    const a = open();
    const b = open();
    sessions.endAllFor('d');
    expect(isZero(a.key) && isZero(b.key)).toBe(true);
    expect(codeOf(() => sessions.touch(b.id))).toBe(ErrorCode.NotFound);
  });
});
