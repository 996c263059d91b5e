import { crc32, createInflateRaw } from 'node:zlib';
import { PackRefused, UploadProblem } from './upload-problems';

/**
 * A ZIP reader for archives nobody vouches for. Everything the archive says about itself is
 * checked against limits before a byte is inflated, and nothing it says is trusted while
 * inflating: real bytes are counted and inflation stops at the first byte past a limit.
 *
 * Deliberately narrow: one disk, no ZIP64, stored or deflate only, no encryption, no symbolic
 * links, one unambiguous name per entry. Packs need nothing more, and every feature left out
 * is a way for this reader and another tool (PizZip, LibreOffice) to see different files.
 */

export interface ZipLimits {
  maxEntries: number;
  /** Both the declared total and the bytes really inflated must stay within this. */
  maxUncompressedBytes: number;
}

export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the compressed bytes start, read from the local header. */
  dataOffset: number;
}

/** Makes the problem for an entry (or the archive, `null`): outer archives and DOCX parts differ. */
export type ProblemReporter = (entry: string | null, message: string) => UploadProblem;

/** Inflated bytes allowed across several archives (a pack and the DOCX files inside it). */
export class InflateBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.limit;
  }
}

const SIGNATURE = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  zip64Locator: 0x07064b50,
} as const;
const END_RECORD = 22;
const CENTRAL_HEADER = 46;
const LOCAL_HEADER = 30;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
/** Info-ZIP's second name for an entry, which some readers prefer over the header's. */
const EXTRA_UNICODE_PATH = 0x7075;
const MADE_BY_UNIX = 3;
const S_IFMT = 0xf000;
const S_IFLNK = 0xa000;
const INFLATE_CHUNK = 64 * 1024;

export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Reads the central directory and proves the archive's shape: returns the entries, or throws
 * PackRefused naming every problem. Nothing is inflated here.
 */
export function readZipDirectory(
  zip: Buffer,
  limits: ZipLimits,
  report: ProblemReporter,
): ZipEntry[] {
  const fatal = (message: string): never => {
    throw new PackRefused([report(null, message)]);
  };
  const end = findEndRecord(zip, fatal);
  const totalEntries = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (
    (end >= 20 && zip.readUInt32LE(end - 20) === SIGNATURE.zip64Locator) ||
    totalEntries === 0xffff ||
    directorySize === 0xffffffff ||
    directoryOffset === 0xffffffff
  ) {
    fatal('ZIP64 archives are not accepted');
  }
  if (
    zip.readUInt16LE(end + 4) !== 0 ||
    zip.readUInt16LE(end + 6) !== 0 ||
    zip.readUInt16LE(end + 8) !== totalEntries
  ) {
    fatal('archives split over several files are not accepted');
  }
  if (totalEntries > limits.maxEntries) {
    fatal(
      `the archive declares ${totalEntries} entries; at most ${limits.maxEntries} are accepted`,
    );
  }
  // Every single-disk archive keeps its directory right before the end record; one that points
  // elsewhere is a decoy or a damaged archive.
  if (directoryOffset + directorySize !== end) {
    fatal('the central directory is not where the end-of-archive record says it is');
  }
  const problems: UploadProblem[] = [];
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let p = directoryOffset;
  const directoryEnd = directoryOffset + directorySize;
  for (let i = 0; i < totalEntries; i++) {
    if (p + CENTRAL_HEADER > directoryEnd || zip.readUInt32LE(p) !== SIGNATURE.central) {
      fatal('the central directory is damaged');
    }
    const header = readCentralHeader(zip, p);
    p += CENTRAL_HEADER + header.nameBytes.length + header.extraLength + header.commentLength;
    if (p > directoryEnd) fatal('the central directory is damaged');
    if (header.uncompressedSize === 0xffffffff || header.compressedSize === 0xffffffff) {
      fatal('ZIP64 archives are not accepted');
    }
    declaredTotal += header.uncompressedSize;
    const name = decodeName(header.nameBytes, header.flags);
    const label = name ?? `entry ${i + 1}`;
    const complaints = [
      ...(name === undefined
        ? ['its name is not valid text (ASCII, or UTF-8 when marked so)']
        : []),
      ...(name === undefined ? [] : nameProblems(name)),
      ...headerProblems(zip, header),
    ];
    const key = (name ?? '').replace(/\/$/, '').toLowerCase();
    if (name !== undefined && seen.has(key))
      complaints.push('appears more than once in the archive');
    seen.add(key);
    problems.push(...complaints.map((m) => report(label, m)));
    if (complaints.length > 0 || name === undefined) continue;
    const local = readLocalHeader(zip, header, directoryOffset);
    if (typeof local === 'string') {
      problems.push(report(label, local));
      continue;
    }
    entries.push({
      name,
      isDirectory: name.endsWith('/'),
      method: header.method,
      crc32: header.crc32,
      compressedSize: header.compressedSize,
      uncompressedSize: header.uncompressedSize,
      localHeaderOffset: header.localHeaderOffset,
      dataOffset: local,
    });
  }
  if (p !== directoryEnd) fatal('the central directory does not match its declared size');
  if (declaredTotal > limits.maxUncompressedBytes) {
    fatal(
      `the archive declares ${declaredTotal} bytes uncompressed; at most ${limits.maxUncompressedBytes} are accepted`,
    );
  }
  problems.push(...overlapProblems(entries, report));
  if (problems.length > 0) throw new PackRefused(problems);
  return entries;
}

/**
 * The end record must be the last one in the file and end exactly where the file does: a second
 * record hidden in the comment, or bytes after the archive, would let readers disagree.
 */
function findEndRecord(zip: Buffer, fatal: (message: string) => never): number {
  if (zip.length < END_RECORD) fatal('not a ZIP archive (too short)');
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(SIGNATURE.end);
  const end = zip.lastIndexOf(signature);
  if (end < 0 || end < zip.length - END_RECORD - MAX_COMMENT || end + END_RECORD > zip.length) {
    fatal('not a ZIP archive, or a truncated one: no end-of-archive record');
  }
  if (end + END_RECORD + zip.readUInt16LE(end + 20) !== zip.length) {
    fatal('the end-of-archive record is damaged, or data follows the archive');
  }
  return end;
}

interface CentralHeader {
  madeBy: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  nameBytes: Buffer;
  extra: Buffer;
  extraLength: number;
  commentLength: number;
  diskStart: number;
  externalAttributes: number;
  localHeaderOffset: number;
}

function readCentralHeader(zip: Buffer, p: number): CentralHeader {
  const nameLength = zip.readUInt16LE(p + 28);
  const extraLength = zip.readUInt16LE(p + 30);
  const nameStart = p + CENTRAL_HEADER;
  return {
    madeBy: zip.readUInt16LE(p + 4) >> 8,
    flags: zip.readUInt16LE(p + 8),
    method: zip.readUInt16LE(p + 10),
    crc32: zip.readUInt32LE(p + 16),
    compressedSize: zip.readUInt32LE(p + 20),
    uncompressedSize: zip.readUInt32LE(p + 24),
    nameBytes: zip.subarray(nameStart, nameStart + nameLength),
    extra: zip.subarray(nameStart + nameLength, nameStart + nameLength + extraLength),
    extraLength,
    commentLength: zip.readUInt16LE(p + 32),
    diskStart: zip.readUInt16LE(p + 34),
    externalAttributes: zip.readUInt32LE(p + 38),
    localHeaderOffset: zip.readUInt32LE(p + 42),
  };
}

function decodeName(bytes: Buffer, flags: number): string | undefined {
  if (bytes.length === 0) return undefined;
  if (flags & FLAG_UTF8) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  // Without the UTF-8 flag other bytes mean CP437 to some tools and something else to others.
  return bytes.every((b) => b < 0x80) ? bytes.toString('latin1') : undefined;
}

/** Names are never used as paths here, but a name that could be one elsewhere is refused. */
export function nameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.includes('\0')) problems.push('its name holds a NUL character');
  if (/[\u0001-\u001f\u007f]/.test(name)) problems.push('its name holds control characters');
  if (name.includes('\\')) problems.push('its name holds a backslash');
  if (name.startsWith('/')) problems.push('its name is an absolute path');
  if (/^[A-Za-z]:/.test(name)) problems.push('its name starts with a drive letter');
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) problems.push('its name climbs out of the archive ("..")');
  if (!name.startsWith('/') && segments.some((s) => s === '' || s === '.')) {
    problems.push('its name has an empty or "." folder');
  }
  return problems;
}

function headerProblems(zip: Buffer, h: CentralHeader): string[] {
  const problems: string[] = [];
  if (h.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) problems.push('it is encrypted');
  if (h.method !== STORED && h.method !== DEFLATED) {
    problems.push(
      `it uses compression method ${h.method}; only stored (0) and deflate (8) are accepted`,
    );
  }
  if (h.method === STORED && h.compressedSize !== h.uncompressedSize) {
    problems.push('it is stored uncompressed but declares two different sizes');
  }
  if (h.diskStart !== 0) problems.push('it starts on another part of a split archive');
  if (h.madeBy === MADE_BY_UNIX && ((h.externalAttributes >>> 16) & S_IFMT) === S_IFLNK) {
    problems.push('it is a symbolic link');
  }
  if (hasExtraField(h.extra, EXTRA_UNICODE_PATH)) {
    problems.push('it carries a second name (Unicode path field), which is not accepted');
  }
  if (h.localHeaderOffset + LOCAL_HEADER > zip.length) {
    problems.push('its data lies outside the archive');
  }
  return problems;
}

function hasExtraField(extra: Buffer, id: number): boolean {
  for (let p = 0; p + 4 <= extra.length; p += 4 + extra.readUInt16LE(p + 2)) {
    if (extra.readUInt16LE(p) === id) return true;
  }
  return false;
}

/** The local header must repeat the central directory; returns where the data starts, or why not. */
function readLocalHeader(zip: Buffer, h: CentralHeader, directoryOffset: number): number | string {
  const p = h.localHeaderOffset;
  if (p + LOCAL_HEADER > directoryOffset || zip.readUInt32LE(p) !== SIGNATURE.local) {
    return 'its local header is missing or damaged';
  }
  const nameLength = zip.readUInt16LE(p + 26);
  const extraLength = zip.readUInt16LE(p + 28);
  const localName = zip.subarray(p + LOCAL_HEADER, p + LOCAL_HEADER + nameLength);
  if (!localName.equals(h.nameBytes)) {
    return 'its local header names a different file than the central directory';
  }
  if ((zip.readUInt16LE(p + 6) & FLAG_ENCRYPTED) !== (h.flags & FLAG_ENCRYPTED)) {
    return 'its local header disagrees about encryption';
  }
  if (zip.readUInt16LE(p + 8) !== h.method) {
    return 'its local header disagrees about the compression method';
  }
  const dataOffset = p + LOCAL_HEADER + nameLength + extraLength;
  if (dataOffset + h.compressedSize > directoryOffset) return 'its data lies outside the archive';
  return dataOffset;
}

/** Entries sharing bytes are how the smallest ZIP bombs multiply one compressed stream. */
function overlapProblems(entries: ZipEntry[], report: ProblemReporter): UploadProblem[] {
  const sorted = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const problems: UploadProblem[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1];
    if (before.dataOffset + before.compressedSize > sorted[i].localHeaderOffset) {
      problems.push(report(sorted[i].name, 'its data overlaps another entry'));
    }
  }
  return problems;
}

/**
 * Inflates one entry, counting real bytes: past its declared size, or past the budget, the
 * inflater is destroyed at once. The result must then match the declared size and CRC-32.
 */
export async function inflateEntry(
  zip: Buffer,
  entry: ZipEntry,
  budget: InflateBudget,
  report: ProblemReporter,
): Promise<Buffer> {
  const input = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const refuse = (message: string) => new PackRefused([report(entry.name, message)]);
  let data: Buffer;
  if (entry.method === STORED) {
    if (!budget.take(input.length)) throw refuse(overBudget(budget));
    data = input;
  } else {
    data = await inflateCounted(input, entry, budget, refuse);
  }
  if (data.length !== entry.uncompressedSize) {
    throw refuse(
      `it inflates to ${data.length} bytes but declares ${entry.uncompressedSize}; the archive is damaged or forged`,
    );
  }
  if (crc32(data) >>> 0 !== entry.crc32) throw refuse('its CRC-32 does not match: it is damaged');
  return data;
}

function overBudget(budget: InflateBudget): string {
  return `the archive inflates to more than ${budget.limit} bytes; inflating stopped there`;
}

function inflateCounted(
  input: Buffer,
  entry: ZipEntry,
  budget: InflateBudget,
  refuse: (message: string) => PackRefused,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      reject(refuse(message));
    };
    inflater.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > entry.uncompressedSize) {
        fail(
          `it inflates to more than the ${entry.uncompressedSize} bytes it declares; inflating stopped there`,
        );
      } else if (!budget.take(chunk.length)) {
        fail(overBudget(budget));
      } else {
        chunks.push(chunk);
      }
    });
    inflater.on('error', () => fail('its compressed data is not valid deflate data'));
    inflater.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
    inflater.end(input);
  });
}

/** Every file of the archive, inflated under the limits, by name (folders left out). */
export async function readZip(
  zip: Buffer,
  limits: ZipLimits,
  budget: InflateBudget,
  report: ProblemReporter,
): Promise<Map<string, Buffer>> {
  const entries = readZipDirectory(zip, limits, report);
  const files = new Map<string, Buffer>();
  for (const entry of entries) {
    if (entry.isDirectory) {
      if (entry.uncompressedSize > 0) {
        throw new PackRefused([report(entry.name, 'a folder entry that holds data')]);
      }
      continue;
    }
    files.set(entry.name, await inflateEntry(zip, entry, budget, report));
  }
  return files;
}
