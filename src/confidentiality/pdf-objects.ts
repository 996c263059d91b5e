/**
 * A strict reader of PDF syntax for the files our own writers produce: objects, streams,
 * cross-reference sections, and content streams' operators. It accepts only what it fully
 * understands and throws `Unproven` for anything else, so that a file it cannot account for
 * byte by byte is read by pdf.js instead, never passed as clean.
 */

export class Unproven extends Error {
  constructor(reason: string) {
    super(`not provable from its own objects: ${reason}`);
    this.name = 'Unproven';
  }
}

export class PdfName {
  constructor(readonly name: string) {}

  /**
   * One shared PdfName per short name: keys and states repeat by the thousand in a form and
   * never change. Long names, which could hold anything, are not kept.
   */
  static of(name: string): PdfName {
    if (name.length > MAX_SHARED_NAME) return new PdfName(name);
    let found = NAMES.get(name);
    if (found === undefined) {
      found = new PdfName(name);
      if (NAMES.size < MAX_SHARED) NAMES.set(name, found);
    }
    return found;
  }
}

/** Shared instances kept: a form's names and the object numbers of a bundle, with room. */
const MAX_SHARED = 1 << 16;
const MAX_SHARED_NAME = 24;
const NAMES = new Map<string, PdfName>();

/**
 * A string as it stands in the file: its bytes are decoded only when asked for, since most
 * strings of a form's dictionaries (appearance strings, say) are never read as text.
 */
export class PdfString {
  private decoded: Uint8Array | undefined;

  constructor(
    private readonly source: Uint8Array,
    private readonly start: number,
    private readonly end: number,
    /** `<...>`: the range holds hex digits (and white space). */
    readonly hex: boolean,
  ) {}

  get bytes(): Uint8Array {
    if (this.decoded === undefined) {
      this.decoded = this.hex ? hexBytes(this.source, this.start, this.end) : this.raw();
    }
    return this.decoded;
  }

  private raw(): Uint8Array {
    return this.source.subarray(this.start, this.end);
  }
}

function hexBytes(source: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((end - start) / 2));
  let n = 0;
  let high = -1;
  for (let i = start; i < end; i++) {
    const c = source[i];
    if (WHITE[c]) continue;
    const digit = HEX[c];
    if (digit < 0) throw new Unproven('a bad hex string');
    if (high < 0) high = digit;
    else {
      out[n++] = high * 16 + digit;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high * 16;
  return out.subarray(0, n);
}

export class PdfRef {
  constructor(readonly objectNumber: number) {}

  /** The one PdfRef for an object number below MAX_SHARED, a new one past it. */
  static of(objectNumber: number): PdfRef {
    if (objectNumber >= MAX_SHARED) return new PdfRef(objectNumber);
    return (REFS[objectNumber] ??= new PdfRef(objectNumber));
  }
}

const REFS: (PdfRef | undefined)[] = [];

export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue>) {}

  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }

  name(key: string): string | undefined {
    const value = this.entries.get(key);
    return value instanceof PdfName ? value.name : undefined;
  }
}

export type PdfValue =
  number | boolean | null | PdfName | PdfString | PdfRef | PdfDict | PdfValue[];

export interface PdfStream {
  dict: PdfDict;
  /** The stream's bytes as stored (still encoded). */
  data: Uint8Array;
}

export type PdfObject = PdfValue | PdfStream;

export function isStream(object: PdfObject | undefined): object is PdfStream {
  return (
    typeof object === 'object' &&
    object !== null &&
    !Array.isArray(object) &&
    'data' in object &&
    object.dict instanceof PdfDict
  );
}

const WHITE = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;

export const enum Tok {
  Number,
  /** `N G R`, read as one token. */
  Ref,
  Name,
  String,
  Keyword,
  OpenDict,
  CloseDict,
  OpenArray,
  CloseArray,
}

const ESCAPES: Readonly<Record<number, number>> = {
  0x6e: 0x0a,
  0x72: 0x0d,
  0x74: 0x09,
  0x62: 0x08,
  0x66: 0x0c,
  0x28: 0x28,
  0x29: 0x29,
  0x5c: 0x5c,
};

/**
 * Tokens of `bytes[start, end)`, one at a time: `next()` says the kind and leaves the value in
 * `number`, `text` (names, keywords) or `data` (strings), so reading allocates little.
 */
export class Lexer {
  pos: number;
  number = 0;
  integer = false;
  text = '';
  /** The last string read. */
  string: PdfString | undefined;
  /** Comments met since the last call of `takeComments`. */
  private comments: string[] | undefined;
  /** The same bytes as a Buffer, to decode ranges without copying them. */
  private readonly view: Buffer;

  /**
   * @param refs whether `N G R` is read as a reference: in objects, not in content streams,
   *   which have no references and many integers.
   */
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    private readonly refs = true,
  ) {
    this.pos = start;
    this.view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Skips white space and comments, keeping the comments for `takeComments`. */
  skipSpace(): void {
    const { bytes, end } = this;
    while (this.pos < end) {
      const c = bytes[this.pos];
      if (WHITE[c]) {
        this.pos++;
      } else if (c === 0x25) {
        const start = this.pos;
        while (this.pos < end && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) this.pos++;
        (this.comments ??= []).push(this.view.toString('latin1', start, this.pos));
      } else {
        break;
      }
    }
  }

  takeComments(): string[] {
    const comments = this.comments ?? [];
    this.comments = undefined;
    return comments;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.end;
  }

  isKeyword(kind: Tok, word: string): boolean {
    return kind === Tok.Keyword && this.text === word;
  }

  next(): Tok {
    this.skipSpace();
    const { bytes, end } = this;
    if (this.pos >= end) throw new Unproven('ends early');
    const c = bytes[this.pos];
    if (c === 0x28) {
      this.string = this.literalString();
      return Tok.String;
    }
    if (c === 0x3c) {
      if (bytes[this.pos + 1] === 0x3c) {
        this.pos += 2;
        return Tok.OpenDict;
      }
      this.string = this.hexString();
      return Tok.String;
    }
    if (c === 0x3e) {
      if (bytes[this.pos + 1] !== 0x3e) throw new Unproven('a lone ">"');
      this.pos += 2;
      return Tok.CloseDict;
    }
    if (c === 0x5b) {
      this.pos++;
      return Tok.OpenArray;
    }
    if (c === 0x5d) {
      this.pos++;
      return Tok.CloseArray;
    }
    if (c === 0x2f) {
      this.text = this.name();
      return Tok.Name;
    }
    if (DELIMITER[c]) throw new Unproven(`an unexpected "${String.fromCharCode(c)}"`);
    if (this.readNumber()) {
      const isRef = this.refs && this.integer && this.number >= 0 && this.readRefTail();
      return isRef ? Tok.Ref : Tok.Number;
    }
    const start = this.pos;
    while (this.pos < end && !WHITE[bytes[this.pos]] && !DELIMITER[bytes[this.pos]]) this.pos++;
    this.text = this.keyword(start, this.pos);
    return Tok.Keyword;
  }

  private keyword(start: number, end: number): string {
    return this.interned(start, end);
  }

  /**
   * Short names and keywords (every operator, most dictionary keys) come from a table, not a
   * new string each time: a form's dictionaries hold tens of thousands of them.
   */
  private interned(start: number, end: number): string {
    const length = end - start;
    if (length > 6) return this.view.toString('utf8', start, end);
    const { bytes } = this;
    let code = length;
    for (let i = start; i < end; i++) code = code * 256 + bytes[i];
    let word = SHORT_WORDS.get(code);
    if (word === undefined) {
      word = this.view.toString('utf8', start, end);
      if (SHORT_WORDS.size < 8192) SHORT_WORDS.set(code, word);
    }
    return word;
  }

  /** After an unsigned integer: ` G R` makes it a reference; otherwise nothing is consumed. */
  private readRefTail(): boolean {
    const { bytes, end } = this;
    let i = this.pos;
    // Loops written out, not a helper closure, which would be allocated for every integer read.
    while (i < end && WHITE[bytes[i]]) i++;
    const digitsStart = i;
    while (i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39) i++;
    if (i === digitsStart || (i < end && !WHITE[bytes[i]])) return false;
    while (i < end && WHITE[bytes[i]]) i++;
    if (bytes[i] !== 0x52 || (i + 1 < end && !WHITE[bytes[i + 1]] && !DELIMITER[bytes[i + 1]])) {
      return false;
    }
    this.pos = i + 1;
    return true;
  }

  /** A number (`12`, `-3`, `4.5`, `.5`) into `number`; false with `pos` unchanged otherwise. */
  private readNumber(): boolean {
    const { bytes, end } = this;
    let i = this.pos;
    let sign = 1;
    if (bytes[i] === 0x2b || bytes[i] === 0x2d) {
      if (bytes[i] === 0x2d) sign = -1;
      i++;
    }
    let value = 0;
    let digits = 0;
    while (i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39) {
      value = value * 10 + (bytes[i++] - 0x30);
      digits++;
    }
    let integer = true;
    if (i < end && bytes[i] === 0x2e) {
      integer = false;
      i++;
      let scale = 1;
      let fraction = 0;
      while (i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39) {
        fraction = fraction * 10 + (bytes[i++] - 0x30);
        scale *= 10;
        digits++;
      }
      value += fraction / scale;
    }
    if (digits === 0 || (i < end && !WHITE[bytes[i]] && !DELIMITER[bytes[i]])) return false;
    this.pos = i;
    this.number = sign * value;
    this.integer = integer;
    return true;
  }

  private literalString(): PdfString {
    const { bytes, end } = this;
    // Most strings have no escapes and no parentheses inside: their bytes as they are.
    let i = this.pos + 1;
    while (i < end && bytes[i] !== 0x29 && bytes[i] !== 0x28 && bytes[i] !== 0x5c) i++;
    if (i < end && bytes[i] === 0x29) {
      const plain = new PdfString(bytes, this.pos + 1, i, false);
      this.pos = i + 1;
      return plain;
    }
    const out: number[] = [];
    let depth = 0;
    this.pos++;
    while (this.pos < end) {
      const c = bytes[this.pos++];
      if (c === 0x5c) {
        const e = bytes[this.pos++];
        const simple = ESCAPES[e];
        if (simple !== undefined) out.push(simple);
        else if (e >= 0x30 && e <= 0x37) {
          let value = e - 0x30;
          for (let k = 0; k < 2 && bytes[this.pos] >= 0x30 && bytes[this.pos] <= 0x37; k++) {
            value = value * 8 + (bytes[this.pos++] - 0x30);
          }
          out.push(value & 0xff);
        } else if (e === 0x0d) {
          if (bytes[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) {
          out.push(e);
        }
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (depth === 0) return new PdfString(Uint8Array.from(out), 0, out.length, false);
        depth--;
        out.push(c);
      } else {
        out.push(c);
      }
    }
    throw new Unproven('an unterminated string');
  }

  private hexString(): PdfString {
    const { bytes, end } = this;
    let close = this.pos + 1;
    while (close < end && bytes[close] !== 0x3e) close++;
    if (close >= end) throw new Unproven('an unterminated hex string');
    for (let i = this.pos + 1; i < close; i++) {
      if (HEX[bytes[i]] < 0 && !WHITE[bytes[i]]) throw new Unproven('a bad hex string');
    }
    const string = new PdfString(bytes, this.pos + 1, close, true);
    this.pos = close + 1;
    return string;
  }

  private name(): string {
    const { bytes, end } = this;
    const start = ++this.pos;
    let escaped = false;
    while (this.pos < end && !WHITE[bytes[this.pos]] && !DELIMITER[bytes[this.pos]]) {
      if (bytes[this.pos] === 0x23) escaped = true;
      this.pos++;
    }
    if (!escaped) return this.interned(start, this.pos);
    const out: number[] = [];
    for (let i = start; i < this.pos; i++) {
      const c = bytes[i];
      if (c !== 0x23) {
        out.push(c);
        continue;
      }
      const high = HEX[bytes[i + 1]] ?? -1;
      const low = HEX[bytes[i + 2]] ?? -1;
      if (i + 2 >= this.pos || high < 0 || low < 0) throw new Unproven('a bad name escape');
      out.push(high * 16 + low);
      i += 2;
    }
    return Buffer.from(out).toString('utf8');
  }
}

const SHORT_WORDS = new Map<number, string>();

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** The value starting with the token `kind` just read. */
export function valueOf(lexer: Lexer, kind: Tok): PdfValue {
  switch (kind) {
    case Tok.Number:
      return lexer.number;
    case Tok.Ref:
      return PdfRef.of(lexer.number);
    case Tok.Name:
      return PdfName.of(lexer.text);
    case Tok.String:
      return lexer.string as PdfString;
    case Tok.OpenArray: {
      const items: PdfValue[] = [];
      for (let next = lexer.next(); next !== Tok.CloseArray; next = lexer.next()) {
        items.push(valueOf(lexer, next));
      }
      return items;
    }
    case Tok.OpenDict: {
      const entries = new Map<string, PdfValue>();
      for (let key = lexer.next(); key !== Tok.CloseDict; key = lexer.next()) {
        if (key !== Tok.Name) throw new Unproven('a dictionary key that is not a name');
        const name = lexer.text;
        entries.set(name, valueOf(lexer, lexer.next()));
      }
      return new PdfDict(entries);
    }
    case Tok.Keyword:
      if (lexer.text === 'true') return true;
      if (lexer.text === 'false') return false;
      if (lexer.text === 'null') return null;
      throw new Unproven(`an unexpected keyword "${lexer.text}"`);
    default:
      throw new Unproven('an unexpected token');
  }
}

/** One top-level item of a region of a file: an object, or a trailer dictionary. */
export type FileItem =
  { kind: 'object'; objectNumber: number; object: PdfObject } | { kind: 'trailer'; dict: PdfDict };

/** Comments a file we write may hold: the header, its binary marker line, and `%%EOF`. */
const ALLOWED_COMMENT = /^(%PDF-\d\.\d|%[\x80-\xff]{4,}|%%EOF)$/;

/**
 * Every item of `bytes[start, end)`, which must be whole objects, cross-reference tables with
 * their trailers and `startxref` entries, with nothing else between them.
 */
export function readRegion(bytes: Uint8Array, start: number, end: number): FileItem[] {
  const lexer = new Lexer(bytes, start, end);
  const items: FileItem[] = [];
  for (;;) {
    lexer.skipSpace();
    for (const comment of lexer.takeComments()) {
      if (!ALLOWED_COMMENT.test(comment)) throw new Unproven('a comment');
    }
    if (lexer.pos >= end) return items;
    const first = lexer.next();
    if (lexer.isKeyword(first, 'xref')) {
      items.push({ kind: 'trailer', dict: xrefTable(lexer) });
    } else if (lexer.isKeyword(first, 'startxref')) {
      if (lexer.next() !== Tok.Number || !lexer.integer) throw new Unproven('a bad startxref');
    } else if (first === Tok.Number && lexer.integer) {
      items.push(indirectObject(lexer, lexer.number));
    } else {
      throw new Unproven('something other than an object between objects');
    }
  }
}

function indirectObject(lexer: Lexer, objectNumber: number): FileItem {
  const generation = lexer.next();
  if (generation !== Tok.Number || !lexer.isKeyword(lexer.next(), 'obj')) {
    throw new Unproven('a malformed object header');
  }
  const value = valueOf(lexer, lexer.next());
  const after = lexer.next();
  if (lexer.isKeyword(after, 'endobj')) return { kind: 'object', objectNumber, object: value };
  if (!lexer.isKeyword(after, 'stream') || !(value instanceof PdfDict)) {
    throw new Unproven('an object with more than one value');
  }
  const data = streamData(lexer, value);
  if (!lexer.isKeyword(lexer.next(), 'endobj')) {
    throw new Unproven('a stream not followed by endobj');
  }
  return { kind: 'object', objectNumber, object: { dict: value, data } };
}

function streamData(lexer: Lexer, dict: PdfDict): Uint8Array {
  const length = dict.get('Length');
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
    throw new Unproven('a stream whose length is not a direct number');
  }
  const { bytes } = lexer;
  if (bytes[lexer.pos] === 0x0d && bytes[lexer.pos + 1] === 0x0a) lexer.pos += 2;
  else if (bytes[lexer.pos] === 0x0a) lexer.pos += 1;
  else throw new Unproven('a stream keyword not followed by a line end');
  const start = lexer.pos;
  if (start + length > lexer.end) throw new Unproven('a stream longer than its file');
  lexer.pos = start + length;
  if (!lexer.isKeyword(lexer.next(), 'endstream')) {
    throw new Unproven('a stream whose length does not end at endstream');
  }
  return bytes.subarray(start, start + length);
}

/** An xref table (numbers only) and the trailer dictionary that follows it. */
function xrefTable(lexer: Lexer): PdfDict {
  for (;;) {
    const first = lexer.next();
    if (lexer.isKeyword(first, 'trailer')) break;
    if (first !== Tok.Number || lexer.next() !== Tok.Number) throw new Unproven('a bad xref');
    const count = lexer.number;
    for (let i = 0; i < count; i++) {
      const ok =
        lexer.next() === Tok.Number &&
        lexer.next() === Tok.Number &&
        lexer.next() === Tok.Keyword &&
        (lexer.text === 'n' || lexer.text === 'f');
      if (!ok) throw new Unproven('a bad xref entry');
    }
  }
  const dict = valueOf(lexer, lexer.next());
  if (!(dict instanceof PdfDict)) throw new Unproven('a trailer that is not a dictionary');
  return dict;
}
