/**
 * A TrueType subset for embedding in a PDF as a CIDFontType2: the glyphs a document draws, in a
 * new numbering, with the tables a PDF viewer reads (head, hhea, maxp, hmtx, loca, glyf and the
 * hinting programs). fontkit can subset too, but it decodes and re-encodes every glyph and takes
 * about 10 ms for a hundred Latin glyphs; copying each glyph's bytes takes a few hundred µs.
 */

interface TableRecord {
  offset: number;
  length: number;
}

/** What is read once per face: table positions and the glyph index. */
export class TrueTypeFile {
  private readonly view: DataView;
  private readonly tables = new Map<string, TableRecord>();
  readonly numGlyphs: number;
  private readonly numberOfHMetrics: number;
  private readonly longLoca: boolean;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const numTables = this.view.getUint16(4);
    for (let i = 0; i < numTables; i++) {
      const at = 12 + i * 16;
      const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
      this.tables.set(tag, {
        offset: this.view.getUint32(at + 8),
        length: this.view.getUint32(at + 12),
      });
    }
    for (const tag of ['head', 'hhea', 'maxp', 'hmtx', 'loca', 'glyf']) {
      if (!this.tables.has(tag)) throw new Error(`not a TrueType font: no ${tag} table`);
    }
    this.numGlyphs = this.view.getUint16(this.table('maxp').offset + 4);
    this.numberOfHMetrics = this.view.getUint16(this.table('hhea').offset + 34);
    this.longLoca = this.view.getInt16(this.table('head').offset + 50) === 1;
  }

  private table(tag: string): TableRecord {
    const t = this.tables.get(tag);
    if (!t) throw new Error(`no ${tag} table`);
    return t;
  }

  private raw(tag: string): Uint8Array | undefined {
    const t = this.tables.get(tag);
    return t ? this.bytes.subarray(t.offset, t.offset + t.length) : undefined;
  }

  /** The glyph's outline bytes (empty for a glyph without outline). */
  private glyphData(gid: number): Uint8Array {
    const loca = this.table('loca').offset;
    const [start, end] = this.longLoca
      ? [this.view.getUint32(loca + gid * 4), this.view.getUint32(loca + gid * 4 + 4)]
      : [this.view.getUint16(loca + gid * 2) * 2, this.view.getUint16(loca + gid * 2 + 2) * 2];
    const glyf = this.table('glyf').offset;
    return this.bytes.subarray(glyf + start, glyf + Math.max(start, end));
  }

  private metrics(gid: number): { advance: number; lsb: number } {
    const hmtx = this.table('hmtx').offset;
    if (gid < this.numberOfHMetrics) {
      return {
        advance: this.view.getUint16(hmtx + gid * 4),
        lsb: this.view.getInt16(hmtx + gid * 4 + 2),
      };
    }
    const lastAdvance = this.view.getUint16(hmtx + (this.numberOfHMetrics - 1) * 4);
    const lsbAt = hmtx + this.numberOfHMetrics * 4 + (gid - this.numberOfHMetrics) * 2;
    return { advance: lastAdvance, lsb: this.view.getInt16(lsbAt) };
  }

  /**
   * The subset of `glyphs` (original ids): glyph 0 (.notdef) first, then `glyphs` in the order
   * given, then the components composite glyphs are built from. `newIds` maps original ids to
   * the subset's.
   */
  subset(glyphs: number[]): { font: Uint8Array; newIds: Map<number, number> } {
    const order: number[] = [];
    const newIds = new Map<number, number>();
    const include = (gid: number) => {
      if (newIds.has(gid) || gid >= this.numGlyphs) return;
      newIds.set(gid, order.length);
      order.push(gid);
    };
    include(0);
    for (const g of glyphs) include(g);
    // Components are appended as found; the loop also reaches components of components.
    for (let i = 0; i < order.length; i++) {
      for (const component of compositeComponents(this.glyphData(order[i]))) include(component);
    }
    const glyfParts: Uint8Array[] = [];
    const loca = new DataView(new ArrayBuffer((order.length + 1) * 4));
    const hmtx = new DataView(new ArrayBuffer(order.length * 4));
    let glyfLength = 0;
    order.forEach((gid, i) => {
      loca.setUint32(i * 4, glyfLength);
      const data = renumberComponents(this.glyphData(gid), newIds);
      const padded = (data.length + 3) & ~3;
      const copy = new Uint8Array(padded);
      copy.set(data);
      glyfParts.push(copy);
      glyfLength += padded;
      const m = this.metrics(gid);
      hmtx.setUint16(i * 4, m.advance);
      hmtx.setInt16(i * 4 + 2, m.lsb);
    });
    loca.setUint32(order.length * 4, glyfLength);
    const glyf = new Uint8Array(glyfLength);
    let at = 0;
    for (const part of glyfParts) {
      glyf.set(part, at);
      at += part.length;
    }
    const head = copyOf(this.raw('head'));
    const headView = view(head);
    headView.setUint32(8, 0); // checkSumAdjustment: recomputed below
    headView.setInt16(50, 1); // long loca offsets
    const hhea = copyOf(this.raw('hhea'));
    view(hhea).setUint16(34, order.length);
    const maxp = copyOf(this.raw('maxp'));
    view(maxp).setUint16(4, order.length);
    const tables: [string, Uint8Array][] = [
      ['head', head],
      ['hhea', hhea],
      ['maxp', maxp],
      ['hmtx', new Uint8Array(hmtx.buffer)],
      ['loca', new Uint8Array(loca.buffer)],
      ['glyf', glyf],
    ];
    for (const tag of ['cvt ', 'fpgm', 'prep']) {
      const t = this.raw(tag);
      if (t) tables.push([tag, t]);
    }
    return { font: assemble(tables), newIds };
  }
}

function copyOf(bytes: Uint8Array | undefined): Uint8Array {
  if (!bytes) throw new Error('missing table');
  return new Uint8Array(bytes);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Offsets of the glyph-index fields of a composite glyph's components. */
function componentIndexOffsets(data: Uint8Array): number[] {
  if (data.length < 10) return [];
  const v = view(data);
  if (v.getInt16(0) >= 0) return [];
  const offsets: number[] = [];
  let at = 10;
  for (;;) {
    const flags = v.getUint16(at);
    offsets.push(at + 2);
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
    if (!(flags & MORE_COMPONENTS) || at + 4 > data.length) return offsets;
  }
}

function compositeComponents(data: Uint8Array): number[] {
  const v = view(data);
  return componentIndexOffsets(data).map((at) => v.getUint16(at));
}

function renumberComponents(data: Uint8Array, newIds: Map<number, number>): Uint8Array {
  const offsets = componentIndexOffsets(data);
  if (offsets.length === 0) return data;
  const copy = new Uint8Array(data);
  const v = view(copy);
  for (const at of offsets) v.setUint16(at, newIds.get(v.getUint16(at)) ?? 0);
  return copy;
}

function checksum(bytes: Uint8Array): number {
  const padded = new Uint8Array((bytes.length + 3) & ~3);
  padded.set(bytes);
  const v = view(padded);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  return sum;
}

/** The sfnt container: offset table, table directory (sorted by tag), tables on 4-byte bounds. */
function assemble(tables: [string, Uint8Array][]): Uint8Array {
  tables.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const count = tables.length;
  const headerLength = 12 + count * 16;
  let length = headerLength;
  for (const [, data] of tables) length += (data.length + 3) & ~3;
  const out = new Uint8Array(length);
  const v = view(out);
  v.setUint32(0, 0x00010000);
  v.setUint16(4, count);
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  v.setUint16(6, searchRange);
  v.setUint16(8, entrySelector);
  v.setUint16(10, count * 16 - searchRange);
  let at = headerLength;
  let headAt = -1;
  tables.forEach(([tag, data], i) => {
    const entry = 12 + i * 16;
    for (let c = 0; c < 4; c++) out[entry + c] = tag.charCodeAt(c);
    v.setUint32(entry + 4, checksum(data));
    v.setUint32(entry + 8, at);
    v.setUint32(entry + 12, data.length);
    out.set(data, at);
    if (tag === 'head') headAt = at;
    at += (data.length + 3) & ~3;
  });
  if (headAt >= 0) v.setUint32(headAt + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
