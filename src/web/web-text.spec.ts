import { LANGUAGES } from '../interview/interview-definition';
import { TEXT_KEYS, t, textFor, waitText } from './web-text';

describe("the pages' own words", () => {
  it('exist in every language, with the same placeholders', () => {
    for (const key of TEXT_KEYS) {
      const text = textFor(key);
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      for (const lang of LANGUAGES) {
        expect(text[lang].trim()).not.toBe('');
        expect(placeholders(text[lang])).toEqual(placeholders(text.en));
      }
    }
  });

  it('never name the subject in the name the site gives itself', () => {
    for (const lang of LANGUAGES) {
      expect(t(lang, 'siteName')).not.toMatch(/violen|abus|protec|orden|order/i);
    }
  });

  it("round waits up, in the petitioner's language", () => {
    expect(waitText('en', 1)).toBe('1 minute');
    expect(waitText('en', 61)).toBe('2 minutes');
    expect(waitText('es', 900)).toBe('15 minutos');
  });
});
