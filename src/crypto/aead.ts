import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM with a random 96-bit IV and a 128-bit tag: the one cipher used for everything. */
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * A ciphertext that cannot be opened: tampered, moved to another case or file, or opened with
 * the wrong key. The message says which object failed, never anything about the key or the data.
 */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function seal(
  key: Buffer,
  plaintext: Buffer,
  aad: Buffer,
  iv = randomBytes(IV_BYTES),
): Sealed {
  const ciphertext = Buffer.allocUnsafe(plaintext.length);
  const tag = sealInto(key, plaintext, aad, iv, ciphertext, 0);
  return { iv, tag, ciphertext };
}

/** Slices encrypted at a time: the cipher's own output buffers stay small and short-lived. */
const SLICE_BYTES = 256 * 1024;

/**
 * Encrypts `plaintext` into `out` from `offset` (GCM's ciphertext is exactly as long as the
 * plaintext) and returns the tag. A packet's files are tens of megabytes; writing the cipher's
 * output straight into the one buffer that is kept, instead of joining copies, leaves the
 * garbage collector a third of the memory to account for.
 */
export function sealInto(
  key: Buffer,
  plaintext: Buffer,
  aad: Buffer,
  iv: Buffer,
  out: Buffer,
  offset: number,
): Buffer {
  assertKey(key);
  if (out.length - offset < plaintext.length) throw new Error('sealInto: the output is too short');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  let at = offset;
  for (let i = 0; i < plaintext.length; i += SLICE_BYTES) {
    at += cipher.update(plaintext.subarray(i, i + SLICE_BYTES)).copy(out, at);
  }
  at += cipher.final().copy(out, at);
  // Uninitialised memory must never reach a file: every byte promised is written.
  if (at - offset !== plaintext.length) throw new Error('sealInto: the ciphertext length differs');
  return cipher.getAuthTag();
}

/** Opens a sealed value or throws DecryptionError with `what` (e.g. "case facts") in the message. */
export function open(key: Buffer, sealed: Sealed, aad: Buffer, what: string): Buffer {
  assertKey(key);
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new DecryptionError(`${what}: malformed ciphertext`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    const body = decipher.update(sealed.ciphertext);
    // GCM's final() only checks the tag; joining its empty output would copy the whole file.
    const rest = decipher.final();
    return rest.length === 0 ? body : Buffer.concat([body, rest]);
  } catch {
    throw new DecryptionError(
      `${what}: authentication failed (tampered, bound to another case or file, or wrong key)`,
    );
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error('AES-256-GCM needs a 32-byte key');
}
