/**
 * Text normalisation for leak matching. Both the confidential value and every extracted text go
 * through the same function, so any spelling the normaliser unifies is caught whichever way the
 * document wrote it. Unifying too much only risks a blocked release; unifying too little risks a
 * leak, so the choices below lean towards unifying.
 */

/** Spellings that mean the same in a US address, each mapped to one canonical word. */
const ADDRESS_WORDS: Readonly<Record<string, string>> = {
  street: 'st',
  str: 'st',
  saint: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  // The same dwelling unit is written "Apt 3", "Apartment 3", "Unit 3" and "#3" interchangeably.
  apartment: 'unit',
  apt: 'unit',
  suite: 'ste',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/**
 * Characters of scripts written without spaces between words. Each becomes its own word, so that
 * "77 Larchmont Street的公寓" still ends in the word "street" and is unified to "st".
 */
const UNSPACED_CHAR =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;

/** Multi-word spellings of a P.O. box, after punctuation has become spaces. */
const PO_BOX = /\b(?:post office box|p o box|po box|pobox|p o b|pob)\b/g;

/**
 * NFKC (full-width and compatibility forms become plain ones, e.g. "７７" → "77"), full case
 * folding, diacritics and invisible characters removed, every script's digits made ASCII,
 * punctuation turned into spaces, whitespace collapsed and address words unified.
 * Diacritics are dropped because renderers whose fonts lack them may print "Hang" for "Hằng".
 */
export function normalizeForMatch(text: string): string {
  const spaced = ASCII_ONLY.test(text)
    ? asciiSpaced(text)
    : byLine(text, asciiSpaced, unicodeSpaced);
  // Lines normalised apart can meet with two spaces; then each word is unified in place.
  const unified = spaced
    .replace(/ {2,}/g, ' ')
    .replace(PO_BOX, 'po box')
    .trim()
    .replace(ADDRESS_WORD, (word) => ADDRESS_WORDS[word]);
  // The look-behind search costs more than the rest; almost no text says "unit" twice.
  return unified.includes('unit unit') ? unified.replace(REPEATED_UNIT, 'unit') : unified;
}

/**
 * A whole word (between spaces or the ends) that is one of ADDRESS_WORDS: one search of the
 * text: a callback for every word would cost more than the rest of the normalisation.
 */
const ADDRESS_WORD = new RegExp(
  `(?<![^ ])(?:${Object.keys(ADDRESS_WORDS).join('|')})(?![^ ])`,
  'g',
);

function unicodeSpaced(text: string): string {
  const folded = foldCase(stripMarks(text.normalize('NFKC')));
  return asciiDigits(folded)
    .replace(/#\s*/g, ' unit ')
    .replace(/[\p{Cf}\u0640]/gu, '')
    .replace(UNSPACED_CHAR, ' $& ')
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, ' ');
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Each line through the fast path when it is ASCII, the general one otherwise, joined by white
 * space: nothing composes, folds or joins across a line end, so a line normalises alike alone.
 */
function byLine(
  text: string,
  ascii: (line: string) => string,
  general: (line: string) => string,
  separator = ' ',
): string {
  return text
    .split('\n')
    .map((line) => (ASCII_ONLY.test(line) ? ascii(line) : general(line)))
    .join(separator);
}
/** The ASCII characters that are punctuation, symbols or white space (\p{P}, \p{S}, \s). */
const ASCII_SEPARATORS = /[\t-\r !-/:-@[-`{-~]+/g;

/**
 * The same as `unicodeSpaced` for ASCII text, which most of a form is: no compatibility forms,
 * marks, other digits or format characters to remove, so only case and separators remain.
 */
function asciiSpaced(text: string): string {
  const lower = text.toLowerCase();
  return (lower.includes('#') ? lower.replace(/#\s*/g, ' unit ') : lower).replace(
    ASCII_SEPARATORS,
    ' ',
  );
}

/** "Apt #3" says "unit" twice once unified; once is what every other spelling says. */
const REPEATED_UNIT = /(?<=^| )unit(?: unit)+(?= |$)/g;

/**
 * Between texts normalised as one: a line of its own, which normalising keeps as one word
 * (U+FFFF) that no confidential value holds and that is no letter, digit or space. Every
 * rewrite works within a line or within space-separated words and none reaches across that
 * word, so texts joined by it normalise to each text's normalised form in turn with the word
 * between them (and, in the spaced view, the single spaces around it a text alone would trim),
 * and their digit runs are each text's runs in turn: a match never runs from one text into the
 * next, and whole words end at it. normalize.spec.ts holds this on random texts.
 */
export const PART_BREAK = '\n\uffff\n';

/** The normalised text without any spaces, for matching text extracted with words run together. */
export function compactForMatch(text: string): string {
  return normalizeForMatch(text).replace(/ /g, '');
}

/**
 * Digits-only view of a text: digit runs separated only by what people put inside phone numbers
 * (spaces, dots, dashes, slashes, parentheses, plus) are joined, so "(510) 555-0199",
 * "510.555.0199" and "5105550199" all read "5105550199". Anything else (a letter, a comma) ends a
 * run, and runs are returned separated by one space.
 */
export function digitsView(text: string): string {
  const general = (line: string) => asciiDigits(line.normalize('NFKC')).replace(/[\p{Cf}]/gu, '');
  const digits = ASCII_ONLY.test(text) ? text : byLine(text, (line) => line, general, '\n');
  const runs = digits.match(/\d(?:[\d\s().+/\u2010-\u2015-]*\d)?/g) ?? [];
  return runs.map((run) => run.replace(/\D/g, '')).join(' ');
}

function stripMarks(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * JavaScript has no case folding; upper- then lower-casing gets closest ("ß" → "ss"), and Greek
 * final sigma is made the ordinary sigma so word position does not matter.
 */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

/**
 * Every Unicode decimal digit (Arabic-Indic "٧", Devanagari "७", ...) as its ASCII digit. NFKC
 * leaves these alone. Unicode encodes each script's digits as a run starting at zero, so a
 * digit's value is its distance from the start of its run, modulo ten.
 */
function asciiDigits(text: string): string {
  return text.replace(/[^\P{Nd}0-9]/gu, (digit) => String(digitValue(digit.codePointAt(0) ?? 0)));
}

function digitValue(codePoint: number): number {
  let start = codePoint;
  while (isDecimalDigit(start - 1)) start -= 1;
  return (codePoint - start) % 10;
}

function isDecimalDigit(codePoint: number): boolean {
  return codePoint >= 0 && /\p{Nd}/u.test(String.fromCodePoint(codePoint));
}
