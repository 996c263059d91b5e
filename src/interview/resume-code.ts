import { wordlist } from '@scure/bip39/wordlists/english.js';
import { randomInt } from 'node:crypto';
import type { Language } from './interview-definition';
import { message } from './interview-messages';

/**
 * The resume code: eight words from the BIP39 English list (2048 words, 11 bits each, 88 bits in
 * all). Words rather than characters because a petitioner writes them on paper, reads them over a
 * phone or keeps them in memory, and a mistyped word is easy to spot and name.
 */
export const RESUME_CODE_WORDS = 8;

/** The list guarantees that the first four letters of every word are unique. */
const PREFIX_LENGTH = 4;

const WORD_INDEX = new Map<string, number>(wordlist.map((w, i) => [w, i]));
const PREFIX_INDEX = new Map<string, number>(
  wordlist.flatMap((w, i): [string, number][] =>
    w.length >= PREFIX_LENGTH ? [[w.slice(0, PREFIX_LENGTH), i]] : [],
  ),
);

/**
 * What people put between words when they copy a code from paper or a note: spaces, hyphens,
 * commas, dots, line breaks. Anything else (digits, other punctuation) stays inside a word and so
 * makes that word unrecognised, which names it.
 */
const SEPARATORS = /[\s\-,.\u2010-\u2015]+/u;

/** A fresh code, lowercase words separated by single spaces. */
export function generateResumeCode(): string {
  const words: string[] = [];
  for (let i = 0; i < RESUME_CODE_WORDS; i++) words.push(wordlist[randomInt(wordlist.length)]);
  return words.join(' ');
}

export type ParsedResumeCode =
  | {
      ok: true;
      /** The canonical form: full lowercase words, single spaces. Input to the key derivation. */
      normalized: string;
    }
  | { ok: false; message: string };

/**
 * Reads a code as a person may type it: any case, any run of separators, each word in full or by
 * its first four letters (or any longer start of it). A refusal names word positions and counts,
 * never the words themselves, which are part of a secret.
 */
export function parseResumeCode(input: string, lang: Language = 'en'): ParsedResumeCode {
  const tokens = input
    .normalize('NFKC')
    .toLowerCase()
    .split(SEPARATORS)
    .filter((t) => t !== '');
  if (tokens.length !== RESUME_CODE_WORDS) {
    return {
      ok: false,
      message: message('codeWordCount', lang, { expected: RESUME_CODE_WORDS, n: tokens.length }),
    };
  }
  const indexes = tokens.map(wordIndex);
  const unknown = indexes.flatMap((index, i) => (index === undefined ? [i + 1] : []));
  if (unknown.length > 0) {
    return {
      ok: false,
      message:
        unknown.length === 1
          ? message('codeWordUnknown', lang, { n: unknown[0] })
          : message('codeWordsUnknown', lang, {
              list: unknown.slice(0, -1).join(', '),
              last: unknown[unknown.length - 1],
            }),
    };
  }
  return { ok: true, normalized: indexes.map((i) => wordlist[i as number]).join(' ') };
}

function wordIndex(token: string): number | undefined {
  const exact = WORD_INDEX.get(token);
  if (exact !== undefined) return exact;
  if (token.length < PREFIX_LENGTH) return undefined;
  const candidate = PREFIX_INDEX.get(token.slice(0, PREFIX_LENGTH));
  return candidate !== undefined && wordlist[candidate].startsWith(token) ? candidate : undefined;
}
