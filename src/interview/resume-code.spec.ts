import { wordlist } from '@scure/bip39/wordlists/english.js';
import { RESUME_CODE_WORDS, generateResumeCode, parseResumeCode } from './resume-code';

const CODE = 'wagon mosquito ridge uncle absent frost lava tennis';

function refusal(input: string, lang: 'en' | 'es' = 'en'): string {
  const parsed = parseResumeCode(input, lang);
  if (parsed.ok) throw new Error('the code was accepted');
  return parsed.message;
}

describe('resume codes', () => {
  it('are eight words of the list, lowercase, one space apart', () => {
    const code = generateResumeCode();
    const words = code.split(' ');
    expect(words).toHaveLength(RESUME_CODE_WORDS);
    expect(code).toMatch(/^[a-z]+( [a-z]+){7}$/);
    for (const w of words) expect(wordlist).toContain(w);
    expect(parseResumeCode(code)).toEqual({ ok: true, normalized: code });
  });

  it('are different each time, and use the whole list', () => {
    const codes = Array.from({ length: 500 }, generateResumeCode);
    expect(new Set(codes).size).toBe(codes.length);
    // 4000 draws from 2048 words: a generator stuck on part of the list would show here.
    const words = new Set(codes.flatMap((c) => c.split(' ')));
    expect(words.size).toBeGreaterThan(1500);
  });
});

describe('reading a resume code', () => {
  it('accepts any case and any run of spaces, hyphens, commas, dots and line breaks', () => {
    const typed = '  Wagon--MOSQUITO, ridge.\nuncle \t absent - - frost...lava\r\nTENNIS. ';
    expect(parseResumeCode(typed)).toEqual({ ok: true, normalized: CODE });
  });

  it('accepts each word by its first four letters, or any longer start of it', () => {
    expect(parseResumeCode('wago mosq ridg uncl abse fros lava tenn')).toEqual({
      ok: true,
      normalized: CODE,
    });
    expect(parseResumeCode('wagon mosqui ridge uncle absen frost lava tenni')).toEqual({
      ok: true,
      normalized: CODE,
    });
  });

  it('accepts three-letter words in full, but no three-letter start of a longer word', () => {
    expect(parseResumeCode('act add age aim air all ask art')).toMatchObject({ ok: true });
    expect(refusal('wag mosquito ridge uncle absent frost lava tennis')).toMatch(/\b1\b/);
  });

  it('names the position of an unknown word, never the word', () => {
    const message = refusal('wagon mosquito ridgx uncle absent frost lava tennis');
    expect(message).toBe(
      'Word 3 of the code is not one of the code words. Check how it is spelled.',
    );
    expect(message).not.toContain('ridgx');
  });

  it('names every unknown position, in Spanish too', () => {
    const input = 'wagon zzzz ridge uncle tennis9 frost lava abandonx';
    expect(refusal(input)).toBe(
      'Words 2, 5 and 8 of the code are not code words. Check how they are spelled.',
    );
    const spanish = refusal(input, 'es');
    expect(spanish).toContain('Las palabras 2, 5 y 8');
    for (const word of ['zzzz', 'tennis9', 'abandonx']) expect(spanish).not.toContain(word);
  });

  it.each([
    ['seven words', 'wagon mosquito ridge uncle absent frost lava', 7],
    ['nine words', `${CODE} act`, 9],
    ['nothing', ' - , ', 0],
  ])('refuses %s, saying how many it needs', (_name, input, n) => {
    expect(refusal(input)).toBe(`A resume code has 8 words; this one has ${n}.`);
  });
});
