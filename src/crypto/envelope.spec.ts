import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { DecryptionError } from './aead';
import { DataKey, HEADER_BYTES, decryptEnvelope, encryptEnvelope, envelopeKeyId } from './envelope';

describe('at-rest envelope (AES-256-GCM)', () => {
  const key: DataKey = { id: randomUUID(), key: randomBytes(32) };
  const plaintext = Buffer.from('{"petitioner":"Zelda Sentinelname"}', 'utf8');
  const ctx = 'case:c1|facts';

  it('round-trips and records which data key made it', () => {
    const env = encryptEnvelope(key, plaintext, ctx);
    expect(env.subarray(0, 3).toString('latin1')).toBe('POE');
    expect(env.length).toBe(HEADER_BYTES + plaintext.length);
    expect(env.includes(Buffer.from('Sentinelname'))).toBe(false);
    expect(envelopeKeyId(env, 'x')).toBe(key.id);
    expect(decryptEnvelope(key, env, ctx, 'case facts')).toEqual(plaintext);
  });

  it('round-trips a file of several slices, equal to a one-step GCM of the same bytes', () => {
    // A packet's bundle is megabytes: encrypted in slices into one buffer, it must match exactly
    // what one cipher.update over the whole file gives, and a byte changed anywhere must fail.
    const big = randomBytes(3 * 256 * 1024 + 7);
    const env = encryptEnvelope(key, big, ctx);
    expect(env.length).toBe(HEADER_BYTES + big.length);
    const iv = env.subarray(20, 32);
    const once = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
    once.setAAD(Buffer.concat([env.subarray(0, 32), Buffer.from(`|po-assembly|${ctx}`, 'utf8')]));
    // Compared with equals(): a failing toEqual would print a megabyte diff.
    const expected = Buffer.concat([once.update(big), once.final()]);
    expect(env.subarray(HEADER_BYTES).equals(expected)).toBe(true);
    expect(env.subarray(32, HEADER_BYTES).equals(once.getAuthTag())).toBe(true);
    expect(decryptEnvelope(key, env, ctx, 'packet file').equals(big)).toBe(true);
    const bad = Buffer.from(env);
    bad[HEADER_BYTES + 2 * 256 * 1024 + 3] ^= 0x80;
    expect(() => decryptEnvelope(key, bad, ctx, 'packet file')).toThrow(DecryptionError);
  });

  it('uses a fresh IV every time', () => {
    expect(encryptEnvelope(key, plaintext, ctx)).not.toEqual(encryptEnvelope(key, plaintext, ctx));
  });

  it('refuses a tampered ciphertext, tag or header with a clear error', () => {
    const env = encryptEnvelope(key, plaintext, ctx);
    for (const at of [env.length - 1, HEADER_BYTES - 1, 25]) {
      const bad = Buffer.from(env);
      bad[at] ^= 0x01;
      expect(() => decryptEnvelope(key, bad, ctx, 'case facts')).toThrow(DecryptionError);
    }
    expect(() => decryptEnvelope(key, env.subarray(0, 10), ctx, 'case facts')).toThrow(
      'case facts: not an encrypted envelope',
    );
  });

  it('refuses a ciphertext moved to another case or purpose (AAD)', () => {
    const env = encryptEnvelope(key, plaintext, ctx);
    expect(() => decryptEnvelope(key, env, 'case:c2|facts', 'case facts')).toThrow(
      /case facts: authentication failed \(tampered, bound to another case or file, or wrong key\)/,
    );
    expect(() => decryptEnvelope(key, env, 'case:c1|file:p/packet.pdf', 'f')).toThrow(
      DecryptionError,
    );
  });

  it('refuses the wrong data key, without key material in the message', () => {
    const env = encryptEnvelope(key, plaintext, ctx);
    const sameIdOtherKey: DataKey = { id: key.id, key: randomBytes(32) };
    let message = '';
    try {
      decryptEnvelope(sameIdOtherKey, env, ctx, 'case facts');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^case facts: authentication failed/);
    for (const k of [key.key, sameIdOtherKey.key]) {
      expect(message).not.toContain(k.toString('base64'));
      expect(message).not.toContain(k.toString('hex'));
    }
    const otherKey: DataKey = { id: randomUUID(), key: key.key };
    expect(() => decryptEnvelope(otherKey, env, ctx, 'case facts')).toThrow(
      'case facts: made with another data key',
    );
  });
});
