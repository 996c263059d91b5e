import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from '@cantoo/pdf-lib';
import * as fontkit from '@cantoo/fontkit';
import { COURT_FORMS_DIR } from '../../../test/support/fixtures';
import { pdfFieldStates, pdfText } from '../../../test/support/pdf-reading';
import { cleanText, FontLibrary } from './font-library';
import { fillForm } from './pdf-form-filler';

const run = promisify(execFile);

/** `qpdf --check` output; it exits non-zero on errors (and so throws). */
async function qpdfCheck(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qpdf-check-'));
  try {
    const path = join(dir, 'in.pdf');
    await writeFile(path, bytes);
    const { stdout, stderr } = await run('qpdf', ['--check', path]);
    return `${stdout}${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Clean as a clerk's tools want it: no warning, no error. */
function expectClean(report: string): void {
  expect(report).toContain('No syntax or stream encoding errors found');
  expect(report).not.toMatch(/WARNING/);
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** A small form of two text fields, saved as pdf-lib saves (a cross-reference stream). */
async function twoFieldForm(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const form = doc.getForm();
  for (const [i, name] of ['first', 'second'].entries()) {
    const field = form.createTextField(name);
    field.addToPage(page, { x: 50, y: 700 - i * 40, width: 300, height: 24 });
    field.setFontSize(0);
  }
  return doc.save({ updateFieldAppearances: false });
}

describe('fillForm writes an incremental update', () => {
  const read = (file: string) => new Uint8Array(readFileSync(join(COURT_FORMS_DIR, file)));

  it('keeps the original bytes as a prefix, checks clean in qpdf and shows the name on page 1', async () => {
    const template = read('MI_CC-375_petition-for-ppo-domestic.pdf');
    const { bytes, flatBytes } = await fillForm(
      template,
      [
        { field: 'trial_court_county', kind: 'text', text: 'Nguyễn Thị Hằng' },
        { field: 'petitioner_respondent_married', kind: 'checkbox', checked: true },
      ],
      { flatten: false, alsoFlat: true },
    );
    expect(Buffer.from(bytes.subarray(0, template.length)).equals(Buffer.from(template))).toBe(
      true,
    );
    // A few kilobytes of update, not a rewritten file.
    expect(bytes.length - template.length).toBeLessThan(64 * 1024);
    expect(latin1(bytes.subarray(template.length))).toMatch(/\/Prev \d+/);
    expectClean(await qpdfCheck(bytes));
    expect(await pdfText(bytes, { first: 1, last: 1 })).toContain('Nguyễn Thị Hằng');
    expect((await pdfFieldStates(bytes)).petitioner_respondent_married.value).toBe('/On');
    const flat = flatBytes as Uint8Array;
    expectClean(await qpdfCheck(flat));
    expect(await pdfFieldStates(flat)).toEqual({});
    expect(await pdfText(flat, { first: 1, last: 1 })).toContain('Nguyễn Thị Hằng');
  });

  it('updates a linearized form with a cross-reference stream cleanly', async () => {
    const template = read('MA_209A_affidavit.pdf');
    const { bytes } = await fillForm(
      template,
      [{ field: 'incident_date', kind: 'text', text: 'October 3, 2026' }],
      { flatten: false },
    );
    expect(Buffer.from(bytes.subarray(0, template.length)).equals(Buffer.from(template))).toBe(
      true,
    );
    expectClean(await qpdfCheck(bytes));
    expect((await pdfFieldStates(bytes)).incident_date.value).toBe('October 3, 2026');
  });

  it('does not let one fill of a prepared form bleed into the next', async () => {
    const template = await twoFieldForm();
    const first = await fillForm(template, [{ field: 'first', kind: 'text', text: 'Олександр' }], {
      flatten: false,
    });
    const second = await fillForm(template, [{ field: 'second', kind: 'text', text: 'Rachel' }], {
      flatten: false,
    });
    expect(await pdfFieldStates(first.bytes)).toMatchObject({
      first: { value: 'Олександр' },
      second: { value: '' },
    });
    expect(await pdfFieldStates(second.bytes)).toMatchObject({
      first: { value: '' },
      second: { value: 'Rachel' },
    });
    expect(await pdfText(second.bytes)).not.toContain('Олександр');
    expect(await pdfText(first.bytes)).not.toContain('Rachel');
  });

  it('gives a fill after a fill in another script the fonts it needs, and only those', async () => {
    const template = await twoFieldForm();
    const chinese = await fillForm(template, [{ field: 'first', kind: 'text', text: '李小龍' }], {
      flatten: false,
    });
    const arabic = await fillForm(template, [{ field: 'first', kind: 'text', text: 'Mo محمد' }], {
      flatten: false,
    });
    const added = (bytes: Uint8Array) => latin1(bytes.subarray(template.length));
    expect(added(chinese.bytes)).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(added(chinese.bytes)).not.toMatch(/NotoSansArabic/);
    expect(added(arabic.bytes)).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansArabic/);
    expect(added(arabic.bytes)).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans-Regular/);
    expect(added(arabic.bytes)).not.toMatch(/NotoSansSC/);
    expect(await pdfText(chinese.bytes)).toContain('李小龍');
    const text = await pdfText(arabic.bytes);
    expect(text).toContain('Mo');
    expect(text).toContain('محمد');
  });

  it('repairs a form whose cross-reference offset is wrong once, then fills it', async () => {
    const template = latin1(await twoFieldForm()).replace(/startxref\s+\d+/, 'startxref\n12');
    const { bytes } = await fillForm(
      Buffer.from(template, 'latin1'),
      [{ field: 'first', kind: 'text', text: 'Hằng' }],
      { flatten: false },
    );
    expectClean(await qpdfCheck(bytes));
    expect((await pdfFieldStates(bytes)).first.value).toBe('Hằng');
  });
});

describe('FaceShaper', () => {
  const library = FontLibrary.shared();
  const samples = [
    'Nguyễn Thị Hằng said: the office staff were fluffy and efficient',
    '李小龍 王 and 小 ⼩',
    'Олександр Nguyễn',
    'محمد علي 123, مـ',
    'שלום עולם',
    'नमस्ते दुनिया',
    'Mo, محمد, 李小龍',
    'a\u200db ị i\u0323 x',
  ];

  it('gives, word by word, the glyphs fontkit gives the whole string', () => {
    for (const sample of samples) {
      for (const r of library.runsFor(cleanText(sample), 'sample')) {
        const whole = r.face.font.layout(r.text);
        const shaped = r.face.shaper.shape(r.text);
        expect(shaped.glyphs).toEqual(whole.glyphs.map((g) => g.id));
        expect(shaped.advance).toBe(whole.glyphs.reduce((sum, g) => sum + g.advanceWidth, 0));
      }
    }
  });
});

describe('TrueTypeFile.subset', () => {
  it('keeps the outlines and widths of the glyphs asked for, composites included', () => {
    const face = FontLibrary.shared().faces[0];
    const glyphs = face.shaper.shape('Nguyễn Hằng ffi').glyphs;
    const { font, newIds } = face.file.subset(glyphs);
    const subset = fontkit.create(font);
    if (!('getGlyph' in subset)) throw new Error('a collection');
    for (const gid of glyphs) {
      const original = face.font.getGlyph(gid);
      const copy = subset.getGlyph(newIds.get(gid) ?? -1);
      expect(copy?.advanceWidth).toBe(original?.advanceWidth);
      expect(copy?.path.toSVG()).toBe(original?.path.toSVG());
    }
  });
});
