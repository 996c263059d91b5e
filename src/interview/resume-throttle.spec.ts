import { clientBucket } from '../common/failure-throttle';
import { ResumeThrottle } from './resume-throttle';

const MINUTE = 60_000;

function setup(maxKeys = 100) {
  let now = Date.UTC(2026, 10, 1);
  const throttle = new ResumeThrottle(
    { maxFailures: 3, windowMs: 15 * MINUTE, maxKeys },
    () => now,
  );
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe('resume throttle', () => {
  it('allows up to the limit of failures, then says how long to wait', () => {
    const { throttle, advance } = setup();
    const key = throttle.clientKey('203.0.113.9');
    throttle.fail([key]);
    advance(MINUTE);
    throttle.fail([key]);
    expect(throttle.retryAfterSeconds([key])).toBe(0);
    advance(MINUTE);
    throttle.fail([key]);
    // The first failure leaves the window 15 minutes after it was made: 13 minutes from now.
    expect(throttle.retryAfterSeconds([key])).toBe(13 * 60);
    advance(13 * MINUTE - 1000);
    expect(throttle.retryAfterSeconds([key])).toBe(1);
    advance(1000);
    expect(throttle.retryAfterSeconds([key])).toBe(0);
  });

  it('counts each key on its own, and answers for the most throttled of several', () => {
    const { throttle } = setup();
    const a = throttle.clientKey('203.0.113.9');
    const b = throttle.clientKey('198.51.100.7');
    const code = throttle.codeKey('wagon mosquito ridge uncle absent frost lava tennis');
    for (let i = 0; i < 3; i++) throttle.fail([a, code]);
    expect(throttle.retryAfterSeconds([b])).toBe(0);
    expect(throttle.retryAfterSeconds([b, code])).toBeGreaterThan(0);
    expect(throttle.retryAfterSeconds([a])).toBeGreaterThan(0);
  });

  it('counts a guess from its start, and forgets it once it turns out right', () => {
    const { throttle } = setup();
    const key = throttle.clientKey('203.0.113.9');
    const guesses = [throttle.begin([key]), throttle.begin([key]), throttle.begin([key])];
    expect(throttle.retryAfterSeconds([key])).toBeGreaterThan(0);
    guesses[1].withdraw();
    guesses[1].withdraw();
    expect(throttle.retryAfterSeconds([key])).toBe(0);
    throttle.fail([key]);
    expect(throttle.retryAfterSeconds([key])).toBeGreaterThan(0);
  });

  it('keeps neither codes nor addresses, only keyed hashes that differ per process', () => {
    const a = setup().throttle;
    const b = setup().throttle;
    const code = 'wagon mosquito ridge uncle absent frost lava tennis';
    expect(a.codeKey(code)).not.toContain('wagon');
    expect(a.clientKey('203.0.113.9')).not.toContain('203');
    expect(a.codeKey(code)).toBe(a.codeKey(code));
    expect(a.codeKey(code)).not.toBe(b.codeKey(code));
  });

  it('forgets the least recently failing keys beyond its capacity', () => {
    const { throttle } = setup(2);
    const [a, b, c] = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((x) => throttle.clientKey(x));
    for (let i = 0; i < 3; i++) throttle.fail([a]);
    throttle.fail([b]);
    throttle.fail([c]);
    expect(throttle.retryAfterSeconds([a])).toBe(0);
  });
});

describe('which client a request comes from', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0:0:0:9%eth0', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, bucket) => {
    expect(clientBucket(address)).toBe(bucket);
  });
});
