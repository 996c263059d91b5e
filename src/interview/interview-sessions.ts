import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { DraftRef } from './draft-store';
import type { Clock } from '../common/clock';
import type { Language } from './interview-definition';
import { message } from './interview-messages';

/** 256 random bits, base64url: 43 characters. */
const SESSION_ID_BYTES = 32;
export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface Session extends DraftRef {
  id: string;
  language: Language;
  packId: string;
  openedAt: number;
  lastSeen: number;
}

export interface SessionLimits {
  idleMs: number;
  /** However active, a session ends after this long: a device left logged in does not stay so. */
  lifetimeMs: number;
  maxSessions: number;
  /** Locked ids remembered, so that they answer "locked" rather than "not found". */
  maxLocked: number;
}

export const DEFAULT_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_MAX_SESSIONS = 10_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Open interviews, in process memory only: each holds the key to its draft, so ending a session
 * (idle, too old, locked on purpose, evicted) zeroes the key and only the resume code opens the
 * draft again. A restart ends every session the same way.
 */
export class InterviewSessions implements OnModuleInit, OnModuleDestroy {
  private readonly sessions = new Map<string, Session>();
  /** Recently locked ids and the language to say so in; oldest first. */
  private readonly locked = new Map<string, Language>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly limits: SessionLimits,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Keys of abandoned sessions should not wait for a request to be wiped.
    this.timer = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const id of [...this.sessions.keys()]) this.end(id);
    this.locked.clear();
  }

  open(ref: DraftRef, language: Language, packId: string): string {
    this.sweep();
    while (this.sessions.size >= this.limits.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.lockNow(oldest);
    }
    const id = randomBytes(SESSION_ID_BYTES).toString('base64url');
    const now = this.clock();
    this.sessions.set(id, { ...ref, id, language, packId, openedAt: now, lastSeen: now });
    return id;
  }

  /** The live session, its idle clock restarted; `interview_locked` or `not_found` otherwise. */
  touch(id: string): Session {
    const session = this.live(id);
    if (session) {
      session.lastSeen = this.clock();
      return session;
    }
    const lang = this.locked.get(id);
    if (lang) throw new AppError(ErrorCode.InterviewLocked, message('locked', lang));
    throw AppError.notFound();
  }

  /** The live session without restarting its idle clock. */
  peek(id: string): Session | undefined {
    return this.live(id);
  }

  /** Ends the session now; it answers "locked" afterwards. Already locked: nothing to do. */
  lock(id: string): void {
    if (this.live(id)) this.lockNow(id);
    else if (!this.locked.has(id)) throw AppError.notFound();
  }

  /** Ends the session and forgets it: for a draft that no longer exists. */
  end(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.key.fill(0);
    this.sessions.delete(id);
  }

  /** Ends every other session open on the same draft (erased: nothing is left for them). */
  endAllFor(draftId: string): void {
    for (const s of [...this.sessions.values()]) if (s.draftId === draftId) this.end(s.id);
  }

  /** Locks every session that has been idle or open too long. */
  sweep(): void {
    for (const id of [...this.sessions.keys()]) this.live(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session if still within its limits; an expired one is locked on the way. */
  private live(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock();
    if (
      now - session.lastSeen >= this.limits.idleMs ||
      now - session.openedAt >= this.limits.lifetimeMs
    ) {
      this.lockNow(id);
      return undefined;
    }
    return session;
  }

  private lockNow(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.end(id);
    this.locked.delete(id);
    this.locked.set(id, session.language);
    while (this.locked.size > this.limits.maxLocked) {
      this.locked.delete(this.locked.keys().next().value as string);
    }
  }
}
