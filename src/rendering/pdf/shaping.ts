import type { Font as FontkitFont, Glyph, GlyphRun } from '@cantoo/fontkit';

/** What layout needs to know of a shaped string; lengths and extents in font units. */
export interface Shaped {
  /** Glyph ids in drawing order (right-to-left scripts already reversed, as fontkit does). */
  glyphs: number[];
  /** Sum of the glyphs' advance widths: what pdf-lib and viewers use, no kerning. */
  advance: number;
  /** Highest and lowest points of the glyphs' outlines (0 for an empty string). */
  maxY: number;
  minY: number;
  /** fontkit shaped it as a right-to-left script: its glyphs are reversed. */
  rtl: boolean;
}

/**
 * Where a string may be cut into pieces that shape independently: at white space and around
 * each CJK character. No OpenType lookup of our fonts reaches across a space (ligatures,
 * Arabic joining and Indic clusters all stay inside a word), so a line shaped piece by piece
 * gets the glyphs fontkit gives the whole line; a test holds this against fontkit itself.
 */
const PIECE =
  /\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+/gu;

/** Pieces kept per face before the older half is dropped: words recur across fields and cases. */
const PIECES_PER_GENERATION = 20_000;

/** Whole strings kept per face: the runs of the fields of a form or two. */
const STRINGS_PER_GENERATION = 2_000;

/** Two generations: a bounded cache that keeps what is still in use without counting hits. */
class GenerationalCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

interface ShapedPiece extends Shaped {
  /** White space only: no ink. */
  space: boolean;
}

/**
 * Shapes text with fontkit as `font.layout` does, but one piece (word) at a time with the
 * script fontkit would detect for the whole string, remembering each piece. fontkit's layout
 * runs every lookup of the font over every glyph, about 5 µs a glyph for Noto Sans, and a form
 * measures the same words many times over; remembered pieces make a warm fill's shaping a
 * matter of map look-ups.
 */
export class FaceShaper {
  /** Pieces by script, then text. */
  private readonly pieces = new Map<string, GenerationalCache<ShapedPiece>>();
  private readonly strings = new GenerationalCache<Shaped>(STRINGS_PER_GENERATION);
  private readonly scripts = new Map<number, string>();
  private readonly unknownScript: string;
  private readonly extents = new Map<number, { maxY: number; minY: number }>();

  /**
   * `outlines` is a second reading of the same face, used only to measure glyphs. Measuring a
   * composite glyph creates its components in fontkit's glyph cache with no characters; in the
   * face used for layout, a component drawn later on its own would then have no text in the
   * PDF and vanish from the copy (Thai: the small ่ drawn over ี is a component of the glyph
   * that stacks ่ on the nikhahit of ำ).
   */
  constructor(
    private readonly font: FontkitFont,
    private readonly outlines: FontkitFont = font,
  ) {
    this.unknownScript = scriptKey(font.layout(' ').script);
  }

  shape(text: string): Shaped {
    if (text === '') return { glyphs: [], advance: 0, maxY: 0, minY: 0, rtl: false };
    // Layout measures a run, then draws it: the second time is a look-up.
    const known = this.strings.get(text);
    if (known) return known;
    const shaped = this.shapePieces(text);
    this.strings.set(text, shaped);
    return shaped;
  }

  private shapePieces(text: string): Shaped {
    const pieces = this.piecesOf(text);
    const rtl = pieces.some((p) => p.rtl);
    // fontkit reverses a right-to-left run as a whole, so its pieces come in reverse order.
    if (rtl) pieces.reverse();
    const glyphs: number[] = [];
    let advance = 0;
    let maxY = 0;
    let minY = 0;
    for (const p of pieces) {
      for (const g of p.glyphs) glyphs.push(g);
      advance += p.advance;
      maxY = Math.max(maxY, p.maxY);
      minY = Math.min(minY, p.minY);
    }
    return { glyphs, advance, maxY, minY, rtl };
  }

  /** Width of `text` in font units (the sum of advance widths, as drawn). */
  advance(text: string): number {
    if (text === '') return 0;
    let advance = 0;
    for (const p of this.piecesOf(text)) advance += p.advance;
    return advance;
  }

  /**
   * Width of the words of `text` without the white space between them, each word shaped as it
   * is drawn: the least room the text needs however it is wrapped.
   */
  inkAdvance(text: string): number {
    if (text === '') return 0;
    let advance = 0;
    for (const p of this.piecesOf(text)) if (!p.space) advance += p.advance;
    return advance;
  }

  /** The pieces of `text`, shaped; those not seen before are shaped in one fontkit call. */
  private piecesOf(text: string): ShapedPiece[] {
    const script = this.scriptOf(text);
    const cache = this.cacheFor(script);
    const texts = text.match(PIECE) ?? [];
    const found = texts.map((t) => cache.get(t));
    const missing = [...new Set(texts.filter((t, i) => found[i] === undefined))];
    if (missing.length > 1) this.shapeTogether(missing, script);
    return texts.map((t, i) => found[i] ?? this.piece(t, script));
  }

  /**
   * fontkit spends about as long preparing a call as shaping twenty glyphs, and a new
   * narrative brings hundreds of new words. Words joined by spaces shape as they would alone
   * (see PIECE), so one call shapes them all and the result is cut at the space glyphs; when
   * the cut does not come out even (a word shaped to a space glyph), each word is shaped alone.
   */
  private shapeTogether(texts: string[], script: string): void {
    const words = texts.filter((t) => !/\s/u.test(t));
    if (words.length < 2) return;
    const run = this.font.layout(words.join(' '), [], scriptTags(script));
    const space = this.font.glyphForCodePoint(0x20)?.id;
    const groups: Glyph[][] = [[]];
    for (const glyph of run.glyphs) {
      if (glyph.id === space) groups.push([]);
      else groups[groups.length - 1].push(glyph);
    }
    if (groups.length !== words.length || groups.some((g) => g.length === 0)) return;
    const rtl = run.direction === 'rtl';
    // A right-to-left run comes back reversed as a whole: its last word first.
    if (rtl) groups.reverse();
    const cache = this.cacheFor(script);
    words.forEach((word, i) => cache.set(word, this.summarize(word, groups[i], rtl)));
  }

  private cacheFor(script: string): GenerationalCache<ShapedPiece> {
    let cache = this.pieces.get(script);
    if (!cache) {
      cache = new GenerationalCache<ShapedPiece>(PIECES_PER_GENERATION);
      this.pieces.set(script, cache);
    }
    return cache;
  }

  private piece(text: string, script: string): ShapedPiece {
    const cache = this.cacheFor(script);
    const hit = cache.get(text);
    if (hit) return hit;
    const run = this.font.layout(text, [], scriptTags(script));
    const shaped = this.summarize(text, run.glyphs, run.direction === 'rtl');
    cache.set(text, shaped);
    return shaped;
  }

  private summarize(text: string, run: readonly Glyph[], rtl: boolean): ShapedPiece {
    const glyphs: number[] = [];
    let advance = 0;
    let maxY = 0;
    let minY = 0;
    for (const glyph of run) {
      this.untieSplitVowel(glyph);
      glyphs.push(glyph.id);
      advance += glyph.advanceWidth;
      let extent = this.extents.get(glyph.id);
      if (!extent) {
        const box = (this.outlines.getGlyph(glyph.id) ?? glyph).bbox;
        // An empty outline (a space) reports infinite bounds: it reaches nowhere.
        extent = Number.isFinite(box.maxY)
          ? { maxY: box.maxY, minY: box.minY }
          : { maxY: 0, minY: 0 };
        this.extents.set(glyph.id, extent);
      }
      maxY = Math.max(maxY, extent.maxY);
      minY = Math.min(minY, extent.minY);
    }
    return { glyphs, advance, maxY, minY, rtl, space: /^\s+$/u.test(text) };
  }

  /**
   * fontkit hands both pieces of a split vowel all of its characters. The tail keeps its own
   * glyph, already tied to its own character (see primeGlyphCodePoints), but a glyph first met
   * through the split (the nikhahit joined with the tone mark stacked on it) would copy as the
   * whole vowel, and the page text would show SARA AA twice. Such a glyph stands for its top.
   */
  private untieSplitVowel(glyph: Glyph): void {
    const cps = glyph.codePoints;
    const n = cps.length;
    if (n < 2) return;
    for (const [vowel, top, tail] of SPLIT_VOWELS) {
      if (cps[n - 2] !== top || cps[n - 1] !== tail) continue;
      const own = this.font.hasGlyphForCodePoint(vowel) && this.font.glyphForCodePoint(vowel);
      if (!own || own.id !== glyph.id) glyph.codePoints = cps.slice(0, -1);
      return;
    }
  }

  /** The script fontkit picks for a string: that of its first character of a definite script. */
  private scriptOf(text: string): string {
    for (const char of text) {
      const cp = char.codePointAt(0) ?? 0;
      let script = this.scripts.get(cp);
      if (script === undefined) {
        script = scriptKey(this.font.layout(char).script);
        this.scripts.set(cp, script);
      }
      if (script !== this.unknownScript) return script;
    }
    return this.unknownScript;
  }
}

/**
 * Vowels a font draws in two pieces, as [vowel, top piece, tail]: Thai SARA AM (U+0E33) is drawn
 * as NIKHAHIT above and SARA AA after, and Lao AM alike.
 */
const SPLIT_VOWELS: readonly (readonly [number, number, number])[] = [
  [0x0e33, 0x0e4d, 0x0e32],
  [0x0eb3, 0x0ecd, 0x0eb2],
];

/** Some scripts have two tags (new and old Indic shaping); fontkit takes and returns a list. */
function scriptKey(script: GlyphRun['script']): string {
  if (Array.isArray(script)) return script.join(',');
  return script ?? '';
}

function scriptTags(key: string): string | string[] {
  return key.includes(',') ? key.split(',') : key;
}
