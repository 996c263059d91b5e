import {
  concatTransformationMatrix,
  drawObject,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFObject,
  PDFPage,
  PDFRef,
  PDFStream,
  popGraphicsState,
  pushGraphicsState,
} from '@cantoo/pdf-lib';

/** Annotation flags (PDF 32000 12.5.3) under which a widget is not drawn. */
const HIDDEN = 1 << 1;
const NO_VIEW = 1 << 5;

/**
 * Draws every widget's current appearance into its page and returns a copy of the document
 * with no form at all. The copy matters: pdf-lib writes every object it ever parsed, so
 * flattening in place leaves orphaned field dictionaries that other tools warn about; copying
 * the pages takes only what the pages still reach.
 */
export async function flattenForm(doc: PDFDocument): Promise<PDFDocument> {
  for (const page of doc.getPages()) flattenPageWidgets(doc, page);
  doc.catalog.delete(PDFName.of('AcroForm'));
  // Subset fonts are written on flush; pages copied before that would point at nothing.
  await doc.flush();
  const out = await PDFDocument.create({ updateMetadata: false });
  const pages = await out.copyPages(doc, doc.getPageIndices());
  for (const page of pages) out.addPage(page);
  return out;
}

function flattenPageWidgets(doc: PDFDocument, page: PDFPage): void {
  const annots = page.node.Annots();
  if (!annots) return;
  const kept: PDFObject[] = [];
  for (let i = 0; i < annots.size(); i++) {
    const entry = annots.get(i);
    const annot = doc.context.lookup(entry);
    if (!(annot instanceof PDFDict) || annot.get(PDFName.of('Subtype')) !== PDFName.of('Widget')) {
      kept.push(entry);
      continue;
    }
    const appearance = normalAppearance(doc, annot);
    if (appearance && isVisible(annot)) drawAppearance(page, annot, appearance);
  }
  if (kept.length > 0) page.node.set(PDFName.of('Annots'), doc.context.obj(kept));
  else page.node.delete(PDFName.of('Annots'));
}

function isVisible(annot: PDFDict): boolean {
  const flags = annot.lookup(PDFName.of('F'));
  const value = flags instanceof PDFNumber ? flags.asNumber() : 0;
  return (value & (HIDDEN | NO_VIEW)) === 0;
}

/** The stream a viewer would show now: `/AP /N` itself, or its entry for the `/AS` state. */
function normalAppearance(doc: PDFDocument, annot: PDFDict): PDFRef | undefined {
  const ap = annot.lookup(PDFName.of('AP'));
  if (!(ap instanceof PDFDict)) return undefined;
  let normal = ap.get(PDFName.of('N'));
  const resolved = normal ? doc.context.lookup(normal) : undefined;
  if (resolved instanceof PDFDict) {
    const state = annot.lookup(PDFName.of('AS'));
    normal = state instanceof PDFName ? resolved.get(state) : undefined;
  }
  if (normal instanceof PDFRef) {
    return doc.context.lookup(normal) instanceof PDFStream ? normal : undefined;
  }
  return normal instanceof PDFStream ? doc.context.register(normal) : undefined;
}

/**
 * Places the appearance where a viewer would (PDF 32000 12.5.5, algorithm 8.1): the form's
 * BBox, transformed by its Matrix, is scaled and moved onto the annotation's Rect.
 */
function drawAppearance(page: PDFPage, annot: PDFDict, ref: PDFRef): void {
  const stream = page.doc.context.lookup(ref, PDFStream);
  const rect = numbersOf(annot.lookup(PDFName.of('Rect')), [0, 0, 0, 0]);
  const bbox = numbersOf(stream.dict.lookup(PDFName.of('BBox')), rect);
  const matrix = numbersOf(stream.dict.lookup(PDFName.of('Matrix')), [1, 0, 0, 1, 0, 0]);
  const corners = [
    [bbox[0], bbox[1]],
    [bbox[2], bbox[1]],
    [bbox[0], bbox[3]],
    [bbox[2], bbox[3]],
  ].map(([x, y]) => [
    matrix[0] * x + matrix[2] * y + matrix[4],
    matrix[1] * x + matrix[3] * y + matrix[5],
  ]);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  const [rx1, ry1, rx2, ry2] = rect;
  const rectX = Math.min(rx1, rx2);
  const rectY = Math.min(ry1, ry2);
  const sx = maxX > minX ? Math.abs(rx2 - rx1) / (maxX - minX) : 1;
  const sy = maxY > minY ? Math.abs(ry2 - ry1) / (maxY - minY) : 1;
  const name = page.node.newXObject('FlatWidget', ref);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(sx, 0, 0, sy, rectX - minX * sx, rectY - minY * sy),
    drawObject(name),
    popGraphicsState(),
  );
}

function numbersOf(obj: PDFObject | undefined, fallback: number[]): number[] {
  if (!(obj instanceof PDFArray)) return fallback;
  const values = obj.asArray().map((o) => (o instanceof PDFNumber ? o.asNumber() : NaN));
  return values.some(Number.isNaN) ? fallback : values;
}
