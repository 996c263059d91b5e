import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFTextField } from '@cantoo/pdf-lib';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { FieldValue } from '../../packs/form-mapping';
import { COURT_FORMS_DIR } from '../../../test/support/fixtures';
import { pdfFieldStates, pdfInfo, pdfText } from '../../../test/support/pdf-reading';
import { renderAttachmentPages } from './attachment-pages';
import { fillForm } from './pdf-form-filler';

const NAMES = {
  vietnamese: 'Nguyễn Thị Hằng',
  chinese: '李小龍',
  ukrainian: 'Олександр',
  arabic: 'محمد',
};

/** Renames a checkbox widget's on-state, as official forms have `1`, `3`, `On` instead of `Yes`. */
function renameOnState(widget: PDFDict, to: string): void {
  for (const key of ['N', 'D']) {
    const states = widget.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of(key));
    if (!(states instanceof PDFDict)) continue;
    const on = states.get(PDFName.of('Yes'));
    if (!on) continue;
    states.delete(PDFName.of('Yes'));
    states.set(PDFName.of(to), on);
  }
}

/** A small fillable form with one field of each kind the filler handles. */
async function buildFixtureForm(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const form = doc.getForm();
  const text = (name: string, y: number, size: number, width = 300, height = 20) => {
    const f = form.createTextField(name);
    f.addToPage(page, { x: 50, y, width, height });
    f.setFontSize(size);
    return f;
  };
  Object.keys(NAMES).forEach((name, i) => text(name, 720 - i * 30, 11));
  text('autoSized', 580, 0, 120, 18);
  text('shortName', 550, 10, 60, 18);
  const multi = text('narrative', 380, 0, 250, 150);
  multi.enableMultiline();
  const comb = text('zip', 340, 0, 100, 20);
  comb.setMaxLength(5);
  comb.enableCombing();
  text('limited', 310, 10, 200, 20).setMaxLength(4);
  // As DV-100 item 5d: multiline, 11 pt, but only 14 pt tall, so no 11-pt line box fits.
  text('oneLineHigh', 280, 11, 300, 14).enableMultiline();

  const plain = form.createCheckBox('plainBox');
  plain.addToPage(page, { x: 400, y: 720, width: 12, height: 12 });
  const three = form.createCheckBox('itemThree');
  three.addToPage(page, { x: 400, y: 690, width: 12, height: 12 });
  renameOnState(three.acroField.getWidgets()[0].dict, '3');
  // One field, two widgets with different on-states: a radio group drawn as checkboxes.
  const gender = form.createCheckBox('genderBox');
  gender.addToPage(page, { x: 400, y: 660, width: 12, height: 12 });
  gender.addToPage(page, { x: 430, y: 660, width: 12, height: 12 });
  const [first, second] = gender.acroField.getWidgets();
  renameOnState(first.dict, '1');
  renameOnState(second.dict, '3');

  const county = form.createDropdown('county');
  county.addOptions(['Adams', 'Cook', 'DuPage']);
  county.addToPage(page, { x: 400, y: 600, width: 150, height: 20 });
  const radio = form.createRadioGroup('hearing');
  radio.addOptionToPage('morning', page, { x: 400, y: 560, width: 12, height: 12 });
  radio.addOptionToPage('afternoon', page, { x: 430, y: 560, width: 12, height: 12 });
  form.createTextField('notText').addToPage(page, { x: 400, y: 520, width: 100, height: 20 });
  // Keep /DA as set: regenerating here would bake a computed size into the auto-sized fields.
  return doc.save({ updateFieldAppearances: false });
}

function expectAppError(e: unknown, code: ErrorCode): AppError {
  expect(e).toBeInstanceOf(AppError);
  const err = e as AppError;
  expect(err.code).toBe(code);
  return err;
}

async function fillError(template: Uint8Array, values: FieldValue[]): Promise<AppError> {
  try {
    await fillForm(template, values, { flatten: false });
  } catch (e: unknown) {
    return e as AppError;
  }
  throw new Error('fillForm did not fail');
}

const nameValues = (): FieldValue[] =>
  Object.entries(NAMES).map(([field, text]) => ({ field, kind: 'text', text }));

describe('fillForm', () => {
  let template: Uint8Array;
  beforeAll(async () => {
    template = await buildFixtureForm();
  });

  it.each([false, true])(
    'draws Vietnamese, Chinese, Cyrillic and Arabic names that pdftotext reads back (flatten %s)',
    async (flatten) => {
      const { bytes } = await fillForm(template, nameValues(), { flatten });
      const text = await pdfText(bytes);
      for (const name of Object.values(NAMES)) expect(text).toContain(name);
    },
  );

  it('stores the names as field values and leaves the appearance to our fonts', async () => {
    const { bytes } = await fillForm(template, nameValues(), { flatten: false });
    const fields = await pdfFieldStates(bytes);
    for (const [field, name] of Object.entries(NAMES)) expect(fields[field].value).toBe(name);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getForm().acroForm.dict.get(PDFName.of('NeedAppearances'))?.toString()).toBe(
      'false',
    );
  });

  it('turns on a checkbox whose on-state is 3, and one whose on-state is Yes', async () => {
    const { bytes } = await fillForm(
      template,
      [
        { field: 'itemThree', kind: 'checkbox', checked: true },
        { field: 'plainBox', kind: 'checkbox', checked: true },
      ],
      { flatten: false },
    );
    const fields = await pdfFieldStates(bytes);
    expect(fields.itemThree).toMatchObject({ value: '/3', appearanceStates: ['/3'] });
    expect(fields.plainBox).toMatchObject({ value: '/Yes', appearanceStates: ['/Yes'] });
  });

  it('selects one widget of a checkbox whose widgets have different on-states', async () => {
    const { bytes } = await fillForm(
      template,
      [{ field: 'genderBox', kind: 'choice', option: '3' }],
      {
        flatten: false,
      },
    );
    const fields = await pdfFieldStates(bytes);
    expect(fields.genderBox).toMatchObject({ value: '/3', appearanceStates: ['/Off', '/3'] });
  });

  it('refuses checked: true on such a checkbox, naming its on-states', async () => {
    const err = await fillError(template, [
      { field: 'genderBox', kind: 'checkbox', checked: true },
    ]);
    expectAppError(err, ErrorCode.ValidationFailed);
    expect(err.details[0]).toMatchObject({ field: 'genderBox', options: ['1', '3'] });
  });

  it('turns checkboxes off with checked: false', async () => {
    const { bytes } = await fillForm(
      template,
      [
        { field: 'itemThree', kind: 'checkbox', checked: false },
        { field: 'genderBox', kind: 'checkbox', checked: false },
      ],
      { flatten: false },
    );
    const fields = await pdfFieldStates(bytes);
    expect(fields.itemThree).toMatchObject({ value: '/Off', appearanceStates: ['/Off'] });
    expect(fields.genderBox.appearanceStates).toEqual(['/Off', '/Off']);
  });

  it('selects dropdown and radio options by name', async () => {
    const { bytes } = await fillForm(
      template,
      [
        { field: 'county', kind: 'choice', option: 'Cook' },
        { field: 'hearing', kind: 'choice', option: 'afternoon' },
      ],
      { flatten: false },
    );
    const fields = await pdfFieldStates(bytes);
    expect(fields.county.value).toBe('Cook');
    // pdf-lib's radio groups keep option names in /Opt, so the states are their indexes.
    expect(fields.hearing.appearanceStates).toEqual(['/Off', '/1']);
    expect(await pdfText(bytes)).toContain('Cook');
  });

  it('lists every unknown field, wrong type and unknown option in one validation error', async () => {
    const err = await fillError(template, [
      { field: 'noSuchField', kind: 'text', text: 'x' },
      { field: 'plainBox', kind: 'text', text: 'x' },
      { field: 'notText', kind: 'checkbox', checked: true },
      { field: 'county', kind: 'choice', option: 'Nowhere' },
    ]);
    expectAppError(err, ErrorCode.ValidationFailed);
    expect(err.details.map((d) => d.field)).toEqual([
      'noSuchField',
      'plainBox',
      'notText',
      'county',
    ]);
  });

  it('writes the overflow label in the field and returns the whole text for the attachment', async () => {
    const long = `${NAMES.vietnamese} said: ${'He broke the door and took my phone. '.repeat(90)}`;
    const { bytes, overflows } = await fillForm(
      template,
      [
        {
          field: 'narrative',
          kind: 'text',
          text: long,
          overflow: { label: 'See Attachment 7', heading: 'Item 7 (continued)' },
        },
      ],
      { flatten: true },
    );
    expect(overflows).toEqual([{ field: 'narrative', heading: 'Item 7 (continued)', text: long }]);
    const formText = await pdfText(bytes);
    expect(formText).toContain('See Attachment 7');
    expect(formText).not.toContain('broke the door');

    const attachment = await renderAttachmentPages(
      { court: 'Superior Court', petitioner: NAMES.vietnamese, respondent: NAMES.ukrainian },
      overflows,
    );
    const squash = (s: string) => s.replace(/\s+/g, ' ');
    expect(squash(await pdfText(attachment))).toContain(squash(long.trim()));
  });

  it('keeps text that fits: multiline wraps, auto-size shrinks', async () => {
    const story = 'He came to my work on Monday and waited by my car for an hour. '.repeat(3);
    const { bytes, overflows } = await fillForm(
      template,
      [
        {
          field: 'narrative',
          kind: 'text',
          text: story,
          overflow: { label: 'See Attachment 7', heading: 'Item 7 (continued)' },
        },
        { field: 'autoSized', kind: 'text', text: 'Oakland Police Dept. 26-0412' },
      ],
      { flatten: true },
    );
    expect(overflows).toEqual([]);
    const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
    expect(text).toContain(story.trim());
    expect(text).toContain('Oakland Police Dept. 26-0412');
  });

  describe('a multiline field one line high (11 pt in a 14-pt box)', () => {
    const overflow = { label: 'See Attachment 5d', heading: 'DV-100, item 5d (continued)' };
    const fill = (text: string) =>
      fillForm(template, [{ field: 'oneLineHigh', kind: 'text', text, overflow }], {
        flatten: false,
      });

    it('takes empty text without drawing anything', async () => {
      const { bytes, overflows } = await fill('');
      expect(overflows).toEqual([]);
      expect((await pdfFieldStates(bytes)).oneLineHigh.value).toBe('');
    });

    it('takes a line that fits its width at the field size', async () => {
      const { bytes, overflows } = await fill('Bruised arm');
      expect(overflows).toEqual([]);
      expect((await pdfFieldStates(bytes)).oneLineHigh.value).toBe('Bruised arm');
      expect(await pdfText(bytes)).toContain('Bruised arm');
    });

    it('shrinks a slightly long line to one line rather than overflowing', async () => {
      const text = 'Bruised arm and a cut on my forehead that needed stitches.';
      const { bytes, overflows } = await fill(text);
      expect(overflows).toEqual([]);
      expect((await pdfText(bytes)).replace(/\s+/g, ' ')).toContain(text);
    });

    it('writes the (shrunk if need be) overflow label for text longer than a line', async () => {
      const long = 'He hit me with a closed fist and I could not lift my arm. '.repeat(6);
      const { bytes, overflows } = await fill(long);
      expect(overflows).toEqual([{ field: 'oneLineHigh', heading: overflow.heading, text: long }]);
      expect((await pdfFieldStates(bytes)).oneLineHigh.value).toBe(overflow.label);
    });
  });

  it('refuses text that does not fit a field without an overflow rule, naming the field', async () => {
    const err = await fillError(template, [
      { field: 'shortName', kind: 'text', text: 'Maximiliana Alexandrovna Konstantinopolskaya' },
    ]);
    expectAppError(err, ErrorCode.ValidationFailed);
    expect(err.details[0]).toMatchObject({ field: 'shortName' });
  });

  it('honours MaxLen and spreads comb fields over their cells', async () => {
    const { bytes } = await fillForm(template, [{ field: 'zip', kind: 'text', text: '94612' }], {
      flatten: true,
    });
    expect((await pdfText(bytes)).replace(/\s+/g, '')).toContain('94612');
    const err = await fillError(template, [{ field: 'limited', kind: 'text', text: '12345' }]);
    expect(err.details[0]).toMatchObject({ field: 'limited' });
  });

  it.each([
    ['a private-use character', '\u{E000}', 'U+E000'],
    ['an unassigned code point', '\u{0378}', 'U+0378'],
  ])('gives GlyphMissing naming the field and %s', async (_what, char, label) => {
    const err = await fillError(template, [
      { field: 'vietnamese', kind: 'text', text: `Nguyễn ${char}` },
    ]);
    expectAppError(err, ErrorCode.GlyphMissing);
    expect(err.details[0]).toMatchObject({
      field: 'vietnamese',
      codePoint: label,
      character: char,
    });
  });

  it('draws a value that needs several fonts (Latin, Arabic and Chinese aliases) in one field', async () => {
    const aliases = `Mo, ${NAMES.arabic}, ${NAMES.chinese}`;
    const { bytes } = await fillForm(
      template,
      [{ field: 'vietnamese', kind: 'text', text: aliases }],
      {
        flatten: true,
      },
    );
    const text = await pdfText(bytes);
    for (const part of ['Mo,', NAMES.arabic, NAMES.chinese]) expect(text).toContain(part);
  });

  it('drops stray control characters instead of failing', async () => {
    const { bytes } = await fillForm(
      template,
      [{ field: 'ukrainian', kind: 'text', text: 'Олек\u0000санд\u0007р' }],
      { flatten: false },
    );
    expect((await pdfFieldStates(bytes)).ukrainian.value).toBe(NAMES.ukrainian);
  });

  it('flattens to a PDF with no fields and neutral metadata', async () => {
    const { bytes } = await fillForm(template, nameValues(), { flatten: true });
    expect(await pdfFieldStates(bytes)).toEqual({});
    const doc = await PDFDocument.load(bytes);
    expect(doc.catalog.get(PDFName.of('AcroForm'))).toBeUndefined();
    const info = await pdfInfo(bytes);
    expect(info.Title).toBe('Court form');
    for (const key of ['Author', 'Subject', 'Keywords', 'Creator', 'Producer']) {
      expect(info[key]).toBeUndefined();
    }
  });

  it('returns the live form and, from the same fill, a flattened copy showing the same names', async () => {
    const { bytes, flatBytes } = await fillForm(template, nameValues(), {
      flatten: false,
      alsoFlat: true,
    });
    expect((await pdfFieldStates(bytes)).ukrainian.value).toBe(NAMES.ukrainian);
    expect(await pdfFieldStates(flatBytes as Uint8Array)).toEqual({});
    const text = await pdfText(flatBytes as Uint8Array);
    for (const name of Object.values(NAMES)) expect(text).toContain(name);
  });

  describe('on real court forms', () => {
    const read = (file: string) => new Uint8Array(readFileSync(join(COURT_FORMS_DIR, file)));

    it('ticks a Michigan CC 375 checkbox whose on-state is On and fills its text', async () => {
      const { bytes } = await fillForm(
        read('MI_CC-375_petition-for-ppo-domestic.pdf'),
        [
          { field: 'petitioner_respondent_married', kind: 'checkbox', checked: true },
          { field: 'trial_court_county', kind: 'text', text: 'Wayne' },
        ],
        { flatten: false },
      );
      const fields = await pdfFieldStates(bytes);
      expect(fields.petitioner_respondent_married).toMatchObject({
        value: '/On',
        appearanceStates: ['/On'],
      });
      expect(fields.trial_court_county.value).toBe('Wayne');
    });

    it('fills the Massachusetts 209A affidavit: auto-size date, multiline body, in well under a second', async () => {
      const started = performance.now();
      const { bytes, overflows } = await fillForm(
        read('MA_209A_affidavit.pdf'),
        [
          { field: 'incident_date', kind: 'text', text: 'October 3, 2026' },
          {
            field: 'affidavit_body',
            kind: 'text',
            text: `${NAMES.vietnamese}: ${'On October 3 the defendant pushed me against the wall. '.repeat(5)}`,
            overflow: { label: 'See attached affidavit', heading: '209A affidavit (continued)' },
          },
          { field: 'interpeter_court_certified', kind: 'checkbox', checked: true },
        ],
        { flatten: true },
      );
      const elapsed = performance.now() - started;
      expect(overflows).toEqual([]);
      const text = await pdfText(bytes);
      expect(text).toContain('October 3, 2026');
      expect(text).toContain(NAMES.vietnamese);
      expect(elapsed).toBeLessThan(2000);
    });
  });
});

describe('fixture sanity', () => {
  it('builds fields of the types the tests assume', async () => {
    const doc = await PDFDocument.load(await buildFixtureForm());
    expect(doc.getForm().getField('narrative')).toBeInstanceOf(PDFTextField);
  });
});
