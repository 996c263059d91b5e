import { clientBucket } from '../common/failure-throttle';
import { LoginThrottle } from './login-throttle';

const MINUTE = 60_000;

function setup() {
  let now = Date.UTC(2026, 0, 5);
  const throttle = new LoginThrottle(
    { perEmail: 3, perClient: 5, windowMs: 15 * MINUTE, maxKeys: 1000 },
    () => now,
  );
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  it('allows the limit of failures for an email, then says how long to wait', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('a@x.example', '203.0.113.1')).toBe(0);
      throttle.begin('a@x.example', '203.0.113.1');
      advance(MINUTE);
    }
    // The first failure ages out of the window 15 minutes after it: 12 minutes from now.
    expect(throttle.retryAfterSeconds('A@X.example ', '198.51.100.2')).toBe(12 * 60);
    advance(12 * MINUTE);
    expect(throttle.retryAfterSeconds('a@x.example', '203.0.113.1')).toBe(0);
  });

  it('limits one client across many emails', () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) throttle.begin(`u${i}@x.example`, '203.0.113.1');
    expect(throttle.retryAfterSeconds('new@x.example', '203.0.113.1')).toBeGreaterThan(0);
    expect(throttle.retryAfterSeconds('new@x.example', '203.0.113.2')).toBe(0);
  });

  it("forgets an email's failures once the right password is given", () => {
    const { throttle } = setup();
    throttle.begin('a@x.example', '203.0.113.1');
    throttle.begin('a@x.example', '203.0.113.1');
    throttle.begin('a@x.example', '203.0.113.1').succeeded();
    expect(throttle.retryAfterSeconds('a@x.example', '203.0.113.9')).toBe(0);
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8::1%eth0', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('counts %s as %s', (address, group) => {
    expect(clientBucket(address)).toBe(group);
  });
});
