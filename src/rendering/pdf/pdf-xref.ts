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
 * The cross-reference section for the objects at `offsets`, the trailer and `%%EOF`.
 * `nextNumber` is one past the highest object number in use before this section; a stream
 * section takes that number for itself.
 */
export function xrefSection(
  style: XrefStyle,
  offsets: Map<number, number>,
  sectionOffset: number,
  nextNumber: number,
  fields: TrailerFields,
): Uint8Array {
  return style === 'table'
    ? xrefTable(offsets, sectionOffset, nextNumber, fields)
    : xrefStream(offsets, sectionOffset, nextNumber, fields);
}

function xrefTable(
  offsets: Map<number, number>,
  sectionOffset: number,
  size: number,
  fields: TrailerFields,
): Uint8Array {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const lines: string[] = ['xref'];
  if (fields.freeHead) lines.push('0 1', '0000000000 65535 f ');
  for (const [first, count] of subsections(numbers)) {
    lines.push(`${first} ${count}`);
    for (let n = first; n < first + count; n++) {
      // Each entry is exactly 20 bytes: the line below and its "\n".
      lines.push(`${String(offsets.get(n)).padStart(10, '0')} 00000 n `);
    }
  }
  lines.push('trailer', `<< ${trailerEntries(size, fields)} >>`);
  lines.push('startxref', String(sectionOffset), '%%EOF', '');
  return latin1(lines.join('\n'));
}

const FIELD_WIDTHS = [1, 4, 2];

function xrefStream(
  offsets: Map<number, number>,
  sectionOffset: number,
  nextNumber: number,
  fields: TrailerFields,
): Uint8Array {
  const own = nextNumber;
  const all = new Map(offsets);
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
