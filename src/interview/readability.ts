/**
 * How hard a text is to read, measured the way plain-language reviews do: the Flesch–Kincaid
 * grade level, from words per sentence and syllables per word. A petitioner reading at a 6th to
 * 8th grade level must understand every screen, so the interview's English is held to grade 8.
 *
 * The syllable count is an estimate from spelling. It is wrong for some words (English spelling
 * is irregular), but it errs both ways and is consistent, which is what a limit needs.
 */

import type { InterviewDefinition, Language } from './interview-definition';

export interface ReadingStats {
  sentences: number;
  words: number;
  syllables: number;
  /** Flesch–Kincaid grade level; 0 for a text without words. */
  grade: number;
  /** The longest sentence, in words. */
  longestSentence: number;
}

export interface ReadingOptions {
  /**
   * Words (lowercase) counted as one syllable: names a petitioner reads as a whole, not sound
   * out, such as a state's name. Keep the list short; it hides length from the measure.
   */
  names?: ReadonlySet<string>;
}

/**
 * Splits text into sentences. A heading or a label without a final stop is a sentence of its own
 * when passed as its own piece; inside a piece, a sentence ends at `.`, `!`, `?` or `:` followed
 * by a space and what starts a new sentence, or at a line break. "P.O. box" stays one sentence
 * because the word after the stop is not capitalized.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?:;])["»”']?\s+(?=["«“¿¡(]?[\p{Lu}\d])/u)
    .map((s) => s.trim())
    .filter((s) => words(s).length > 0);
}

/** Words: runs of letters (with inner apostrophes or hyphens split apart), and numbers. */
export function words(sentence: string): string[] {
  return sentence.match(/[\p{L}]+(?:['’][\p{L}]+)*|\d+(?:[.,:]\d+)*/gu) ?? [];
}

/** An estimate of the syllables in one English word. */
export function englishSyllables(word: string): number {
  if (/^\d/.test(word)) return 1;
  const w = word
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  let count = (w.match(/[aeiouy]+/g) ?? []).length;
  // A leading "y" before a vowel is a consonant ("yes", "your").
  if (/^y[aeiou]/.test(w)) count -= 1;
  // A final "e" is usually silent ("home", "safe"), but not in "-le" after a consonant ("people").
  if (/[^aeiouy]e$/.test(w) && !/[^aeiouy]le$/.test(w)) count -= 1;
  // "-es" and "-ed" add no syllable unless the sound before needs one ("boxes", "wanted").
  if (/[^aeiouy]es$/.test(w) && !/(?:[sxzcg]|ch|sh)es$/.test(w) && !/[^aeiouy]les$/.test(w)) {
    count -= 1;
  }
  if (/[^aeiouy]ed$/.test(w) && !/[td]ed$/.test(w) && !/[^aeiouyl]led$/.test(w)) count -= 1;
  // Vowel pairs spoken as two syllables ("via", "violence", "actual", "being", "quiet", "area").
  count += (w.match(/(?<![tscxg])i[ao]|ua|[aeo]ing$|uo|ie(?=t)|ea$/g) ?? []).length;
  return Math.max(1, count);
}

function syllablesOf(word: string, options: ReadingOptions): number {
  return options.names?.has(word.toLowerCase()) ? 1 : englishSyllables(word);
}

/** Reading statistics of the given pieces of text (a title, a label, a help text...) together. */
export function readingStats(pieces: string[], options: ReadingOptions = {}): ReadingStats {
  const sentences = pieces.flatMap(splitSentences);
  let wordCount = 0;
  let syllables = 0;
  let longest = 0;
  for (const sentence of sentences) {
    const list = words(sentence);
    wordCount += list.length;
    longest = Math.max(longest, list.length);
    for (const w of list) syllables += syllablesOf(w, options);
  }
  const grade =
    wordCount === 0
      ? 0
      : 0.39 * (wordCount / sentences.length) + 11.8 * (syllables / wordCount) - 15.59;
  return {
    sentences: sentences.length,
    words: wordCount,
    syllables,
    grade: Math.round(grade * 10) / 10,
    longestSentence: longest,
  };
}

/** What a petitioner reads on one screen: its title, intro, labels, help and option labels. */
export interface ScreenText {
  /** The screen id, or `list:<section>` for a list's overview screen. */
  id: string;
  /** Where the screen is defined, for messages. */
  section: string;
  texts: string[];
  /** Option labels that read the same in every language: names (counties, courts), not prose. */
  names: string[];
}

export function screenTexts(def: InterviewDefinition, lang: Language): ScreenText[] {
  const out: ScreenText[] = [];
  for (const section of def.sections) {
    if (section.list) {
      out.push({
        id: `list:${section.id}`,
        section: section.id,
        texts: [section.title[lang], section.list.addPrompt[lang]],
        names: [],
      });
    }
    for (const screen of section.screens) {
      const texts = [screen.title[lang], screen.intro?.[lang] ?? ''];
      const names: string[] = [];
      for (const q of screen.questions) {
        texts.push(q.label[lang], q.help?.[lang] ?? '');
        for (const o of q.options ?? []) {
          if (o.label.en === o.label.es) names.push(o.label[lang]);
          else texts.push(o.label[lang]);
          texts.push(o.help?.[lang] ?? '');
        }
      }
      out.push({ id: screen.id, section: section.id, texts: texts.filter(Boolean), names });
    }
  }
  return out;
}
