import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { pdfText } from '../../../test/support/pdf-reading';
import { DocxToPdfConverter } from './docx-to-pdf';

/** The smallest DOCX Word and LibreOffice open: one paragraph per line given. */
function makeDocx(paragraphs: string[]): Buffer {
  const zip = new PizZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  );
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`);
  zip.file(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `<w:body>${body.join('')}</w:body></w:document>`,
  );
  return zip.generate({ type: 'nodebuffer' });
}

describe('DocxToPdfConverter', () => {
  const converter = new DocxToPdfConverter();

  it('converts several DOCX files in one LibreOffice run, in order, and cleans up', async () => {
    if (!converter.available()) return void console.warn(converter.message());
    // A private temporary folder, so other processes' conversions cannot blur what is left behind.
    const privateTmp = mkdtempSync(join(tmpdir(), 'po-convert-test-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    const pdfs = await converter
      .convert([
        {
          name: 'petition.docx',
          bytes: makeDocx(['PETITION FOR PROTECTIVE ORDER', 'Nguyễn Thị Hằng']),
        },
        { name: '../declaration.docx', bytes: makeDocx(['DECLARATION', 'Олександр']) },
      ])
      .finally(() => {
        if (savedTmp === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = savedTmp;
      });
    expect(pdfs).toHaveLength(2);
    expect(await pdfText(pdfs[0])).toContain('PETITION FOR PROTECTIVE ORDER');
    expect(await pdfText(pdfs[0])).toContain('Nguyễn Thị Hằng');
    expect(await pdfText(pdfs[1])).toContain('DECLARATION');
    expect(await pdfText(pdfs[1])).toContain('Олександр');
    expect(readdirSync(privateTmp)).toEqual([]);
    rmSync(privateTmp, { recursive: true, force: true });
  }, 120_000);

  it('returns nothing for nothing without starting LibreOffice', async () => {
    await expect(converter.convert([])).resolves.toEqual([]);
  });

  it('reports a missing LibreOffice plainly and refuses to convert', async () => {
    const missing = new DocxToPdfConverter('/nonexistent/soffice');
    expect(missing.available()).toBe(false);
    expect(missing.message()).toMatch(/LibreOffice not found/);
    const error = await missing
      .convert([{ name: 'a.docx', bytes: makeDocx(['x']) }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.ConverterUnavailable);
  });

  it('finds LibreOffice on PATH when no path is configured', () => {
    const none = new DocxToPdfConverter(undefined, { PATH: '/nonexistent' });
    expect(none.available()).toBe(false);
  });

  it('fails with RenderFailed, not a crash, on a file that is not a DOCX', async () => {
    if (!converter.available()) return;
    const error = await converter
      .convert([{ name: 'junk.docx', bytes: Buffer.from('not a document') }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.RenderFailed);
  }, 120_000);
});
