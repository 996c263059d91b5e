import { createHash, Hash } from 'node:crypto';
import type { BodyObject } from './pdf-syntax';

/**
 * What our writers know about the PDFs they write, handed on with the bytes so that the release
 * check and the bundle merge need not read the files back.
 *
 * A file we write holds two kinds of bytes: an official form's own objects, carried unchanged
 * (the same for every case), and objects written for this case. The release check reads the
 * form's objects once, through PDFs that show everything they can show (`StaticText`), and
 * verifies that a file holds exactly those bytes where its writer says; everything else in the
 * file it reads itself, object by object.
 */

/** PDFs whose text, read by any reader, covers every text one official form's objects can show. */
export interface StaticText {
  probes(): Promise<readonly Uint8Array[]>;
}

/** Bytes of an official form that files carry unchanged, and what they can show. */
export interface StaticSource {
  readonly bytes: Uint8Array;
  readonly shows: StaticText;
}

export interface StaticRegion {
  offset: number;
  source: StaticSource;
}

/** Where in a block of serialised objects (`N 0 obj ... endobj`) each object's body lies. */
export interface BlockObject {
  objectNumber: number;
  /** Offset of `N 0 obj` in the block. */
  offset: number;
  bodyStart: number;
  bodyEnd: number;
}

/** An official form's objects, serialised once, numbered below `limit`. */
export interface StaticBlock {
  source: StaticSource;
  objects: readonly BlockObject[];
  /** One past the highest number the block's objects and references may use. */
  limit: number;
}

/** A PDF we wrote, as the objects a bundle takes from it without parsing the file. */
export interface PdfPart {
  /** Page dictionaries, in order. */
  pages: number[];
  /** The part's page tree root: pages point at it as their parent; a bundle gives its own. */
  pageTree: number;
  /** The part's own objects a bundle does not carry (catalog, Info, page tree). */
  omitted: readonly number[];
  staticBlock?: StaticBlock;
  /** Objects written for this file, in the part's numbering. */
  objects: readonly BodyObject[];
  /** One past the highest object number the part uses. */
  size: number;
}

export interface WrittenPdf {
  bytes: Uint8Array;
  /** In file order; every other byte was written for this file. */
  statics: readonly StaticRegion[];
  /** The file as objects, when it can be merged into a bundle. */
  part?: PdfPart;
  /** SHA-256 of `bytes`, hex. */
  sha256(): string;
}

/**
 * Hash states after the unchanging start of files (an official form's bytes, a flat copy's
 * header and form objects), by the bytes object itself: the file's checksum then costs only
 * what was written for it. Weak, so a form dropped from the caches takes its state with it.
 */
const prefixStates = new WeakMap<Uint8Array, Hash>();

/** SHA-256 of `bytes`, whose first `prefix.length` bytes are `prefix`, remembering its state. */
export function sha256After(prefix: Uint8Array, bytes: Uint8Array): string {
  const startsWithPrefix =
    bytes.length >= prefix.length &&
    Buffer.from(bytes.buffer, bytes.byteOffset, prefix.length).equals(prefix);
  if (!startsWithPrefix) return createHash('sha256').update(bytes).digest('hex');
  let state = prefixStates.get(prefix);
  if (!state) {
    state = createHash('sha256').update(prefix);
    prefixStates.set(prefix, state);
  }
  return state.copy().update(bytes.subarray(prefix.length)).digest('hex');
}

/** A written file's checksum, worked out once when first asked for. */
export function lazySha256(compute: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= compute());
}
