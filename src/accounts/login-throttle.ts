import type { Clock } from '../common/clock';
import { FailureThrottle } from '../common/failure-throttle';
import { normalizeEmail } from './users.service';

export interface LoginThrottleLimits {
  /** Failed sign-ins allowed for one email within the window. */
  perEmail: number;
  /** Failed sign-ins allowed from one client address within the window, whatever the email. */
  perClient: number;
  windowMs: number;
  /** Keys remembered at most, for emails and for clients each. */
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
 * Failed staff sign-ins, counted per email and per client address. Two throttles, because the
 * two are allowed different numbers of failures; argon2's cost still bounds the guessing rate
 * of a service run as several processes, each of which counts on its own.
 */
export class LoginThrottle {
  private readonly emails: FailureThrottle;
  private readonly clients: FailureThrottle;

  constructor(limits: LoginThrottleLimits, clock: Clock) {
    const { windowMs, maxKeys } = limits;
    this.emails = new FailureThrottle({ maxFailures: limits.perEmail, windowMs, maxKeys }, clock);
    this.clients = new FailureThrottle({ maxFailures: limits.perClient, windowMs, maxKeys }, clock);
  }

  /** Seconds until a sign-in for this email from this client may be tried; 0 when it may now. */
  retryAfterSeconds(email: string, client: string): number {
    return Math.max(
      this.emails.retryAfterSeconds([this.emailKey(email)]),
      this.clients.retryAfterSeconds([this.clients.clientKey(client)]),
    );
  }

  begin(email: string, client: string): LoginAttempt {
    const emailKey = this.emailKey(email);
    this.emails.fail([emailKey]);
    const fromClient = this.clients.begin([this.clients.clientKey(client)]);
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        this.emails.forget(emailKey);
        fromClient.withdraw();
      },
    };
  }

  private emailKey(email: string): string {
    return this.emails.keyOf('email', normalizeEmail(email));
  }
}
