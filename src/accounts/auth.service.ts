import { Inject, Injectable, Logger } from '@nestjs/common';
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
    private readonly users: UsersService,
    private readonly sessions: StaffSessionsService,
    private readonly hasher: PasswordHasher,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks the password and opens a new session. Whatever went wrong (no such email, wrong
   * password, disabled account) the answer is the same, and an argon2 check is made in every case
   * so the time taken does not tell either. Any session the browser still carried is ended, so a
   * session id planted before sign-in is worthless after it.
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
      throw signInFailed();
    }
    attempt.succeeded();
    if (previousToken) await this.sessions.end(previousToken);
    const { token, session } = await this.sessions.start(user.id);
    this.logger.log({ msg: 'staff signed in', userId: user.id });
    return { token, user, expiresAt: session.expiresAt };
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await this.sessions.end(token);
  }
}
