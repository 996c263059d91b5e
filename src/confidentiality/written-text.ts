import { inflateSync } from 'node:zlib';
import { bidiLevels, visualOrder } from '../rendering/pdf/bidi';
import type { ExtractedText } from './extract-text';
import {
  isStream,
  Lexer,
  PdfDict,
  PdfName,
  PdfObject,
  PdfRef,
  PdfStream,
  PdfString,
  PdfValue,
  readRegion,
  Tok,
  Unproven,
  valueOf,
} from './pdf-objects';

/**
 * The text of a PDF our writers produced, read from the file's own bytes without pdf.js.
 *
 * The writer says where the file holds an official form's objects unchanged (`statics`); the
 * check verifies those bytes are exactly the form's, and takes their text from PDFs that show
 * everything they can show, read once per form with pdf.js (see extract-text.ts). Every other
 * byte must be objects this module understands completely: dictionaries (their strings, and the
 * names a reader shows as values), content streams drawn with our Type0 fonts (glyphs mapped back
 * to text through the font's own ToUnicode map, as pdf.js maps them), font programs, ToUnicode
 * maps and cross-reference data. Anything else throws `Unproven`, and the file is read with pdf.js.
 */

/** PDFs whose text covers what an official form's objects can show (see written-pdf.ts). */
export interface StaticTextSource {
  probes(): Promise<readonly Uint8Array[]>;
}

export interface WrittenLayout {
  statics: readonly {
    offset: number;
    source: { readonly bytes: Uint8Array; readonly shows: StaticTextSource };
  }[];
}

export interface ProvenText {
  /** Text of the objects written for this file. */
  written: ExtractedText[];
  /** What the file's official-form bytes can show. */
  statics: StaticTextSource[];
}

export { Unproven };

/**
 * Text of content streams already read in one release check, by their bytes and the fonts
 * they draw with: the bundle carries the same appearance streams as the forms it is made of.
 */
export type ReadStreams = Map<string, string>;

/** The file's text, proven from its bytes and its writer's layout; throws `Unproven`. */
export function writtenText(
  bytes: Uint8Array,
  layout: WrittenLayout,
  read: ReadStreams = new Map(),
): ProvenText {
  const gaps = writtenRegions(bytes, layout);
  const objects = new Map<number, PdfObject>();
  const trailers: PdfDict[] = [];
  for (const [start, end] of gaps) {
    for (const item of readRegion(bytes, start, end)) {
      if (item.kind === 'trailer') {
        trailers.push(item.dict);
      } else {
        if (objects.has(item.objectNumber)) throw new Unproven('an object written twice');
        objects.set(item.objectNumber, item.object);
      }
    }
  }
  for (const object of objects.values()) {
    if (isStream(object) && object.dict.name('Type') === 'XRef') trailers.push(object.dict);
  }
  const reader = new WrittenObjects(objects, read);
  return { written: reader.texts(trailers), statics: layout.statics.map((s) => s.source.shows) };
}

/** The byte ranges between the static regions, after checking each holds exactly its bytes. */
function writtenRegions(bytes: Uint8Array, layout: WrittenLayout): [number, number][] {
  const gaps: [number, number][] = [];
  let at = 0;
  for (const { offset, source } of layout.statics) {
    const end = offset + source.bytes.length;
    if (offset < at || end > bytes.length) throw new Unproven('static regions out of order');
    const held = Buffer.from(bytes.buffer, bytes.byteOffset + offset, source.bytes.length);
    if (!held.equals(source.bytes)) throw new Unproven('a static region that differs');
    if (offset > at) gaps.push([at, offset]);
    at = end;
  }
  if (at < bytes.length) gaps.push([at, bytes.length]);
  return gaps;
}

/** String keys that hold syntax no reader shows as text (appearance strings, file ids). */
const SYNTAX_STRINGS = new Set(['DA', 'DS', 'ID']);
/** Keys whose name value a reader shows as a field's value or state. */
const VALUE_NAMES = new Set(['V', 'DV', 'AS']);
const FONT_PROGRAMS = ['FontFile', 'FontFile2', 'FontFile3'];
/** Streams we can only account for by reading them as pdf.js would: none of ours has them. */
const UNREADABLE_TYPES = new Set(['Metadata', 'EmbeddedFile', 'Filespec', 'XML']);
const MAX_XOBJECT_DEPTH = 8;

type Role = 'font program' | 'cmap' | 'content';

class WrittenObjects {
  private readonly roles = new Map<number, Set<Role>>();
  private readonly cmaps = new Map<number, GlyphTexts>();
  private readonly formTexts = new Map<number, string>();
  private readonly drawn = new Set<number>();

  constructor(
    private readonly objects: Map<number, PdfObject>,
    private readonly read: ReadStreams,
  ) {
    for (const object of objects.values()) this.collectRoles(object);
  }

  texts(trailers: PdfDict[]): ExtractedText[] {
    const found: ExtractedText[] = [];
    const info = new Set<number>();
    for (const trailer of trailers) {
      const ref = trailer.get('Info');
      if (ref instanceof PdfRef) info.add(ref.objectNumber);
      found.push({ where: 'trailer', text: stringsOf(trailer).join('\n') });
    }
    this.pageTexts(found);
    for (const [n, object] of this.objects) {
      if (isStream(object)) {
        this.checkStream(n, object);
        continue;
      }
      if (!(object instanceof PdfDict)) {
        found.push({ where: 'PDF object', text: stringsOf(object).join('\n') });
        continue;
      }
      if (object.name('Type') === 'Page') continue;
      const text = stringsOf(object, this.appearanceText(object)).join('\n');
      found.push({ where: whereOf(object, info.has(n)), text });
    }
    for (const [n, object] of this.objects) {
      if (!isStream(object) || this.drawn.has(n) || !this.isContent(n, object)) continue;
      found.push({ where: 'content stream', text: this.formText(n, object, 0) });
    }
    return found.filter((t) => t.text !== '');
  }

  // -------------------------------------------------------------------------------------------
  // What each stream is

  private collectRoles(value: PdfObject, key?: string): void {
    if (typeof value !== 'object' || value === null) return;
    if (isStream(value)) {
      this.collectRoles(value.dict);
      return;
    }
    if (value instanceof PdfRef) {
      if (key === undefined) return;
      const role: Role | undefined = FONT_PROGRAMS.includes(key)
        ? 'font program'
        : key === 'ToUnicode'
          ? 'cmap'
          : undefined;
      if (role) this.addRole(value.objectNumber, role);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.collectRoles(item, key);
    } else if (value instanceof PdfDict) {
      // forEach, not for-of: no [key, value] pair is made for each of a form's entries.
      value.entries.forEach((v, k) => this.collectRoles(v, k));
    }
  }

  private addRole(objectNumber: number, role: Role): void {
    let roles = this.roles.get(objectNumber);
    if (!roles) {
      roles = new Set();
      this.roles.set(objectNumber, roles);
    }
    roles.add(role);
  }

  /** Accounts for a stream: font programs and maps are data; images show no text. */
  private checkStream(n: number, stream: PdfStream): void {
    const type = stream.dict.name('Type');
    const subtype = stream.dict.name('Subtype');
    if (UNREADABLE_TYPES.has(type ?? '') || UNREADABLE_TYPES.has(subtype ?? '')) {
      throw new Unproven(`a ${type ?? subtype ?? ''} stream`);
    }
    const roles = this.roles.get(n);
    if (roles && roles.size > 1) throw new Unproven('a stream used two ways');
    if (roles?.has('cmap')) this.cmapOf(n);
  }

  private isContent(n: number, stream: PdfStream): boolean {
    if (stream.dict.name('Type') === 'XRef') return false;
    if (stream.dict.name('Subtype') === 'Image') return false;
    return !this.roles.has(n);
  }

  // -------------------------------------------------------------------------------------------
  // Pages and appearances

  private pageTexts(found: ExtractedText[]): void {
    const pages = [...this.objects].filter(
      ([, o]) => o instanceof PdfDict && o.name('Type') === 'Page',
    );
    const order = this.pageOrder();
    pages.sort(([a], [b]) => (order.get(a) ?? a) - (order.get(b) ?? b));
    pages.forEach(([, page], i) => {
      if (!(page instanceof PdfDict)) return;
      const contents = page.get('Contents');
      const refs = Array.isArray(contents) ? contents : [contents];
      const texts: string[] = [...stringsOf(page)];
      for (const ref of refs) {
        if (ref === undefined) continue;
        if (!(ref instanceof PdfRef)) throw new Unproven('page contents that are not references');
        const stream = this.objects.get(ref.objectNumber);
        // The form's own page content: what it shows is the form's text, read once per form.
        if (stream === undefined) continue;
        if (!isStream(stream)) throw new Unproven('page contents that are not a stream');
        this.drawn.add(ref.objectNumber);
        texts.push(this.contentText(stream, this.resourcesOf(page.get('Resources')), 0).text);
      }
      found.push({ where: `page ${order.size > 0 ? i + 1 : '?'} text`, text: texts.join('\n') });
    });
  }

  /** Page numbers by the written page tree's order, when the tree is ours. */
  private pageOrder(): Map<number, number> {
    const order = new Map<number, number>();
    for (const object of this.objects.values()) {
      if (!(object instanceof PdfDict) || object.name('Type') !== 'Pages') continue;
      const kids = object.get('Kids');
      if (!Array.isArray(kids)) continue;
      kids.forEach((kid) => {
        if (kid instanceof PdfRef && !order.has(kid.objectNumber)) {
          order.set(kid.objectNumber, order.size);
        }
      });
    }
    return order;
  }

  /** The text every appearance of a widget or annotation we wrote draws. */
  private appearanceText(dict: PdfDict): string[] {
    const ap = this.resolve(dict.get('AP'));
    if (!(ap instanceof PdfDict)) return [];
    const texts: string[] = [];
    for (const [, entry] of ap.entries) {
      const states = this.resolve(entry);
      const refs = states instanceof PdfDict ? [...states.entries.values()] : [entry];
      for (const ref of refs) {
        if (!(ref instanceof PdfRef)) continue;
        const stream = this.objects.get(ref.objectNumber);
        if (stream === undefined) continue;
        if (!isStream(stream)) throw new Unproven('an appearance that is not a stream');
        this.drawn.add(ref.objectNumber);
        texts.push(this.formText(ref.objectNumber, stream, 0));
      }
    }
    return texts;
  }

  private resolve(value: PdfValue | undefined): PdfObject | undefined {
    return value instanceof PdfRef ? this.objects.get(value.objectNumber) : value;
  }

  /** A form XObject's text, with its own resources; the same wherever it is drawn. */
  private formText(n: number, stream: PdfStream, depth: number): string {
    let text = this.formTexts.get(n);
    if (text === undefined) {
      if (depth > MAX_XOBJECT_DEPTH) throw new Unproven('form XObjects nested too deeply');
      const resources = this.resourcesOf(stream.dict.get('Resources'));
      const key = this.streamKey(stream, resources);
      text = key === undefined ? undefined : this.read.get(key);
      if (text === undefined) {
        const content = this.contentText(stream, resources, depth);
        text = content.text;
        if (key !== undefined && !content.drawsXObjects) this.read.set(key, text);
      }
      this.formTexts.set(n, text);
    }
    return text;
  }

  /**
   * What a form XObject's text depends on when it draws no other XObject: its bytes and the
   * ToUnicode map of each font it may use. Undefined when a font is not one of ours.
   */
  private streamKey(stream: PdfStream, resources: PdfDict | undefined): string | undefined {
    const fonts = this.resolve(resources?.get('Font'));
    if (fonts !== undefined && !(fonts instanceof PdfDict)) return undefined;
    const parts: string[] = [];
    for (const [name, ref] of fonts?.entries ?? []) {
      const font = ref instanceof PdfRef ? this.objects.get(ref.objectNumber) : undefined;
      const toUnicode = font instanceof PdfDict ? font.get('ToUnicode') : undefined;
      if (!(toUnicode instanceof PdfRef) || !(font instanceof PdfDict)) return undefined;
      const ours = font.name('Subtype') === 'Type0' && font.name('Encoding') === 'Identity-H';
      if (!ours) return undefined;
      parts.push(`${name}=${mapId(this.cmapOf(toUnicode.objectNumber))}`);
    }
    const filter = stream.dict.get('Filter');
    const data = Buffer.from(stream.data.buffer, stream.data.byteOffset, stream.data.byteLength);
    return `${parts.join(',')}|${filter instanceof PdfName ? filter.name : ''}|${data.toString('latin1')}`;
  }

  private resourcesOf(value: PdfValue | undefined): PdfDict | undefined {
    if (value === undefined) return undefined;
    const resolved = this.resolve(value);
    // The form's own resources (a page's, referred to): none of our text can use them.
    if (resolved === undefined) return undefined;
    if (!(resolved instanceof PdfDict)) throw new Unproven('resources that are not a dictionary');
    return resolved;
  }

  // -------------------------------------------------------------------------------------------
  // Content streams

  /**
   * What a content stream shows: each line (text positioned at one baseline) as the glyphs'
   * ToUnicode text, and lines with right-to-left letters also in reading order, as pdf.js puts
   * them. Form XObjects we wrote are read where they are drawn.
   */
  private contentText(
    stream: PdfStream,
    resources: PdfDict | undefined,
    depth: number,
  ): { text: string; drawsXObjects: boolean } {
    const data = decoded(stream);
    const lexer = new Lexer(data, 0, data.length, false);
    const lines: string[] = [];
    let line = '';
    let lineY: number | undefined;
    let font: GlyphTexts | undefined;
    const operands: PdfValue[] = [];
    let drawsXObjects = false;
    const endLine = () => {
      if (line !== '') lines.push(...readingOrders(line));
      line = '';
    };
    while (!lexer.atEnd()) {
      const kind = lexer.next();
      if (kind === Tok.Number) {
        operands.push(lexer.number);
        continue;
      }
      if (kind !== Tok.Keyword || lexer.text === 'true' || lexer.text === 'false') {
        operands.push(valueOf(lexer, kind));
        continue;
      }
      const op = lexer.text;
      switch (op) {
        case 'BT':
        case 'ET':
          endLine();
          lineY = undefined;
          break;
        case 'Tf':
          font = this.fontNamed(resources, operands[0]);
          break;
        case 'Tm': {
          const y = operands[5];
          if (typeof y !== 'number') throw new Unproven('a bad Tm');
          if (lineY !== undefined && y !== lineY) endLine();
          lineY = y;
          break;
        }
        case 'Tj': {
          const shown = operands[0];
          if (!(shown instanceof PdfString) || font === undefined) {
            throw new Unproven('text shown without one of our fonts');
          }
          line += decodeGlyphs(shown, font);
          break;
        }
        case 'Do':
          drawsXObjects = true;
          lines.push(this.drawnXObject(resources, operands[0], depth));
          break;
        default:
          if (!GRAPHICS_OPERATORS.has(op)) throw new Unproven(`the operator ${op}`);
      }
      operands.length = 0;
    }
    endLine();
    return { text: lines.filter((l) => l !== '').join('\n'), drawsXObjects };
  }

  private drawnXObject(resources: PdfDict | undefined, name: PdfValue, depth: number): string {
    if (!(name instanceof PdfName)) throw new Unproven('a bad Do');
    const xobjects = this.resolve(resources?.get('XObject'));
    if (xobjects === undefined) return '';
    if (!(xobjects instanceof PdfDict)) throw new Unproven('XObject resources');
    const ref = xobjects.get(name.name);
    if (!(ref instanceof PdfRef)) throw new Unproven('an XObject that is not a reference');
    const stream = this.objects.get(ref.objectNumber);
    // One of the form's own appearances or images: its text is the form's, read once.
    if (stream === undefined) return '';
    if (!isStream(stream)) throw new Unproven('an XObject that is not a stream');
    if (stream.dict.name('Subtype') === 'Image') return '';
    if (stream.dict.name('Subtype') !== 'Form') throw new Unproven('an unknown XObject');
    this.drawn.add(ref.objectNumber);
    return this.formText(ref.objectNumber, stream, depth + 1);
  }

  /** The ToUnicode map of a Type0, Identity-H font we wrote. */
  private fontNamed(resources: PdfDict | undefined, name: PdfValue): GlyphTexts {
    if (!(name instanceof PdfName)) throw new Unproven('a bad Tf');
    const fonts = this.resolve(resources?.get('Font'));
    if (!(fonts instanceof PdfDict)) throw new Unproven('text without font resources');
    const ref = fonts.get(name.name);
    if (!(ref instanceof PdfRef)) throw new Unproven('a font that is not a reference');
    const font = this.objects.get(ref.objectNumber);
    if (!(font instanceof PdfDict)) throw new Unproven('a font we did not write');
    if (font.name('Subtype') !== 'Type0' || font.name('Encoding') !== 'Identity-H') {
      throw new Unproven('a font other than a Type0 Identity-H font');
    }
    const toUnicode = font.get('ToUnicode');
    if (!(toUnicode instanceof PdfRef)) throw new Unproven('a font without a ToUnicode map');
    return this.cmapOf(toUnicode.objectNumber);
  }

  private cmapOf(n: number): GlyphTexts {
    let map = this.cmaps.get(n);
    if (!map) {
      const stream = this.objects.get(n);
      if (!isStream(stream)) throw new Unproven('a ToUnicode map we did not write');
      map = toUnicodeMap(stream);
      this.cmaps.set(n, map);
    }
    return map;
  }
}

const mapIds = new WeakMap<GlyphTexts, number>();
let nextMapId = 1;

function mapId(map: GlyphTexts): number {
  let id = mapIds.get(map);
  if (id === undefined) {
    id = nextMapId++;
    mapIds.set(map, id);
  }
  return id;
}

/** Operators of our content streams that draw no text (paths, colours, clips, marked content). */
const GRAPHICS_OPERATORS = new Set([
  'q',
  'Q',
  'cm',
  're',
  'W',
  'n',
  'f',
  'B',
  'S',
  'w',
  'g',
  'G',
  'rg',
  'RG',
  'k',
  'K',
  'm',
  'l',
  'BMC',
  'EMC',
]);

/** A stream's data, inflated if it is Flate-encoded; other filters are not ours. */
function decoded(stream: PdfStream): Uint8Array {
  const filter = stream.dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
  if (filters.length === 0) return stream.data;
  if (filters.length === 1 && filters[0] instanceof PdfName && filters[0].name === 'FlateDecode') {
    if (stream.dict.get('DecodeParms') !== undefined) throw new Unproven('a predictor');
    try {
      return inflateSync(stream.data);
    } catch {
      throw new Unproven('a stream that does not inflate');
    }
  }
  throw new Unproven('a filter other than Flate');
}

/**
 * Two-byte codes to text through the ToUnicode map; a code the map lacks comes out as the
 * character of that number, which is what pdf.js does for a composite font.
 */
function decodeGlyphs(shown: PdfString, map: GlyphTexts): string {
  const bytes = shown.bytes;
  if (bytes.length % 2 !== 0) throw new Unproven('an odd number of bytes for two-byte codes');
  let text = '';
  if (isDense(map)) {
    for (let i = 0; i < bytes.length; i += 2) {
      const code = bytes[i] * 256 + bytes[i + 1];
      text += map[code] ?? String.fromCharCode(code);
    }
    return text;
  }
  for (let i = 0; i < bytes.length; i += 2) {
    const code = bytes[i] * 256 + bytes[i + 1];
    text += map.get(code) ?? String.fromCharCode(code);
  }
  return text;
}

const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * A line as drawn and, when it holds right-to-left letters, also reordered as pdf.js reorders
 * extracted text (the bidi algorithm run over the drawn order), so either order can match.
 */
function readingOrders(line: string): string[] {
  if (!RIGHT_TO_LEFT.test(line)) return [line];
  const chars = [...line];
  const levels = bidiLevels(chars);
  const reordered = visualOrder(chars.map((char, i) => ({ char, level: levels[i] })))
    .map((c) => c.char)
    .join('');
  return [line, reordered];
}

/**
 * ToUnicode maps read, by their stored bytes: a packet's files carry the same font subsets
 * several times (the live form, the bundle), and the same bytes always read the same way.
 */
const knownMaps = new Map<string, GlyphTexts>();
const KNOWN_MAPS = 256;

/**
 * The text of each glyph code: an array indexed by code for our subsets, whose codes run from
 * zero (looked up for every glyph drawn), a map for codes spread wider.
 */
type GlyphTexts = readonly (string | undefined)[] | ReadonlyMap<number, string>;

function isDense(map: GlyphTexts): map is readonly (string | undefined)[] {
  return Array.isArray(map);
}

/** Codes below this are kept in an array. */
const DENSE_CODES = 4096;

function toUnicodeMap(stream: PdfStream): GlyphTexts {
  const filter = stream.dict.get('Filter');
  const key = `${filter instanceof PdfName ? filter.name : ''}:${Buffer.from(stream.data.buffer, stream.data.byteOffset, stream.data.byteLength).toString('latin1')}`;
  let map = knownMaps.get(key);
  if (!map) {
    map = glyphTexts(parseToUnicode(decoded(stream)));
    if (knownMaps.size >= KNOWN_MAPS) {
      const oldest = knownMaps.keys().next().value;
      if (oldest !== undefined) knownMaps.delete(oldest);
    }
    knownMaps.set(key, map);
  }
  return map;
}

function glyphTexts(map: Map<number, string>): GlyphTexts {
  let highest = -1;
  for (const code of map.keys()) highest = Math.max(highest, code);
  if (highest >= DENSE_CODES) return map;
  const dense = new Array<string | undefined>(highest + 1).fill(undefined);
  map.forEach((text, code) => (dense[code] = text));
  return dense;
}

/** A ToUnicode CMap's `bfchar` and `bfrange` entries, for two-byte codes. */
function parseToUnicode(data: Uint8Array): Map<number, string> {
  const map = new Map<number, string>();
  const lexer = new Lexer(data, 0, data.length, false);
  const code = (value: PdfValue): number => {
    if (!(value instanceof PdfString) || value.bytes.length !== 2) {
      throw new Unproven('a ToUnicode map whose codes are not two bytes');
    }
    return value.bytes[0] * 256 + value.bytes[1];
  };
  const text = (value: PdfValue): string => {
    if (!(value instanceof PdfString)) throw new Unproven('a bad ToUnicode entry');
    return utf16be(value.bytes);
  };
  /** The next value, or undefined at the keyword `end`. */
  const nextOrEnd = (end: string): PdfValue | undefined => {
    const kind = lexer.next();
    return lexer.isKeyword(kind, end) ? undefined : valueOf(lexer, kind);
  };
  const value = () => valueOf(lexer, lexer.next());
  while (!lexer.atEnd()) {
    const kind = lexer.next();
    if (kind !== Tok.Keyword) {
      if (kind === Tok.OpenArray || kind === Tok.OpenDict) valueOf(lexer, kind);
      continue;
    }
    const keyword = lexer.text;
    if (keyword === 'usecmap') throw new Unproven('a ToUnicode map that uses another');
    if (keyword === 'begincodespacerange') {
      for (let bound = nextOrEnd('endcodespacerange'); bound !== undefined;) {
        code(bound);
        bound = nextOrEnd('endcodespacerange');
      }
    } else if (keyword === 'beginbfchar') {
      for (let source = nextOrEnd('endbfchar'); source !== undefined;) {
        map.set(code(source), text(value()));
        source = nextOrEnd('endbfchar');
      }
    } else if (keyword === 'beginbfrange') {
      for (let low = nextOrEnd('endbfrange'); low !== undefined;) {
        const from = code(low);
        const to = code(value());
        const target = value();
        for (let c = from; c <= to; c++) {
          if (Array.isArray(target)) {
            const item = target[c - from];
            if (item !== undefined) map.set(c, text(item));
          } else {
            const base = text(target);
            const last = base.charCodeAt(base.length - 1) + (c - from);
            map.set(c, base.slice(0, -1) + String.fromCharCode(last));
          }
        }
        low = nextOrEnd('endbfrange');
      }
    }
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Strings a reader shows

/** Label of a dictionary's text: what a person would call the place it shows. */
function whereOf(dict: PdfDict, isInfo: boolean): string {
  if (isInfo) return 'metadata';
  if (dict.name('Subtype') === 'Widget' || dict.get('FT') !== undefined) {
    const name = dict.get('T');
    return name instanceof PdfString ? `field ${textString(name.bytes)}` : 'annotation';
  }
  if (dict.get('Subtype') !== undefined && dict.get('Rect') !== undefined) return 'annotation';
  if (dict.get('Title') !== undefined && dict.get('Parent') !== undefined) return 'bookmark';
  return 'PDF object';
}

/**
 * Every string in a value, as text, and the names a reader shows: a field's value and state
 * (`/V /3`) and the appearance states a button can take (its export values). References are
 * not followed: each object is read once, on its own.
 */
function stringsOf(value: PdfObject, found: string[] = []): string[] {
  collectStrings(value, undefined, false, found);
  return found;
}

function collectStrings(
  value: PdfObject,
  key: string | undefined,
  inAppearance: boolean,
  found: string[],
): void {
  // Numbers, booleans and null hold no text, and are most of a form's values.
  if (typeof value !== 'object' || value === null) return;
  if (isStream(value)) {
    collectStrings(value.dict, undefined, false, found);
  } else if (value instanceof PdfString) {
    if (key === undefined || !SYNTAX_STRINGS.has(key)) found.push(textString(value.bytes));
  } else if (value instanceof PdfName) {
    if (key !== undefined && VALUE_NAMES.has(key)) found.push(value.name);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, key, inAppearance, found);
  } else if (value instanceof PdfDict) {
    value.entries.forEach((v, k) => {
      if (inAppearance) found.push(k);
      const states = key === 'AP' && (k === 'N' || k === 'D' || k === 'R');
      collectStrings(v, k, states, found);
    });
  }
}

/** A PDF text string: UTF-16 or UTF-8 with a byte order mark, else PDFDocEncoding. */
export function textString(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return Buffer.from(bytes.subarray(2)).toString('utf16le');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return Buffer.from(bytes.subarray(3)).toString('utf8');
  }
  let plain = true;
  for (let i = 0; i < bytes.length && plain; i++) plain = !differsFromLatin1(bytes[i]);
  if (plain) return WINDOWS_1252.decode(bytes);
  let text = '';
  for (const byte of bytes) text += PDF_DOC_ENCODING[byte] ?? String.fromCharCode(byte);
  return text;
}

/**
 * The WHATWG "latin1" decoder is windows-1252, which differs from Latin-1 only at 0x80-0x9f:
 * bytes a plain string (above) does not hold. The quickest way to text for the rest.
 */
const WINDOWS_1252 = new TextDecoder('latin1');

/** Where PDFDocEncoding has a character of its own (the table below). */
function differsFromLatin1(byte: number): boolean {
  return (byte >= 0x18 && byte <= 0x1f) || (byte >= 0x80 && byte <= 0xa0);
}

function utf16be(bytes: Uint8Array): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return swapped.swap16().toString('utf16le');
}

/** PDFDocEncoding where it differs from Latin-1 (PDF 32000 Annex D). */
const PDF_DOC_ENCODING: Readonly<Record<number, string>> = {
  0x18: '\u02d8',
  0x19: '\u02c7',
  0x1a: '\u02c6',
  0x1b: '\u02d9',
  0x1c: '\u02dd',
  0x1d: '\u02db',
  0x1e: '\u02da',
  0x1f: '\u02dc',
  0x80: '\u2022',
  0x81: '\u2020',
  0x82: '\u2021',
  0x83: '\u2026',
  0x84: '\u2014',
  0x85: '\u2013',
  0x86: '\u0192',
  0x87: '\u2044',
  0x88: '\u2039',
  0x89: '\u203a',
  0x8a: '\u2212',
  0x8b: '\u2030',
  0x8c: '\u201e',
  0x8d: '\u201c',
  0x8e: '\u201d',
  0x8f: '\u2018',
  0x90: '\u2019',
  0x91: '\u201a',
  0x92: '\u2122',
  0x93: '\ufb01',
  0x94: '\ufb02',
  0x95: '\u0141',
  0x96: '\u0152',
  0x97: '\u0160',
  0x98: '\u0178',
  0x99: '\u017d',
  0x9a: '\u0131',
  0x9b: '\u0142',
  0x9c: '\u0153',
  0x9d: '\u0161',
  0x9e: '\u017e',
  0xa0: '\u20ac',
};
