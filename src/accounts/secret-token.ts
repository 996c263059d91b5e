import { randomBytes } from 'node:crypto';
import { sha256 } from '../common/sha256';

/** What an API token starts with, so a leaked one is recognisable to secret scanners. */
export const API_TOKEN_PREFIX = 'pot_';

export interface NewSecret {
  /** Given to the browser or the integration once; never stored. */
  token: string;
  /** What is stored and looked up. */
  hash: string;
}

/** 32 random bytes: too many to guess, so a fast hash (not argon2) is enough to store them. */
export function newSecret(prefix = ''): NewSecret {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashSecret(token) };
}

export function hashSecret(token: string): string {
  return sha256(Buffer.from(token, 'utf8'));
}

/** Longer than any token we issue: anything bigger is not ours and is not even hashed. */
export const MAX_SECRET_LENGTH = 128;
