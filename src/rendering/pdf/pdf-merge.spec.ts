import { PDFArray, PDFDict, PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { pdfInfo, pdfOutline, pdfText } from '../../../test/support/pdf-reading';
import { renderAttachmentPages } from './attachment-pages';
import { mergePdfs } from './pdf-merge';

async function pages(count: number, label: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) doc.addPage([612, 792]).drawText(`${label} ${i + 1}`);
  doc.setAuthor('Someone who must not show');
  return doc.save();
}

describe('mergePdfs', () => {
  it('puts every page in order with one bookmark per part', async () => {
    const attachment = await renderAttachmentPages(
      { court: 'Court', petitioner: 'Nguyễn Thị Hằng', respondent: '李小龍' },
      [{ heading: 'Item 1 (continued)', text: 'Continued text.' }],
    );
    const merged = await mergePdfs([
      { title: 'Petition', bytes: await pages(2, 'Petition page') },
      { title: 'Déclaration — 李小龍', bytes: await pages(3, 'Declaration page') },
      { title: 'Attachment', bytes: attachment },
    ]);
    expect(await pdfOutline(merged)).toEqual(['Petition', 'Déclaration — 李小龍', 'Attachment']);
    expect((await pdfInfo(merged)).Pages).toBe('6');
    expect(await pdfText(merged, { first: 3, last: 3 })).toContain('Declaration page 1');
    expect(await pdfText(merged, { first: 6, last: 6 })).toContain('Nguyễn Thị Hằng');
  });

  it('points each bookmark at the first page of its part', async () => {
    const merged = await mergePdfs([
      { title: 'A', bytes: await pages(2, 'A') },
      { title: 'B', bytes: await pages(1, 'B') },
    ]);
    const doc = await PDFDocument.load(merged);
    const pageRefs = doc.getPages().map((p) => p.ref.toString());
    // qpdf's JSON gives titles only, so the destinations are read with pdf-lib's object API.
    const root = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    const first = root.lookup(PDFName.of('First'), PDFDict);
    const second = first.lookup(PDFName.of('Next'), PDFDict);
    const dest = (item: PDFDict) => item.lookup(PDFName.of('Dest'), PDFArray).get(0).toString();
    expect([dest(first), dest(second)]).toEqual([pageRefs[0], pageRefs[2]]);
  });

  it('carries no metadata from its parts', async () => {
    const merged = await mergePdfs([{ title: 'A', bytes: await pages(1, 'A') }]);
    const info = await pdfInfo(merged);
    expect(info.Title).toBe('Court packet');
    expect(info.Author).toBeUndefined();
    expect(info.Producer).toBeUndefined();
  });

  it('refuses a part that is not a PDF, naming it', async () => {
    await expect(
      mergePdfs([{ title: 'Broken', bytes: new TextEncoder().encode('not a pdf') }]),
    ).rejects.toBeInstanceOf(AppError);
  });
});
