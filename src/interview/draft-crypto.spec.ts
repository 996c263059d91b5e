import { KDF_ID, ResumeKdf, Semaphore, openDraft, sealDraft } from './draft-crypto';

const CODE = 'wagon mosquito ridge uncle absent frost lava tennis';
const OTHER = 'wagon mosquito ridge uncle absent frost lava tent';

describe('deriving a draft key from a resume code', () => {
  const kdf = new ResumeKdf();

  it('gives the same locator and key for the same code, and different ones for another', async () => {
    const [a, b, c] = await Promise.all([kdf.derive(CODE), kdf.derive(CODE), kdf.derive(OTHER)]);
    expect(a.locator).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key).toHaveLength(32);
    expect(a.kdf).toBe('scrypt:15:8:1');
    expect(b.locator).toBe(a.locator);
    expect(b.key.equals(a.key)).toBe(true);
    expect(c.locator).not.toBe(a.locator);
    expect(c.key.equals(a.key)).toBe(false);
    // The stored locator does not hold the key.
    expect(a.locator).not.toContain(a.key.toString('hex').slice(0, 16));
  });
});

describe('sealing a draft', () => {
  const kdf = new ResumeKdf();
  const plaintext = Buffer.from(JSON.stringify({ name: 'Ana Lucía Torres' }), 'utf8');

  it('opens with the key and locator it was sealed with', async () => {
    const { key, locator } = await kdf.derive(CODE);
    const sealed = sealDraft(key, locator, KDF_ID, plaintext);
    expect(openDraft(key, locator, KDF_ID, sealed)?.toString('utf8')).toBe(
      plaintext.toString('utf8'),
    );
    expect(Buffer.from(sealed.ciphertext, 'base64').includes(Buffer.from('Ana'))).toBe(false);
    // A fresh nonce each time: the same draft sealed twice looks different.
    const again = sealDraft(key, locator, KDF_ID, plaintext);
    expect(again.nonce).not.toBe(sealed.nonce);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
  });

  it('does not open with another code, under another locator, or once tampered with', async () => {
    const right = await kdf.derive(CODE);
    const wrong = await kdf.derive(OTHER);
    const sealed = sealDraft(right.key, right.locator, KDF_ID, plaintext);
    expect(openDraft(wrong.key, right.locator, KDF_ID, sealed)).toBeUndefined();
    expect(openDraft(right.key, wrong.locator, KDF_ID, sealed)).toBeUndefined();
    expect(openDraft(right.key, right.locator, 'scrypt:14:8:1', sealed)).toBeUndefined();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] ^= 1;
    const tampered = { ...sealed, ciphertext: bytes.toString('base64') };
    expect(openDraft(right.key, right.locator, KDF_ID, tampered)).toBeUndefined();
    expect(openDraft(right.key, right.locator, KDF_ID, { ...sealed, nonce: '' })).toBeUndefined();
    const zeroed = Buffer.alloc(32);
    expect(openDraft(zeroed, right.locator, KDF_ID, sealed)).toBeUndefined();
  });
});

describe('the derivation gate', () => {
  it('lets `limit` in at once, queues the rest in order, and refuses past the queue', async () => {
    const gate = new Semaphore(2, 2);
    const order: string[] = [];
    const a = gate.tryEnter();
    const b = gate.tryEnter();
    const c = gate.tryEnter();
    const d = gate.tryEnter();
    expect(a).not.toBe(false);
    expect(gate.running).toBe(2);
    expect(gate.queued).toBe(2);
    expect(gate.tryEnter()).toBe(false);
    void (c as Promise<void>).then(() => order.push('c'));
    void (d as Promise<void>).then(() => order.push('d'));
    await Promise.resolve();
    expect(order).toEqual([]);
    gate.leave();
    await Promise.resolve();
    expect(order).toEqual(['c']);
    expect(gate.running).toBe(2);
    gate.leave();
    await Promise.resolve();
    expect(order).toEqual(['c', 'd']);
    gate.leave();
    gate.leave();
    expect(gate.running).toBe(0);
    await Promise.all([a, b]);
  });
});
