import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObject,
  PDFRef,
  PDFStream,
} from '@cantoo/pdf-lib';
import type { FormUpdate } from './pdf-form-filler';
import {
  BodyObject,
  concatBytes,
  layOutBody,
  num,
  pdfLibObject,
  reachableObjects,
  ref,
  streamObject,
  textObject,
} from './pdf-syntax';
import { combinedOffsets, xrefSection } from './pdf-xref';
import { NEUTRAL_INFO, type PreparedForm } from './prepared-form';
import {
  BlockObject,
  lazySha256,
  sha256After,
  StaticBlock,
  StaticText,
  WrittenPdf,
} from './written-pdf';

/**
 * A flattened copy of a fill: every widget's current appearance drawn into its page, and no
 * form at all. The copy holds only what the pages reach (no field dictionaries, no AcroForm),
 * which is what other tools expect of a flat file. Everything that does not depend on the case
 * (the form's page content, fonts and images, and the checkboxes' own appearances) is found and
 * serialised once per form; a fill adds its page dictionaries, one drawing stream per page,
 * and the same appearance streams and fonts its live form carries.
 */

/** Annotation flags (PDF 32000 12.5.3) under which a widget is not drawn. */
const HIDDEN = 1 << 1;
const NO_VIEW = 1 << 5;

const FLAT_HEADER = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

interface FlatPage {
  ref: PDFRef;
  /** The page without Parent, Annots and Contents, inherited attributes made its own. */
  dict: PDFDict;
  contents: PDFObject[];
  resources: PDFDict | undefined;
  /** Annotations that are not widgets stay annotations. */
  keptAnnots: PDFObject[];
  /** Widget annotations of this page: object number (0 for a direct one), placement as is. */
  widgets: FlatWidget[];
}

interface FlatWidget {
  objectNumber: number;
  dict: PDFDict;
  unchanged: Placement | undefined;
  /**
   * The `cm` operands that place an appearance stream of a fill, drawn at the widget's own size:
   * a fill changes a widget's /AP, /AS, /V and /Ff, never its /Rect or /F.
   */
  ownSize: string;
  /** Where each state the fills set draws, with the form's own appearances, as found. */
  byState: Map<PDFObject | undefined, Placement | undefined>;
}

interface FlatBase {
  pages: FlatPage[];
  /** The objects the pages reach, serialised once with their own numbers. */
  block: StaticBlock;
  /** The header and the block: how every flat copy of the form starts. */
  prefix: Uint8Array;
  /** Offsets of the block's objects in `prefix`, for the cross-reference table. */
  /** By object number, -1 where the block has no object (see ObjectOffsets). */
  offsets: Float64Array;
}

const flatBases = new WeakMap<PreparedForm, FlatBase>();

function flatBaseOf(form: PreparedForm): FlatBase {
  let base = flatBases.get(form);
  if (!base) {
    base = buildFlatBase(form);
    flatBases.set(form, base);
  }
  return base;
}

/** Inheritable page attributes a flat page must hold itself (Resources are rebuilt per fill). */
const INHERITED = ['MediaBox', 'CropBox', 'Rotate'];

function buildFlatBase(form: PreparedForm): FlatBase {
  const { doc } = form;
  const context = doc.context;
  const pages: FlatPage[] = [];
  const excluded = new Set<number>();
  const root = context.trailerInfo.Root;
  if (root instanceof PDFRef) excluded.add(root.objectNumber);
  for (const [objectRef, object] of context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Pages')) {
      excluded.add(objectRef.objectNumber);
    }
  }
  for (const page of doc.getPages()) {
    excluded.add(page.ref.objectNumber);
    const node = page.node;
    const dict = node.clone();
    for (const key of ['Parent', 'Annots', 'Contents', 'Resources']) dict.delete(PDFName.of(key));
    for (const key of INHERITED) {
      const value = node.getInheritableAttribute(PDFName.of(key));
      if (value !== undefined) dict.set(PDFName.of(key), value);
    }
    const contents = contentsOf(context.lookup(node.get(PDFName.of('Contents'))), node);
    const keptAnnots: PDFObject[] = [];
    const widgets: FlatPage['widgets'] = [];
    const annots = node.Annots();
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const entry = annots?.get(i);
      if (!entry) continue;
      const annot = context.lookup(entry);
      if (annot instanceof PDFDict && annot.get(PDFName.of('Subtype')) === PDFName.of('Widget')) {
        const rect = numbersOf(annot.lookup(PDFName.of('Rect')), [0, 0, 0, 0]);
        widgets.push({
          objectNumber: entry instanceof PDFRef ? entry.objectNumber : 0,
          dict: annot,
          unchanged: placementOf(form, annot),
          ownSize: placedOn(ownSizeAppearance(0, rect), rect),
          byState: new Map(),
        });
      } else {
        keptAnnots.push(entry);
      }
    }
    pages.push({ ref: page.ref, dict, contents, resources: node.Resources(), keptAnnots, widgets });
  }
  // What the flat pages reach: their own entries, their content and resources, annotations
  // kept, and every appearance a widget may show (a checkbox's on and off states).
  const { visit, objects: reachedObjects } = reachableObjects(context, excluded);
  for (const page of pages) {
    visit(page.dict);
    page.contents.forEach(visit);
    visit(page.resources);
    page.keptAnnots.forEach(visit);
    for (const widget of page.widgets) visit(widget.dict.get(PDFName.of('AP')));
  }
  const { block, offsets } = serialiseBlock(reachedObjects(), FLAT_HEADER.length);
  const prefix = concatBytes([FLAT_HEADER, block.bytes]);
  const staticBlock: StaticBlock = {
    source: { bytes: prefix.subarray(FLAT_HEADER.length), shows: staticTextOf(form) },
    objects: block.objects,
    limit: form.base.nextNumber,
  };
  return { pages, block: staticBlock, prefix, offsets };
}

/** Objects as a file body (`N 0 obj ... endobj`), with where each one and its body lie. */
function serialiseBlock(
  objects: BodyObject[],
  startsAt: number,
): { block: { bytes: Uint8Array; objects: BlockObject[] }; offsets: Float64Array } {
  const pieces: Uint8Array[] = [];
  const placed: BlockObject[] = [];
  let size = 0;
  for (const object of objects) size = Math.max(size, object.objectNumber + 1);
  const offsets = new Float64Array(size).fill(-1);
  let at = 0;
  for (const object of objects) {
    const head = Buffer.from(`${object.objectNumber} 0 obj\n`, 'latin1');
    const tail = Buffer.from('\nendobj\n', 'latin1');
    placed.push({
      objectNumber: object.objectNumber,
      offset: at,
      bodyStart: at + head.length,
      bodyEnd: at + head.length + object.body.length,
    });
    offsets[object.objectNumber] = startsAt + at;
    pieces.push(head, object.body, tail);
    at += head.length + object.body.length + tail.length;
  }
  return { block: { bytes: concatBytes(pieces), objects: placed }, offsets };
}

const staticTexts = new WeakMap<PreparedForm, StaticText>();

/**
 * What the form's own objects can show in any file we write from it: the form as installed
 * (its pages, fields, annotations, metadata) and a probe copy that draws every appearance state
 * of every widget into its page, the way a flat copy draws the one it shows. Made once per form.
 */
export function staticTextOf(form: PreparedForm): StaticText {
  let text = staticTexts.get(form);
  if (!text) {
    let probes: Promise<readonly Uint8Array[]> | undefined;
    text = { probes: () => (probes ??= Promise.resolve([form.base.bytes, probeCopy(form)])) };
    staticTexts.set(form, text);
  }
  return text;
}

/** The flat copy of `update`'s fill, as a whole new file. */
export function flattenedCopy(form: PreparedForm, update: FormUpdate): WrittenPdf {
  const base = flatBaseOf(form);
  const drawn = base.pages.map((page) => drawWidgets(form, update, page));
  const objects = flatObjects(form, base, drawn, () => update.allocate());
  objects.structure.push(...update.newObjects);
  return writeFlat(base, objects.structure, objects.pageTree, objects.catalog, objects.info);
}

/**
 * A copy of the blank form with every appearance state of every widget (hidden ones included)
 * drawn into its page: what the form's own objects can show, for the release check to read once.
 */
function probeCopy(form: PreparedForm): Uint8Array {
  const base = flatBaseOf(form);
  let next = Math.max(...base.block.objects.map((o) => o.objectNumber), form.base.nextNumber) + 1;
  const drawn = base.pages.map((page) => drawEveryState(form, page));
  const objects = flatObjects(form, base, drawn, () => next++);
  return writeFlat(base, objects.structure, objects.pageTree, objects.catalog, objects.info).bytes;
}

interface Drawn {
  ops: string[];
  xobjects: Map<string, number>;
}

/** The page tree, catalog, Info and page dictionaries of a flat file drawing `drawn` per page. */
function flatObjects(
  form: PreparedForm,
  base: FlatBase,
  drawn: Drawn[],
  allocate: () => number,
): { structure: BodyObject[]; pageTree: number; catalog: number; info: number } {
  const context = form.doc.context;
  const pagesNumber = allocate();
  const catalogNumber = allocate();
  const infoNumber = allocate();
  // The page's own content runs inside q ... Q, so a state it leaves behind (a transformation,
  // a colour) cannot move or tint the widgets drawn after it.
  const saveNumber = allocate();
  const restoreNumber = allocate();
  const objects: BodyObject[] = [
    textObject(
      pagesNumber,
      `<< /Type /Pages /Kids [${base.pages.map((p) => ref(p.ref.objectNumber)).join(' ')}] /Count ${base.pages.length} >>`,
    ),
    textObject(catalogNumber, `<< /Type /Catalog /Pages ${ref(pagesNumber)} >>`),
    textObject(infoNumber, NEUTRAL_INFO),
    streamObject(saveNumber, '', Buffer.from('q\n', 'latin1'), false),
    streamObject(restoreNumber, '', Buffer.from('\nQ\n', 'latin1'), false),
  ];
  base.pages.forEach((page, i) => {
    const { ops, xobjects } = drawn[i];
    const dict = page.dict.clone();
    dict.set(PDFName.of('Parent'), PDFRef.of(pagesNumber));
    const resources = page.resources ? page.resources.clone() : context.obj({});
    if (xobjects.size > 0) {
      const existing = resources.lookup(PDFName.of('XObject'));
      const entries = existing instanceof PDFDict ? existing.clone() : context.obj({});
      for (const [key, objectNumber] of xobjects) {
        entries.set(PDFName.of(key), PDFRef.of(objectNumber));
      }
      resources.set(PDFName.of('XObject'), entries);
    }
    dict.set(PDFName.of('Resources'), resources);
    const contents: PDFObject[] = [
      PDFRef.of(saveNumber),
      ...page.contents,
      PDFRef.of(restoreNumber),
    ];
    if (ops.length > 0) {
      const drawNumber = allocate();
      // Not compressed: a few kilobytes of placements a page, which deflating (and inflating
      // again in the release check) cost more than the bytes saved are worth.
      objects.push(streamObject(drawNumber, '', Buffer.from(ops.join('\n'), 'latin1'), false));
      contents.push(PDFRef.of(drawNumber));
    }
    dict.set(PDFName.of('Contents'), context.obj(contents));
    if (page.keptAnnots.length > 0) dict.set(PDFName.of('Annots'), context.obj(page.keptAnnots));
    objects.push(pdfLibObject(page.ref.objectNumber, dict));
  });
  return { structure: objects, pageTree: pagesNumber, catalog: catalogNumber, info: infoNumber };
}

/** The file: the form's objects as serialised once, then `objects`, then the cross-reference table. */
function writeFlat(
  base: FlatBase,
  objects: BodyObject[],
  pageTree: number,
  catalog: number,
  info: number,
): WrittenPdf {
  const layOut = () =>
    layOutBody(base.prefix, objects, (offsets, bodyEnd) => {
      const all = combinedOffsets(base.offsets, offsets);
      return xrefSection('table', all, bodyEnd, all.length, {
        root: ref(catalog),
        info: ref(info),
        freeHead: true,
      });
    });
  // A packet only merges its flat copies, from their objects: the file is written when asked for.
  let bytes: Uint8Array | undefined;
  const file = () => (bytes ??= layOut());
  const size = Math.max(base.block.limit, ...objects.map((o) => o.objectNumber + 1));
  return {
    get bytes() {
      return file();
    },
    statics: [{ offset: FLAT_HEADER.length, source: base.block.source }],
    part: {
      pages: base.pages.map((p) => p.ref.objectNumber),
      pageTree,
      omitted: [catalog, info],
      staticBlock: base.block,
      objects,
      size,
    },
    sha256: lazySha256(() => sha256After(base.prefix, file())),
  };
}

/**
 * Places each visible widget's appearance where a viewer would (PDF 32000 12.5.5, algorithm
 * 8.1): the form's BBox, transformed by its Matrix, is scaled and moved onto the Rect.
 */
function drawWidgets(form: PreparedForm, update: FormUpdate, page: FlatPage): Drawn {
  const ops: string[] = [];
  const xobjects = new Map<string, number>();
  for (const widget of page.widgets) {
    const edited = widget.objectNumber ? update.editedDict(widget.objectNumber) : undefined;
    // A widget this fill did not touch is drawn as the form left it, worked out once.
    const placement = edited ? editedPlacement(form, widget, edited) : widget.unchanged;
    if (!placement) continue;
    const key = `FlatWidget${xobjects.size + 1}`;
    xobjects.set(key, placement.objectNumber);
    ops.push(`q ${placement.matrix} cm /${key} Do Q`);
  }
  return { ops, xobjects };
}

/** Every state of every widget's normal appearance, each placed on the widget. */
function drawEveryState(form: PreparedForm, page: FlatPage): Drawn {
  const ops: string[] = [];
  const xobjects = new Map<string, number>();
  for (const widget of page.widgets) {
    const rect = numbersOf(widget.dict.lookup(PDFName.of('Rect')), [0, 0, 0, 0]);
    for (const appearance of everyNormalAppearance(form, widget.dict, rect)) {
      const key = `ProbeWidget${xobjects.size + 1}`;
      xobjects.set(key, appearance.objectNumber);
      ops.push(`q ${placedOn(appearance, rect)} cm /${key} Do Q`);
    }
  }
  return { ops, xobjects };
}

interface Placement {
  objectNumber: number;
  /** The `cm` operands that put the appearance on the widget's rectangle. */
  matrix: string;
}

/**
 * Where a viewer would place the widget's appearance (PDF 32000 12.5.5, algorithm 8.1): the
 * form's BBox, transformed by its Matrix, is scaled and moved onto the Rect. Undefined for a
 * hidden widget or one without an appearance.
 */
function placementOf(form: PreparedForm, dict: PDFDict): Placement | undefined {
  if (!isVisible(dict)) return undefined;
  const rect = numbersOf(dict.lookup(PDFName.of('Rect')), [0, 0, 0, 0]);
  const appearance = normalAppearance(form, dict, rect);
  if (!appearance) return undefined;
  return { objectNumber: appearance.objectNumber, matrix: placedOn(appearance, rect) };
}

/** Where a widget the fill changed is drawn: its new appearance at its own size, or its state. */
function editedPlacement(
  form: PreparedForm,
  widget: FlatWidget,
  edited: PDFDict,
): Placement | undefined {
  const ap = edited.get(PDFName.of('AP'));
  if (ap === widget.dict.get(PDFName.of('AP'))) {
    // The form's own appearances (a checkbox or radio button): what it draws depends on /AS.
    const state = edited.get(PDFName.of('AS'));
    if (!widget.byState.has(state)) widget.byState.set(state, placementOf(form, edited));
    return widget.byState.get(state);
  }
  const normal = ap instanceof PDFDict ? ap.get(PDFName.of('N')) : undefined;
  const ours = normal instanceof PDFRef && normal.objectNumber >= form.base.nextNumber;
  if (!ours) return placementOf(form, edited);
  return isVisible(edited)
    ? { objectNumber: normal.objectNumber, matrix: widget.ownSize }
    : undefined;
}

/** The `cm` operands that put `appearance` on the rectangle `rect`. */
function placedOn(appearance: Appearance, rect: number[]): string {
  const bbox = appearance.bbox;
  const m = appearance.matrix;
  const corners = [
    [bbox[0], bbox[1]],
    [bbox[2], bbox[1]],
    [bbox[0], bbox[3]],
    [bbox[2], bbox[3]],
  ].map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  const [rx1, ry1, rx2, ry2] = rect;
  const sx = maxX > minX ? Math.abs(rx2 - rx1) / (maxX - minX) : 1;
  const sy = maxY > minY ? Math.abs(ry2 - ry1) / (maxY - minY) : 1;
  const tx = Math.min(rx1, rx2) - minX * sx;
  const ty = Math.min(ry1, ry2) - minY * sy;
  return `${num(sx)} 0 0 ${num(sy)} ${num(tx)} ${num(ty)}`;
}

/** The page's content streams as refs: `/Contents` may be one stream or an array, even an indirect one. */
function contentsOf(resolved: PDFObject | undefined, node: PDFDict): PDFObject[] {
  if (resolved instanceof PDFArray) return resolved.asArray();
  const entry = node.get(PDFName.of('Contents'));
  return entry instanceof PDFRef ? [entry] : [];
}

function isVisible(annot: PDFDict): boolean {
  const flags = annot.lookup(PDFName.of('F'));
  const value = flags instanceof PDFNumber ? flags.asNumber() : 0;
  return (value & (HIDDEN | NO_VIEW)) === 0;
}

interface Appearance {
  objectNumber: number;
  bbox: number[];
  matrix: number[];
}

const IDENTITY = [1, 0, 0, 1, 0, 0];

/** The stream a viewer would show now: `/AP /N` itself, or its entry for the `/AS` state. */
function normalAppearance(
  form: PreparedForm,
  annot: PDFDict,
  rect: number[],
): Appearance | undefined {
  const context = form.doc.context;
  const ap = annot.lookup(PDFName.of('AP'));
  if (!(ap instanceof PDFDict)) return undefined;
  let normal = ap.get(PDFName.of('N'));
  const resolved = normal instanceof PDFRef ? context.lookup(normal) : normal;
  if (resolved instanceof PDFDict) {
    const state = annot.lookup(PDFName.of('AS'));
    normal = state instanceof PDFName ? resolved.get(state) : undefined;
  }
  if (!(normal instanceof PDFRef)) return undefined;
  if (normal.objectNumber >= form.base.nextNumber) {
    return ownSizeAppearance(normal.objectNumber, rect);
  }
  const stream = context.lookup(normal);
  if (!(stream instanceof PDFStream)) return undefined;
  return {
    objectNumber: normal.objectNumber,
    bbox: numbersOf(stream.dict.lookup(PDFName.of('BBox')), rect),
    matrix: numbersOf(stream.dict.lookup(PDFName.of('Matrix')), IDENTITY),
  };
}

/** A stream of this fill: drawn at the widget's own size. */
function ownSizeAppearance(objectNumber: number, rect: number[]): Appearance {
  const size = [0, 0, Math.abs(rect[2] - rect[0]), Math.abs(rect[3] - rect[1])];
  return { objectNumber, bbox: size, matrix: IDENTITY };
}

/** Each stream `/AP /N` holds, whatever the widget's state: the form's own, never this fill's. */
function everyNormalAppearance(form: PreparedForm, annot: PDFDict, rect: number[]): Appearance[] {
  const context = form.doc.context;
  const ap = annot.lookup(PDFName.of('AP'));
  if (!(ap instanceof PDFDict)) return [];
  const normal = ap.get(PDFName.of('N'));
  const resolved = normal instanceof PDFRef ? context.lookup(normal) : normal;
  const refs =
    resolved instanceof PDFDict
      ? [...resolved.entries()].map(([, value]) => value)
      : [normal].filter((value) => value !== undefined);
  const found: Appearance[] = [];
  for (const entry of refs) {
    if (!(entry instanceof PDFRef)) continue;
    const stream = context.lookup(entry);
    if (!(stream instanceof PDFStream)) continue;
    found.push({
      objectNumber: entry.objectNumber,
      bbox: numbersOf(stream.dict.lookup(PDFName.of('BBox')), rect),
      matrix: numbersOf(stream.dict.lookup(PDFName.of('Matrix')), IDENTITY),
    });
  }
  return found;
}

function numbersOf(obj: PDFObject | undefined, fallback: number[]): number[] {
  if (!(obj instanceof PDFArray)) return fallback;
  const values = obj.asArray().map((o) => (o instanceof PDFNumber ? o.asNumber() : NaN));
  return values.some(Number.isNaN) ? fallback : values;
}
