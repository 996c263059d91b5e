import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { projectRoot } from '../config/project-root';
import { checkDocx } from './docx-check';
import { InflateBudget } from './zip-reader';

const LIMITS = { maxEntries: 200, maxUncompressedBytes: 10 * 1024 * 1024 };
const PETITION = readFileSync(join(projectRoot(), 'templates', 'generic-us', 'petition.docx'));

function changed(part: string, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(PETITION);
  zip.file(part, edit(zip.file(part)?.asText() ?? ''));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function problems(docx: Buffer): Promise<string[]> {
  const found = await checkDocx(
    't.docx',
    docx,
    LIMITS,
    new InflateBudget(LIMITS.maxUncompressedBytes),
  );
  return found.map((p) => p.message);
}

describe('checkDocx', () => {
  it('accepts the bundled templates and the legal-aid DOCX files', async () => {
    const court = join(projectRoot(), '..', 'shared', 'court-forms');
    const files = [
      join(projectRoot(), 'templates', 'generic-us', 'petition.docx'),
      join(projectRoot(), 'templates', 'generic-us', 'declaration.docx'),
      join(projectRoot(), 'templates', 'common', 'next-steps.docx'),
      join(court, 'MA_209A_affidavit_addendum.docx'),
      join(court, 'MI_CC-375_statement-of-facts.docx'),
    ];
    for (const file of files)
      expect([file, await problems(readFileSync(file))]).toEqual([file, []]);
  });

  it('finds a DOCTYPE in a UTF-16 part, where a byte search for it would not', async () => {
    const zip = new PizZip(PETITION);
    const xml = zip.file('word/document.xml')?.asText() ?? '';
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(xml.replace('?>', '?><!DOCTYPE x>'), 'utf16le'),
    ]);
    zip.file('word/document.xml', utf16);
    const docx = zip.generate({ type: 'nodebuffer' });
    expect(await problems(docx)).toEqual([
      't.docx: part word/document.xml: it has a DOCTYPE declaration, which is not accepted',
    ]);
  });

  it('refuses relationships that climb out of the package, and fields that fetch content', async () => {
    const rels = changed('word/_rels/document.xml.rels', (xml) =>
      xml.replace(
        '</Relationships>',
        '<Relationship Id="rX" Type="t" Target="../../../secret.xml"/></Relationships>',
      ),
    );
    expect(await problems(rels)).toEqual([
      't.docx: part word/_rels/document.xml.rels: relationship rX points outside the package (../../../secret.xml)',
    ]);
    const field = changed('word/document.xml', (xml) =>
      xml.replace(
        '<w:body>',
        '<w:body><w:p><w:r><w:instrText> INCLUDE</w:instrText></w:r><w:r><w:instrText>PICTURE "http://x/y.png" \\d</w:instrText></w:r></w:p>',
      ),
    );
    expect(await problems(field)).toEqual([
      't.docx: part word/document.xml: it has a INCLUDEPICTURE field, which loads content from outside the document',
    ]);
  });

  it('refuses macro-enabled content types and a DOCX without its main document', async () => {
    const macro = changed('[Content_Types].xml', (xml) =>
      xml.replace(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
        'application/vnd.ms-word.document.macroEnabled.main+xml',
      ),
    );
    expect(await problems(macro)).toEqual([
      't.docx: part [Content_Types].xml: it declares macro or ActiveX content (application/vnd.ms-word.document.macroEnabled.main+xml)',
    ]);
    const zip = new PizZip(PETITION);
    zip.remove('word/document.xml');
    expect(await problems(zip.generate({ type: 'nodebuffer' }))).toEqual([
      't.docx: is not a usable DOCX: it has no word/document.xml',
    ]);
    expect(await problems(Buffer.from('%PDF-1.4'))).toEqual([
      't.docx: is declared a DOCX but its bytes are a PDF',
    ]);
  });
});
