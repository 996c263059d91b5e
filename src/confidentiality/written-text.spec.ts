import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PDFDocument, PDFTextField, StandardFonts } from '@cantoo/pdf-lib';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { COURT_FORMS_DIR, fixture } from '../../test/support/fixtures';
import { writeAttachmentPages } from '../rendering/pdf/attachment-pages';
import { mergeWritten } from '../rendering/pdf/pdf-merge';
import { fillForm } from '../rendering/pdf/pdf-form-filler';
import type { WrittenPdf } from '../rendering/pdf/written-pdf';
import { checkForLeaks, howChecked, LeakFinding } from './leak-check';
import { confidentialValues } from './sensitivity';

// maximal.json: residence 2291 Fruitvale Avenue, Unit 12B; phone (510) 555-0199; safe.mail@example.org
const confidential = confidentialValues(parseCaseFacts(fixture('maximal')));
const PHONE = 'petitioner.safePhone';
const RESIDENCE = 'petitioner.residentialAddress';
const EMAIL = 'petitioner.safeEmail';

interface FormOptions {
  /** Printed on the page by the form itself. */
  staticText?: string;
  /** A value the blank form already holds in its `other` field, with its appearance. */
  prefilled?: string;
}

/** A one-page form with three text fields, and whatever the test wants printed on it. */
async function form(options: FormOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([612, 792]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Notice of hearing. Fill in every box.', { x: 50, y: 740, size: 11, font });
  if (options.staticText) page.drawText(options.staticText, { x: 50, y: 720, size: 11, font });
  const fields = doc.getForm();
  ['name', 'contact', 'other'].forEach((name, i) => {
    const field = fields.createTextField(name);
    field.addToPage(page, { x: 50, y: 600 - i * 40, width: 400, height: 24, font });
    if (name === 'other' && options.prefilled) field.setText(options.prefilled);
  });
  const notes = fields.createTextField('notes');
  notes.enableMultiline();
  notes.addToPage(page, { x: 50, y: 300, width: 500, height: 150, font });
  return doc.save({ updateFieldAppearances: true });
}

interface Outputs {
  live: WrittenPdf;
  flat: WrittenPdf;
  attachment: WrittenPdf;
  bundle: WrittenPdf;
}

/** A fill as a packet makes it: live form, flat copy, attachment pages and their bundle. */
async function outputs(
  template: Uint8Array,
  values: Record<string, string>,
  attachmentText = 'He followed me home from the bus stop.',
): Promise<Outputs> {
  const filled = await fillForm(
    template,
    Object.entries(values).map(([field, text]) => ({ field, kind: 'text' as const, text })),
    { flatten: false, alsoFlat: true },
  );
  const flat = filled.flat as WrittenPdf;
  const attachment = writeAttachmentPages(
    { court: 'Superior Court', petitioner: 'Nguyễn Thị Hằng', respondent: 'Олександр Петренко' },
    [{ heading: 'Item 5 (continued)', text: attachmentText }],
  );
  const bundle = await mergeWritten([
    { title: 'Form', written: flat },
    { title: 'Form (attachment)', written: attachment },
  ]);
  return { live: filled.written, flat, attachment, bundle };
}

/** Findings of the check as a release makes it, after holding that it read our own objects. */
async function proven(name: string, written: WrittenPdf): Promise<LeakFinding[]> {
  const file = { name, bytes: written.bytes, documentId: 'D', written };
  expect(howChecked(file)).toBe('proven');
  return checkForLeaks([file], confidential);
}

/** The same file read as before, with pdf.js and nothing known of how it was written. */
async function readWithPdfJs(name: string, written: WrittenPdf): Promise<LeakFinding[]> {
  return checkForLeaks([{ name, bytes: written.bytes, documentId: 'D' }], confidential);
}

const fieldsOf = (findings: LeakFinding[]) => [...new Set(findings.map((f) => f.field))].sort();

describe('the release check on files we wrote', () => {
  it('reads a clean fill from its own objects and finds nothing', async () => {
    const out = await outputs(await form(), {
      name: 'Nguyễn Thị Hằng',
      contact: 'PO Box 846, Oakland',
      notes: 'محمد علي and 李小龍 were there.',
    });
    for (const [name, written] of Object.entries(out)) {
      expect(await proven(`${name}.pdf`, written)).toEqual([]);
    }
  });

  it('finds a value drawn into a field in the live form, the flat copy and the bundle', async () => {
    const out = await outputs(await form(), { name: 'Hằng', contact: 'call (510) 555-0199' });
    expect(await proven('live.pdf', out.live)).toContainEqual({
      documentId: 'D',
      file: 'live.pdf',
      where: 'field contact',
      field: PHONE,
    });
    // The flat copy has no fields: the value is found in the text its page draws.
    expect(await proven('flat.pdf', out.flat)).toContainEqual(
      expect.objectContaining({ where: 'page 1 text', field: PHONE }),
    );
    expect(fieldsOf(await proven('bundle.pdf', out.bundle))).toEqual([PHONE]);
  });

  it('finds a value only in the text drawn, not in the field value, in a flat copy', async () => {
    // A multiline field wraps the address across lines: found all the same.
    const out = await outputs(await form(), {
      notes: `${'We lived together for years before this. '.repeat(4)}I now live at 2291 Fruitvale Ave., #12B, with my father.`,
    });
    expect(fieldsOf(await proven('flat.pdf', out.flat))).toEqual([RESIDENCE]);
  });

  it('finds a value written on an attachment page, and in the bundle that holds the page', async () => {
    const out = await outputs(
      await form(),
      { name: 'Hằng' },
      'Write to me at safe.mail@example.org, not at home.',
    );
    expect(fieldsOf(await proven('live.pdf', out.live))).toEqual([]);
    expect(fieldsOf(await proven('attachment.pdf', out.attachment))).toEqual([EMAIL]);
    expect(fieldsOf(await proven('bundle.pdf', out.bundle))).toEqual([EMAIL]);
  });

  it('finds a value in right-to-left text, drawn in visual order', async () => {
    const facts = parseCaseFacts(fixture('maximal'));
    facts.petitioner.residentialAddress = {
      street: 'רחוב הרצל 1234',
      city: 'Oakland',
      state: 'CA',
      postalCode: '94601',
    };
    const out = await outputs(await form(), { contact: 'אני גרה ברחוב הרצל 1234 עכשיו' });
    const file = { name: 'flat.pdf', bytes: out.flat.bytes, documentId: 'D', written: out.flat };
    expect(howChecked(file)).toBe('proven');
    const findings = await checkForLeaks([file], confidentialValues(facts));
    expect(fieldsOf(findings)).toEqual([RESIDENCE]);
  });

  it('finds Arabic in the field value; drawn, its letters read no better than pdf.js reads them', async () => {
    const facts = parseCaseFacts(fixture('maximal'));
    facts.petitioner.residentialAddress = {
      street: 'شارع النخيل 1234',
      city: 'Oakland',
      state: 'CA',
      postalCode: '94601',
    };
    const values = confidentialValues(facts);
    const out = await outputs(await form(), { contact: 'أسكن في شارع النخيل 1234 الآن' });
    const live = { name: 'live.pdf', bytes: out.live.bytes, documentId: 'D', written: out.live };
    expect(fieldsOf(await checkForLeaks([live], values))).toEqual([RESIDENCE]);
    // The dots of Arabic letters are glyphs of their own that map to no character, so the
    // drawn text of a flat copy does not spell the street for either reader.
    const flat = { name: 'flat.pdf', bytes: out.flat.bytes, documentId: 'D' };
    const pdfjs = await checkForLeaks([flat], values);
    expect(await checkForLeaks([{ ...flat, written: out.flat }], values)).toEqual(pdfjs);
  });

  it('finds a value the official form itself prints, in every file made from it', async () => {
    const template = await form({ staticText: 'Example: 2291 Fruitvale Avenue, Unit 12B' });
    const out = await outputs(template, { name: 'Hằng' });
    for (const [name, written] of Object.entries(out)) {
      if (name === 'attachment') continue;
      expect(fieldsOf(await proven(`${name}.pdf`, written))).toEqual([RESIDENCE]);
    }
  });

  it('finds a value in the appearance of a field the fill did not touch', async () => {
    const template = await form({ prefilled: 'Call 510-555-0199' });
    const out = await outputs(template, { name: 'Hằng' });
    for (const name of ['live', 'flat', 'bundle'] as const) {
      expect(fieldsOf(await proven(`${name}.pdf`, out[name]))).toEqual([PHONE]);
    }
  });

  it('reads a file with pdf.js when its official-form bytes are not the form’s', async () => {
    const out = await outputs(await form(), { contact: 'call (510) 555-0199' });
    const bytes = Buffer.from(out.live.bytes);
    // A byte inside the form's own objects, changed: the layout no longer describes the file.
    bytes[200] ^= 0x20;
    const file = { name: 'live.pdf', bytes, documentId: 'D', written: out.live };
    expect(howChecked(file)).toBe('read');
    expect(fieldsOf(await checkForLeaks([file], confidential))).toEqual([PHONE]);
  });

  it('reads a file with pdf.js when it holds an object our writers do not write', async () => {
    const out = await outputs(await form(), { name: 'Hằng' });
    const extra = Buffer.from(
      '\n999 0 obj\n<< /Length 44 >>\nstream\nBT /Helv 12 Tf 1 0 0 1 9 9 Tm (x) Tj ET\n\nendstream\nendobj\n',
      'latin1',
    );
    const bytes = Buffer.concat([out.flat.bytes, extra]);
    const file = { name: 'flat.pdf', bytes, documentId: 'D', written: out.flat };
    expect(howChecked(file)).toBe('read');
  });

  it('finds everything pdf.js finds in the same files', async () => {
    const cases: Record<string, string>[] = [
      { contact: '(510) 555-0199' },
      { contact: '510.555.0199 (cell)' },
      { name: 'Hằng', contact: '555 0199' },
      { notes: 'My home: 2291 FRUITVALE AVE, Unit 12B, Oakland' },
      { other: 'safe.mail@example.org' },
      { name: 'Hằng', contact: 'PO Box 846' },
    ];
    for (const values of cases) {
      const out = await outputs(await form(), values);
      for (const [name, written] of Object.entries(out)) {
        const fast = fieldsOf(await proven(`${name}.pdf`, written));
        const pdfjs = fieldsOf(await readWithPdfJs(`${name}.pdf`, written));
        expect({ name, values, found: fast }).toEqual({ name, values, found: pdfjs });
      }
    }
  });
});

describe('the release check on a real court form (property)', () => {
  const template = new Uint8Array(
    readFileSync(join(COURT_FORMS_DIR, 'MI_CC-375_petition-for-ppo-domestic.pdf')),
  );
  let textFields: string[] = [];

  beforeAll(async () => {
    const doc = await PDFDocument.load(template);
    textFields = doc
      .getForm()
      .getFields()
      .filter((f): f is PDFTextField => f instanceof PDFTextField)
      .filter((f) => f.getMaxLength() === undefined && !f.isCombed())
      .map((f) => f.getName());
  });

  /** Confidential values as people write them, and values that only look like them. */
  const piece = fc.constantFrom(
    '(510) 555-0199',
    '510.555.0199',
    '555 0199',
    '+1 510 555 0199',
    '2291 Fruitvale Ave',
    '2291 FRUITVALE AVENUE #12B',
    'Unit 12B',
    'safe.mail@example.org',
    'SAFE.MAIL@EXAMPLE.ORG',
    'PO Box 846',
    '(510) 555-0198',
    'Nguyễn Thị Hằng',
    '李小龍',
    'Олександр',
    'Fruitvale',
  );
  const text = fc
    .array(fc.oneof(piece, fc.constantFrom('call', 'at', 'home', 'or', '—', ',')), {
      minLength: 1,
      maxLength: 4,
    })
    .map((words) => words.join(' '));

  it('finds every value pdf.js finds in the live form, flat copy, attachment and bundle', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), text), { minLength: 1, maxLength: 4 }),
        text,
        async (plants, attachmentText) => {
          const values: Record<string, string> = {};
          for (const [n, planted] of plants) values[textFields[n % textFields.length]] = planted;
          let out: Outputs;
          try {
            out = await outputs(template, values, attachmentText);
          } catch (e: unknown) {
            // A value too long for its box is refused by the fill, not a case for the check.
            if (e instanceof AppError) return;
            throw e;
          }
          for (const [name, written] of Object.entries(out)) {
            const fast = fieldsOf(await proven(`${name}.pdf`, written));
            const pdfjs = fieldsOf(await readWithPdfJs(`${name}.pdf`, written));
            expect(fast).toEqual(expect.arrayContaining(pdfjs));
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 12) },
    );
  }, 300_000);
});
