import { deflateSync } from 'node:zlib';
import { PDFArray, PDFContext, PDFDict, PDFObject, PDFRef, PDFStream } from '@cantoo/pdf-lib';

/**
 * The few pieces of PDF syntax our writers produce themselves: numbers, names, text strings and
 * indirect objects as bytes. Objects read from a form are serialised by pdf-lib's own objects
 * (`copyBytesInto`), so what we pass through is written exactly as pdf-lib would write it.
 */

/** A number as PDF wants it: no exponent, at most four decimals, no trailing zeros. */
export function num(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const fixed = n.toFixed(4);
  const trimmed = fixed.replace(/\.?0+$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

export function ref(objectNumber: number): string {
  return `${objectNumber} 0 R`;
}

const NAME_REGULAR = /^[!-~]$/;
const NAME_DELIMITERS = new Set(['#', '/', '(', ')', '<', '>', '[', ']', '{', '}', '%']);

/** `/Name`, with `#xx` for bytes a name cannot hold as they are (PDF 32000 7.3.5). */
export function name(value: string): string {
  let out = '/';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      NAME_REGULAR.test(char) && !NAME_DELIMITERS.has(char)
        ? char
        : `#${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The hex digits (lower case) of `value` as UTF-16BE, without a byte order mark. */
export function utf16BeHex(value: string): string {
  return Buffer.from(value, 'utf16le').swap16().toString('hex');
}

/** The hex digits of a text string as UTF-16BE with a byte order mark: any character. */
export function utf16Hex(value: string): string {
  return `FEFF${utf16BeHex(value).toUpperCase()}`;
}

/** One object of a body being written: its number and its bytes between `obj` and `endobj`. */
export interface BodyObject {
  objectNumber: number;
  body: Uint8Array;
}

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** A dictionary or other object written as text (our own objects contain ASCII only). */
export function textObject(objectNumber: number, text: string): BodyObject {
  return { objectNumber, body: latin1(text) };
}

/** A stream with its dictionary entries (without `/Length`), compressed when that pays. */
export function streamObject(
  objectNumber: number,
  dictEntries: string,
  data: Uint8Array,
  compress: boolean,
): BodyObject {
  const content = compress ? deflateSync(data) : data;
  const filter = compress ? ' /Filter /FlateDecode' : '';
  const head = latin1(`<<${dictEntries}${filter} /Length ${content.length} >>\nstream\n`);
  const tail = latin1('\nendstream');
  return { objectNumber, body: concatBytes([head, content, tail]) };
}

/** A stream whose data is already compressed with Flate (a cached font file, say). */
export function flateStreamObject(
  objectNumber: number,
  dictEntries: string,
  deflated: Uint8Array,
): BodyObject {
  const head = latin1(
    `<<${dictEntries} /Filter /FlateDecode /Length ${deflated.length} >>\nstream\n`,
  );
  return { objectNumber, body: concatBytes([head, deflated, latin1('\nendstream')]) };
}

/** An object parsed by pdf-lib (possibly a changed copy), serialised by pdf-lib. */
export function pdfLibObject(objectNumber: number, object: PDFObject): BodyObject {
  if (!(object instanceof PDFStream)) {
    // The text form holds the same bytes (one per character) and takes one pass, not two.
    return { objectNumber, body: latin1(object.toString()) };
  }
  const body = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(body, 0);
  return { objectNumber, body };
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  // Every byte is written below: no need to zero megabytes first.
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Writes `N 0 obj ... endobj` for each object after `prefix`, and returns the whole file so far
 * with each object's offset, which the cross-reference section that follows points at.
 */
export function layOutBody(
  prefix: Uint8Array,
  objects: BodyObject[],
  trailerText: (offsets: Map<number, number>, bodyEnd: number) => Uint8Array,
): Uint8Array {
  const needsNewline = prefix.length > 0 && prefix[prefix.length - 1] !== 0x0a;
  // The object headers are ASCII, a byte per character, written straight into the file: a
  // buffer for each would be thousands of small allocations per bundle.
  const heads = objects.map((o) => `${o.objectNumber} 0 obj\n`);
  let offset = prefix.length + (needsNewline ? 1 : 0);
  const offsets = new Map<number, number>();
  objects.forEach((o, i) => {
    offsets.set(o.objectNumber, offset);
    offset += heads[i].length + o.body.length + END_OBJ.length;
  });
  const tail = trailerText(offsets, offset);
  // Every byte is written below: no need to zero megabytes first.
  const out = Buffer.allocUnsafe(offset + tail.length);
  out.set(prefix, 0);
  let at = prefix.length;
  if (needsNewline) out[at++] = 0x0a;
  objects.forEach((o, i) => {
    at += out.write(heads[i], at, 'latin1');
    out.set(o.body, at);
    at += o.body.length;
    out.set(END_OBJ, at);
    at += END_OBJ.length;
  });
  out.set(tail, at);
  return out;
}

const END_OBJ = latin1('\nendobj\n');

/**
 * Collects the indirect objects what is visited reaches (but the `excluded` numbers, which the
 * caller writes itself), to write them in object-number order: what a copied or flattened page
 * needs to show.
 */
export function reachableObjects(
  context: PDFContext,
  excluded: ReadonlySet<number>,
): { visit: (object: PDFObject | undefined) => void; objects: () => BodyObject[] } {
  const reachable = new Map<number, PDFObject>();
  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFRef) {
      if (excluded.has(object.objectNumber) || reachable.has(object.objectNumber)) return;
      const target = context.lookup(object);
      if (target === undefined) return;
      reachable.set(object.objectNumber, target);
      visit(target);
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) visit(value);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) visit(value);
    } else if (object instanceof PDFStream) {
      visit(object.dict);
    }
  };
  const objects = () =>
    [...reachable].sort(([a], [b]) => a - b).map(([n, object]) => pdfLibObject(n, object));
  return { visit, objects };
}
