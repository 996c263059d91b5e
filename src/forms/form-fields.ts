import {
  PDFButton,
  PDFCheckBox,
  PDFDocument,
  PDFDropdown,
  PDFField,
  PDFName,
  PDFOptionList,
  PDFRadioGroup,
  PDFSignature,
  PDFTextField,
} from '@cantoo/pdf-lib';

export type FormFieldType = 'text' | 'checkbox' | 'radio' | 'dropdown' | 'button' | 'signature';

/** One AcroForm field as lint and the mapping checks see it. */
export interface FormFieldInfo {
  name: string;
  type: FormFieldType;
  /** Checkbox on-state names ("1", "3", not always "Yes"), one per widget. */
  onValues?: string[];
  /** Radio export values or dropdown/list choices. */
  options?: string[];
  maxLength?: number;
  multiline?: boolean;
}

/**
 * Lists every field of a PDF form. Pass a decrypted file (an installed form): an encrypted one
 * fails to load, which is the right answer for a lint that must see every field.
 */
export async function listFormFields(pdfBytes: Uint8Array): Promise<FormFieldInfo[]> {
  // preserveXFA: listing must not modify the document (pdf-lib strips XFA in getForm otherwise).
  const doc = await PDFDocument.load(pdfBytes, { preserveXFA: true, updateMetadata: false });
  return listDocumentFields(doc);
}

/** Same as listFormFields for a document already loaded (the installer checks its own output). */
export function listDocumentFields(doc: PDFDocument): FormFieldInfo[] {
  return doc.getForm().getFields().map(describeField);
}

export function describeField(field: PDFField): FormFieldInfo {
  const name = field.getName();
  if (field instanceof PDFTextField) {
    const maxLength = field.getMaxLength();
    return {
      name,
      type: 'text',
      multiline: field.isMultiline(),
      ...(maxLength === undefined ? {} : { maxLength }),
    };
  }
  if (field instanceof PDFCheckBox)
    return { name, type: 'checkbox', onValues: checkboxOnValues(field) };
  if (field instanceof PDFRadioGroup) return { name, type: 'radio', options: field.getOptions() };
  // A list box is a dropdown that shows several rows: the mapping treats both as one choice.
  if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
    return { name, type: 'dropdown', options: field.getOptions() };
  }
  if (field instanceof PDFSignature) return { name, type: 'signature' };
  if (field instanceof PDFButton) return { name, type: 'button' };
  // pdf-lib only produces the classes above; anything else would be a new kind lint must learn.
  throw new Error(`Unsupported form field type for "${name}"`);
}

function checkboxOnValues(field: PDFCheckBox): string[] {
  const values = field.acroField
    .getWidgets()
    .map((w) => w.getOnValue())
    .filter((v): v is PDFName => v !== undefined)
    .map((v) => v.decodeText());
  return [...new Set(values)];
}
