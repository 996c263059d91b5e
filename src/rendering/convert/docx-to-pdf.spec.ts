import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { pdfText } from '../../../test/support/pdf-reading';
import { buildDocx, paragraph } from '../../confidentiality/confidentiality-test-helpers';
import { DocxToPdfConverter } from './docx-to-pdf';

/** A DOCX with one paragraph per line given. */
const makeDocx = (lines: string[]): Buffer =>
  Buffer.from(buildDocx({ body: lines.map((line) => paragraph([line])) }));

describe('DocxToPdfConverter', () => {
  const converter = new DocxToPdfConverter();

  it('converts several DOCX files in one LibreOffice run, in order, and cleans up', async () => {
    if (!converter.available()) return void console.warn(converter.message());
    // A private temporary folder, so other processes' conversions cannot blur what is left
    // behind. (Setting TMPDIR would not do: os.tmpdir() in a Jest test does not see it.)
    const privateTmp = mkdtempSync(join(tmpdir(), 'po-convert-test-'));
    const pdfs = await new DocxToPdfConverter(undefined, process.env, { tmpDir: privateTmp })
      .convert([
        {
          name: 'petition.docx',
          bytes: makeDocx(['PETITION FOR PROTECTIVE ORDER', 'Nguyễn Thị Hằng']),
        },
        { name: '../declaration.docx', bytes: makeDocx(['DECLARATION', 'Олександр']) },
      ])
      .catch((e: unknown) => {
        rmSync(privateTmp, { recursive: true, force: true });
        throw e;
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
