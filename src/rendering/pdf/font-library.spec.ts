import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { cleanText, FontLibrary } from './font-library';

describe('FontLibrary', () => {
  const library = FontLibrary.shared();

  it.each([
    ['Nguyễn Thị Hằng', 'latin'],
    ['Олександр', 'latin'],
    ['李小龍', 'sc'],
    ['محمد', 'arabic'],
    ['דוד כהן', 'hebrew'],
    ['สมชาย ใจดี', 'thai'],
    ['김민지 박서준', 'korean'],
    ['😀🔪', 'symbols'],
  ])('draws all of %s with one face', (text, face) => {
    expect(library.runsFor(text, 'name').map((r) => r.face.id)).toEqual([face]);
  });

  it('is loaded once per process', () => {
    expect(FontLibrary.shared()).toBe(library);
  });

  it('names the field and the character, as U+XXXX and itself, when no face has it', () => {
    let error: unknown;
    try {
      library.runsFor('Ana \u{E000}', 'petitioner.name.full');
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const err = error as AppError;
    expect(err.code).toBe(ErrorCode.GlyphMissing);
    expect(err.details[0]).toMatchObject({
      field: 'petitioner.name.full',
      codePoint: 'U+E000',
      character: '\u{E000}',
    });
  });

  it('splits mixed scripts into runs, one face each, keeping spaces in their run', () => {
    const runs = library.runsFor('Li 李小龍 and محمد', 'text');
    expect(runs.map((r) => [r.face.id, r.text])).toEqual([
      ['latin', 'Li '],
      ['sc', '李小龍 and '],
      ['arabic', 'محمد'],
    ]);
  });

  it('goes back to Noto Sans after an emoji: Symbola draws Latin in a serif of its own', () => {
    const runs = library.runsFor('Ana 👍🏽 and 👩\u200d👧 ok', 'text');
    expect(runs.map((r) => [r.face.id, r.text])).toEqual([
      ['latin', 'Ana '],
      ['symbols', '👍🏽'],
      ['latin', ' and '],
      ['symbols', '👩\u200d👧'],
      ['latin', ' ok'],
    ]);
  });

  it('leaves out a variation selector the face has no glyph for', () => {
    const runs = library.lineRuns('1\ufe0f\u20e3 ❤\ufe0f', 'text');
    expect(runs.map((r) => [r.face.id, r.text])).toEqual([
      ['latin', '1'],
      ['symbols', '\u20e3'],
      ['latin', ' '],
      ['symbols', '❤\ufe0f'],
    ]);
  });

  it.each([
    ['Nguyễn Thị Hằng', undefined],
    ['김민지 สมชาย 李 👩\u200d👩\u200d👧 ❤\ufe0f', undefined],
    ['Jose\u0301', undefined],
    ['Ana 🥲', '🥲'],
    ['አበበ', 'አ'],
    ['Ana \u{E000}', '\u{E000}'],
  ])('finds the first character no face draws in %s', (text, found) => {
    expect(library.firstUndrawable(text)).toBe(found);
  });

  it('ties every Thai glyph to its own characters, whichever word is shaped first', () => {
    const face = library.runsFor('ค่ำ', 'text')[0].face;
    const textOf = (word: string) =>
      face.shaper
        .shape(word)
        .glyphs.map((g) => String.fromCodePoint(...(face.font.getGlyph(g)?.codePoints ?? [])))
        .join('');
    // ค่ำ stacks the tone mark on the nikhahit of ำ; measuring it must not untie ที่'s tone mark.
    expect(textOf('ค่ำ')).toBe('ค่ำ'.normalize('NFKC'));
    expect(textOf('ที่')).toBe('ที่');
    expect(textOf('น้ำ')).toBe('น้ำ'.normalize('NFKC'));
  });

  it('ignores invisible format characters when choosing a face', () => {
    expect(library.runsFor('Ana\u200d Maria', 'name').map((r) => r.face.id)).toEqual(['latin']);
  });
});

describe('cleanText', () => {
  it('keeps newlines, turns tabs into spaces and drops other control characters', () => {
    expect(cleanText('a\u0000b\tc\r\nd\u0007\u009f')).toBe('ab    c\nd');
  });

  it('composes decomposed accents so the precomposed glyph is used', () => {
    expect(cleanText('Nguye\u0302\u0303n')).toBe('Nguyễn');
  });
});
