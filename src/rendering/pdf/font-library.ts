import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from '@cantoo/fontkit';
import type { Font as FontkitFont } from '@cantoo/fontkit';
import type { PDFDocument, PDFFont } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { bidiLevels, mirrored, visualOrder } from './bidi';
import { FaceShaper } from './shaping';
import { TrueTypeFile } from './truetype-subset';

/** What `PDFDocument.registerFontkit` takes (pdf-lib does not export the type by name). */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

/** The faces we draw with, in the order a string tries them. */
export type FaceId = 'latin' | 'sc' | 'arabic' | 'hebrew' | 'thai' | 'korean' | 'symbols';

/** How a face stores its outlines: a PDF embeds TrueType and CFF programs differently. */
export type Outlines = 'truetype' | 'cff';

/** A face's program, cut down to the glyphs one document draws. */
export interface FontProgram {
  /** `newIds` maps original glyph ids to the subset's; glyph 0 stays 0. */
  subset(glyphs: number[]): { font: Uint8Array; newIds: Map<number, number> };
}

export interface FontFace {
  id: FaceId;
  /** The file as read from disk: also the key the caching fontkit recognises. */
  bytes: Uint8Array;
  font: FontkitFont;
  /** Shapes and measures text with this face, remembering the words it has seen. */
  shaper: FaceShaper;
  outlines: Outlines;
  /** The face's program, for subsetting. */
  file: FontProgram;
  /** Whether the face maps a code point to a glyph (remembered: layout asks per character). */
  covers: (codePoint: number) => boolean;
}

/** A stretch of text drawn with one face. */
export interface TextRun {
  face: FontFace;
  text: string;
}

interface FaceSource {
  id: FaceId;
  /** Where the file is, or undefined when it is not installed. */
  path: () => string | undefined;
  outlines: Outlines;
  /** The face to take from a file that holds several (a `.ttc` collection). */
  postscriptName?: string;
}

/** A font shipped in an npm package: resolved through it, so it is found wherever node_modules is. */
function packageFont(pkg: string, file: string): () => string {
  return () => join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** Where Debian (and most Linux distributions) install font packages. */
const SYSTEM_FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];

/**
 * A font from a Debian package that scripts/setup.sh installs. The scripts it serves are refused
 * (naming the field) rather than drawn where the package is missing.
 */
function systemFont(file: string): () => string | undefined {
  return () => SYSTEM_FONT_DIRS.map((d) => join(d, file)).find((p) => existsSync(p));
}

const FACE_SOURCES: FaceSource[] = [
  {
    id: 'latin',
    path: packageFont('@expo-google-fonts/noto-sans', '400Regular/NotoSans_400Regular.ttf'),
    outlines: 'truetype',
  },
  {
    id: 'sc',
    path: packageFont('@expo-google-fonts/noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf'),
    outlines: 'truetype',
  },
  {
    id: 'arabic',
    path: packageFont(
      '@expo-google-fonts/noto-sans-arabic',
      '400Regular/NotoSansArabic_400Regular.ttf',
    ),
    outlines: 'truetype',
  },
  {
    id: 'hebrew',
    path: packageFont(
      '@expo-google-fonts/noto-sans-hebrew',
      '400Regular/NotoSansHebrew_400Regular.ttf',
    ),
    outlines: 'truetype',
  },
  // fonts-noto-core
  {
    id: 'thai',
    path: systemFont('truetype/noto/NotoSansThai-Regular.ttf'),
    outlines: 'truetype',
  },
  // fonts-noto-cjk: Hangul. Noto Sans SC above has none, and Noto Sans CJK ships only as CFF.
  {
    id: 'korean',
    path: systemFont('opentype/noto/NotoSansCJK-Regular.ttc'),
    outlines: 'cff',
    postscriptName: 'NotoSansCJKkr-Regular',
  },
  // fonts-symbola: emoji (to Unicode 9) and symbols in black and white, the only emoji font a
  // PDF can embed (Noto Color Emoji is bitmaps). Sequences are drawn a character at a time: a
  // family as its people, a flag as its two letters, a skin tone as a swatch beside the hand.
  {
    id: 'symbols',
    path: systemFont('truetype/ancient-scripts/Symbola_hint.ttf'),
    outlines: 'truetype',
  },
];

const BOLD_SOURCE: FaceSource = {
  id: 'latin',
  path: packageFont('@expo-google-fonts/noto-sans', '700Bold/NotoSans_700Bold.ttf'),
  outlines: 'truetype',
};

/** C0 (but tab and newline), DEL and C1 controls: PDF text cannot show them. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;
/**
 * Characters that need no glyph: invisible format characters (ZWJ, bidi marks, BOM, soft
 * hyphen) and variation selectors, which only ask for a style of the character before them
 * (U+FE0F: emoji style) that our faces draw in the one style they have.
 */
const INVISIBLE_CHAR = /^[\p{Cf}\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]$/u;
/** Text Noto Sans draws whole, with no face to look up: printable ASCII, tabs and line ends. */
const PLAIN_ASCII = /^[\t\n\r\u0020-\u007e]*$/;

/**
 * Makes user text safe to lay out: one canonical form (so `ễ` decomposed into e + marks still
 * finds its precomposed glyph), line ends as `\n`, tabs as spaces, controls removed.
 * User text is validated upstream; this only keeps a stray control character from crashing a render.
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(CONTROL_CHARS, '');
}

function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function glyphMissing(field: string, cp: number): AppError {
  const character = String.fromCodePoint(cp);
  const label = codePointLabel(cp);
  return new AppError(ErrorCode.GlyphMissing, `No font can draw ${label} in ${field}`, [
    {
      field,
      message: `character ${label} (${character}) cannot be drawn by any available font`,
      codePoint: label,
      character,
    },
  ]);
}

const invisibleChars = new Map<string, boolean>();

function isInvisible(char: string): boolean {
  // Below U+00AD (the soft hyphen) no character is invisible.
  if (char.charCodeAt(0) < 0xad) return false;
  let is = invisibleChars.get(char);
  if (is === undefined) {
    is = INVISIBLE_CHAR.test(char);
    invisibleChars.set(char, is);
  }
  return is;
}

function needsGlyph(char: string): boolean {
  return char !== '\n' && !isInvisible(char);
}

/** One face of a file (a collection holds several), as fontkit reads it. */
function openFace(bytes: Uint8Array, postscriptName?: string): FontkitFont {
  const parsed = fontkit.create(bytes);
  const face = 'hasGlyphForCodePoint' in parsed ? parsed : parsed.getFont(postscriptName ?? '');
  if (!face || (postscriptName !== undefined && face.postscriptName !== postscriptName)) {
    throw new AppError(
      ErrorCode.Internal,
      `A font file does not hold the face ${postscriptName ?? '(a single face)'}`,
    );
  }
  return face;
}

function parseFace(bytes: Uint8Array): FontkitFont {
  const face = openFace(bytes);
  primeGlyphCodePoints(face);
  return face;
}

/**
 * fontkit caches each glyph with the characters it was first met for, and pdf-lib writes those
 * into the PDF's ToUnicode map. Shaping can meet a glyph first as part of another character
 * (`ị` decomposes to `i` + dot below), after which every plain `i` would copy and search as
 * `ị`. Creating every glyph from the cmap first ties each to its own character. Glyphs that
 * only compatibility characters reach (Arabic initial, medial and final forms, which shaping
 * produces) are tied to what those characters stand for, so `مـ` copies as U+0645, not U+FEE3;
 * where a plain character shares the glyph (小 and the Kangxi radical ⼩) the plain one wins.
 */
function primeGlyphCodePoints(font: FontkitFont): void {
  const compatibility: number[] = [];
  for (const cp of font.characterSet) {
    const char = String.fromCodePoint(cp);
    if (char.normalize('NFKC') === char) font.glyphForCodePoint(cp);
    else compatibility.push(cp);
  }
  for (const cp of compatibility) {
    const glyph = font.glyphForCodePoint(cp);
    if (glyph && glyph.codePoints.length === 1 && glyph.codePoints[0] === cp) {
      const meaning = String.fromCodePoint(cp).normalize('NFKC');
      glyph.codePoints = [...meaning].map((c) => c.codePointAt(0) ?? cp);
    }
  }
}

/** A CFF program, subset by fontkit (our own subsetter copies TrueType outlines only). */
class CffProgram implements FontProgram {
  constructor(private readonly font: FontkitFont) {}

  subset(glyphs: number[]): { font: Uint8Array; newIds: Map<number, number> } {
    const subset = this.font.createSubset();
    // fontkit numbers glyph 0 first, then each glyph in the order it is included.
    const newIds = new Map<number, number>([[0, 0]]);
    for (const g of glyphs) if (!newIds.has(g)) newIds.set(g, subset.includeGlyph(g));
    return { font: subset.encode(), newIds };
  }
}

/**
 * A face read on first need: most text never needs the faces after Noto Sans, and the Korean
 * one is read from a 19 MB collection. Whether the face covers a character needs only its cmap;
 * shaping needs every glyph tied to its character first (see primeGlyphCodePoints), which is
 * done once, when the face is first drawn with.
 */
class FaceSlot {
  private opened: { bytes: Uint8Array; font: FontkitFont } | null | undefined;
  private readonly coverage = new Map<number, boolean>();
  private ready: FontFace | undefined;

  constructor(
    private readonly source: FaceSource,
    private readonly onOpen: (bytes: Uint8Array, font: FontkitFont) => void,
  ) {}

  /** Whether the face maps the code point; false when its font is not installed. */
  readonly covers = (cp: number): boolean => {
    let has = this.coverage.get(cp);
    if (has === undefined) {
      has = this.open()?.font.hasGlyphForCodePoint(cp) ?? false;
      this.coverage.set(cp, has);
    }
    return has;
  };

  /** The face, ready to shape, measure and subset; undefined when it is not installed. */
  face(): FontFace | undefined {
    if (this.ready) return this.ready;
    const opened = this.open();
    if (!opened) return undefined;
    const { bytes, font } = opened;
    primeGlyphCodePoints(font);
    const { id, outlines } = this.source;
    const file = outlines === 'cff' ? new CffProgram(font) : new TrueTypeFile(bytes);
    const shaper = new FaceShaper(font, openFace(bytes, this.source.postscriptName));
    this.ready = { id, bytes, font, shaper, outlines, file, covers: this.covers };
    return this.ready;
  }

  private open(): { bytes: Uint8Array; font: FontkitFont } | null {
    if (this.opened !== undefined) return this.opened;
    const path = this.source.path();
    if (path === undefined) {
      this.opened = null;
      return null;
    }
    const bytes = new Uint8Array(readFileSync(path));
    const font = openFace(bytes, this.source.postscriptName);
    this.onOpen(bytes, font);
    this.opened = { bytes, font };
    return this.opened;
  }
}

/**
 * The Unicode fonts every PDF is drawn with, each read at most once per process, on first need.
 * Noto Sans SC alone is 10 MB; parsing it per document would cost more than the fill itself.
 */
export class FontLibrary {
  private static instance: FontLibrary | undefined;

  private readonly slots: FaceSlot[];
  private readonly boldSlot: FaceSlot;
  private readonly parsed = new Map<Uint8Array, FontkitFont>();

  private constructor() {
    const remember = (bytes: Uint8Array, font: FontkitFont) => this.parsed.set(bytes, font);
    this.slots = FACE_SOURCES.map((s) => new FaceSlot(s, remember));
    this.boldSlot = new FaceSlot(BOLD_SOURCE, remember);
  }

  static shared(): FontLibrary {
    FontLibrary.instance ??= new FontLibrary();
    return FontLibrary.instance;
  }

  /** Noto Sans: the face whose line metrics every line is laid out with at least. */
  get latin(): FontFace {
    return required(this.slots[0].face(), 'Noto Sans');
  }

  get bold(): FontFace {
    return required(this.boldSlot.face(), 'Noto Sans Bold');
  }

  /** Every installed face, in the order a string tries them (reads them all). */
  get faces(): readonly FontFace[] {
    return this.slots.flatMap((slot) => slot.face() ?? []);
  }

  /**
   * A fontkit for `PDFDocument.registerFontkit` that hands pdf-lib the already parsed face
   * instead of parsing the bytes again for every document.
   */
  readonly fontkit: Fontkit = {
    create: (buffer: Uint8Array) => this.parsed.get(buffer) ?? parseFace(buffer),
  };

  /**
   * The first character of `text` that no face draws, as layout will meet it (composed, with
   * invisible characters set aside), or undefined when every character can be drawn. Reads
   * only the cmaps of the faces it has to try.
   */
  firstUndrawable(text: string): string | undefined {
    if (PLAIN_ASCII.test(text)) return undefined;
    for (const char of cleanText(text)) {
      if (!needsGlyph(char)) continue;
      const cp = char.codePointAt(0) ?? 0;
      if (!this.slots.some((slot) => slot.covers(cp))) return char;
    }
    return undefined;
  }

  /**
   * Whether `char` continues a run drawn with `face`: staying in the current face keeps spaces
   * and punctuation inside their run. Symbola draws Latin letters and digits too, in a serif of
   * its own, so after an emoji the text goes back to the face it would start a run with.
   */
  private joins(face: FontFace, char: string): boolean {
    if (!needsGlyph(char)) return true;
    if (!hasGlyph(face, char)) return false;
    return face.id !== 'symbols' || this.faceFor(char) === face;
  }

  /** The first face (`first`, then ours in order) that draws `char`. */
  private faceFor(char: string, first?: FontFace): FontFace | undefined {
    if (first && hasGlyph(first, char)) return first;
    const cp = char.codePointAt(0);
    if (cp === undefined) return undefined;
    return this.slots.find((slot) => slot.covers(cp))?.face();
  }

  /**
   * Splits `text` into runs, each drawn with a face that covers it; spaces, digits and
   * punctuation stay in the run they are in; `first` (e.g. the bold face) is tried before the
   * others. GlyphMissing when no face covers a character.
   */
  runsFor(text: string, field: string, first?: FontFace): TextRun[] {
    const runs: TextRun[] = [];
    for (const char of text) {
      const current = runs.at(-1);
      if (current && this.joins(current.face, char)) {
        current.text += char;
        continue;
      }
      const face = needsGlyph(char) ? this.faceFor(char, first) : (first ?? this.latin);
      if (!face) throw glyphMissing(field, char.codePointAt(0) ?? 0);
      runs.push({ face, text: char });
    }
    return runs;
  }

  /**
   * One line's runs in the order they are drawn, left to right: split by face as `runsFor` does
   * and by direction (see bidi.ts), each run holding one direction only, right-to-left runs with
   * their brackets mirrored. Every run comes out as the shaper will draw it: a run whose
   * direction the shaper would get wrong (neutrals only inside right-to-left text, Arabic-Indic
   * digits inside a number) is drawn a character at a time, in the right order.
   */
  lineRuns(text: string, field: string, first?: FontFace): TextRun[] {
    const chars = [...text];
    const levels = bidiLevels(chars);
    const runs: (TextRun & { level: number })[] = [];
    chars.forEach((char, i) => {
      const current = runs.at(-1);
      const sameLevel = current !== undefined && current.level === levels[i];
      if (current && sameLevel && this.joins(current.face, char)) {
        current.text += char;
        return;
      }
      const face = needsGlyph(char)
        ? this.faceFor(char, first)
        : (this.faceFor(char, first) ?? first ?? this.latin);
      if (!face) throw glyphMissing(field, char.codePointAt(0) ?? 0);
      runs.push({ face, text: char, level: levels[i] });
    });
    return visualOrder(runs).flatMap((run) => {
      const rtl = run.level % 2 === 1;
      const text = this.dropUndrawable(rtl ? mirrored(run.text) : run.text, run.face);
      if (text === '' || run.face.shaper.shape(text).rtl === rtl) return [{ face: run.face, text }];
      const clusters = text.match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];
      return (rtl ? clusters.reverse() : clusters).map((c) => ({ face: run.face, text: c }));
    });
  }

  /** Removes invisible characters the chosen face has no glyph for. */
  dropUndrawable(text: string, face: FontFace): string {
    return [...text].filter((c) => !isInvisible(c) || hasGlyph(face, c)).join('');
  }
}

function required(face: FontFace | undefined, name: string): FontFace {
  if (!face) throw new AppError(ErrorCode.Internal, `The bundled font ${name} is missing`);
  return face;
}

/**
 * Width of `text` in points, computed as pdf-lib's `PDFFont.widthOfTextAtSize` does for an
 * embedded font (the shaped glyphs' advance widths; pdf-lib draws no kerning), but without
 * embedding the face first, so layout can measure synchronously and embed only what it draws.
 */
export function textWidth(face: FontFace, text: string, size: number): number {
  return (face.shaper.advance(text) / face.font.unitsPerEm) * size;
}

/** Width of runs laid side by side. */
export function runsWidth(runs: TextRun[], size: number): number {
  return runs.reduce((sum, run) => sum + textWidth(run.face, run.text, size), 0);
}

function hasGlyph(face: FontFace, char: string): boolean {
  const cp = char.codePointAt(0);
  return cp !== undefined && face.covers(cp);
}

/** Embeds each face at most once per document, subset, on first use. */
export class DocumentFonts {
  private readonly embedded = new Map<FontFace, Promise<PDFFont>>();

  constructor(
    private readonly doc: PDFDocument,
    readonly library: FontLibrary = FontLibrary.shared(),
  ) {
    doc.registerFontkit(library.fontkit);
  }

  embed(face: FontFace): Promise<PDFFont> {
    let font = this.embedded.get(face);
    if (!font) {
      font = this.doc.embedFont(face.bytes, { subset: true });
      this.embedded.set(face, font);
    }
    return font;
  }
}
