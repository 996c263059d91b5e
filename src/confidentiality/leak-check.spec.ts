import PizZip from 'pizzip';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { fixture } from '../../test/support/fixtures';
import { buildDocx, buildPdf, paragraph, PdfPlacement } from './confidentiality-test-helpers';
import { extractVisibleText } from './extract-text';
import { assertNoLeaks, checkForLeaks, LeakFinding, REDACTED } from './leak-check';
import { confidentialValues } from './sensitivity';

// maximal.json: residence 2291 Fruitvale Avenue, Unit 12B; phone (510) 555-0199; safe.mail@example.org
const confidential = confidentialValues(parseCaseFacts(fixture('maximal')));
const SECRETS = [
  '2291 Fruitvale',
  'Fruitvale',
  '5105550199',
  '555-0199',
  '5550199',
  'safe.mail',
  'example.org',
];

function expectNoSecretIn(output: unknown): void {
  const text = JSON.stringify(output).toLowerCase();
  for (const secret of SECRETS) expect(text).not.toContain(secret.toLowerCase());
}

async function findingsFor(name: string, bytes: Uint8Array): Promise<LeakFinding[]> {
  const findings = await checkForLeaks([{ name, bytes, documentId: 'DV-109' }], confidential);
  expectNoSecretIn(findings);
  return findings;
}

describe('checkForLeaks in PDFs', () => {
  it.each<[PdfPlacement, string]>([
    ['page-text', 'page 1 text'],
    ['form-field', 'field contact'],
    ['title', 'metadata Title'],
    ['bookmark', 'bookmark'],
    ['annotation', 'annotation'],
    ['xmp', 'XMP'],
  ])('finds the phone number placed in %s, at "%s"', async (placement, where) => {
    const findings = await findingsFor('service.pdf', await buildPdf('(510) 555-0199', placement));
    expect(findings).toContainEqual({
      documentId: 'DV-109',
      file: 'service.pdf',
      where,
      field: 'petitioner.safePhone',
    });
  });

  it('finds the local number printed without its area code', async () => {
    const findings = await findingsFor('service.pdf', await buildPdf('555 0199', 'page-text'));
    expect(findings.map((f) => f.field)).toEqual(['petitioner.safePhone']);
  });

  it('finds the residence written with other abbreviations and case', async () => {
    const pdf = await buildPdf('2291 FRUITVALE AVE., #12B', 'page-text');
    const findings = await findingsFor('service.pdf', pdf);
    expect(findings).toContainEqual(
      expect.objectContaining({ where: 'page 1 text', field: 'petitioner.residentialAddress' }),
    );
  });

  it('reports nothing for a clean PDF, even one with other phone numbers', async () => {
    expect(await findingsFor('service.pdf', await buildPdf('nothing here', 'nowhere'))).toEqual([]);
    expect(await findingsFor('service.pdf', await buildPdf('(510) 555-0198', 'page-text'))).toEqual(
      [],
    );
  });
});

describe('checkForLeaks in DOCX files', () => {
  it('finds a street split across runs in a header, naming the header', async () => {
    const docx = buildDocx({
      body: [paragraph(['Respondent copy. Nothing confidential in the body.'])],
      header: [paragraph(['Petitioner lives at 2291 Fruit', 'vale Av', 'enue'])],
    });
    const findings = await findingsFor('declaration.docx', docx);
    expect(findings).toEqual([
      {
        documentId: 'DV-109',
        file: 'declaration.docx',
        where: 'word/header1.xml',
        field: 'petitioner.residentialAddress',
      },
    ]);
  });

  it('rejoins a word Word split across runs, within the paragraph', async () => {
    const docx = buildDocx({
      body: [paragraph(['Lives at 2291 Fruitvale S', 't', '., Unit 1', '2B'])],
    });
    const texts = await extractVisibleText({ name: 'd.docx', bytes: docx });
    expect(texts).toContainEqual({
      where: 'word/document.xml',
      text: 'Lives at 2291 Fruitvale St., Unit 12B',
    });
  });

  it('finds an address written inside Chinese text with no spaces around it', async () => {
    const docx = buildDocx({ body: [paragraph(['我住在2291 Fruitvale Avenue的公寓'])] });
    const findings = await findingsFor('d.docx', docx);
    expect(findings.map((f) => f.field)).toEqual(['petitioner.residentialAddress']);
  });

  it('finds the phone written in Arabic-Indic digits', async () => {
    const docx = buildDocx({ body: [paragraph(['هاتف ٥١٠-٥٥٥-٠١٩٩'])] });
    const findings = await findingsFor('d.docx', docx);
    expect(findings.map((f) => f.field)).toEqual(['petitioner.safePhone']);
  });

  it('does not join separate paragraphs into a false match', async () => {
    const docx = buildDocx({
      body: [paragraph(['2291']), paragraph(['Fruitvale Avenue lies north'])],
    });
    const texts = await extractVisibleText({ name: 'd.docx', bytes: docx });
    expect(texts.find((t) => t.where === 'word/document.xml')?.text).toBe(
      '2291\nFruitvale Avenue lies north',
    );
  });

  it('reports nothing for a clean DOCX', async () => {
    const docx = buildDocx({
      body: [paragraph(['Mail goes to 1735 Telegraph Avenue, Suite 400'])],
    });
    expect(await findingsFor('declaration.docx', docx)).toEqual([]);
  });
});

describe('checkForLeaks on names, bundles and unreadable files', () => {
  it('looks inside a ZIP bundle and names the entry', async () => {
    const zip = new PizZip();
    zip.file('service.pdf', await buildPdf('(510) 555-0199', 'page-text'));
    const bundle = zip.generate({ type: 'uint8array' });
    const findings = await findingsFor('bundle.zip', bundle);
    expect(findings).toContainEqual(
      expect.objectContaining({ where: 'service.pdf: page 1 text', field: 'petitioner.safePhone' }),
    );
  });

  it('finds the value in a file name without repeating the name', async () => {
    const findings = await findingsFor('2291 Fruitvale Ave.pdf', await buildPdf('x', 'nowhere'));
    expect(findings).toEqual([
      {
        documentId: 'DV-109',
        file: REDACTED,
        where: 'file name',
        field: 'petitioner.residentialAddress',
      },
    ]);
  });

  it('blocks a file it cannot read instead of calling it clean', async () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x00, 0x13, 0x37]);
    await expect(
      checkForLeaks([{ name: 'blob.bin', bytes, documentId: 'DV-109' }], confidential),
    ).rejects.toThrow('Release blocked: DV-109 could not be read');
  });
});

describe('assertNoLeaks', () => {
  it('passes clean files', async () => {
    const bytes = await buildPdf('nothing', 'nowhere');
    await expect(
      assertNoLeaks([{ name: 'a.pdf', bytes, documentId: 'DV-100' }], confidential),
    ).resolves.toBeUndefined();
  });

  it('throws naming the document, field and place, never the value', async () => {
    const bytes = await buildPdf('safe.mail@example.org', 'title');
    const error: unknown = await assertNoLeaks(
      [{ name: 'a.pdf', bytes, documentId: 'DV-100' }],
      confidential,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(ErrorCode.ConfidentialLeak);
    expect(appError.message).toBe(
      "Release blocked: DV-100 contains the petitioner's safe email address (metadata Title)",
    );
    expectNoSecretIn({ message: appError.message, details: appError.details });
  });
});
