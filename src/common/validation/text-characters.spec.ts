import { IsOptional, validateSync } from 'class-validator';
import { findUnprintableCharacter, unprintableCharacterMessage } from './text-characters';
import { Text, TextList } from './validators';

class Sample {
  @Text(100) name!: string;
  @IsOptional() @TextList(5, 100) aliases?: string[];
}

function errorsOf(values: Partial<Sample>): Record<string, Record<string, string>> {
  const sample = Object.assign(new Sample(), values);
  return Object.fromEntries(
    validateSync(sample, { stopAtFirstError: true }).map((e) => [e.property, e.constraints ?? {}]),
  );
}

describe('findUnprintableCharacter', () => {
  it.each([
    ['Nguyễn Thị Hằng'],
    ['김민지'],
    ['สมชาย ใจดี'],
    ['अनीता शर्मा'],
    ['Ana 👩\u200d👩\u200d👧 🇺🇸 👍🏽 ❤\ufe0f'],
    ['Jose\u0301 Zoe\u0308'],
    ['line one\nline two\ttabbed'],
  ])('finds nothing in %s', (text) => {
    expect(findUnprintableCharacter(text)).toBeUndefined();
  });

  it.each([
    ['Ana 🥲', '🥲', 'U+1F972'],
    ['አበበ በቀለ', 'አ', 'U+12A0'],
    ['Ana \u{E000}', '\u{E000}', 'U+E000'],
  ])('finds the first character no font draws in %s', (text, character, codePoint) => {
    expect(findUnprintableCharacter(text)).toEqual({ character, codePoint });
  });

  it('says which character, as itself and as U+XXXX', () => {
    expect(unprintableCharacterMessage({ character: '😀', codePoint: 'U+1F600' })).toBe(
      "contains a character that cannot be printed on the court's forms: 😀 (U+1F600)",
    );
  });
});

describe('Text and TextList refuse what the forms cannot print', () => {
  it('names the property and the character', () => {
    expect(errorsOf({ name: 'Ana 🥲' })).toEqual({
      name: {
        printableText:
          "name contains a character that cannot be printed on the court's forms: 🥲 (U+1F972)",
      },
    });
  });

  it('names the first item of a list that holds one', () => {
    expect(errorsOf({ name: 'Ana', aliases: ['Joe', 'አበበ'] })).toEqual({
      aliases: {
        printableText:
          "aliases contains a character that cannot be printed on the court's forms: አ (U+12A0)",
      },
    });
  });

  it('reports a control character as such, not also as unprintable', () => {
    expect(Object.keys(errorsOf({ name: 'Ana\u0001 🥲' }).name)).toEqual(['writableText']);
  });

  it('accepts Korean, Thai and emoji', () => {
    expect(errorsOf({ name: '김민지 สมชาย 👍🏽', aliases: ['😀'] })).toEqual({});
  });
});
