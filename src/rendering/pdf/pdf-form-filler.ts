import {
  PDFBool,
  PDFCheckBox,
  PDFDocument,
  PDFDropdown,
  PDFField,
  PDFForm,
  PDFName,
  PDFOptionList,
  PDFRadioGroup,
  PDFTextField,
} from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../../common/errors/error-code';
import type { FieldValue } from '../../packs/form-mapping';
import { cleanText, DocumentFonts } from './font-library';
import { flattenForm } from './pdf-flatten';
import { KEEP_METADATA, setNeutralMetadata } from './neutral-metadata';
import { fillTextField, Overflow, TextValue } from './text-field-appearance';

export type { Overflow } from './text-field-appearance';
export { MIN_AUTO_FONT_SIZE } from './text-field-appearance';

export interface FillOptions {
  /** Draw every field into the page and drop the form, for merging into one filed PDF. */
  flatten: boolean;
  /**
   * With `flatten: false`, also return a flattened copy of the same fill, so a packet gets the
   * live form and the copy it merges from one load and one fill.
   */
  alsoFlat?: boolean;
}

export interface FillResult {
  bytes: Uint8Array;
  /** The flattened copy, when `alsoFlat` asked for it. */
  flatBytes?: Uint8Array;
  overflows: Overflow[];
}

type Target =
  | { kind: 'text'; value: TextValue; field: PDFTextField }
  | { kind: 'checkbox'; field: PDFCheckBox; onState: string | undefined }
  | { kind: 'radio'; field: PDFRadioGroup; option: string }
  | { kind: 'list'; field: PDFDropdown | PDFOptionList; option: string };

/** Fills a prepared (unencrypted) PDF form; see FieldValue for what each value asks. */
export async function fillForm(
  template: Uint8Array,
  values: FieldValue[],
  options: FillOptions,
): Promise<FillResult> {
  const doc = await loadTemplate(template);
  const fonts = new DocumentFonts(doc);
  const form = doc.getForm();
  const targets = resolveTargets(values, fieldsByName(form));
  const overflows: Overflow[] = [];
  for (const target of targets) {
    const overflow = await applyTarget(target, fonts);
    if (overflow) overflows.push(overflow);
  }
  // Our appearance streams are the truth: a viewer regenerating them would fall back to the
  // field's own font, which cannot draw most of the world's names.
  form.acroForm.dict.set(PDFName.of('NeedAppearances'), PDFBool.False);
  if (options.flatten) return { bytes: await saveNeutral(await flattenForm(doc)), overflows };
  // Live first: flattening takes the form out of `doc`.
  const bytes = await saveNeutral(doc);
  const flatBytes = options.alsoFlat ? await saveNeutral(await flattenForm(doc)) : undefined;
  return { bytes, flatBytes, overflows };
}

function saveNeutral(doc: PDFDocument): Promise<Uint8Array> {
  setNeutralMetadata(doc, 'Court form');
  return doc.save({ updateFieldAppearances: false });
}

async function loadTemplate(template: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(template, KEEP_METADATA);
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.name : 'unknown error';
    throw new AppError(ErrorCode.RenderFailed, `The form template cannot be read (${reason})`);
  }
}

/** One map up front: `form.getTextField(name)` per value walks every field each time. */
function fieldsByName(form: PDFForm): Map<string, PDFField> {
  return new Map(form.getFields().map((f) => [f.getName(), f]));
}

function fieldKind(field: PDFField): string {
  if (field instanceof PDFTextField) return 'text';
  if (field instanceof PDFCheckBox) return 'checkbox';
  if (field instanceof PDFRadioGroup) return 'radio group';
  if (field instanceof PDFDropdown) return 'dropdown';
  if (field instanceof PDFOptionList) return 'option list';
  return field.constructor.name.replace(/^PDF/, '').toLowerCase();
}

/** Checks every value against the form first, so one error lists every problem at once. */
function resolveTargets(values: FieldValue[], fields: Map<string, PDFField>): Target[] {
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

function wrongType(value: FieldValue, field: PDFField): ErrorDetail {
  return {
    field: value.field,
    message: `is a ${fieldKind(field)} field and cannot take a ${value.kind} value`,
    fieldType: fieldKind(field),
    valueKind: value.kind,
  };
}

function toTarget(value: FieldValue, field: PDFField): Target | ErrorDetail {
  switch (value.kind) {
    case 'text':
      return field instanceof PDFTextField
        ? { kind: 'text', value, field }
        : wrongType(value, field);
    case 'checkbox':
      return field instanceof PDFCheckBox
        ? checkboxTarget(value.field, field, value.checked)
        : wrongType(value, field);
    case 'choice':
      return choiceTarget(value.field, field, value.option) ?? wrongType(value, field);
  }
}

function onStatesOf(field: PDFCheckBox | PDFRadioGroup): string[] {
  return field.acroField.getWidgets().map((w) => w.getOnValue()?.decodeText() ?? '');
}

/**
 * `checked: true` needs one on-state: a checkbox whose widgets have different on-states is a
 * radio group in disguise, and takes a `choice` naming which one.
 */
function checkboxTarget(name: string, field: PDFCheckBox, checked: boolean): Target | ErrorDetail {
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
  field: PDFField,
  option: string,
): Target | ErrorDetail | undefined {
  let options: string[];
  if (field instanceof PDFCheckBox) options = onStatesOf(field);
  else if (field instanceof PDFRadioGroup || field instanceof PDFOptionList)
    options = field.getOptions();
  else if (field instanceof PDFDropdown) options = field.getOptions();
  else return undefined;
  const editable = field instanceof PDFDropdown && field.isEditable();
  if (!options.includes(option) && !editable) {
    return {
      field: name,
      message: `has no option "${option}"; options: ${options.join(', ')}`,
      options,
    };
  }
  if (field instanceof PDFCheckBox) return { kind: 'checkbox', field, onState: option };
  if (field instanceof PDFRadioGroup) return { kind: 'radio', field, option };
  return { kind: 'list', field: field as PDFDropdown | PDFOptionList, option };
}

async function applyTarget(target: Target, fonts: DocumentFonts): Promise<Overflow | undefined> {
  switch (target.kind) {
    case 'text':
      return fillTextField(target.field, target.value, fonts);
    case 'checkbox':
      setCheckboxState(target.field, target.onState);
      return undefined;
    case 'radio':
      target.field.select(target.option);
      return undefined;
    case 'list':
      await selectListOption(target.field, target.option, fonts);
      return undefined;
  }
}

/**
 * Writes `/V` and each widget's `/AS` ourselves: on-states are often `1`, `3` or `On`, and
 * widgets of one field can carry different ones; a widget is on exactly when its own on-state
 * is the field's value. `undefined` turns every widget off.
 */
function setCheckboxState(field: PDFCheckBox, onState: string | undefined): void {
  const value = PDFName.of(onState ?? 'Off');
  field.acroField.dict.set(PDFName.of('V'), value);
  for (const widget of field.acroField.getWidgets()) {
    const own = widget.getOnValue();
    const isOn = onState !== undefined && own?.decodeText() === onState;
    widget.setAppearanceState(isOn && own ? own : PDFName.of('Off'));
  }
}

async function selectListOption(
  field: PDFDropdown | PDFOptionList,
  option: string,
  fonts: DocumentFonts,
): Promise<void> {
  const text = cleanText(option);
  const face = fonts.library.faceFor(text, field.getName());
  field.select(option);
  field.updateAppearances(await fonts.embed(face));
}
