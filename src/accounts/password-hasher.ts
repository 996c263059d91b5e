import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { normalizePassword } from './password-policy';

/**
 * argon2id at OWASP's lowest recommended setting (19 MiB, 2 passes, 1 lane): slow enough to make
 * a stolen table expensive to guess at, cheap enough for a sign-in page.
 */
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(normalizePassword(password), ARGON2_OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      // A malformed stored hash opens nothing.
      return false;
    }
  }

  /**
   * Spends the same work as a real check when there is no account to check against, so the
   * time a sign-in takes does not tell whether the email has an account.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64'));
    await this.verify(await this.dummy, password);
    return false;
  }
}
