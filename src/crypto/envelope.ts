import { randomBytes } from 'node:crypto';
import { DecryptionError, IV_BYTES, TAG_BYTES, open, sealInto } from './aead';

/**
 * The at-rest envelope of case facts and packet files:
 *
 *   "POE" | format 0x01 | data key id (16 bytes, the UUID) | IV (12) | GCM tag (16) | ciphertext
 *
 * The header before the tag (magic, format, key id, IV) is authenticated as additional data,
 * followed by a context string binding the ciphertext to its case and purpose
 * (`facts`, or `file:<packet id>/<name>`), so a ciphertext copied to another case, packet or
 * file name fails to open. Facts are stored as the base64 of the envelope; files as its bytes.
 */
export const MAGIC = Buffer.from('POE', 'latin1');
export const FORMAT_V1 = 0x01;
const KEY_ID_BYTES = 16;
const AUTHENTICATED_HEADER = MAGIC.length + 1 + KEY_ID_BYTES + IV_BYTES;
export const HEADER_BYTES = AUTHENTICATED_HEADER + TAG_BYTES;

export interface DataKey {
  /** The data_keys row id (a UUID): recorded in every ciphertext made with this key. */
  id: string;
  key: Buffer;
}

export function encryptEnvelope(dataKey: DataKey, plaintext: Buffer, context: string): Buffer {
  const prefix = Buffer.concat([MAGIC, Buffer.of(FORMAT_V1), uuidBytes(dataKey.id)]);
  // The IV is chosen first so it can be part of the authenticated header.
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([prefix, iv]);
  // One buffer for the whole envelope, the ciphertext written into it in place (see sealInto).
  const out = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length);
  header.copy(out, 0);
  const tag = sealInto(dataKey.key, plaintext, aadOf(header, context), iv, out, HEADER_BYTES);
  tag.copy(out, AUTHENTICATED_HEADER);
  return out;
}

/** True when the bytes start like an envelope (used to refuse unencrypted files clearly). */
export function isEnvelope(bytes: Buffer): boolean {
  return bytes.length >= HEADER_BYTES && bytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/** The data key id an envelope says it was made with. */
export function envelopeKeyId(bytes: Buffer, what: string): string {
  if (!isEnvelope(bytes)) throw new DecryptionError(`${what}: not an encrypted envelope`);
  if (bytes[MAGIC.length] !== FORMAT_V1) {
    throw new DecryptionError(`${what}: unknown envelope format ${bytes[MAGIC.length]}`);
  }
  return uuidString(bytes.subarray(MAGIC.length + 1, MAGIC.length + 1 + KEY_ID_BYTES));
}

export function decryptEnvelope(
  dataKey: DataKey,
  bytes: Buffer,
  context: string,
  what: string,
): Buffer {
  const keyId = envelopeKeyId(bytes, what);
  if (keyId !== dataKey.id) {
    throw new DecryptionError(`${what}: made with another data key than this case's`);
  }
  const header = bytes.subarray(0, AUTHENTICATED_HEADER);
  return open(
    dataKey.key,
    {
      iv: bytes.subarray(AUTHENTICATED_HEADER - IV_BYTES, AUTHENTICATED_HEADER),
      tag: bytes.subarray(AUTHENTICATED_HEADER, HEADER_BYTES),
      ciphertext: bytes.subarray(HEADER_BYTES),
    },
    aadOf(header, context),
    what,
  );
}

function aadOf(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(`|po-assembly|${context}`, 'utf8')]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new Error('data key id must be a lower-case UUID');
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
