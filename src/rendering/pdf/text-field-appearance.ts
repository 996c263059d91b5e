import { TextAlignment } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { FieldValue } from '../../packs/form-mapping';
import { cleanText, FontFace, FontLibrary, runsWidth, TextRun } from './font-library';
import { num } from './pdf-syntax';
import type { TextSpec, WidgetInfo } from './prepared-form';
import type { SubsetFonts } from './subset-fonts';
import { wrapText } from './text-layout';

/** Auto-sized (`0 Tf`) fields never shrink below this: smaller is unreadable on a filing. */
export const MIN_AUTO_FONT_SIZE = 6;
/** Auto-sized fields never grow past this, however tall the box. */
const MAX_AUTO_FONT_SIZE = 12;
const AUTO_SIZE_STEP = 0.5;
const LINE_HEIGHT = 1.2;
/** Rounding slack when comparing widths, in points. */
const EPSILON = 0.01;

export type TextValue = Extract<FieldValue, { kind: 'text' }>;

/** Text that did not fit its field: the field shows the label, the text goes on an attachment. */
export interface Overflow {
  field: string;
  heading: string;
  text: string;
}

interface PlacedLine {
  runs: TextRun[];
  x: number;
  y: number;
}

interface WidgetLayout {
  fontSize: number;
  lines: PlacedLine[];
}

/** One widget's appearance, laid out, waiting for its fonts to be written. */
export interface AppearanceDraft {
  widget: WidgetInfo;
  spec: TextSpec;
  layout: WidgetLayout;
}

/** What filling a text field comes to: the value it stores and how each widget shows it. */
export interface TextFill {
  /** The field's new `/V`; empty removes it. */
  value: string;
  drafts: AppearanceDraft[];
  overflow?: Overflow;
}

/** A field's widgets and how its text is drawn: what layout needs of a field. */
export interface LayoutTarget {
  name: string;
  widgets: WidgetInfo[];
  spec: TextSpec;
}

interface Inner {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Metrics {
  /** Above the baseline, in ems. */
  ascent: number;
  /** Below the baseline, in ems (positive). */
  descent: number;
}

type Fit = Map<WidgetInfo, WidgetLayout>;

/**
 * Lays a text value out in every widget of its field, measured against each widget's own
 * rectangle, with our Unicode fonts. Text that does not fit is replaced by the overflow label
 * and returned; without an overflow rule it is an error naming the field, never a truncation.
 */
export function layoutTextField(
  field: LayoutTarget,
  value: TextValue,
  library: FontLibrary,
): TextFill {
  const name = value.field;
  const { spec } = field;
  const full = prepareText(value.text, spec, library, name);
  if (full === '') {
    // Nothing to measure: an empty value must never overflow, however small the box.
    return { value: '', drafts: drafts(emptyFit(field), spec) };
  }
  const fitted = layoutField(field, full, library, name);
  if (fitted) return { value: full, drafts: drafts(fitted, spec) };
  if (!value.overflow) {
    throw AppError.validation([
      {
        field: name,
        message: 'text does not fit this form field, and the form has no attachment for it',
        reason: 'too_long_for_field',
      },
    ]);
  }
  const label = prepareText(value.overflow.label, spec, library, name);
  const labelled = layoutField(field, label, library, name);
  if (!labelled) {
    throw new AppError(ErrorCode.RenderFailed, `The overflow label does not fit ${name}`, [
      { field: name, message: 'the overflow label itself does not fit this form field' },
    ]);
  }
  return {
    value: label,
    drafts: drafts(labelled, spec),
    overflow: { field: name, heading: value.overflow.heading, text: cleanText(value.text) },
  };
}

/**
 * A selected option drawn on one line of the choice field's box: at the field's size when it
 * fits, else shrunk, and at the smallest size (clipped) rather than not at all.
 */
export function layoutChoice(field: LayoutTarget, option: string, library: FontLibrary): TextFill {
  const text = prepareText(option, field.spec, library, field.name);
  const fit: Fit = new Map();
  const runs = library.lineRuns(text, field.name);
  const metrics = metricsOf(runs, library.latin);
  for (const widget of field.widgets) {
    const inner = innerBox(widget, field.spec);
    const layout =
      layoutSingleLine(text, inner, field.spec, metrics, (t) => library.lineRuns(t, field.name)) ??
      forcedLine(runs, inner, field.spec, metrics);
    fit.set(widget, layout);
  }
  return { value: option, drafts: drafts(fit, field.spec) };
}

function drafts(fit: Fit, spec: TextSpec): AppearanceDraft[] {
  return [...fit].map(([widget, layout]) => ({ widget, spec, layout }));
}

/**
 * Clean text that every character of can be drawn: single-line fields read line breaks as
 * spaces, and invisible format characters no face draws are dropped. GlyphMissing otherwise.
 */
function prepareText(text: string, spec: TextSpec, library: FontLibrary, field: string): string {
  const clean = cleanText(text);
  const oneLine = spec.multiline ? clean : clean.replace(/\n+/g, ' ');
  const runs = library.runsFor(oneLine, field);
  return runs.map((r) => library.dropUndrawable(r.text, r.face)).join('');
}

/** Lays the text out in every widget of the field; undefined when any widget cannot hold it. */
function layoutField(
  field: LayoutTarget,
  text: string,
  library: FontLibrary,
  name: string,
): Fit | undefined {
  const { spec } = field;
  // MaxLen counts UTF-16 units, as viewers and pdf-lib do.
  if (spec.maxLength !== undefined && text.length > spec.maxLength) return undefined;
  // Drawing order: lines are shaped as they are drawn, right-to-left stretches included.
  const shaper = (t: string) => library.lineRuns(t, name);
  const runs = shaper(text);
  const metrics = metricsOf(runs, library.latin);
  const unitWidths = new Map<string, number>();
  const measure: Measure = {
    shape: shaper,
    widthAtOne: (t) => {
      // A narrative is wrapped at up to a dozen sizes: each piece is measured once for all.
      let w = unitWidths.get(t);
      if (w === undefined) {
        w = runsWidth(shaper(t), 1);
        unitWidths.set(t, w);
      }
      return w;
    },
    inkAtOne: runs.reduce(
      (sum, r) => sum + r.face.shaper.inkAdvance(r.text) / r.face.font.unitsPerEm,
      0,
    ),
  };
  const fit: Fit = new Map();
  for (const widget of field.widgets) {
    const inner = innerBox(widget, spec);
    const layout = spec.combCells
      ? layoutComb(text, inner, spec, metrics, shaper)
      : spec.multiline
        ? layoutMultiline(text, inner, spec, metrics, measure)
        : layoutSingleLine(text, inner, spec, metrics, shaper);
    if (!layout) return undefined;
    fit.set(widget, layout);
  }
  return fit;
}

/** Every widget with no lines: the box and border are still drawn, so no stale text shows. */
function emptyFit(field: LayoutTarget): Fit {
  return new Map(field.widgets.map((w) => [w, { fontSize: 0, lines: [] }]));
}

/** Records the glyphs a draft draws, so the fonts can be subset before streams are written. */
export function recordGlyphs(draft: AppearanceDraft, fonts: SubsetFonts): void {
  for (const line of draft.layout.lines) {
    for (const run of line.runs) fonts.use(run.face, run.face.shaper.shape(run.text).glyphs);
  }
}

/** The widget's normal appearance: form XObject dictionary entries and content. */
export interface AppearanceStream {
  dictEntries: string;
  content: string;
}

/**
 * Writes the widget's normal appearance ourselves: pdf-lib's providers take one font per
 * field, and a value may need several (a Latin alias beside an Arabic one).
 */
export function appearanceStream(draft: AppearanceDraft, fonts: SubsetFonts): AppearanceStream {
  const { widget, layout, spec } = draft;
  const rectWidth = Math.abs(widget.rect.width);
  const rectHeight = Math.abs(widget.rect.height);
  const quarterTurn = widget.rotation === 90 || widget.rotation === 270;
  const width = quarterTurn ? rectHeight : rectWidth;
  const height = quarterTurn ? rectWidth : rectHeight;
  const faces = new Set<FontFace>();
  const text: string[] = ['BT', spec.textColor];
  for (const line of layout.lines) {
    let x = line.x;
    for (const run of line.runs) {
      faces.add(run.face);
      const font = fonts.placedFont(run.face);
      const glyphs = run.face.shaper.shape(run.text).glyphs;
      text.push(
        `/${font.resource} ${num(layout.fontSize)} Tf`,
        `1 0 0 1 ${num(x)} ${num(line.y)} Tm`,
        `${fonts.encode(run.face, glyphs)} Tj`,
      );
      x += runsWidth([run], layout.fontSize);
    }
  }
  text.push('ET');
  const content = [
    rotationMatrix(widget.rotation, rectWidth, rectHeight),
    'q',
    ...fieldBox(widget, width, height, spec),
    '/Tx BMC',
    'q',
    ...text,
    'Q',
    'EMC',
    'Q',
  ]
    .filter((op) => op !== '')
    .join('\n');
  const fontEntries = [...faces]
    .map((face) => fonts.placedFont(face))
    .map((f) => `/${f.resource} ${f.objectNumber} 0 R`)
    .join(' ');
  const dictEntries =
    ` /Type /XObject /Subtype /Form /BBox [0 0 ${num(rectWidth)} ${num(rectHeight)}]` +
    ` /Matrix [1 0 0 1 0 0] /Resources << /Font << ${fontEntries} >> >>`;
  return { dictEntries, content };
}

/** Turns the box so text runs along the widget as `/MK /R` asks. */
function rotationMatrix(rotation: number, width: number, height: number): string {
  switch (rotation) {
    case 90:
      return `0 1 -1 0 ${num(width)} 0 cm`;
    case 180:
      return `-1 0 0 -1 ${num(width)} ${num(height)} cm`;
    case 270:
      return `0 -1 1 0 0 ${num(height)} cm`;
    default:
      return '';
  }
}

/** Background and border as the widget's /MK asks, then a clip to the text area. */
function fieldBox(widget: WidgetInfo, width: number, height: number, spec: TextSpec): string[] {
  const borderWidth = widget.borderWidth;
  const inset = borderWidth + paddingOf(spec);
  const ops: string[] = [];
  const stroke = widget.borderColor !== undefined && borderWidth > 0;
  if (widget.background !== undefined || stroke) {
    const half = borderWidth / 2;
    ops.push('q');
    if (widget.background !== undefined) ops.push(widget.background);
    if (stroke) ops.push(`${num(borderWidth)} w`, widget.borderColor ?? '');
    ops.push(
      `${num(half)} ${num(half)} ${num(width - borderWidth)} ${num(height - borderWidth)} re`,
      widget.background !== undefined ? (stroke ? 'B' : 'f') : 'S',
      'Q',
    );
  }
  ops.push(
    `${num(inset)} ${num(inset)} ${num(width - 2 * inset)} ${num(height - 2 * inset)} re`,
    'W',
    'n',
  );
  return ops;
}

function paddingOf(spec: TextSpec): number {
  return spec.combCells ? 0 : 2;
}

/** The area text may use: the widget's rectangle less border and padding, rotation applied. */
function innerBox(widget: WidgetInfo, spec: TextSpec): Inner {
  const quarterTurn = widget.rotation === 90 || widget.rotation === 270;
  const rectWidth = Math.abs(widget.rect.width);
  const rectHeight = Math.abs(widget.rect.height);
  const width = quarterTurn ? rectHeight : rectWidth;
  const height = quarterTurn ? rectWidth : rectHeight;
  const inset = widget.borderWidth + paddingOf(spec);
  return { x: inset, y: inset, width: width - 2 * inset, height: height - 2 * inset };
}

/**
 * How far the text's own glyphs reach above and below the baseline, never less than the Latin
 * face's line metrics. Face-wide metrics would not do: Noto Sans Arabic reserves 2.1 em per line
 * for its tallest stacks, which would shrink every auto-sized Arabic name to a third.
 */
function metricsOf(runs: TextRun[], floor: FontFace): Metrics {
  const metrics = {
    ascent: floor.font.ascent / floor.font.unitsPerEm,
    descent: Math.abs(floor.font.descent) / floor.font.unitsPerEm,
  };
  for (const run of runs) {
    const em = run.face.font.unitsPerEm;
    const shaped = run.face.shaper.shape(run.text);
    metrics.ascent = Math.max(metrics.ascent, shaped.maxY / em);
    metrics.descent = Math.max(metrics.descent, -shaped.minY / em);
  }
  return metrics;
}

type Shaper = (text: string) => TextRun[];

interface Measure {
  shape: Shaper;
  /** Width of a piece of text at 1 pt. */
  widthAtOne: (text: string) => number;
  /** Width at 1 pt of the text's words without the spaces between them. */
  inkAtOne: number;
}

/** The largest size at which one line fills the box's height, capped. */
function heightFitSize(inner: Inner, metrics: Metrics): number {
  return Math.min(MAX_AUTO_FONT_SIZE, inner.height / (metrics.ascent + metrics.descent));
}

function roundDown(size: number): number {
  return Math.floor(size * 10) / 10;
}

function centredBaseline(inner: Inner, size: number, metrics: Metrics): number {
  const glyphHeight = (metrics.ascent + metrics.descent) * size;
  return inner.y + (inner.height - glyphHeight) / 2 + metrics.descent * size;
}

function alignedX(inner: Inner, lineWidth: number, alignment: TextAlignment): number {
  if (alignment === TextAlignment.Center) return inner.x + (inner.width - lineWidth) / 2;
  if (alignment === TextAlignment.Right) return inner.x + inner.width - lineWidth;
  return inner.x;
}

/**
 * One line, never checked against the box's height at a fixed size (the form's designer chose
 * that size for that box). Too wide, it shrinks to MIN_AUTO_FONT_SIZE before it overflows.
 */
function layoutSingleLine(
  text: string,
  inner: Inner,
  spec: TextSpec,
  metrics: Metrics,
  shape: Shaper,
): WidgetLayout | undefined {
  const runs = shape(text);
  const widthAtOne = runsWidth(runs, 1);
  const widthFit = widthAtOne > 0 ? inner.width / widthAtOne : MAX_AUTO_FONT_SIZE;
  const preferred = spec.fontSize > 0 ? spec.fontSize : heightFitSize(inner, metrics);
  // A box too short for the minimum size still takes one line at that size; clipping a
  // descender is better than an attachment for a name.
  const floor = Math.min(MIN_AUTO_FONT_SIZE, preferred);
  let size = roundDown(Math.max(floor, Math.min(preferred, widthFit)));
  if (spec.fontSize > 0 && widthAtOne * spec.fontSize <= inner.width + EPSILON) {
    size = spec.fontSize;
  }
  const width = widthAtOne * size;
  if (width > inner.width + EPSILON) return undefined;
  const y = centredBaseline(inner, size, metrics);
  return { fontSize: size, lines: [{ runs, x: alignedX(inner, width, spec.alignment), y }] };
}

/** One line at the smallest size, whatever its width: the clip trims what does not fit. */
function forcedLine(runs: TextRun[], inner: Inner, spec: TextSpec, metrics: Metrics): WidgetLayout {
  const size = spec.fontSize > 0 ? Math.min(spec.fontSize, MIN_AUTO_FONT_SIZE) : MIN_AUTO_FONT_SIZE;
  const y = centredBaseline(inner, size, metrics);
  return { fontSize: size, lines: [{ runs, x: inner.x, y }] };
}

function layoutComb(
  text: string,
  inner: Inner,
  spec: TextSpec,
  metrics: Metrics,
  shape: Shaper,
): WidgetLayout | undefined {
  const cells = spec.combCells ?? 1;
  const chars = [...text];
  if (chars.length > cells) return undefined;
  const cellWidth = inner.width / cells;
  const shaped = chars.map((c) => shape(c));
  const widest = Math.max(0, ...shaped.map((runs) => runsWidth(runs, 1)));
  let size = spec.fontSize;
  if (size === 0) {
    const widthFit = widest > 0 ? cellWidth / widest : MAX_AUTO_FONT_SIZE;
    size = roundDown(Math.min(heightFitSize(inner, metrics), widthFit));
    if (size < MIN_AUTO_FONT_SIZE) return undefined;
  }
  if (widest * size > cellWidth + EPSILON) return undefined;
  const y = centredBaseline(inner, size, metrics);
  const lines = shaped.map((runs, i) => ({
    runs,
    x: inner.x + i * cellWidth + (cellWidth - runsWidth(runs, size)) / 2,
    y,
  }));
  return { fontSize: size, lines };
}

/** Sizes to try, largest first: the field's own (or the auto maximum), down to the minimum. */
function candidateSizes(spec: TextSpec): number[] {
  const start = spec.fontSize > 0 ? spec.fontSize : MAX_AUTO_FONT_SIZE;
  const sizes = [start];
  // Continue on the half-point grid below the field's size, so 11 pt goes 10.5, 10, ...
  let next = Math.ceil(start / AUTO_SIZE_STEP) * AUTO_SIZE_STEP - AUTO_SIZE_STEP;
  for (; next >= MIN_AUTO_FONT_SIZE - EPSILON; next -= AUTO_SIZE_STEP) sizes.push(next);
  return sizes;
}

/**
 * The largest size at which the wrapped text fits. Text that wraps to one line always fits a
 * fixed-size field, as in a single-line field: official forms draw many multiline fields one
 * line high (DV-100 item 5d is 14 pt tall at 11 pt), where no line box would pass the test.
 * Auto-sized fields allow that only at the minimum size.
 */
function layoutMultiline(
  text: string,
  inner: Inner,
  spec: TextSpec,
  metrics: Metrics,
  measure: Measure,
): WidgetLayout | undefined {
  const sizes = candidateSizes(spec);
  const smallest = sizes[sizes.length - 1];
  for (const size of sizes) {
    const oneLineAllowed = spec.fontSize > 0 || size === smallest;
    const layout = wrapAtSize(text, inner, spec, metrics, measure, size, oneLineAllowed);
    if (layout) return layout;
  }
  return undefined;
}

function wrapAtSize(
  text: string,
  inner: Inner,
  spec: TextSpec,
  metrics: Metrics,
  measure: Measure,
  size: number,
  oneLineAllowed: boolean,
): WidgetLayout | undefined {
  // Cheap bound before wrapping: every word lands on some line, so words wider together
  // (5% slack) than all the lines the box holds cannot fit.
  const lineHeight = size * LINE_HEIGHT;
  const glyphHeight = (metrics.ascent + metrics.descent) * size;
  const maxLines = Math.max(1, Math.floor((inner.height - glyphHeight) / lineHeight) + 1);
  if (measure.inkAtOne * size > maxLines * inner.width * 1.05 + EPSILON) return undefined;
  const lines = wrapText(text, inner.width, (t) => measure.widthAtOne(t) * size);
  const needed = (lines.length - 1) * lineHeight + glyphHeight;
  const tallSingleLine = lines.length === 1 && oneLineAllowed;
  if (needed > inner.height + EPSILON && !tallSingleLine) return undefined;
  const shaped = lines.map((l) => measure.shape(l));
  const widths = shaped.map((runs) => runsWidth(runs, size));
  if (widths.some((w) => w > inner.width + EPSILON)) return undefined;
  // A line taller than the box is centred like a single-line field's, so the clip trims
  // ascender and descender alike instead of cutting off the bottom of the text.
  const top =
    needed > inner.height + EPSILON
      ? centredBaseline(inner, size, metrics)
      : inner.y + inner.height - metrics.ascent * size;
  return {
    fontSize: size,
    lines: shaped.map((runs, i) => ({
      runs,
      x: alignedX(inner, widths[i], spec.alignment),
      y: top - i * lineHeight,
    })),
  };
}
