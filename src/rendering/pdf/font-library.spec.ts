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
