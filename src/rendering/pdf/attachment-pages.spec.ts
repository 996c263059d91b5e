import { pdfInfo, pdfText } from '../../../test/support/pdf-reading';
import { renderAttachmentPages } from './attachment-pages';

const caption = {
  court: 'Superior Court of California, County of Alameda',
  caseNumber: '26-DV-0412',
  petitioner: 'Nguyễn Thị Hằng',
  respondent: 'Олександр Петренко',
};

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('renderAttachmentPages', () => {
  it('continues long text across numbered pages, each with the caption', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `Sentence ${i + 1} of what happened.`).join(
      ' ',
    );
    const bytes = await renderAttachmentPages(caption, [
      { heading: 'DV-100, item 7 (continued)', text: long },
      { heading: 'DV-100, item 9 (continued)', text: 'He has a handgun in his truck.' },
    ]);
    const info = await pdfInfo(bytes);
    const pages = Number(info.Pages);
    expect(pages).toBeGreaterThan(1);
    expect(info['Page size']).toMatch(/^612 x 792/);
    for (let n = 1; n <= pages; n++) {
      const text = await pdfText(bytes, { first: n, last: n });
      expect(text).toContain(`Attachment page ${n} of ${pages}`);
      expect(text).toContain('Nguyễn Thị Hằng');
      expect(text).toContain('Олександр Петренко');
      expect(text).toContain('26-DV-0412');
    }
    const all = squash(await pdfText(bytes));
    expect(all).toContain('DV-100, item 7 (continued)');
    expect(all).toContain('Sentence 1 of what happened.');
    expect(all).toContain('Sentence 120 of what happened.');
    expect(all).toContain('DV-100, item 9 (continued) He has a handgun in his truck.');
  });

  it('draws Chinese, Arabic and mixed-script text with the right fonts', async () => {
    const bytes = await renderAttachmentPages({ ...caption, respondent: '李小龍' }, [
      { heading: 'Item 3 (continued)', text: 'Witnesses: 李小龍 and محمد, and Олександр.' },
    ]);
    const text = await pdfText(bytes);
    expect(text).toContain('李小龍');
    expect(text).toContain('محمد');
    expect(text).toContain('Олександр');
  });

  it('carries no identifying metadata', async () => {
    const bytes = await renderAttachmentPages(caption, [{ heading: 'Item 1', text: 'Text.' }]);
    const info = await pdfInfo(bytes);
    expect(info.Title).toBe('Attachment');
    expect(JSON.stringify(info)).not.toMatch(/Nguy|Олек|pdf-lib/i);
  });
});
