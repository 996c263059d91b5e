import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { FontFace } from './font-library';
import {
  BodyObject,
  flateStreamObject,
  name,
  num,
  ref,
  textObject,
  utf16BeHex,
} from './pdf-syntax';

/**
 * The fonts one document draws with: for each face, a subset of exactly the glyphs used, as a
 * Type0 font with Identity-H encoding (two bytes per glyph) and a ToUnicode map so the text can
 * be copied and searched. Glyphs are collected while laying out; the subsets are made once all
 * text is known, numbering glyphs in a fixed order so the same glyphs always give the same bytes.
 */

/** A subset ready to be written: what depends only on the face and the glyph set. */
interface SubsetData {
  baseFont: string;
  /** Original glyph id to the id drawn in content streams. */
  newIds: Map<number, number>;
  /** The subset font, Flate-compressed, and its length before compression. */
  fontFile: Uint8Array;
  fontLength: number;
  toUnicode: Uint8Array;
  widths: string;
}

/** Subsets kept by glyph set: a batch of similar cases keeps drawing the same glyphs. */
const SUBSET_CACHE_LIMIT = 64;
const subsetCache = new Map<string, SubsetData>();

export interface PlacedFont {
  /** Resource name, e.g. `F1`. */
  resource: string;
  objectNumber: number;
  newIds: Map<number, number>;
}

export class SubsetFonts {
  private readonly used = new Map<FontFace, Set<number>>();
  private placed: Map<FontFace, PlacedFont> | undefined;

  /** Records glyphs (original ids) a content stream will draw with `face`. */
  use(face: FontFace, glyphs: readonly number[]): void {
    if (this.placed) throw new Error('fonts are already written');
    let set = this.used.get(face);
    if (!set) {
      set = new Set();
      this.used.set(face, set);
    }
    for (const g of glyphs) set.add(g);
  }

  /** Writes every font, numbering objects with `allocate`; call once, after all `use`. */
  write(allocate: () => number): BodyObject[] {
    const objects: BodyObject[] = [];
    const placed = new Map<FontFace, PlacedFont>();
    let index = 1;
    for (const [face, glyphSet] of this.used) {
      const data = subsetOf(
        face,
        [...glyphSet].sort((a, b) => a - b),
      );
      const [type0, cid, descriptor, file, toUnicode] = [1, 2, 3, 4, 5].map(() => allocate());
      // A CFF subset's own charset numbers its glyphs as CIDs; a TrueType one needs the map.
      const cff = face.outlines === 'cff';
      objects.push(
        textObject(
          type0,
          `<< /Type /Font /Subtype /Type0 /BaseFont ${data.baseFont} /Encoding /Identity-H ` +
            `/DescendantFonts [${ref(cid)}] /ToUnicode ${ref(toUnicode)} >>`,
        ),
        textObject(
          cid,
          `<< /Type /Font /Subtype /${cff ? 'CIDFontType0' : 'CIDFontType2'} ` +
            `/BaseFont ${data.baseFont} ` +
            '/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ' +
            `/FontDescriptor ${ref(descriptor)} /W ${data.widths}` +
            `${cff ? '' : ' /CIDToGIDMap /Identity'} >>`,
        ),
        textObject(descriptor, descriptorOf(face, data.baseFont, ref(file))),
        flateStreamObject(
          file,
          cff ? ' /Subtype /CIDFontType0C' : ` /Length1 ${data.fontLength}`,
          data.fontFile,
        ),
        flateStreamObject(toUnicode, '', data.toUnicode),
      );
      placed.set(face, { resource: `F${index++}`, objectNumber: type0, newIds: data.newIds });
    }
    this.placed = placed;
    return objects;
  }

  /** Every font written, in the order written. */
  placedFonts(): PlacedFont[] {
    return [...(this.placed?.values() ?? [])];
  }

  placedFont(face: FontFace): PlacedFont {
    const font = this.placed?.get(face);
    if (!font) throw new Error('a face was drawn that was not recorded');
    return font;
  }

  /** Glyphs as the hex string a `Tj` shows. */
  encode(face: FontFace, glyphs: readonly number[]): string {
    const ids = this.placedFont(face).newIds;
    let hex = '<';
    for (const g of glyphs) hex += (ids.get(g) ?? 0).toString(16).padStart(4, '0');
    return `${hex}>`;
  }
}

function subsetOf(face: FontFace, glyphs: number[]): SubsetData {
  const key = `${face.font.postscriptName ?? ''}:${face.bytes.length}:${glyphs.join(',')}`;
  const hit = subsetCache.get(key);
  if (hit) return hit;
  const { font, newIds } = face.file.subset(glyphs);
  const tag = subsetTag(key);
  const data: SubsetData = {
    baseFont: name(`${tag}+${face.font.postscriptName ?? 'Font'}`),
    newIds,
    fontFile: deflateSync(font),
    fontLength: font.length,
    toUnicode: deflateSync(toUnicodeCMap(face, glyphs, newIds)),
    widths: widthsOf(face, glyphs, newIds),
  };
  if (subsetCache.size >= SUBSET_CACHE_LIMIT) {
    const oldest = subsetCache.keys().next().value;
    if (oldest !== undefined) subsetCache.delete(oldest);
  }
  subsetCache.set(key, data);
  return data;
}

/** Six capital letters naming the subset (PDF 32000 9.6.4), the same for the same glyphs. */
function subsetTag(key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i] % 26));
  return tag;
}

function widthsOf(face: FontFace, glyphs: number[], newIds: Map<number, number>): string {
  const scale = 1000 / face.font.unitsPerEm;
  const byNewId = glyphs
    .map((g) => [newIds.get(g) ?? 0, face.font.getGlyph(g)?.advanceWidth ?? 0] as const)
    .sort((a, b) => a[0] - b[0]);
  // New ids of the drawn glyphs run 1..n without gaps, so one run lists them all.
  const first = byNewId[0]?.[0] ?? 1;
  return `[${first} [${byNewId.map(([, w]) => num(w * scale)).join(' ')}]]`;
}

function toUnicodeCMap(face: FontFace, glyphs: number[], newIds: Map<number, number>): Buffer {
  const entries: string[] = [];
  for (const g of glyphs) {
    const codePoints = face.font.getGlyph(g)?.codePoints ?? [];
    if (codePoints.length === 0) continue;
    const id = (newIds.get(g) ?? 0).toString(16).padStart(4, '0');
    entries.push(`<${id}> <${utf16BeHex(String.fromCodePoint(...codePoints))}>`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
  }
  return Buffer.from(
    [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <ffff>',
      'endcodespacerange',
      ...blocks,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n'),
    'latin1',
  );
}

function descriptorOf(face: FontFace, baseFont: string, fontFile: string): string {
  const f = face.font;
  const scale = 1000 / f.unitsPerEm;
  const bbox = [f.bbox.minX, f.bbox.minY, f.bbox.maxX, f.bbox.maxY].map((v) => num(v * scale));
  // Flags 4: symbolic, the right flag for a font addressed by glyph ids rather than a charset.
  return (
    `<< /Type /FontDescriptor /FontName ${baseFont} /Flags 4 /FontBBox [${bbox.join(' ')}] ` +
    `/ItalicAngle ${num(f.italicAngle)} /Ascent ${num(f.ascent * scale)} ` +
    `/Descent ${num(f.descent * scale)} /CapHeight ${num((f.capHeight || f.ascent) * scale)} ` +
    `/StemV 80 /${face.outlines === 'cff' ? 'FontFile3' : 'FontFile2'} ${fontFile} >>`
  );
}
