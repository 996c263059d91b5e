import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { projectRoot } from '../config/project-root';
import { checkPdfForm } from './pdf-check';

const COURT_FORMS = join(projectRoot(), '..', 'shared', 'court-forms');
const FORM = readFileSync(
  join(projectRoot(), 'templates', 'generic-us', 'forms', 'confidential-information.pdf'),
);

async function problems(bytes: Buffer): Promise<string[]> {
  return (await checkPdfForm('f.pdf', bytes)).map((p) => p.message);
}

async function changed(change: (doc: PDFDocument) => void): Promise<Buffer> {
  const doc = await PDFDocument.load(FORM);
  change(doc);
  return Buffer.from(await doc.save());
}

describe('checkPdfForm', () => {
  it('accepts court forms whose scripts only format fields', async () => {
    for (const name of [
      'IL_petition-for-order-of-protection_2025_ILAO.pdf',
      'MA_209A_affidavit.pdf',
      'MI_CC-375_petition-for-ppo-domestic.pdf',
    ]) {
      expect([name, await problems(readFileSync(join(COURT_FORMS, name)))]).toEqual([name, []]);
    }
  });

  it('opens the California forms (owner password only) and finds their document-level JavaScript', async () => {
    expect(
      await problems(readFileSync(join(COURT_FORMS, 'CA_DV-109_notice-of-court-hearing.pdf'))),
    ).toEqual([
      'f.pdf: it has document-level JavaScript (/Names /JavaScript), which runs when opened; not accepted',
    ]);
  });

  it('follows an open action chain to the script at its end, and refuses document actions', async () => {
    const chained = await changed((doc) => {
      const script = doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
      doc.catalog.set(
        PDFName.of('OpenAction'),
        doc.context.obj({ S: 'GoTo', D: [doc.getPage(0).ref, 'Fit'], Next: [script] }),
      );
      doc.catalog.set(
        PDFName.of('AA'),
        doc.context.obj({ WC: { S: 'JavaScript', JS: PDFString.of('x') } }),
      );
    });
    expect(await problems(chained)).toEqual([
      'f.pdf: it runs JavaScript when opened (/OpenAction); not accepted',
      'f.pdf: it has document actions (/AA) that run on open, close, save or print; not accepted',
    ]);
  });

  it('refuses attached files and a page that runs a script when it opens', async () => {
    const attached = await changed((doc) => {
      doc.catalog.set(PDFName.of('Names'), doc.context.obj({ EmbeddedFiles: { Names: [] } }));
      doc
        .getPage(0)
        .node.set(
          PDFName.of('AA'),
          doc.context.obj({ O: { S: 'JavaScript', JS: PDFString.of('x') } }),
        );
    });
    expect(await problems(attached)).toEqual([
      'f.pdf: it carries attached files (/EmbeddedFiles); not accepted',
      'f.pdf: page 1 runs JavaScript when it is opened; not accepted',
    ]);
  });

  it('says what a file that is not a PDF is', async () => {
    expect(await problems(Buffer.from('{"fields":{}}'))).toEqual([
      'f.pdf: is declared a PDF form but its bytes look like JSON',
    ]);
  });
});
