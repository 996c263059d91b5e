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
  assertKey(key);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
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
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError(
      `${what}: authentication failed (tampered, bound to another case or file, or wrong key)`,
    );
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error('AES-256-GCM needs a 32-byte key');
}
