/**
 * Object numbers changed in serialised PDF objects, for putting several files' objects into one.
 * Only the `N G R` references outside strings are rewritten (to generation 0, as our writers
 * number every object); strings, names and stream data are copied byte for byte.
 */

const enum Char {
  Tab = 0x09,
  LineFeed = 0x0a,
  FormFeed = 0x0c,
  Return = 0x0d,
  Space = 0x20,
  Percent = 0x25,
  OpenParen = 0x28,
  CloseParen = 0x29,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Less = 0x3c,
  Greater = 0x3e,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  Null = 0x00,
}

function isWhite(c: number): boolean {
  return (
    c === Char.Space ||
    c === Char.LineFeed ||
    c === Char.Return ||
    c === Char.Tab ||
    c === Char.FormFeed ||
    c === Char.Null
  );
}

function isDelimiter(c: number): boolean {
  return (
    c === Char.OpenParen ||
    c === Char.CloseParen ||
    c === Char.Less ||
    c === Char.Greater ||
    c === Char.OpenBracket ||
    c === Char.CloseBracket ||
    c === Char.OpenBrace ||
    c === Char.CloseBrace ||
    c === Char.Slash ||
    c === Char.Percent
  );
}

/** A reference found in a body: its bytes are `start`..`end`, it names `objectNumber`. */
export interface RefSpan {
  start: number;
  end: number;
  objectNumber: number;
}

const STREAM = [0x73, 0x74, 0x72, 0x65, 0x61, 0x6d]; // "stream"

/**
 * Every reference in `bytes[start, end)`, one object's body, up to its stream data if it has
 * any: the data of a stream is never read as syntax.
 */
export function findRefs(bytes: Uint8Array, start: number, end: number): RefSpan[] {
  const refs: RefSpan[] = [];
  // The last two tokens, when they were unsigned integers: where they start and their value.
  let firstAt = -1;
  let first = -1;
  let secondAt = -1;
  let second = -1;
  let i = start;
  const forget = () => {
    firstAt = secondAt = -1;
  };
  while (i < end) {
    const c = bytes[i];
    if (isWhite(c)) {
      i++;
    } else if (c === Char.OpenParen) {
      i = skipLiteralString(bytes, i, end);
      forget();
    } else if (c === Char.Less) {
      i = bytes[i + 1] === Char.Less ? i + 2 : skipPast(bytes, i, end, Char.Greater);
      forget();
    } else if (c === Char.Percent) {
      while (i < end && bytes[i] !== Char.LineFeed && bytes[i] !== Char.Return) i++;
    } else if (isDelimiter(c) && c !== Char.Slash) {
      i++;
      forget();
    } else {
      const tokenStart = i;
      i++;
      while (i < end && !isWhite(bytes[i]) && !isDelimiter(bytes[i])) i++;
      if (c >= Char.Zero && c <= Char.Nine && isUnsignedInteger(bytes, tokenStart, i)) {
        firstAt = secondAt;
        first = second;
        secondAt = tokenStart;
        second = integerAt(bytes, tokenStart, i);
        continue;
      }
      if (i - tokenStart === 1 && c === 0x52 /* R */ && firstAt >= 0 && secondAt >= 0) {
        refs.push({ start: firstAt, end: i, objectNumber: first });
      } else if (i - tokenStart === STREAM.length && matches(bytes, tokenStart, STREAM)) {
        break;
      }
      forget();
    }
  }
  return refs;
}

function isUnsignedInteger(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] < Char.Zero || bytes[i] > Char.Nine) return false;
  return true;
}

function integerAt(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (bytes[i] - Char.Zero);
  return n;
}

function matches(bytes: Uint8Array, at: number, word: number[]): boolean {
  return word.every((c, i) => bytes[at + i] === c);
}

/** Past a literal string `( ... )`: balanced parentheses, backslash escapes. */
function skipLiteralString(bytes: Uint8Array, at: number, end: number): number {
  let depth = 0;
  let i = at;
  while (i < end) {
    const c = bytes[i++];
    if (c === Char.Backslash) i++;
    else if (c === Char.OpenParen) depth++;
    else if (c === Char.CloseParen && --depth === 0) return i;
  }
  return end;
}

function skipPast(bytes: Uint8Array, at: number, end: number, close: number): number {
  let i = at + 1;
  while (i < end && bytes[i] !== close) i++;
  return Math.min(end, i + 1);
}

/** `bytes[start, end)` with each reference replaced by `N 0 R`, `N` from `renumber`. */
export function rewriteRefs(
  bytes: Uint8Array,
  start: number,
  end: number,
  refs: readonly RefSpan[],
  renumber: (objectNumber: number) => number,
): Uint8Array {
  if (refs.length === 0) return bytes.subarray(start, end);
  const written = refs.map((ref) => `${renumber(ref.objectNumber)} 0 R`);
  let length = end - start;
  refs.forEach((ref, i) => (length += written[i].length - (ref.end - ref.start)));
  // One buffer, every byte written: a buffer per reference would be thousands per bundle.
  const out = Buffer.allocUnsafe(length);
  let from = start;
  let to = 0;
  refs.forEach((ref, i) => {
    out.set(bytes.subarray(from, ref.start), to);
    to += ref.start - from;
    to += out.write(written[i], to, 'latin1');
    from = ref.end;
  });
  out.set(bytes.subarray(from, end), to);
  return out;
}
