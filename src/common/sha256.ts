import { createHash } from 'node:crypto';

/** Hex SHA-256: how packs name official forms and packets record what made them. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
