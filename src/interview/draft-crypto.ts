import { Injectable } from '@nestjs/common';
import { scrypt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DecryptionError, IV_BYTES, KEY_BYTES, TAG_BYTES, open, seal } from '../crypto/aead';
import { AppError } from '../common/errors/app-error';
import { sha256 } from '../common/sha256';
import { ErrorCode } from '../common/errors/error-code';
import type { Language } from './interview-definition';
import { message } from './interview-messages';

/**
 * scrypt at N=2^15, r=8, p=1: about 32 MiB and a tenth of a second per derivation on a server
 * core. That is cheap for one petitioner and, with the throttle in front of it, makes an online
 * guess expensive; against an offline copy of the table it is the 88 bits of the code that do
 * the work.
 */
const LOG_N = 15;
const R = 8;
const P = 1;
/** scrypt needs a little over 128·N·r bytes (32 MiB); Node's default ceiling of 32 MiB refuses it. */
const MAX_MEMORY = 2 * 128 * 2 ** LOG_N * R;
const OUTPUT_BYTES = 64;

/**
 * Written into each row: when the parameters are raised, rows made before still say which
 * derivation opens them, so a resume can fall back to it and re-seal under the new one.
 */
export const KDF_ID = `scrypt:${LOG_N}:${R}:${P}`;

/**
 * One salt for every draft, on purpose. A per-draft salt has to be fetched before deriving, so
 * the row would need a locator computed without it: a fast hash of the code (which lets anyone
 * holding the table test guesses cheaply) or part of the code in clear (which shortens what is
 * left to guess). With 88 random bits per code precomputed tables are pointless anyway; the
 * fixed salt only keeps this use of scrypt apart from any other.
 */
const SALT = 'protective-order-assembly:interview-draft:v1';

/**
 * Derivations at once: each holds a libuv thread, a whole CPU for a tenth of a second and 32 MiB,
 * so a flood of starts and resumes waits here. One CPU is always left to the event loop, or a
 * burst of new interviews would stall every other petitioner's next screen.
 */
const MAX_CONCURRENT = Math.max(1, Math.min(4, availableParallelism() - 1));
/** Beyond this many waiting, a derivation is refused rather than queued without end. */
const MAX_WAITING = 64;
const BUSY_RETRY_SECONDS = 5;

export interface DraftKeys {
  /** Finds the row: hex SHA-256 of the first half of the scrypt output. Stored. */
  locator: string;
  /** Opens the row: the second half. Never stored; zeroed when its session ends. */
  key: Buffer;
  kdf: string;
}

/** A counting semaphore with a bounded queue. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  /** False when the queue is full: the caller should not wait. */
  tryEnter(): Promise<void> | false {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) return false;
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else this.active--;
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/** Turns a normalized resume code into the draft's locator and key. */
@Injectable()
export class ResumeKdf {
  private readonly gate = new Semaphore(MAX_CONCURRENT, MAX_WAITING);

  /** `normalized` must come from `parseResumeCode` or `generateResumeCode`. */
  async derive(normalized: string, lang: Language = 'en'): Promise<DraftKeys> {
    const entered = this.gate.tryEnter();
    if (!entered) {
      throw new AppError(ErrorCode.TooManyAttempts, message('busy', lang), [
        { field: 'code', message: message('busy', lang), retryAfterSeconds: BUSY_RETRY_SECONDS },
      ]);
    }
    await entered;
    let out: Buffer;
    try {
      out = await scryptAsync(normalized);
    } finally {
      this.gate.leave();
    }
    const locator = sha256(out.subarray(0, 32));
    const key = Buffer.from(out.subarray(32, 32 + KEY_BYTES));
    out.fill(0);
    return { locator, key, kdf: KDF_ID };
  }
}

function scryptAsync(password: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      SALT,
      OUTPUT_BYTES,
      { N: 2 ** LOG_N, r: R, p: P, maxmem: MAX_MEMORY },
      (err, derived) => (err ? reject(err) : resolve(derived)),
    );
  });
}

export interface SealedDraft {
  /** base64 of the 96-bit GCM nonce. */
  nonce: string;
  /** base64 of the ciphertext followed by the 128-bit tag. */
  ciphertext: string;
}

/** The row a ciphertext belongs to: a sealed draft copied under another locator will not open. */
function aadFor(locator: string, kdf: string): Buffer {
  return Buffer.from(`interview-draft:v1|${kdf}|${locator}`, 'utf8');
}

export function sealDraft(
  key: Buffer,
  locator: string,
  kdf: string,
  plaintext: Buffer,
): SealedDraft {
  const sealed = seal(key, plaintext, aadFor(locator, kdf));
  return {
    nonce: sealed.iv.toString('base64'),
    ciphertext: Buffer.concat([sealed.ciphertext, sealed.tag]).toString('base64'),
  };
}

/** The plaintext, or undefined when the key, the locator or the bytes do not match. */
export function openDraft(
  key: Buffer,
  locator: string,
  kdf: string,
  sealed: SealedDraft,
): Buffer | undefined {
  const iv = Buffer.from(sealed.nonce, 'base64');
  const body = Buffer.from(sealed.ciphertext, 'base64');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES || key.length !== KEY_BYTES) {
    return undefined;
  }
  const split = body.length - TAG_BYTES;
  try {
    return open(
      key,
      { iv, ciphertext: body.subarray(0, split), tag: body.subarray(split) },
      aadFor(locator, kdf),
      'interview draft',
    );
  } catch (e) {
    if (e instanceof DecryptionError) return undefined;
    throw e;
  }
}
