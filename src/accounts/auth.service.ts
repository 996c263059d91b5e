import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { signInFailed, tooManyAttempts } from './account-errors';
import { LOGIN_THROTTLE } from './accounts.tokens';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { StaffSessionsService } from './staff-sessions.service';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

export interface SignedIn {
  token: string;
  user: UserEntity;
  expiresAt: Date;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly sessions: StaffSessionsService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks the password and opens a new session. Whatever went wrong (no such email, wrong
   * password, disabled account) the answer is the same, and an argon2 check is made in every case
   * so the time taken does not tell either. Any session the browser still carried is ended, so a
   * session id planted before sign-in is worthless after it.
   *
   * A failed sign-in is recorded without the email typed: only the organisation of the account
   * it named, if any. A throttled one is not recorded, so guessing cannot flood the trail.
   */
  async login(
    email: string,
    password: string,
    client: string,
    previousToken?: string,
  ): Promise<SignedIn> {
    const wait = this.throttle.retryAfterSeconds(email, client);
    if (wait > 0) {
      this.logger.warn({ msg: 'staff sign-in throttled', retryAfterSeconds: wait });
      throw tooManyAttempts(wait);
    }
    const attempt = this.throttle.begin(email, client);
    const user = await this.users.findByEmail(email);
    const passwordRight = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyNothing(password);
    if (!user || !passwordRight || user.disabledAt) {
      this.logger.warn({ msg: 'staff sign-in refused' });
      await this.audit.record({
        action: 'auth.login_failed',
        outcome: 'failed',
        actor: { kind: 'anonymous', userId: null, organisationId: user?.organisationId ?? null },
        subject: null,
        ip: client,
      });
      throw signInFailed();
    }
    attempt.succeeded();
    const { token, session } = await this.db.transaction(async (tx: EntityManager) => {
      if (previousToken) await this.sessions.end(previousToken, tx);
      const started = await this.sessions.start(user.id, tx);
      await this.audit.record(
        {
          action: 'auth.login',
          actor: { kind: 'session', userId: user.id, organisationId: user.organisationId },
          ip: client,
        },
        tx,
      );
      return started;
    });
    this.logger.log({ msg: 'staff signed in', userId: user.id });
    return { token, user, expiresAt: session.expiresAt };
  }

  /** Recorded only when the cookie named a session still open: there is someone to name. */
  async logout(token: string | undefined, client: string): Promise<void> {
    if (!token) return;
    await this.db.transaction(async (tx: EntityManager) => {
      const ended = await this.sessions.end(token, tx);
      if (!ended) return;
      const user = await tx.findOneBy(UserEntity, { id: ended.userId });
      await this.audit.record(
        {
          action: 'auth.logout',
          actor: {
            kind: 'session',
            userId: ended.userId,
            organisationId: user?.organisationId ?? null,
          },
          ip: client,
        },
        tx,
      );
    });
  }
}
