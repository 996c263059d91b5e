import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFTextField } from '@cantoo/pdf-lib';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { COURT_FORMS_DIR, fixture } from '../../test/support/fixtures';
import { extractVisibleText } from './extract-text';
import { checkForLeaks } from './leak-check';
import { confidentialValues } from './sensitivity';

/** The official forms, byte for byte as published: real-world PDFs (encrypted, XFA) and DOCX. */
const FORMS = readdirSync(COURT_FORMS_DIR).filter((name) => /\.(pdf|docx)$/.test(name));

describe('official court forms', () => {
  it.each(FORMS)('%s is read and, blank, holds no confidential value', async (name) => {
    const bytes = new Uint8Array(readFileSync(join(COURT_FORMS_DIR, name)));
    const texts = await extractVisibleText({ name, bytes });
    const words = texts.map((t) => t.text).join(' ');
    expect(words.length).toBeGreaterThan(500);
    for (const fixtureName of ['typical', 'maximal'] as const) {
      const confidential = confidentialValues(parseCaseFacts(fixture(fixtureName)));
      const findings = await checkForLeaks([{ name, bytes, documentId: name }], confidential);
      expect(findings).toEqual([]);
    }
  });
});

describe('an official form filled with a confidential value', () => {
  it('is found in the field that holds it', async () => {
    const name = 'MA_209A_complaint_page1.pdf';
    const doc = await PDFDocument.load(readFileSync(join(COURT_FORMS_DIR, name)));
    const field = doc
      .getForm()
      .getFields()
      .find((f) => f instanceof PDFTextField);
    if (!(field instanceof PDFTextField)) throw new Error(`${name} has a text field`);
    field.setText('2291 Fruitvale Ave. #12B');
    const bytes = await doc.save();
    const confidential = confidentialValues(parseCaseFacts(fixture('maximal')));
    const findings = await checkForLeaks([{ name, bytes, documentId: 'MA-209A' }], confidential);
    expect(findings).toContainEqual({
      documentId: 'MA-209A',
      file: name,
      where: `field ${field.getName()}`,
      field: 'petitioner.residentialAddress',
    });
  });
});
