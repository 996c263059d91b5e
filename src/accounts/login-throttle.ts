import { createHmac, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { AccountsClock } from './clock';

export interface LoginThrottleLimits {
  /** Failed sign-ins allowed for one email within the window. */
  perEmail: number;
  /** Failed sign-ins allowed from one client address within the window, whatever the email. */
  perClient: number;
  windowMs: number;
  /** Keys remembered at most; those that failed least recently are forgotten first. */
  maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = {
  perEmail: 5,
  perClient: 20,
  windowMs: 15 * 60_000,
  maxKeys: 100_000,
};

/** A sign-in under way: counted as failed from its start, so parallel guesses all count. */
export interface LoginAttempt {
  /** The password was right: this attempt no longer counts, nor do earlier ones at the email. */
  succeeded(): void;
}

/**
 * Failed staff sign-ins, counted per email and per client address in a sliding window, in
 * memory. Keys are HMACs under a key made for this process, so the map holds neither emails nor
 * addresses. A service run as several processes counts per process, which loosens the limits by
 * that factor; argon2's cost still bounds the guessing rate.
 */
export class LoginThrottle {
  private readonly secret = randomBytes(32);
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly clock: AccountsClock,
  ) {}

  /** Seconds until a sign-in for this email from this client may be tried; 0 when it may now. */
  retryAfterSeconds(email: string, client: string): number {
    const now = this.clock();
    return Math.max(
      this.wait(this.emailKey(email), this.limits.perEmail, now),
      this.wait(this.clientKey(client), this.limits.perClient, now),
    );
  }

  begin(email: string, client: string): LoginAttempt {
    const at = this.clock();
    const emailKey = this.emailKey(email);
    const clientKey = this.clientKey(client);
    for (const key of [emailKey, clientKey]) this.record(key, at);
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        this.failures.delete(emailKey);
        const times = this.failures.get(clientKey);
        const i = times?.lastIndexOf(at) ?? -1;
        if (times && i >= 0) times.splice(i, 1);
      },
    };
  }

  private wait(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    // The window slides: once the oldest failure that keeps the count at the limit ages out,
    // one more try is allowed.
    const freedAt = (times[times.length - limit] ?? now) + this.limits.windowMs;
    return Math.max(1, Math.ceil((freedAt - now) / 1000));
  }

  private record(key: string, at: number): void {
    const times = this.recent(key, at);
    times.push(at);
    this.failures.delete(key);
    this.failures.set(key, times);
    while (this.failures.size > this.limits.maxKeys) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
  }

  private emailKey(email: string): string {
    return this.hmac(`email:${email.trim().toLowerCase()}`);
  }

  private clientKey(address: string): string {
    return this.hmac(`client:${addressGroup(address)}`);
  }

  private hmac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }
}

/**
 * IPv6 clients usually hold a whole /64, so one is counted per /64 rather than per address;
 * IPv4 addresses (also when written IPv4-mapped) count one by one.
 */
export function addressGroup(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const bare = plain.split('%')[0] ?? plain;
  if (!isIPv6(bare)) return plain;
  const [head = '', tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = bare.includes('::') ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
