/**
 * Cross-reference sections and trailers for the files we write: after an incremental update
 * (in the style of the section it updates) and at the end of a whole new file.
 */

export type XrefStyle = 'table' | 'stream';

export interface TrailerFields {
  /** `N 0 R` of the catalog. */
  root: string;
  info?: string;
  /** The `/ID` array as written, kept from the file being updated. */
  id?: string;
  /** Offset of the section this one updates. */
  prev?: number;
  /** Also list object 0 as the head of the free list (a whole file, not an update). */
  freeHead?: boolean;
}

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** Runs of consecutive object numbers, as `[first, count]`. */
function subsections(numbers: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === n) last[1] += 1;
    else runs.push([n, 1]);
  }
  return runs;
}

function trailerEntries(size: number, fields: TrailerFields): string {
  const parts = [`/Size ${size}`, `/Root ${fields.root}`];
  if (fields.info) parts.push(`/Info ${fields.info}`);
  if (fields.id) parts.push(`/ID ${fields.id}`);
  if (fields.prev !== undefined) parts.push(`/Prev ${fields.prev}`);
  return parts.join(' ');
}

/**
 * Where each object starts, by object number: a map, or for a whole file of thousands of
 * objects an array indexed by object number, holding -1 where there is no object (no map to
 * copy and no numbers to sort for each bundle).
 */
export type ObjectOffsets = ReadonlyMap<number, number> | Float64Array;

/** The object numbers of `offsets`, in order. */
function numbersOf(offsets: ObjectOffsets): number[] {
  if (!(offsets instanceof Float64Array)) return [...offsets.keys()].sort((a, b) => a - b);
  const numbers: number[] = [];
  for (let n = 0; n < offsets.length; n++) if (offsets[n] >= 0) numbers.push(n);
  return numbers;
}

/**
 * The offsets of a file whose prefix holds the objects at `prefixOffsets`, followed by the
 * objects at `added`: one array by object number, sized one past the highest number written, so
 * that numbers no part used stay unlisted and /Size is right.
 */
export function combinedOffsets(
  prefixOffsets: Float64Array,
  added: ReadonlyMap<number, number>,
): Float64Array {
  let size = prefixOffsets.length;
  for (const n of added.keys()) size = Math.max(size, n + 1);
  const all = new Float64Array(size).fill(-1);
  all.set(prefixOffsets);
  for (const [n, offset] of added) all[n] = offset;
  return all;
}

function offsetOf(offsets: ObjectOffsets, n: number): number {
  return offsets instanceof Float64Array ? offsets[n] : (offsets.get(n) ?? 0);
}

/**
 * The cross-reference section for the objects at `offsets`, the trailer and `%%EOF`.
 * `nextNumber` is one past the highest object number in use before this section; a stream
 * section takes that number for itself.
 */
export function xrefSection(
  style: XrefStyle,
  offsets: ObjectOffsets,
  sectionOffset: number,
  nextNumber: number,
  fields: TrailerFields,
): Uint8Array {
  return style === 'table'
    ? xrefTable(offsets, sectionOffset, nextNumber, fields)
    : xrefStream(offsets, sectionOffset, nextNumber, fields);
}

function xrefTable(
  offsets: ObjectOffsets,
  sectionOffset: number,
  size: number,
  fields: TrailerFields,
): Uint8Array {
  const numbers = numbersOf(offsets);
  const runs = subsections(numbers);
  const heads = runs.map(([first, count]) => `${first} ${count}\n`);
  const start = `xref\n${fields.freeHead ? '0 1\n0000000000 65535 f \n' : ''}`;
  const end = ['trailer', `<< ${trailerEntries(size, fields)} >>`, 'startxref']
    .concat([String(sectionOffset), '%%EOF', ''])
    .join('\n');
  let length = start.length + end.length + numbers.length * ENTRY.length;
  for (const head of heads) length += head.length;
  // Thousands of entries in a merged packet: written as bytes, not built as strings.
  const out = Buffer.allocUnsafe(length);
  let at = out.write(start, 0, 'latin1');
  runs.forEach(([first, count], i) => {
    at += out.write(heads[i], at, 'latin1');
    for (let n = first; n < first + count; n++) {
      out.set(ENTRY, at);
      let offset = offsetOf(offsets, n);
      for (let digit = 9; digit >= 0; digit--) {
        out[at + digit] = 0x30 + (offset % 10);
        offset = Math.floor(offset / 10);
      }
      at += ENTRY.length;
    }
  });
  out.write(end, at, 'latin1');
  return out;
}

/** One in-use entry, exactly 20 bytes with its line end; the offset is written over the zeros. */
const ENTRY = Buffer.from('0000000000 00000 n \n', 'latin1');

const FIELD_WIDTHS = [1, 4, 2];

function xrefStream(
  offsets: ObjectOffsets,
  sectionOffset: number,
  nextNumber: number,
  fields: TrailerFields,
): Uint8Array {
  const own = nextNumber;
  const all = new Map<number, number>();
  for (const n of numbersOf(offsets)) all.set(n, offsetOf(offsets, n));
  all.set(own, sectionOffset);
  const numbers = [...all.keys()].sort((a, b) => a - b);
  const entrySize = FIELD_WIDTHS.reduce((a, b) => a + b, 0);
  const data = Buffer.alloc(numbers.length * entrySize);
  numbers.forEach((n, i) => {
    const at = i * entrySize;
    data.writeUInt8(1, at);
    data.writeUInt32BE(all.get(n) ?? 0, at + 1);
    data.writeUInt16BE(0, at + 5);
  });
  const index = subsections(numbers)
    .map(([first, count]) => `${first} ${count}`)
    .join(' ');
  const dict =
    `<< /Type /XRef ${trailerEntries(own + 1, fields)} /W [${FIELD_WIDTHS.join(' ')}] ` +
    `/Index [${index}] /Length ${data.length} >>`;
  const head = latin1(`${own} 0 obj\n${dict}\nstream\n`);
  const tail = latin1(`\nendstream\nendobj\nstartxref\n${sectionOffset}\n%%EOF\n`);
  return Buffer.concat([head, data, tail]);
}
