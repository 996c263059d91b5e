import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { KEEP_METADATA, setNeutralMetadata } from './neutral-metadata';

export interface MergePart {
  /** Bookmark title, e.g. "DV-100 Request for Domestic Violence Restraining Order". */
  title: string;
  bytes: Uint8Array;
}

/**
 * One PDF of all parts in order, with a bookmark per part at its first page. Parts are flattened
 * forms or converted documents: pages are copied, forms are not carried over.
 */
export async function mergePdfs(parts: MergePart[]): Promise<Uint8Array> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const bookmarks: { title: string; page: PDFRef }[] = [];
  for (const [i, part] of parts.entries()) {
    const source = await loadPart(part, i);
    const pages = await out.copyPages(source, source.getPageIndices());
    if (pages.length === 0) {
      throw new AppError(ErrorCode.RenderFailed, `Part "${part.title}" has no pages`, [
        { field: `parts.${i}`, message: 'has no pages' },
      ]);
    }
    for (const page of pages) out.addPage(page);
    bookmarks.push({ title: part.title, page: pages[0].ref });
  }
  addOutline(out, bookmarks);
  setNeutralMetadata(out, 'Court packet');
  // Object streams would make the file a little smaller and its writing several times slower.
  return out.save({ useObjectStreams: false });
}

/**
 * Parts parsed, by the bytes object itself: a packet merges the same flattened form into
 * up to three bundles, and parsing it is most of a merge. copyPages only reads the source.
 */
const parsedParts = new WeakMap<Uint8Array, Promise<PDFDocument>>();

async function loadPart(part: MergePart, index: number): Promise<PDFDocument> {
  let parsed = parsedParts.get(part.bytes);
  if (!parsed) {
    parsed = PDFDocument.load(part.bytes, KEEP_METADATA);
    parsedParts.set(part.bytes, parsed);
  }
  try {
    return await parsed;
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.name : 'unknown error';
    throw new AppError(ErrorCode.RenderFailed, `Part "${part.title}" is not a readable PDF`, [
      { field: `parts.${index}`, message: `not a readable PDF (${reason})` },
    ]);
  }
}

/**
 * pdf-lib has no outline API, so the tree is written by hand (PDF 32000 12.3.3): one flat list
 * of items under /Outlines, linked by /Prev and /Next, each opening its page fitted to the window.
 */
function addOutline(doc: PDFDocument, bookmarks: { title: string; page: PDFRef }[]): void {
  if (bookmarks.length === 0) return;
  const context = doc.context;
  const rootRef = context.nextRef();
  const itemRefs = bookmarks.map(() => context.nextRef());
  bookmarks.forEach((bookmark, i) => {
    const item = context.obj({}) as PDFDict;
    item.set(PDFName.of('Title'), PDFHexString.fromText(bookmark.title));
    item.set(PDFName.of('Parent'), rootRef);
    item.set(PDFName.of('Dest'), context.obj([bookmark.page, PDFName.of('Fit')]));
    if (i > 0) item.set(PDFName.of('Prev'), itemRefs[i - 1]);
    if (i < itemRefs.length - 1) item.set(PDFName.of('Next'), itemRefs[i + 1]);
    context.assign(itemRefs[i], item);
  });
  const root = context.obj({}) as PDFDict;
  root.set(PDFName.of('Type'), PDFName.of('Outlines'));
  root.set(PDFName.of('First'), itemRefs[0]);
  root.set(PDFName.of('Last'), itemRefs[itemRefs.length - 1]);
  root.set(PDFName.of('Count'), PDFNumber.of(itemRefs.length));
  context.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
