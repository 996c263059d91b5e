import { PDFDict, PDFDocument, PDFName, PDFRef } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { KEEP_METADATA } from './neutral-metadata';
import {
  BodyObject,
  concatBytes,
  layOutBody,
  pdfLibObject,
  reachableObjects,
  ref,
  textObject,
  utf16Hex,
} from './pdf-syntax';
import { findRefs, RefSpan, rewriteRefs } from './pdf-renumber';
import { combinedOffsets, xrefSection } from './pdf-xref';
import {
  BlockObject,
  lazySha256,
  PdfPart,
  sha256After,
  StaticBlock,
  StaticRegion,
  WrittenPdf,
} from './written-pdf';

/**
 * A part: a PDF file, or one our writers wrote, whose objects are taken as they are, without
 * writing or parsing the file.
 */
export type MergePart = {
  /** Bookmark title, e.g. "DV-100 Request for Domestic Violence Restraining Order". */
  title: string;
} & ({ bytes: Uint8Array; written?: undefined } | { written: WrittenPdf; bytes?: undefined });

const HEADER = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
const INFO = '<< /Title (Court packet) >>';

/**
 * One PDF of all parts in order, with a bookmark per part at its first page. Parts are flattened
 * forms or converted documents: pages are copied, forms are not carried over.
 */
export async function mergePdfs(parts: MergePart[]): Promise<Uint8Array> {
  return (await mergeWritten(parts)).bytes;
}

/**
 * The merge, written directly: each part's objects renumbered into one file with one page tree,
 * one outline and one cross-reference table. Parts we wrote bring their objects as written (an
 * official form's objects renumbered once per bundle layout and kept); other PDFs are parsed
 * with pdf-lib and the objects their pages reach are taken.
 */
export async function mergeWritten(parts: MergePart[]): Promise<WrittenPdf> {
  const sources: PdfPart[] = [];
  for (const [i, part] of parts.entries()) {
    const source =
      part.written?.part ?? (await foreignPart(part.title, part.bytes ?? part.written.bytes, i));
    if (source.pages.length === 0) {
      throw new AppError(ErrorCode.RenderFailed, `Part "${part.title}" has no pages`, [
        { field: `parts.${i}`, message: 'has no pages' },
      ]);
    }
    sources.push(source);
  }
  return writeBundle(
    sources,
    parts.map((p) => p.title),
  );
}

/** Where one part's objects go in the bundle. */
interface Placement {
  part: PdfPart;
  /** Added to the numbers of the part's official-form objects. */
  shift: number;
  /** Where the part's objects written for the case start. */
  dynamicStart: number;
  /** The part's first number written for the case: the block's limit, or 1. */
  dynamicBase: number;
}

function writeBundle(parts: PdfPart[], titles: string[]): WrittenPdf {
  // Official-form objects first, each block at a shift that depends only on the forms before
  // it, so a bundle of the same forms reuses the renumbered blocks of the last one.
  let next = 1;
  const shifts = parts.map((part) => {
    if (!part.staticBlock) return 0;
    const shift = next - 1;
    next = shift + part.staticBlock.limit;
    return shift;
  });
  const pagesRoot = next++;
  const catalog = next++;
  const info = next++;
  const nothing = next++;
  const outlineRoot = next++;
  const items = titles.map(() => next++);
  const placements: Placement[] = parts.map((part, i) => {
    const dynamicBase = part.staticBlock ? part.staticBlock.limit : 1;
    const placement = { part, shift: shifts[i], dynamicStart: next, dynamicBase };
    next += Math.max(0, part.size - dynamicBase);
    return placement;
  });
  const renumbered = placements.map((p) =>
    p.part.staticBlock ? renumberedBlock(p.part.staticBlock, p.shift, nothing) : undefined,
  );
  const head = prefixOf(renumbered.filter((b): b is StaticBlock => b !== undefined));
  const objects: BodyObject[] = [];
  const firstPages: number[] = [];
  const pages: number[] = [];
  for (const placement of placements) {
    const renumber = renumbering(placement, pagesRoot, nothing);
    const mapped = placement.part.pages.map(renumber);
    firstPages.push(mapped[0]);
    pages.push(...mapped);
    const replaced = new Set([placement.part.pageTree, ...placement.part.omitted]);
    const refs = refsOf(placement.part);
    placement.part.objects.forEach((object, i) => {
      if (replaced.has(object.objectNumber)) return;
      objects.push({
        objectNumber: renumber(object.objectNumber),
        body: rewriteRefs(object.body, 0, object.body.length, refs[i], renumber),
      });
    });
  }
  objects.push(
    textObject(
      pagesRoot,
      `<< /Type /Pages /Kids [${pages.map(ref).join(' ')}] /Count ${pages.length} >>`,
    ),
    textObject(
      catalog,
      `<< /Type /Catalog /Pages ${ref(pagesRoot)} /Outlines ${ref(outlineRoot)} /PageMode /UseOutlines >>`,
    ),
    textObject(info, INFO),
    textObject(nothing, 'null'),
    ...outline(outlineRoot, items, titles, firstPages),
  );
  const bytes = layOutBody(head.prefix, objects, (offsets, bodyEnd) => {
    const all = combinedOffsets(head.offsets, offsets);
    return xrefSection('table', all, bodyEnd, all.length, {
      root: ref(catalog),
      info: ref(info),
      freeHead: true,
    });
  });
  return {
    bytes,
    statics: head.statics,
    sha256: lazySha256(() => sha256After(head.prefix, bytes)),
  };
}

/**
 * The references in each object of a part, found once: a packet merges the same flat copy into
 * up to three bundles.
 */
const partRefs = new WeakMap<PdfPart, RefSpan[][]>();

function refsOf(part: PdfPart): RefSpan[][] {
  let refs = partRefs.get(part);
  if (!refs) {
    refs = part.objects.map((object) => findRefs(object.body, 0, object.body.length));
    partRefs.set(part, refs);
  }
  return refs;
}

/** Object numbers of one part as the bundle numbers them. */
function renumbering(
  placement: Placement,
  pagesRoot: number,
  nothing: number,
): (objectNumber: number) => number {
  const { part, shift, dynamicStart, dynamicBase } = placement;
  const omitted = new Set(part.omitted);
  const limit = part.staticBlock?.limit ?? 0;
  return (n) => {
    if (n === part.pageTree) return pagesRoot;
    if (omitted.has(n)) return nothing;
    if (n < limit) return shift + n;
    // A reference past the part's objects points at nothing; it must not reach another part's.
    if (n < dynamicBase || n >= part.size) return nothing;
    return dynamicStart + n - dynamicBase;
  };
}

/**
 * PDF 32000 12.3.3: one flat list of items under /Outlines, linked by /Prev and /Next, each
 * opening its part's first page fitted to the window.
 */
function outline(root: number, items: number[], titles: string[], pages: number[]): BodyObject[] {
  const objects = items.map((item, i) => {
    const links = [
      i > 0 ? `/Prev ${ref(items[i - 1])}` : '',
      i < items.length - 1 ? `/Next ${ref(items[i + 1])}` : '',
    ].join(' ');
    return textObject(
      item,
      `<< /Title <${utf16Hex(titles[i])}> /Parent ${ref(root)} /Dest [${ref(pages[i])} /Fit] ${links} >>`,
    );
  });
  objects.push(
    textObject(
      root,
      `<< /Type /Outlines /First ${ref(items[0])} /Last ${ref(items[items.length - 1])} /Count ${items.length} >>`,
    ),
  );
  return objects;
}

// ---------------------------------------------------------------------------------------------
// Official-form objects, renumbered once per place in a bundle

/** Renumbered copies of a block, by shift and null object: a bundle layout repeats every packet. */
const renumberedBlocks = new WeakMap<StaticBlock, Map<string, StaticBlock>>();
/** Copies kept per block: the few bundle layouts a pack makes. */
const VARIANTS_PER_BLOCK = 8;

/**
 * The block with every object number moved up by `shift` and references past the block's own
 * numbers pointed at `nothing`. Only numbers change: strings, names and stream data are the
 * block's own bytes, so what the copy can show is what the block can show.
 */
function renumberedBlock(block: StaticBlock, shift: number, nothing: number): StaticBlock {
  let variants = renumberedBlocks.get(block);
  if (!variants) {
    variants = new Map();
    renumberedBlocks.set(block, variants);
  }
  const key = `${shift}:${nothing}`;
  let variant = variants.get(key);
  if (!variant) {
    variant = renumberBlock(block, shift, nothing);
    if (variants.size >= VARIANTS_PER_BLOCK) {
      const oldest = variants.keys().next().value;
      if (oldest !== undefined) variants.delete(oldest);
    }
    variants.set(key, variant);
  }
  return variant;
}

function renumberBlock(block: StaticBlock, shift: number, nothing: number): StaticBlock {
  const bytes = block.source.bytes;
  const refs = block.objects.map((o) => findRefs(bytes, o.bodyStart, o.bodyEnd));
  const dangling = refs.some((found) => found.some((r) => r.objectNumber >= block.limit));
  if (shift === 0 && !dangling) return block;
  const renumber = (n: number) => (n < block.limit ? shift + n : nothing);
  const pieces: Uint8Array[] = [];
  const objects: BlockObject[] = [];
  let at = 0;
  block.objects.forEach((object, i) => {
    const head = Buffer.from(`${renumber(object.objectNumber)} 0 obj\n`, 'latin1');
    const body = rewriteRefs(bytes, object.bodyStart, object.bodyEnd, refs[i], renumber);
    pieces.push(head, body, ENDOBJ);
    objects.push({
      objectNumber: renumber(object.objectNumber),
      offset: at,
      bodyStart: at + head.length,
      bodyEnd: at + head.length + body.length,
    });
    at += head.length + body.length + ENDOBJ.length;
  });
  return {
    source: { bytes: concatBytes(pieces), shows: block.source.shows },
    objects,
    limit: shift + block.limit,
  };
}

const ENDOBJ = Buffer.from('\nendobj\n', 'latin1');

interface Head {
  prefix: Uint8Array;
  /** By object number, -1 where the blocks have no object (see ObjectOffsets). */
  offsets: Float64Array;
  statics: StaticRegion[];
}

/** The header and the renumbered blocks, in order, kept per sequence of blocks. */
const heads = new Map<string, Head>();
const blockIds = new WeakMap<StaticBlock, number>();
let nextBlockId = 1;
/** Bundle layouts kept: a few packs' worth. */
const HEADS_KEPT = 16;

function prefixOf(blocks: StaticBlock[]): Head {
  const key = blocks.map(idOf).join(',');
  let head = heads.get(key);
  if (!head) {
    head = buildHead(blocks);
    if (heads.size >= HEADS_KEPT) {
      const oldest = heads.keys().next().value;
      if (oldest !== undefined) heads.delete(oldest);
    }
    heads.set(key, head);
  }
  return head;
}

function idOf(block: StaticBlock): number {
  let id = blockIds.get(block);
  if (id === undefined) {
    id = nextBlockId++;
    blockIds.set(block, id);
  }
  return id;
}

function buildHead(blocks: StaticBlock[]): Head {
  let size = 0;
  for (const block of blocks) {
    for (const object of block.objects) size = Math.max(size, object.objectNumber + 1);
  }
  const offsets = new Float64Array(size).fill(-1);
  const statics: StaticRegion[] = [];
  let at = HEADER.length;
  for (const block of blocks) {
    statics.push({ offset: at, source: block.source });
    for (const object of block.objects) offsets[object.objectNumber] = at + object.offset;
    at += block.source.bytes.length;
  }
  return {
    prefix: concatBytes([HEADER, ...blocks.map((b) => b.source.bytes)]),
    offsets,
    statics,
  };
}

// ---------------------------------------------------------------------------------------------
// PDFs we did not write (converted documents)

/**
 * Parts parsed, by the bytes object itself: a packet merges the same converted document into
 * more than one bundle, and parsing it is most of its cost.
 */
const foreignParts = new WeakMap<Uint8Array, Promise<PdfPart>>();

function foreignPart(title: string, bytes: Uint8Array, index: number): Promise<PdfPart> {
  let parsed = foreignParts.get(bytes);
  if (!parsed) {
    parsed = PDFDocument.load(bytes, KEEP_METADATA).then(partOf);
    foreignParts.set(bytes, parsed);
  }
  return parsed.catch((e: unknown) => {
    const reason = e instanceof Error ? e.name : 'unknown error';
    throw new AppError(ErrorCode.RenderFailed, `Part "${title}" is not a readable PDF`, [
      { field: `parts.${index}`, message: `not a readable PDF (${reason})` },
    ]);
  });
}

/** Page attributes a page may inherit from its tree, which a copied page must hold itself. */
const INHERITED = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];

/** The document's pages and every object they reach, as copyPages would take them. */
function partOf(doc: PDFDocument): PdfPart {
  const context = doc.context;
  const pageTree = context.largestObjectNumber + 1;
  const excluded = new Set<number>();
  const root = context.trailerInfo.Root;
  if (root instanceof PDFRef) excluded.add(root.objectNumber);
  for (const [objectRef, object] of context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Pages')) {
      excluded.add(objectRef.objectNumber);
    }
  }
  const pages = doc.getPages();
  for (const page of pages) excluded.add(page.ref.objectNumber);
  const reached = reachableObjects(context, excluded);
  const visit = reached.visit;
  const objects: BodyObject[] = [];
  for (const page of pages) {
    const dict = page.node.clone();
    for (const key of INHERITED) {
      const value = page.node.getInheritableAttribute(PDFName.of(key));
      if (value !== undefined) dict.set(PDFName.of(key), value);
    }
    dict.set(PDFName.of('Parent'), PDFRef.of(pageTree));
    visit(dict);
    objects.push(pdfLibObject(page.ref.objectNumber, dict));
  }
  for (const object of reached.objects()) objects.push(object);
  return {
    pages: pages.map((p) => p.ref.objectNumber),
    pageTree,
    omitted: [],
    objects,
    size: pageTree + 1,
  };
}
