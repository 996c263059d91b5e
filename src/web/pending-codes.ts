import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

const MAX_PENDING = 10_000;

/**
 * A new resume code between "Start" and the page that shows it. The interview hands the code
 * over once and never stores it in clear; it waits here, in memory only, until the petitioner
 * moves on to the questions, the session locks, or the idle time passes, whichever comes first.
 * Never written to disk, a cookie or a URL.
 */
@Injectable()
export class PendingCodes {
  private readonly codes = new Map<string, { code: string; until: number }>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  remember(sessionId: string, code: string, now = Date.now()): void {
    this.sweep(now);
    this.codes.set(sessionId, { code, until: now + this.config.INTERVIEW_IDLE_MINUTES * 60_000 });
    // Insertion order is age order: a flood of abandoned starts drops the oldest codes first.
    while (this.codes.size > MAX_PENDING) {
      const oldest = this.codes.keys().next().value as string;
      this.codes.delete(oldest);
    }
  }

  peek(sessionId: string, now = Date.now()): string | undefined {
    const entry = this.codes.get(sessionId);
    if (!entry || entry.until < now) {
      this.codes.delete(sessionId);
      return undefined;
    }
    return entry.code;
  }

  forget(sessionId: string | undefined): void {
    if (sessionId !== undefined) this.codes.delete(sessionId);
  }

  private sweep(now: number): void {
    for (const [id, entry] of this.codes) if (entry.until < now) this.codes.delete(id);
  }
}
