import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root';
import type { InterviewDefinition } from './interview-definition';
import { loadInterviewForPack } from './interview-loader';
import { englishSyllables, readingStats, screenTexts, splitSentences, words } from './readability';

const TEMPLATES = join(projectRoot(), 'templates');
const PACKS = readdirSync(TEMPLATES).filter((d) => existsSync(join(TEMPLATES, d, 'manifest.json')));
const INTERVIEWS: [string, InterviewDefinition][] = PACKS.map((p) => [
  p,
  loadInterviewForPack(TEMPLATES, p),
]);

/** The highest Flesch–Kincaid grade any screen may read at: the top of the 6th-to-8th range. */
const MAX_GRADE = 8;
/** A text of this many words is prose (an intro, a help text), graded on its own as well. */
const PARAGRAPH_WORDS = 12;
const MAX_ENGLISH_SENTENCE = 22;
const MAX_SPANISH_SENTENCE = 25;

/**
 * Names counted as one syllable. A petitioner reads the name of their own state as a whole word,
 * and the screens cannot avoid it; its length says nothing about how hard the sentence is.
 * (County and court names are option labels that read the same in both languages, and are left
 * out of the measure altogether: a list of names is not prose.)
 */
const NAMES = new Set(['california', 'massachusetts', 'michigan']);

describe('readability measures', () => {
  it('splits sentences at stops, not inside "P.O. box" or before a lowercase word', () => {
    expect(splitSentences('Use a P.O. box. It is safe! Is it? Yes: it is.')).toEqual([
      'Use a P.O. box.',
      'It is safe!',
      'Is it?',
      'Yes: it is.',
    ]);
    expect(splitSentences('For example: a gun, a knife.\nWrite each one.')).toEqual([
      'For example: a gun, a knife.',
      'Write each one.',
    ]);
    expect(words("Your lawyer's office, 100 yards away.")).toEqual([
      'Your',
      "lawyer's",
      'office',
      '100',
      'yards',
      'away',
    ]);
  });

  it('estimates English syllables well enough to rank texts', () => {
    // prettier-ignore
    const known: Record<string, number> = {
      the: 1, court: 1, order: 2, papers: 2, respondent: 3, petitioner: 4, protection: 3,
      interpreter: 4, address: 2, confidentiality: 6, program: 2, perjury: 3, custody: 3,
      visitation: 4, hearing: 2, judge: 1, people: 2, violence: 3, actual: 3, being: 2,
      wanted: 2, called: 1, boxes: 2, makes: 1, anything: 3, someone: 2, family: 3, police: 2,
      medical: 3, usually: 4, every: 3, area: 3, create: 2, idea: 3, quiet: 2, science: 2,
      going: 2, children: 2, happened: 2, served: 1, lives: 1, lawyer: 2, safe: 1, yes: 1,
      your: 1, phone: 1, email: 2, abuse: 2, temporary: 4, declaration: 4, affidavit: 4,
      witness: 2, firearm: 3, county: 2, superior: 4, clerk: 1, filing: 2, surrender: 3,
      relationship: 4, optional: 3, question: 2, answer: 2, leave: 1, threatened: 2,
      strangled: 2, belongings: 3, visits: 2, weapons: 2, example: 3, another: 3, adult: 2,
      business: 2, ammunition: 4, neighborhood: 3, division: 3, municipal: 4, something: 2,
      messages: 3, places: 2, changes: 2,
    };
    const right = Object.entries(known).filter(([w, n]) => englishSyllables(w) === n);
    expect(right.length / Object.keys(known).length).toBeGreaterThanOrEqual(0.93);
    expect(englishSyllables('2026')).toBe(1);
  });

  it('grades hard prose high and plain prose low', () => {
    const hard = readingStats([
      'Notwithstanding the aforementioned circumstances, the petitioner must substantiate allegations of domestic violence with corroborating documentation.',
    ]);
    const plain = readingStats(['Tell the judge what he did. Say it in your own words.']);
    expect(hard.grade).toBeGreaterThan(16);
    expect(plain.grade).toBeLessThan(3);
    expect(readingStats(['Superior Court of California'], { names: NAMES }).syllables).toBe(7);
  });
});

describe.each(INTERVIEWS)('the %s interview reads plainly', (_pack, def) => {
  const english = screenTexts(def, 'en');

  it(`reads at grade ${MAX_GRADE} or below on every screen`, () => {
    const hard = english
      .map((s) => ({ screen: s.id, grade: readingStats(s.texts, { names: NAMES }).grade }))
      .filter((s) => s.grade > MAX_GRADE);
    expect(hard).toEqual([]);
  });

  it(`reads at grade ${MAX_GRADE} or below in every intro and help text`, () => {
    // A screen's short labels lower its average; a hard paragraph must not hide behind them.
    const hard = english.flatMap((s) =>
      s.texts
        .filter((t) => words(t).length >= PARAGRAPH_WORDS)
        .map((text) => ({
          screen: s.id,
          text,
          grade: readingStats([text], { names: NAMES }).grade,
        }))
        .filter((p) => p.grade > MAX_GRADE),
    );
    expect(hard).toEqual([]);
  });

  it.each([
    ['en', MAX_ENGLISH_SENTENCE],
    ['es', MAX_SPANISH_SENTENCE],
  ] as const)('keeps every %s sentence to %i words or fewer', (lang, max) => {
    const long = screenTexts(def, lang).flatMap((s) =>
      s.texts
        .flatMap(splitSentences)
        .filter((sentence) => words(sentence).length > max)
        .map((sentence) => ({ screen: s.id, sentence })),
    );
    expect(long).toEqual([]);
  });

  it('gives the glossary plain explanations too', () => {
    const hard = Object.entries(def.glossary ?? {})
      .map(([id, t]) => ({ id, grade: readingStats([t.en.explanation], { names: NAMES }).grade }))
      .filter((t) => t.grade > MAX_GRADE);
    expect(hard).toEqual([]);
  });
});
