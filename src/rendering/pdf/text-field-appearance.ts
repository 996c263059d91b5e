import {
  adjustDimsForRotation,
  beginMarkedContent,
  beginText,
  clip,
  closePath,
  cmyk,
  Color,
  drawRectangle,
  degrees,
  endMarkedContent,
  endPath,
  endText,
  grayscale,
  lineTo,
  moveTo,
  PDFFont,
  PDFName,
  PDFOperator,
  PDFTextField,
  PDFWidgetAnnotation,
  popGraphicsState,
  pushGraphicsState,
  reduceRotation,
  rgb,
  rotateInPlace,
  setFillingColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  TextAlignment,
} from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { FieldValue } from '../../packs/form-mapping';
import { cleanText, DocumentFonts, FontFace, runsWidth, TextRun } from './font-library';
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

interface TextSpec {
  multiline: boolean;
  /** Comb fields spread MaxLen cells across the box, one character each. */
  combCells: number | undefined;
  maxLength: number | undefined;
  alignment: TextAlignment;
  /** From the field's `/DA`; 0 means size to fit. */
  fontSize: number;
  textColor: Color;
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

type Fit = Map<PDFWidgetAnnotation, WidgetLayout>;

/**
 * Sets a text field's value and draws its appearance with our Unicode fonts, measured against
 * every widget's own rectangle. Text that does not fit is replaced by the overflow label and
 * returned; without an overflow rule it is an error naming the field, never a truncation.
 */
export async function fillTextField(
  field: PDFTextField,
  value: TextValue,
  fonts: DocumentFonts,
): Promise<Overflow | undefined> {
  const name = value.field;
  const spec = textSpecOf(field);
  const full = prepareText(value.text, spec, fonts, name);
  if (full === '') {
    // Nothing to measure: an empty value must never overflow, however small the box.
    await writeText(field, '', emptyFit(field), spec, fonts);
    return undefined;
  }
  const fitted = layoutField(field, full, spec, fonts, name);
  if (fitted) {
    await writeText(field, full, fitted, spec, fonts);
    return undefined;
  }
  if (!value.overflow) {
    throw AppError.validation([
      {
        field: name,
        message: 'text does not fit this form field, and the form has no attachment for it',
        reason: 'too_long_for_field',
      },
    ]);
  }
  const label = prepareText(value.overflow.label, spec, fonts, name);
  const labelled = layoutField(field, label, spec, fonts, name);
  if (!labelled) {
    throw new AppError(ErrorCode.RenderFailed, `The overflow label does not fit ${name}`, [
      { field: name, message: 'the overflow label itself does not fit this form field' },
    ]);
  }
  await writeText(field, label, labelled, spec, fonts);
  return { field: name, heading: value.overflow.heading, text: cleanText(value.text) };
}

/**
 * Clean text that every character of can be drawn: single-line fields read line breaks as
 * spaces, and invisible format characters no face draws are dropped. GlyphMissing otherwise.
 */
function prepareText(text: string, spec: TextSpec, fonts: DocumentFonts, field: string): string {
  const clean = cleanText(text);
  const oneLine = spec.multiline ? clean : clean.replace(/\n+/g, ' ');
  const runs = fonts.library.runsFor(oneLine, field);
  return runs.map((r) => fonts.library.dropUndrawable(r.text, r.face)).join('');
}

/** Lays the text out in every widget of the field; undefined when any widget cannot hold it. */
function layoutField(
  field: PDFTextField,
  text: string,
  spec: TextSpec,
  fonts: DocumentFonts,
  name: string,
): Fit | undefined {
  // MaxLen counts what pdf-lib counts (UTF-16 units), so setText never refuses what we accept.
  if (spec.maxLength !== undefined && text.length > spec.maxLength) return undefined;
  const shaper = (t: string) => fonts.library.runsFor(t, name);
  const metrics = metricsOf(fonts.library.runsFor(text, name), fonts.library.faces[0]);
  // Widths scale with the size, and shaping is the slow part: a long narrative is wrapped at
  // up to a dozen sizes, so each piece is shaped once at 1 pt for all of them and every widget.
  const unitWidths = new Map<string, number>();
  const widthAtOne = (t: string) => {
    let w = unitWidths.get(t);
    if (w === undefined) {
      w = runsWidth(shaper(t), 1);
      unitWidths.set(t, w);
    }
    return w;
  };
  const fit: Fit = new Map();
  for (const widget of field.acroField.getWidgets()) {
    const inner = innerBox(widget, spec);
    const layout = spec.combCells
      ? layoutComb(text, inner, spec, metrics, shaper)
      : spec.multiline
        ? layoutMultiline(text, inner, spec, metrics, shaper, widthAtOne)
        : layoutSingleLine(text, inner, spec, metrics, shaper);
    if (!layout) return undefined;
    fit.set(widget, layout);
  }
  return fit;
}

/** Every widget with no lines: the box and border are still drawn, so no stale text shows. */
function emptyFit(field: PDFTextField): Fit {
  return new Map(field.acroField.getWidgets().map((w) => [w, { fontSize: 0, lines: [] }]));
}

async function writeText(
  field: PDFTextField,
  text: string,
  fit: Fit,
  spec: TextSpec,
  fonts: DocumentFonts,
): Promise<void> {
  field.setText(text);
  for (const [widget, layout] of fit) {
    const faces = new Set(layout.lines.flatMap((l) => l.runs.map((r) => r.face)));
    const embedded = new Map<FontFace, PDFFont>();
    for (const face of faces) embedded.set(face, await fonts.embed(face));
    setAppearance(field, widget, layout, spec, embedded);
  }
}

/**
 * Writes the widget's normal appearance ourselves: pdf-lib's providers take one font per
 * field, and a value may need several (a Latin alias beside an Arabic one).
 */
function setAppearance(
  field: PDFTextField,
  widget: PDFWidgetAnnotation,
  layout: WidgetLayout,
  spec: TextSpec,
  fonts: Map<FontFace, PDFFont>,
): void {
  const context = field.acroField.dict.context;
  const rect = widget.getRectangle();
  const rotation = reduceRotation(widget.getAppearanceCharacteristics()?.getRotation());
  const { width, height } = adjustDimsForRotation(
    { width: Math.abs(rect.width), height: Math.abs(rect.height) },
    rotation,
  );
  const ops = [
    ...rotateInPlace({ width: Math.abs(rect.width), height: Math.abs(rect.height), rotation }),
    ...fieldBox(widget, width, height, spec),
    beginMarkedContent('Tx'),
    pushGraphicsState(),
    ...textOperators(layout, spec, fonts),
    popGraphicsState(),
    endMarkedContent(),
    popGraphicsState(),
  ];
  const resources = Object.fromEntries([...fonts.values()].map((f) => [f.name, f.ref]));
  const stream = context.formXObject(ops, {
    Resources: { Font: resources },
    BBox: context.obj([0, 0, Math.abs(rect.width), Math.abs(rect.height)]),
    Matrix: context.obj([1, 0, 0, 1, 0, 0]),
  });
  widget.dict.set(PDFName.of('AP'), context.obj({ N: context.register(stream) }));
}

/** Background and border as the widget's /MK asks, then a clip to the text area. */
function fieldBox(
  widget: PDFWidgetAnnotation,
  width: number,
  height: number,
  spec: TextSpec,
): PDFOperator[] {
  const mk = widget.getAppearanceCharacteristics();
  const borderWidth = widget.getBorderStyle()?.getWidth() ?? 0;
  const inset = borderWidth + paddingOf(spec);
  return [
    pushGraphicsState(),
    ...drawRectangle({
      x: borderWidth / 2,
      y: borderWidth / 2,
      width: width - borderWidth,
      height: height - borderWidth,
      borderWidth,
      color: colorOf(mk?.getBackgroundColor()),
      borderColor: colorOf(mk?.getBorderColor()),
      rotate: degrees(0),
      xSkew: degrees(0),
      ySkew: degrees(0),
    }),
    moveTo(inset, inset),
    lineTo(inset, height - inset),
    lineTo(width - inset, height - inset),
    lineTo(width - inset, inset),
    closePath(),
    clip(),
    endPath(),
  ];
}

function textOperators(
  layout: WidgetLayout,
  spec: TextSpec,
  fonts: Map<FontFace, PDFFont>,
): PDFOperator[] {
  const ops = [beginText(), setFillingColor(spec.textColor)];
  for (const line of layout.lines) {
    let x = line.x;
    for (const run of line.runs) {
      const font = fonts.get(run.face);
      if (!font) continue;
      ops.push(
        setFontAndSize(font.name, layout.fontSize),
        setTextMatrix(1, 0, 0, 1, x, line.y),
        showText(font.encodeText(run.text)),
      );
      x += runsWidth([run], layout.fontSize);
    }
  }
  ops.push(endText());
  return ops;
}

function textSpecOf(field: PDFTextField): TextSpec {
  const da = defaultAppearanceOf(field);
  const maxLength = field.getMaxLength();
  const combed = field.isCombed() && maxLength !== undefined && maxLength > 0;
  return {
    multiline: field.isMultiline(),
    combCells: combed ? maxLength : undefined,
    maxLength,
    alignment: field.getAlignment(),
    fontSize: fontSizeOf(da),
    textColor: textColorOf(da) ?? rgb(0, 0, 0),
  };
}

/** `/DA` is inherited: the first widget's, else the field's, else the form's. */
function defaultAppearanceOf(field: PDFTextField): string {
  const widget = field.acroField.getWidgets()[0];
  const formDa = field.doc.getForm().acroForm.dict.lookup(PDFName.of('DA'));
  return (
    widget?.getDefaultAppearance() ??
    field.acroField.getDefaultAppearance() ??
    (formDa ? formDa.toString().replace(/^\(|\)$/g, '') : '')
  );
}

function fontSizeOf(da: string): number {
  const match = /(\d*\.?\d+)\s+Tf/.exec(da);
  return match ? Number(match[1]) : 0;
}

function textColorOf(da: string): Color | undefined {
  const rgbMatch = /(\d*\.?\d+)\s+(\d*\.?\d+)\s+(\d*\.?\d+)\s+rg/.exec(da);
  if (rgbMatch) return rgb(Number(rgbMatch[1]), Number(rgbMatch[2]), Number(rgbMatch[3]));
  const grayMatch = /(\d*\.?\d+)\s+g(\s|$)/.exec(da);
  return grayMatch ? grayscale(Number(grayMatch[1])) : undefined;
}

function colorOf(components: number[] | undefined): Color | undefined {
  if (!components || components.length === 0) return undefined;
  if (components.length === 1) return grayscale(components[0]);
  if (components.length === 3) return rgb(components[0], components[1], components[2]);
  if (components.length === 4) {
    return cmyk(components[0], components[1], components[2], components[3]);
  }
  return undefined;
}

function paddingOf(spec: TextSpec): number {
  return spec.combCells ? 0 : 2;
}

/** The area text may use: the widget's rectangle less border and padding, rotation applied. */
function innerBox(widget: PDFWidgetAnnotation, spec: TextSpec): Inner {
  const rotation = reduceRotation(widget.getAppearanceCharacteristics()?.getRotation());
  const rect = widget.getRectangle();
  const { width, height } = adjustDimsForRotation(
    { width: Math.abs(rect.width), height: Math.abs(rect.height) },
    rotation,
  );
  const inset = (widget.getBorderStyle()?.getWidth() ?? 0) + paddingOf(spec);
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
    for (const glyph of run.face.font.layout(run.text).glyphs) {
      metrics.ascent = Math.max(metrics.ascent, glyph.bbox.maxY / em);
      metrics.descent = Math.max(metrics.descent, -glyph.bbox.minY / em);
    }
  }
  return metrics;
}

type Shaper = (text: string) => TextRun[];

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
  shape: Shaper,
  widthAtOne: (text: string) => number,
): WidgetLayout | undefined {
  const sizes = candidateSizes(spec);
  const smallest = sizes[sizes.length - 1];
  for (const size of sizes) {
    const oneLineAllowed = spec.fontSize > 0 || size === smallest;
    const layout = wrapAtSize(text, inner, spec, metrics, shape, widthAtOne, size, oneLineAllowed);
    if (layout) return layout;
  }
  return undefined;
}

function wrapAtSize(
  text: string,
  inner: Inner,
  spec: TextSpec,
  metrics: Metrics,
  shape: Shaper,
  widthAtOne: (text: string) => number,
  size: number,
  oneLineAllowed: boolean,
): WidgetLayout | undefined {
  // Cheap bound before wrapping: every visible character lands on some line, so text wider
  // (spaces aside, 5% kerning slack) than all the lines the box holds cannot fit.
  const lineHeight = size * LINE_HEIGHT;
  const glyphHeight = (metrics.ascent + metrics.descent) * size;
  const maxLines = Math.max(1, Math.floor((inner.height - glyphHeight) / lineHeight) + 1);
  const inkWidth = widthAtOne(text.replace(/\s+/g, '')) * size;
  if (inkWidth > maxLines * inner.width * 1.05 + EPSILON) return undefined;
  const lines = wrapText(text, inner.width, (t) => widthAtOne(t) * size);
  const needed = (lines.length - 1) * lineHeight + glyphHeight;
  const tallSingleLine = lines.length === 1 && oneLineAllowed;
  if (needed > inner.height + EPSILON && !tallSingleLine) return undefined;
  const shaped = lines.map((l) => shape(l));
  if (shaped.some((runs) => runsWidth(runs, size) > inner.width + EPSILON)) return undefined;
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
      x: alignedX(inner, runsWidth(runs, size), spec.alignment),
      y: top - i * lineHeight,
    })),
  };
}
