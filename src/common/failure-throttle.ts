import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Clock } from './clock';

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  /** Keys tracked at most; the least recently failed are dropped beyond it. */
  maxKeys: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

/** A guess under way: counted as a failure from the start, so parallel guesses all count. */
export interface Attempt {
  /** The guess no longer counts: it was right, or it was never tried (the service was busy). */
  withdraw(): void;
}

/**
 * Failed guesses (resume codes, staff passwords), counted per key within a sliding window, in
 * memory. Keys are HMACs under a key made fresh for each process: the map holds neither what
 * was guessed nor who guessed it. A service run as several processes counts per process.
 */
export class FailureThrottle {
  private readonly secret = randomBytes(32);
  /** Key → times of failures within the window, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly clock: Clock,
  ) {}

  clientKey(address: string): string {
    return this.keyOf('client', clientBucket(address));
  }

  /** The key for `value`; `kind` keeps, say, an email from ever sharing a key with an address. */
  keyOf(kind: string, value: string): string {
    return this.hmac(`${kind}:${value}`);
  }

  /** Seconds until the most throttled of `keys` may try again; 0 when none is throttled. */
  retryAfterSeconds(keys: string[]): number {
    const now = this.clock();
    let wait = 0;
    for (const key of keys) {
      const times = this.recent(key, now);
      if (times.length >= this.limits.maxFailures) {
        // The window slides: the guess that brings the count below the limit ages out first.
        const freedAt = times[times.length - this.limits.maxFailures] + this.limits.windowMs;
        wait = Math.max(wait, Math.ceil((freedAt - now) / 1000));
      }
    }
    return wait;
  }

  fail(keys: string[]): void {
    this.begin(keys);
  }

  begin(keys: string[]): Attempt {
    const at = this.clock();
    for (const key of keys) {
      const times = this.recent(key, at);
      times.push(at);
      // Re-inserted, so the map's first key is always the one that failed least recently.
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > this.limits.maxKeys) {
      this.failures.delete(this.failures.keys().next().value as string);
    }
    let settled = false;
    return {
      withdraw: () => {
        if (settled) return;
        settled = true;
        for (const key of keys) {
          const times = this.failures.get(key);
          const i = times?.lastIndexOf(at) ?? -1;
          if (times && i >= 0) times.splice(i, 1);
          if (times && times.length === 0) this.failures.delete(key);
        }
      },
    };
  }

  /** Every failure at `key` is forgotten, not just one attempt's. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key) ?? [];
    const from = times.findIndex((t) => now - t < this.limits.windowMs);
    const kept = from < 0 ? [] : times.slice(from);
    // Never more than the limit matters: older entries add nothing to the decision.
    return kept.slice(-this.limits.maxFailures);
  }

  private hmac(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('base64url');
  }
}

/**
 * What one client is, for counting: an IPv4 address, or an IPv6 /64 (one household or phone
 * usually holds a whole /64 and can change address within it at will).
 */
export function clientBucket(address: string): string {
  const bare = address.split('%')[0];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const groups = ipv6Groups(bare);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` and a dotted IPv4 tail expanded. */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::');
  const front = toGroups(head);
  if (tail === undefined) return front;
  const back = toGroups(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
