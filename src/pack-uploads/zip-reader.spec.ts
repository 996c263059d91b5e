import { deflateRawSync } from 'node:zlib';
import { PackRefused, UploadProblem, archiveProblem, entryProblem } from './upload-problems';
import { InflateBudget, ProblemReporter, readZip } from './zip-reader';
import { forgedZip, storedLocalHeader } from './zip-test-helpers';

const LIMITS = { maxEntries: 10, maxUncompressedBytes: 1024 * 1024 };
const report: ProblemReporter = (entry, message) =>
  entry === null ? archiveProblem(message) : entryProblem(entry, message);

async function problemsOf(zip: Buffer, budget = new InflateBudget(LIMITS.maxUncompressedBytes)) {
  try {
    await readZip(zip, LIMITS, budget, report);
  } catch (e) {
    if (e instanceof PackRefused) return e.problems.map((p: UploadProblem) => p.message);
    throw e;
  }
  return [];
}

const text = (s: string) => Buffer.from(s);

describe('readZip', () => {
  it('reads stored and deflated entries and leaves folders out', async () => {
    const plain = text('hello '.repeat(100));
    const zip = forgedZip([
      { name: 'a/', data: Buffer.alloc(0) },
      { name: 'a/b.txt', data: deflateRawSync(plain), method: 8, plain },
      { name: 'c.txt', data: text('c') },
    ]);
    const files = await readZip(zip, LIMITS, new InflateBudget(1 << 20), report);
    expect([...files.keys()]).toEqual(['a/b.txt', 'c.txt']);
    expect(files.get('a/b.txt')?.equals(plain)).toBe(true);
  });

  it('refuses bytes after the archive, and a decoy end record hidden in the comment', async () => {
    const entries = [{ name: 'a.txt', data: text('a') }];
    expect(await problemsOf(forgedZip(entries, { trailing: text('junk') }))).toEqual([
      'the end-of-archive record is damaged, or data follows the archive',
    ]);
    const decoy = Buffer.alloc(22);
    decoy.writeUInt32LE(0x06054b50, 0);
    expect(await problemsOf(forgedZip(entries, { comment: decoy }))).toEqual([
      'the central directory is not where the end-of-archive record says it is',
    ]);
  });

  it('refuses symbolic links and entries with a second (Unicode) name', async () => {
    const unicodePath = Buffer.from([0x75, 0x70, 0x05, 0x00, 1, 0, 0, 0, 0]);
    expect(
      await problemsOf(
        forgedZip([
          { name: 'link', data: text('/etc/passwd'), madeBy: 3, externalAttributes: 0xa1ff << 16 },
          { name: 'named', data: text('x'), extra: unicodePath },
        ]),
      ),
    ).toEqual([
      'link: it is a symbolic link',
      'named: it carries a second name (Unicode path field), which is not accepted',
    ]);
  });

  it('refuses names that differ only in case, and names not marked UTF-8 that are not ASCII', async () => {
    expect(
      await problemsOf(
        forgedZip([
          { name: 'Form.pdf', data: text('x') },
          { name: 'form.PDF', data: text('x') },
          { name: 'caf\u00e9', data: text('x'), flags: 0 },
        ]),
      ),
    ).toEqual([
      'form.PDF: appears more than once in the archive',
      'entry 3: its name is not valid text (ASCII, or UTF-8 when marked so)',
    ]);
  });

  it('refuses entries that share bytes, the way the smallest ZIP bombs are made', async () => {
    const inner = text('payload');
    const nested = Buffer.concat([storedLocalHeader('b.txt', inner), inner]);
    const zip = forgedZip([
      { name: 'a.txt', data: nested },
      { name: 'b.txt', data: inner, pointAt: 30 + 'a.txt'.length },
    ]);
    expect(await problemsOf(zip)).toEqual(['b.txt: its data overlaps another entry']);
  });

  it('refuses a local header that names another file, and data that fails its CRC', async () => {
    const zip = forgedZip([{ name: 'a.txt', data: text('abc') }]);
    const misnamed = Buffer.from(zip);
    misnamed.write('z', 30);
    expect(await problemsOf(misnamed)).toEqual([
      'a.txt: its local header names a different file than the central directory',
    ]);
    const damaged = Buffer.from(zip);
    damaged.write('X', 30 + 'a.txt'.length);
    expect(await problemsOf(damaged)).toEqual(['a.txt: its CRC-32 does not match: it is damaged']);
  });

  it('refuses an entry that inflates to fewer bytes than it declares', async () => {
    const plain = text('short');
    const zip = forgedZip([
      { name: 'a.txt', data: deflateRawSync(plain), method: 8, plain, declaredSize: 500 },
    ]);
    expect(await problemsOf(zip)).toEqual([
      'a.txt: it inflates to 5 bytes but declares 500; the archive is damaged or forged',
    ]);
  });

  it('stops inflating at the shared budget, whatever each entry declares', async () => {
    const plain = Buffer.alloc(300 * 1024);
    const entry = (name: string) => ({ name, data: deflateRawSync(plain), method: 8, plain });
    const zip = forgedZip([entry('a'), entry('b')]);
    expect(await problemsOf(zip, new InflateBudget(400 * 1024))).toEqual([
      `b: the archive inflates to more than ${400 * 1024} bytes; inflating stopped there`,
    ]);
  });

  it('inflates no more than one chunk past a limit: declared sizes are not trusted', async () => {
    class CountingBudget extends InflateBudget {
      taken = 0;
      override take(bytes: number): boolean {
        this.taken += bytes;
        return super.take(bytes);
      }
    }
    const huge = Buffer.alloc(64 * 1024 * 1024);
    const compressed = deflateRawSync(huge);
    const lying = forgedZip([
      { name: 'bomb', data: compressed, method: 8, plain: huge, declaredSize: 1000 },
    ]);
    const first = new CountingBudget(LIMITS.maxUncompressedBytes);
    expect(await problemsOf(lying, first)).toEqual([
      'bomb: it inflates to more than the 1000 bytes it declares; inflating stopped there',
    ]);
    expect(first.taken).toBe(0);
    // Declared honestly, within the archive's limits, but past what the budget allows.
    const honest = forgedZip([{ name: 'bomb', data: compressed, method: 8, plain: huge }]);
    const second = new CountingBudget(1024 * 1024);
    await expect(
      readZip(honest, { maxEntries: 1, maxUncompressedBytes: huge.length }, second, report),
    ).rejects.toBeInstanceOf(PackRefused);
    expect(second.taken).toBeGreaterThan(1024 * 1024);
    expect(second.taken).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
  });

  it('refuses ZIP64 and split archives, and more entries than allowed, before reading entries', async () => {
    const many = forgedZip(
      Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: text('x') })),
    );
    expect(await problemsOf(many)).toEqual([
      'the archive declares 11 entries; at most 10 are accepted',
    ]);
    const split = forgedZip([{ name: 'a', data: text('x') }]);
    split.writeUInt16LE(1, split.length - 22 + 4);
    expect(await problemsOf(split)).toEqual(['archives split over several files are not accepted']);
    const zip64 = forgedZip([{ name: 'a', data: text('x') }]);
    zip64.writeUInt32LE(0xffffffff, zip64.length - 22 + 16);
    expect(await problemsOf(zip64)).toEqual(['ZIP64 archives are not accepted']);
  });
});
