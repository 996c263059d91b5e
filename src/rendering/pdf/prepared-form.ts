import {
  PDFAcroField,
  PDFBool,
  PDFCheckBox,
  PDFDict,
  PDFDocument,
  PDFDropdown,
  PDFField,
  PDFName,
  PDFOptionList,
  PDFRadioGroup,
  PDFRef,
  PDFTextField,
  PDFWidgetAnnotation,
  TextAlignment,
  reduceRotation,
} from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { sha256 } from '../../common/sha256';
import { describeField } from '../../forms/form-fields';
import { KEEP_METADATA } from './neutral-metadata';
import { BodyObject, pdfLibObject, ref, textObject } from './pdf-syntax';
import type { XrefStyle } from './pdf-xref';

/** How a text field asks its text to be drawn, read once from the form. */
export interface TextSpec {
  multiline: boolean;
  /** Comb fields spread MaxLen cells across the box, one character each. */
  combCells: number | undefined;
  maxLength: number | undefined;
  alignment: TextAlignment;
  /** From the field's `/DA`; 0 means size to fit. */
  fontSize: number;
  /** The `/DA` colour as a fill-colour operator (`0 g`, `1 0 0 rg`). */
  textColor: string;
}

export interface WidgetInfo {
  ref: PDFRef;
  dict: PDFDict;
  /** `/Rect` as pdf-lib reads it (width and height may be negative). */
  rect: { x: number; y: number; width: number; height: number };
  /** `/MK /R`, reduced to 0, 90, 180 or 270. */
  rotation: number;
  /** `/MK` background and border colours as fill and stroke operators. */
  background: string | undefined;
  borderColor: string | undefined;
  borderWidth: number;
  /** A button widget's on-state (the `/AP /N` key other than Off), decoded. */
  onValue: string | undefined;
}

interface FieldBase {
  name: string;
  /** The field dictionary, where `/V` lives; the same object as the widget when merged. */
  ref: PDFRef;
  dict: PDFDict;
  widgets: WidgetInfo[];
}

export type FieldInfo =
  | (FieldBase & { kind: 'text'; spec: TextSpec })
  | (FieldBase & { kind: 'checkbox' })
  | (FieldBase & { kind: 'radio group'; options: string[]; exportValues: string[] | undefined })
  | (FieldBase & {
      kind: 'dropdown' | 'option list';
      options: string[];
      editable: boolean;
      spec: TextSpec;
    })
  | (FieldBase & { kind: 'other'; typeName: string });

/** What an incremental update of this file must say about the file it extends. */
export interface UpdateBase {
  /** The bytes every filled copy starts with: the form as installed, unchanged. */
  bytes: Uint8Array;
  xrefStyle: XrefStyle;
  /** Offset of the last cross-reference section (the update's `/Prev`). */
  prevOffset: number;
  /** The first object number the update may use. */
  nextNumber: number;
  root: string;
  id: string | undefined;
  /**
   * Objects every fill writes the same way: the catalog without XMP metadata, the AcroForm
   * saying our appearances are final, and a neutral Info dictionary (object `infoNumber`).
   */
  fixedObjects: BodyObject[];
  infoNumber: number;
}

/** Once per form: the parsed document, every field by name, and how to append to the file. */
export class PreparedForm {
  private constructor(
    readonly doc: PDFDocument,
    readonly fields: Map<string, FieldInfo>,
    readonly base: UpdateBase,
  ) {}

  static async parse(template: Uint8Array): Promise<PreparedForm> {
    const doc = await loadTemplate(template);
    const fields = indexFields(doc);
    const base = await updateBase(doc, template);
    return new PreparedForm(doc, fields, base);
  }
}

/** Forms kept parsed; a deployment has a few dozen at most. */
const MAX_PREPARED = 32;
const prepared = new Map<string, Promise<PreparedForm>>();

/**
 * The prepared form for these template bytes, parsed on first use. `key` is the bytes' SHA-256
 * when the caller already knows it (the pack loader does); otherwise it is computed here.
 */
export function preparedForm(template: Uint8Array, key?: string): Promise<PreparedForm> {
  const id = key ?? sha256(template);
  let entry = prepared.get(id);
  if (!entry) {
    entry = PreparedForm.parse(template);
    // A form that cannot be read is not kept: the next call reports the same error afresh.
    entry.catch(() => prepared.delete(id));
    if (prepared.size >= MAX_PREPARED) {
      const oldest = prepared.keys().next().value;
      if (oldest !== undefined) prepared.delete(oldest);
    }
    prepared.set(id, entry);
  }
  return entry;
}

async function loadTemplate(template: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(template, KEEP_METADATA);
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.name : 'unknown error';
    throw new AppError(ErrorCode.RenderFailed, `The form template cannot be read (${reason})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fields

function indexFields(doc: PDFDocument): Map<string, FieldInfo> {
  const form = doc.getForm();
  const formDa = form.acroForm.dict.lookup(PDFName.of('DA'));
  const formDaText = formDa ? formDa.toString().replace(/^\(|\)$/g, '') : '';
  const fields = new Map<string, FieldInfo>();
  for (const field of form.getFields()) {
    const info = fieldInfo(field, formDaText);
    fields.set(info.name, info);
  }
  return fields;
}

function fieldInfo(field: PDFField, formDa: string): FieldInfo {
  const base: FieldBase = {
    name: field.getName(),
    ref: field.ref,
    dict: field.acroField.dict,
    widgets: widgetsOf(field.acroField, field.ref),
  };
  if (field instanceof PDFTextField) {
    return { ...base, kind: 'text', spec: textSpecOf(field, formDa) };
  }
  if (field instanceof PDFCheckBox) return { ...base, kind: 'checkbox' };
  if (field instanceof PDFRadioGroup) {
    const exportValues = field.acroField.getExportValues()?.map((v) => v.decodeText());
    return { ...base, kind: 'radio group', options: field.getOptions(), exportValues };
  }
  if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
    return {
      ...base,
      kind: field instanceof PDFDropdown ? 'dropdown' : 'option list',
      options: field.getOptions(),
      editable: field instanceof PDFDropdown && field.isEditable(),
      spec: choiceSpecOf(field, formDa),
    };
  }
  // Signatures and push buttons: named as lint names them, for the wrong-type error.
  return { ...base, kind: 'other', typeName: describeField(field).type };
}

/** Widgets with the objects they are stored in: the field itself, or each of its kids. */
function widgetsOf(acroField: PDFAcroField, fieldRef: PDFRef): WidgetInfo[] {
  const kids = acroField.Kids();
  if (!kids) return [widgetInfo(PDFWidgetAnnotation.fromDict(acroField.dict), fieldRef)];
  const widgets: WidgetInfo[] = [];
  for (let i = 0; i < kids.size(); i++) {
    const kidRef = kids.get(i);
    const dict = kids.lookup(i, PDFDict);
    if (!(kidRef instanceof PDFRef)) {
      throw new AppError(
        ErrorCode.RenderFailed,
        `The form field ${acroField.getFullyQualifiedName() ?? ''} has a widget that is not an indirect object`,
      );
    }
    widgets.push(widgetInfo(PDFWidgetAnnotation.fromDict(dict), kidRef));
  }
  return widgets;
}

function widgetInfo(widget: PDFWidgetAnnotation, widgetRef: PDFRef): WidgetInfo {
  const mk = widget.getAppearanceCharacteristics();
  return {
    ref: widgetRef,
    dict: widget.dict,
    rect: widget.getRectangle(),
    rotation: reduceRotation(mk?.getRotation()),
    background: colorOperator(mk?.getBackgroundColor(), 'fill'),
    borderColor: colorOperator(mk?.getBorderColor(), 'stroke'),
    borderWidth: widget.getBorderStyle()?.getWidth() ?? 0,
    onValue: widget.getOnValue()?.decodeText(),
  };
}

function textSpecOf(field: PDFTextField, formDa: string): TextSpec {
  const da = defaultAppearanceOf(field, formDa);
  const maxLength = field.getMaxLength();
  const combed = field.isCombed() && maxLength !== undefined && maxLength > 0;
  return {
    multiline: field.isMultiline(),
    combCells: combed ? maxLength : undefined,
    maxLength,
    alignment: field.getAlignment(),
    fontSize: fontSizeOf(da),
    textColor: textColorOf(da),
  };
}

/** A choice shows its selected option on one line, as a text field would. */
function choiceSpecOf(field: PDFDropdown | PDFOptionList, formDa: string): TextSpec {
  const da = defaultAppearanceOf(field, formDa);
  return {
    multiline: false,
    combCells: undefined,
    maxLength: undefined,
    alignment: TextAlignment.Left,
    fontSize: fontSizeOf(da),
    textColor: textColorOf(da),
  };
}

/** `/DA` is inherited: the first widget's, else the field's, else the form's. */
function defaultAppearanceOf(field: PDFField, formDa: string): string {
  const widget = field.acroField.getWidgets()[0];
  return widget?.getDefaultAppearance() ?? field.acroField.getDefaultAppearance() ?? formDa;
}

function fontSizeOf(da: string): number {
  const match = /(\d*\.?\d+)\s+Tf/.exec(da);
  return match ? Number(match[1]) : 0;
}

function textColorOf(da: string): string {
  const rgbMatch = /(\d*\.?\d+)\s+(\d*\.?\d+)\s+(\d*\.?\d+)\s+rg/.exec(da);
  if (rgbMatch) return `${rgbMatch[1]} ${rgbMatch[2]} ${rgbMatch[3]} rg`;
  const grayMatch = /(\d*\.?\d+)\s+g(\s|$)/.exec(da);
  return grayMatch ? `${grayMatch[1]} g` : '0 g';
}

function colorOperator(
  components: number[] | undefined,
  use: 'fill' | 'stroke',
): string | undefined {
  if (!components || components.length === 0) return undefined;
  const values = components.map((c) => String(c)).join(' ');
  const ops: Record<number, [string, string]> = { 1: ['g', 'G'], 3: ['rg', 'RG'], 4: ['k', 'K'] };
  const op = ops[components.length];
  return op ? `${values} ${use === 'fill' ? op[0] : op[1]}` : undefined;
}

// ---------------------------------------------------------------------------------------------
// The file an update extends

const NEED_APPEARANCES = PDFName.of('NeedAppearances');
const METADATA = PDFName.of('Metadata');
const ACRO_FORM = PDFName.of('AcroForm');
/** The Info dictionary of every filled copy, live or flat: a title that names no one. */
export const NEUTRAL_INFO = '<< /Title (Court form) >>';

async function updateBase(doc: PDFDocument, template: Uint8Array): Promise<UpdateBase> {
  // A file whose last cross-reference section cannot be found (pdf-lib repaired it) gets one
  // clean copy, saved once; every fill then extends that copy instead.
  let bytes = template;
  let written = lastXref(template);
  if (!written) {
    bytes = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
    written = lastXref(bytes);
  }
  if (!written) {
    throw new AppError(ErrorCode.RenderFailed, 'The form template cannot be read (no xref)');
  }
  const root = doc.context.trailerInfo.Root;
  if (!(root instanceof PDFRef)) {
    throw new AppError(ErrorCode.RenderFailed, 'The form template has no catalog');
  }
  const nextNumber = Math.max(doc.context.largestObjectNumber + 1, written.size);
  const infoNumber = nextNumber;
  const id = doc.context.trailerInfo.ID;
  return {
    bytes,
    xrefStyle: written.style,
    prevOffset: written.offset,
    nextNumber: infoNumber + 1,
    root: ref(root.objectNumber),
    id: id ? id.toString() : undefined,
    fixedObjects: [...catalogChanges(doc, root), textObject(infoNumber, NEUTRAL_INFO)],
    infoNumber,
  };
}

/**
 * The catalog loses its XMP stream (it can name the form's author and tools), and the AcroForm
 * says NeedAppearances false: our appearance streams are the truth, and a viewer regenerating
 * them would fall back to the field's own font, which cannot draw most of the world's names.
 */
function catalogChanges(doc: PDFDocument, root: PDFRef): BodyObject[] {
  const objects: BodyObject[] = [];
  const catalog = doc.catalog.clone();
  let catalogChanged = catalog.has(METADATA);
  catalog.delete(METADATA);
  const acroFormEntry = catalog.get(ACRO_FORM);
  const acroForm = doc.catalog.lookupMaybe(ACRO_FORM, PDFDict);
  if (acroForm && acroForm.get(NEED_APPEARANCES) !== PDFBool.False) {
    const changed = acroForm.clone();
    changed.set(NEED_APPEARANCES, PDFBool.False);
    if (acroFormEntry instanceof PDFRef) {
      objects.push(pdfLibObject(acroFormEntry.objectNumber, changed));
    } else {
      catalog.set(ACRO_FORM, changed);
      catalogChanged = true;
    }
  }
  if (catalogChanged) objects.push(pdfLibObject(root.objectNumber, catalog));
  return objects;
}

interface LastXref {
  style: XrefStyle;
  offset: number;
  size: number;
}

const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** The last `startxref`, if it points at a cross-reference table or stream. */
function lastXref(bytes: Uint8Array): LastXref | undefined {
  const tail = latin1(bytes.subarray(Math.max(0, bytes.length - 2048)));
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) return undefined;
  const offset = Number(match[1]);
  if (!(offset > 0 && offset < bytes.length)) return undefined;
  const head = latin1(bytes.subarray(offset, Math.min(bytes.length, offset + 4096)));
  if (head.startsWith('xref')) {
    const trailerAt = latin1(bytes.subarray(offset)).indexOf('trailer');
    const trailer = trailerAt >= 0 ? latin1(bytes.subarray(offset + trailerAt)) : '';
    const size = /\/Size\s+(\d+)/.exec(trailer.slice(0, 4096));
    return size ? { style: 'table', offset, size: Number(size[1]) } : undefined;
  }
  if (/^\d+\s+\d+\s+obj\s*<</.test(head) && /\/Type\s*\/XRef\b/.test(head)) {
    const size = /\/Size\s+(\d+)/.exec(head);
    return size ? { style: 'stream', offset, size: Number(size[1]) } : undefined;
  }
  return undefined;
}
