import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRef } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorDetail } from '../../common/errors/error-code';
import type { FieldValue } from '../../packs/form-mapping';
import { FontLibrary } from './font-library';
import { flattenedCopy, staticTextOf } from './pdf-flatten';
import { BodyObject, layOutBody, pdfLibObject, ref, streamObject, utf16Hex } from './pdf-syntax';
import { xrefSection } from './pdf-xref';
import { FieldInfo, PreparedForm, preparedForm, WidgetInfo } from './prepared-form';
import { SubsetFonts } from './subset-fonts';
import { lazySha256, sha256After, StaticSource, WrittenPdf } from './written-pdf';
import {
  AppearanceDraft,
  appearanceStream,
  layoutChoice,
  layoutTextField,
  Overflow,
  recordGlyphs,
  TextValue,
} from './text-field-appearance';

export type { Overflow } from './text-field-appearance';
export { MIN_AUTO_FONT_SIZE } from './text-field-appearance';

export interface FillOptions {
  /** Draw every field into the page and drop the form, for merging into one filed PDF. */
  flatten: boolean;
  /**
   * With `flatten: false`, also return a flattened copy of the same fill, so a packet gets the
   * live form and the copy it merges from one fill.
   */
  alsoFlat?: boolean;
  /**
   * The template's SHA-256 when the caller knows it (the pack loader does): the key under
   * which the parsed form is kept. Computed from the bytes otherwise.
   */
  templateSha256?: string;
}

export interface FillResult {
  bytes: Uint8Array;
  /** The flattened copy, when `alsoFlat` asked for it. */
  flatBytes?: Uint8Array;
  overflows: Overflow[];
  /** `bytes` with what the writer knows of them (the release check and bundles use it). */
  written: WrittenPdf;
  /** The same for `flatBytes`. */
  flat?: WrittenPdf;
}

type Target =
  | { kind: 'text'; value: TextValue; field: Extract<FieldInfo, { kind: 'text' }> }
  | { kind: 'checkbox'; field: FieldInfo; onState: string | undefined }
  | { kind: 'radio'; field: Extract<FieldInfo, { kind: 'radio group' }>; option: string }
  | {
      kind: 'list';
      field: Extract<FieldInfo, { kind: 'dropdown' | 'option list' }>;
      option: string;
    };

/**
 * Fills a prepared (unencrypted) PDF form; see FieldValue for what each value asks.
 *
 * The form is parsed once per process and kept. A fill writes an incremental update: the form's
 * own bytes, unchanged, followed by the field dictionaries it changed, the appearance streams of
 * the fields it filled and the font subsets they draw with, and a cross-reference section that
 * points back at the form's own.
 */
export async function fillForm(
  template: Uint8Array,
  values: FieldValue[],
  options: FillOptions,
): Promise<FillResult> {
  const form = await preparedForm(template, options.templateSha256);
  const update = new FormUpdate(form);
  const overflows = update.apply(resolveTargets(values, form.fields));
  update.writeAppearances();
  if (options.flatten) {
    const flat = flattenedCopy(form, update);
    return { bytes: flat.bytes, overflows, written: flat };
  }
  const written = update.live();
  const flat = options.alsoFlat ? flattenedCopy(form, update) : undefined;
  return {
    bytes: written.bytes,
    get flatBytes() {
      return flat?.bytes;
    },
    overflows,
    written,
    flat,
  };
}

const liveSources = new WeakMap<PreparedForm, StaticSource>();

/** The form as installed: the unchanged start of every live copy filled from it. */
function liveSource(form: PreparedForm): StaticSource {
  let source = liveSources.get(form);
  if (!source) {
    source = { bytes: form.base.bytes, shows: staticTextOf(form) };
    liveSources.set(form, source);
  }
  return source;
}

/**
 * What one fill changes: copies of the dictionaries it edits (the parsed form is shared and
 * never touched) and the new objects, numbered after the form's own.
 */
export class FormUpdate {
  private readonly edited = new Map<number, PDFDict>();
  private readonly drafts: AppearanceDraft[] = [];
  private readonly fonts = new SubsetFonts();
  private readonly library = FontLibrary.shared();
  /** New objects: fonts and appearance streams, shared by the live form and a flat copy. */
  readonly newObjects: BodyObject[] = [];
  private next: number;

  constructor(readonly form: PreparedForm) {
    this.next = form.base.nextNumber;
  }

  allocate(): number {
    return this.next++;
  }

  /** This fill's copy of a dictionary of the form, if it changed it. */
  editedDict(objectNumber: number): PDFDict | undefined {
    return this.edited.get(objectNumber);
  }

  apply(targets: Target[]): Overflow[] {
    const overflows: Overflow[] = [];
    for (const target of targets) {
      const overflow = this.applyTarget(target);
      if (overflow) overflows.push(overflow);
    }
    return overflows;
  }

  private edit(objectRef: PDFRef, original: PDFDict): PDFDict {
    let dict = this.edited.get(objectRef.objectNumber);
    if (!dict) {
      dict = original.clone();
      this.edited.set(objectRef.objectNumber, dict);
    }
    return dict;
  }

  private set(field: FieldInfo, key: string, value: PDFObject | undefined): void {
    const dict = this.edit(field.ref, field.dict);
    if (value === undefined) dict.delete(PDFName.of(key));
    else dict.set(PDFName.of(key), value);
  }

  private setWidget(widget: WidgetInfo, key: string, value: PDFObject): void {
    this.edit(widget.ref, widget.dict).set(PDFName.of(key), value);
  }

  private applyTarget(target: Target): Overflow | undefined {
    switch (target.kind) {
      case 'text': {
        const fill = layoutTextField(target.field, target.value, this.library);
        this.set(target.field, 'V', fill.value ? PDFHexString.of(utf16Hex(fill.value)) : undefined);
        this.clearRichText(target.field);
        this.drafts.push(...fill.drafts);
        return fill.overflow;
      }
      case 'checkbox':
        this.setButtons(target.field, target.onState);
        return undefined;
      case 'radio':
        this.setButtons(target.field, radioOnValue(target.field, target.option));
        return undefined;
      case 'list': {
        const field = target.field;
        if (!field.options.includes(target.option)) this.setFlag(field, EDIT_FLAG);
        this.set(field, 'V', PDFHexString.of(utf16Hex(target.option)));
        this.drafts.push(...layoutChoice(field, target.option, this.library).drafts);
        return undefined;
      }
    }
  }

  /**
   * Writes `/V` and each widget's `/AS`: on-states are often `1`, `3` or `On`, and widgets of
   * one field can carry different ones; a widget is on exactly when its own on-state is the
   * field's value. `undefined` turns every widget off.
   */
  private setButtons(field: FieldInfo, onState: string | undefined): void {
    this.set(field, 'V', PDFName.of(onState ?? 'Off'));
    for (const widget of field.widgets) {
      const isOn = onState !== undefined && widget.onValue === onState;
      this.setWidget(widget, 'AS', PDFName.of(isOn ? onState : 'Off'));
    }
  }

  /** Rich text would be shown instead of our plain value by viewers that support it. */
  private clearRichText(field: FieldInfo): void {
    const flags = flagsOf(this.edit(field.ref, field.dict));
    if (flags & RICH_TEXT_FLAG) this.set(field, 'Ff', PDFNumber.of(flags & ~RICH_TEXT_FLAG));
  }

  private setFlag(field: FieldInfo, flag: number): void {
    this.set(field, 'Ff', PDFNumber.of(flagsOf(this.edit(field.ref, field.dict)) | flag));
  }

  /** Fonts first (their subsets number the glyphs), then one stream per drawn widget. */
  writeAppearances(): void {
    for (const draft of this.drafts) recordGlyphs(draft, this.fonts);
    this.newObjects.push(...this.fonts.write(() => this.allocate()));
    const context = this.form.doc.context;
    for (const draft of this.drafts) {
      const stream = appearanceStream(draft, this.fonts);
      const objectNumber = this.allocate();
      const content = Buffer.from(stream.content, 'latin1');
      this.newObjects.push(
        streamObject(objectNumber, stream.dictEntries, content, content.length > COMPRESS_OVER),
      );
      this.setWidget(draft.widget, 'AP', context.obj({ N: PDFRef.of(objectNumber) }));
    }
  }

  /** Every object this fill changed or added. */
  changedObjects(): BodyObject[] {
    const changed = [...this.edited].map(([n, dict]) => pdfLibObject(n, dict));
    return [...this.form.base.fixedObjects, ...changed, ...this.newObjects];
  }

  /** The form's bytes followed by this fill as an incremental update. */
  live(): WrittenPdf {
    const { base } = this.form;
    const objects = this.changedObjects();
    const bytes = layOutBody(base.bytes, objects, (offsets, bodyEnd) =>
      xrefSection(base.xrefStyle, offsets, bodyEnd, this.next, {
        root: base.root,
        info: ref(base.infoNumber),
        id: base.id,
        prev: base.prevOffset,
      }),
    );
    return {
      bytes,
      statics: [{ offset: 0, source: liveSource(this.form) }],
      sha256: lazySha256(() => sha256After(base.bytes, bytes)),
    };
  }
}

/** Streams shorter than this stay uncompressed: deflating them costs more than it saves. */
const COMPRESS_OVER = 2048;
/** Field flags (PDF 32000 tables 226 and 230). */
const RICH_TEXT_FLAG = 1 << 25;
const EDIT_FLAG = 1 << 18;

function flagsOf(dict: PDFDict): number {
  const ff = dict.lookup(PDFName.of('Ff'));
  return ff instanceof PDFNumber ? ff.asNumber() : 0;
}

/** The on-state a radio option stands for: through `/Opt` when the field has one. */
function radioOnValue(
  field: Extract<FieldInfo, { kind: 'radio group' }>,
  option: string,
): string | undefined {
  const onValues = field.widgets.map((w) => w.onValue).filter((v): v is string => v !== undefined);
  if (!field.exportValues) return onValues.includes(option) ? option : undefined;
  let chosen: string | undefined;
  field.exportValues.forEach((value, i) => {
    if (value === option) chosen = onValues[i];
  });
  return chosen;
}

/** Checks every value against the form first, so one error lists every problem at once. */
function resolveTargets(values: FieldValue[], fields: Map<string, FieldInfo>): Target[] {
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const value of values) {
    const field = fields.get(value.field);
    if (seen.has(value.field)) {
      problems.push({ field: value.field, message: 'is given more than one value' });
      continue;
    }
    seen.add(value.field);
    if (!field) {
      problems.push({ field: value.field, message: 'the form has no field with this name' });
      continue;
    }
    const target = toTarget(value, field);
    if ('message' in target) problems.push(target);
    else targets.push(target);
  }
  if (problems.length > 0) throw AppError.validation(problems);
  return targets;
}

function fieldKind(field: FieldInfo): string {
  return field.kind === 'other' ? field.typeName : field.kind;
}

function wrongType(value: FieldValue, field: FieldInfo): ErrorDetail {
  return {
    field: value.field,
    message: `is a ${fieldKind(field)} field and cannot take a ${value.kind} value`,
    fieldType: fieldKind(field),
    valueKind: value.kind,
  };
}

function toTarget(value: FieldValue, field: FieldInfo): Target | ErrorDetail {
  switch (value.kind) {
    case 'text':
      return field.kind === 'text' ? { kind: 'text', value, field } : wrongType(value, field);
    case 'checkbox':
      return field.kind === 'checkbox'
        ? checkboxTarget(value.field, field, value.checked)
        : wrongType(value, field);
    case 'choice':
      return choiceTarget(value.field, field, value.option) ?? wrongType(value, field);
  }
}

function onStatesOf(field: FieldInfo): string[] {
  return field.widgets.map((w) => w.onValue ?? '');
}

/**
 * `checked: true` needs one on-state: a checkbox whose widgets have different on-states is a
 * radio group in disguise, and takes a `choice` naming which one.
 */
function checkboxTarget(name: string, field: FieldInfo, checked: boolean): Target | ErrorDetail {
  if (!checked) return { kind: 'checkbox', field, onState: undefined };
  const states = [...new Set(onStatesOf(field))];
  if (states.includes('')) {
    return { field: name, message: 'has a widget without an on-state appearance' };
  }
  if (states.length > 1) {
    return {
      field: name,
      message: `has widgets with different on-states; choose one of: ${states.join(', ')}`,
      options: states,
    };
  }
  return { kind: 'checkbox', field, onState: states[0] };
}

function choiceTarget(
  name: string,
  field: FieldInfo,
  option: string,
): Target | ErrorDetail | undefined {
  let options: string[];
  if (field.kind === 'checkbox') options = onStatesOf(field);
  else if (
    field.kind === 'radio group' ||
    field.kind === 'dropdown' ||
    field.kind === 'option list'
  )
    options = field.options;
  else return undefined;
  const editable = field.kind === 'dropdown' && field.editable;
  if (!options.includes(option) && !editable) {
    return {
      field: name,
      message: `has no option "${option}"; options: ${options.join(', ')}`,
      options,
    };
  }
  if (field.kind === 'checkbox') return { kind: 'checkbox', field, onState: option };
  if (field.kind === 'radio group') return { kind: 'radio', field, option };
  return { kind: 'list', field, option };
}
