import { readFileSync } from 'node:fs';
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

/** The faces we ship, in the order a string tries them. */
export type FaceId = 'latin' | 'sc' | 'arabic' | 'hebrew';

export interface FontFace {
  id: FaceId;
  /** The TTF as read from disk: also the key the caching fontkit recognises. */
  bytes: Uint8Array;
  font: FontkitFont;
  /** Shapes and measures text with this face, remembering the words it has seen. */
  shaper: FaceShaper;
  /** The file's tables, for subsetting. */
  file: TrueTypeFile;
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
  pkg: string;
  file: string;
}

const FACE_SOURCES: FaceSource[] = [
  { id: 'latin', pkg: '@expo-google-fonts/noto-sans', file: '400Regular/NotoSans_400Regular.ttf' },
  {
    id: 'sc',
    pkg: '@expo-google-fonts/noto-sans-sc',
    file: '400Regular/NotoSansSC_400Regular.ttf',
  },
  {
    id: 'arabic',
    pkg: '@expo-google-fonts/noto-sans-arabic',
    file: '400Regular/NotoSansArabic_400Regular.ttf',
  },
  {
    id: 'hebrew',
    pkg: '@expo-google-fonts/noto-sans-hebrew',
    file: '400Regular/NotoSansHebrew_400Regular.ttf',
  },
];

const BOLD_SOURCE = {
  pkg: '@expo-google-fonts/noto-sans',
  file: '700Bold/NotoSans_700Bold.ttf',
};

/** C0 (but tab and newline), DEL and C1 controls: PDF text cannot show them. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;
/** Invisible format characters (ZWJ, bidi marks, BOM, soft hyphen): no glyph needed. */
const FORMAT_CHAR = /^\p{Cf}$/u;

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

const formatChars = new Map<string, boolean>();

function isFormatChar(char: string): boolean {
  // Below U+00AD (the soft hyphen) no character is a format character.
  if (char.charCodeAt(0) < 0xad) return false;
  let is = formatChars.get(char);
  if (is === undefined) {
    is = FORMAT_CHAR.test(char);
    formatChars.set(char, is);
  }
  return is;
}

function needsGlyph(char: string): boolean {
  return char !== '\n' && !isFormatChar(char);
}

function loadFontFile(pkg: string, file: string): Uint8Array {
  // Resolved through the package so the service runs wherever node_modules lives.
  const root = dirname(require.resolve(`${pkg}/package.json`));
  return new Uint8Array(readFileSync(join(root, file)));
}

function parseFace(bytes: Uint8Array): FontkitFont {
  const parsed = fontkit.create(bytes);
  if (!('hasGlyphForCodePoint' in parsed)) {
    throw new AppError(ErrorCode.Internal, 'A bundled font is a collection, not a single face');
  }
  primeGlyphCodePoints(parsed);
  return parsed;
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

function makeFace(id: FaceId, bytes: Uint8Array): FontFace {
  const font = parseFace(bytes);
  const coverage = new Map<number, boolean>();
  const covers = (cp: number) => {
    let has = coverage.get(cp);
    if (has === undefined) {
      has = font.hasGlyphForCodePoint(cp);
      coverage.set(cp, has);
    }
    return has;
  };
  return { id, bytes, font, shaper: new FaceShaper(font), file: new TrueTypeFile(bytes), covers };
}

/**
 * The Unicode fonts every PDF is drawn with, parsed once per process. Noto Sans SC alone is
 * 10 MB; parsing it per document would cost more than the fill itself.
 */
export class FontLibrary {
  private static instance: FontLibrary | undefined;

  readonly faces: readonly FontFace[];
  readonly bold: FontFace;
  private readonly parsed = new Map<Uint8Array, FontkitFont>();

  private constructor() {
    this.faces = FACE_SOURCES.map((s) => makeFace(s.id, loadFontFile(s.pkg, s.file)));
    this.bold = makeFace('latin', loadFontFile(BOLD_SOURCE.pkg, BOLD_SOURCE.file));
    for (const face of [...this.faces, this.bold]) this.parsed.set(face.bytes, face.font);
  }

  static shared(): FontLibrary {
    FontLibrary.instance ??= new FontLibrary();
    return FontLibrary.instance;
  }

  /**
   * A fontkit for `PDFDocument.registerFontkit` that hands pdf-lib the already parsed face
   * instead of parsing the bytes again for every document.
   */
  readonly fontkit: Fontkit = {
    create: (buffer: Uint8Array) => this.parsed.get(buffer) ?? parseFace(buffer),
  };

  /**
   * Splits `text` into runs, each drawn with a face that covers it; spaces, digits and
   * punctuation stay in the run they are in; `first` (e.g. the bold face) is tried before the
   * others. GlyphMissing when no face covers a character.
   */
  runsFor(text: string, field: string, first?: FontFace): TextRun[] {
    const faces = first ? [first, ...this.faces] : this.faces;
    const runs: TextRun[] = [];
    for (const char of text) {
      const current = runs.at(-1);
      // Staying in the current face keeps spaces and punctuation inside their run.
      if (current && (!needsGlyph(char) || hasGlyph(current.face, char))) {
        current.text += char;
        continue;
      }
      const face = needsGlyph(char) ? faces.find((f) => hasGlyph(f, char)) : faces[0];
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
    const faces = first ? [first, ...this.faces] : this.faces;
    const chars = [...text];
    const levels = bidiLevels(chars);
    const runs: (TextRun & { level: number })[] = [];
    chars.forEach((char, i) => {
      const current = runs.at(-1);
      const sameLevel = current !== undefined && current.level === levels[i];
      if (current && sameLevel && (!needsGlyph(char) || hasGlyph(current.face, char))) {
        current.text += char;
        return;
      }
      const face = needsGlyph(char)
        ? faces.find((f) => hasGlyph(f, char))
        : (faces.find((f) => hasGlyph(f, char)) ?? faces[0]);
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

  /** Removes invisible format characters the chosen face has no glyph for. */
  dropUndrawable(text: string, face: FontFace): string {
    return [...text].filter((c) => !isFormatChar(c) || hasGlyph(face, c)).join('');
  }
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
