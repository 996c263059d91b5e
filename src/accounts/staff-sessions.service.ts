import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ACCOUNTS_CLOCK } from './clock';
import { hashSecret, newSecret } from './secret-token';
import { StaffSessionEntity } from './staff-session.entity';
import { UserEntity } from './user.entity';

const MINUTE_MS = 60_000;
/**
 * last_seen_at is written at most this often: the idle timeout is in minutes, and a write on
 * every request would turn each read into a write.
 */
const TOUCH_EVERY_MS = MINUTE_MS;

export interface LiveSession {
  session: StaffSessionEntity;
  user: UserEntity;
}

@Injectable()
export class StaffSessionsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    @Inject(ACCOUNTS_CLOCK) private readonly clock: Clock,
  ) {}

  /** A new session for a user who has just proved their password; the token goes in the cookie. */
  async start(
    userId: string,
    tx?: EntityManager,
  ): Promise<{ token: string; session: StaffSessionEntity }> {
    const now = this.clock();
    const { token, hash } = newSecret();
    const session = this.repo().create({
      id: randomUUID(),
      tokenHash: hash,
      userId,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + this.config.STAFF_SESSION_HOURS * 60 * MINUTE_MS),
      endedAt: null,
    });
    await this.repo(tx).insert(session);
    return { token, session };
  }

  /**
   * The live session a cookie stands for, with its user; undefined when it is unknown, ended,
   * idle too long, past its absolute end, or its account is disabled. A session found timed out
   * is ended on the server there and then.
   */
  async resolve(token: string): Promise<LiveSession | undefined> {
    const session = await this.repo().findOneBy({ tokenHash: hashSecret(token) });
    if (!session || session.endedAt) return undefined;
    const now = this.clock();
    const idleMs = this.config.STAFF_IDLE_MINUTES * MINUTE_MS;
    if (now >= session.expiresAt.getTime() || now - session.lastSeenAt.getTime() >= idleMs) {
      await this.endById(session.id);
      return undefined;
    }
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: session.userId });
    if (!user || user.disabledAt) {
      await this.endById(session.id);
      return undefined;
    }
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(now);
      await this.repo().update({ id: session.id }, { lastSeenAt: session.lastSeenAt });
    }
    return { session, user };
  }

  /**
   * Logout, and a new sign-in from a browser that still carried an older session. Answers the
   * session it ended; null when the token named none that was still open.
   */
  async end(token: string, tx?: EntityManager): Promise<StaffSessionEntity | null> {
    const session = await this.repo(tx).findOneBy({
      tokenHash: hashSecret(token),
      endedAt: IsNull(),
    });
    if (!session) return null;
    const ended = await this.repo(tx).update(
      { id: session.id, endedAt: IsNull() },
      { endedAt: new Date(this.clock()) },
    );
    return ended.affected ? session : null;
  }

  private async endById(id: string): Promise<void> {
    await this.repo().update({ id, endedAt: IsNull() }, { endedAt: new Date(this.clock()) });
  }

  private repo(tx?: EntityManager) {
    return (tx ?? this.db.manager).getRepository(StaffSessionEntity);
  }
}
