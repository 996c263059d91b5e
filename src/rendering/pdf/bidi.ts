/**
 * The order in which a line's characters are drawn, after the Unicode Bidirectional Algorithm
 * (UAX #9) reduced to what typed text without explicit embeddings needs (those are refused at
 * validation, see text-characters.ts): the paragraph takes the direction of its first strong
 * letter, numbers stay left to right inside right-to-left text, and neutral characters (spaces,
 * punctuation) between two stretches of one direction take that direction, else the paragraph's.
 *
 * fontkit reverses a whole run of a right-to-left script, digits and Latin words included, so a
 * run handed to it must hold one direction only: "محمد 12" must draw its number as 12, and
 * "Ana محمد علي Smith" must not draw "htimS".
 */

type Kind = 'L' | 'R' | 'EN' | 'ES' | 'CS' | 'NSM' | 'N';

/** Blocks whose letters are right-to-left (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...). */
function isRightToLeftBlock(cp: number): boolean {
  return (
    (cp >= 0x0590 && cp <= 0x08ff) ||
    (cp >= 0xfb1d && cp <= 0xfdff) ||
    (cp >= 0xfe70 && cp <= 0xfeff && cp !== 0xfeff) ||
    (cp >= 0x10800 && cp <= 0x10fff) ||
    (cp >= 0x1e800 && cp <= 0x1efff)
  );
}

const MARK = /^\p{M}$/u;
const DIGIT = /^\p{Nd}$/u;
const LETTER = /^\p{L}$/u;
const COMMON_SEPARATOR = /^[.,:/\u00a0\u060c]$/u;

function kindOf(char: string): Kind {
  if (char === '\u200e') return 'L';
  if (char === '\u200f' || char === '\u061c') return 'R';
  if (MARK.test(char)) return 'NSM';
  // Every script's decimal digits read left to right: Arabic-Indic ones too.
  if (DIGIT.test(char)) return 'EN';
  if (COMMON_SEPARATOR.test(char)) return 'CS';
  const cp = char.codePointAt(0) ?? 0;
  if (isRightToLeftBlock(cp)) return 'R';
  if (LETTER.test(char)) return 'L';
  if (char === '+' || char === '-') return 'ES';
  return 'N';
}

/** The embedding level of each character (code point) of one line: even is left to right. */
export function bidiLevels(chars: readonly string[]): number[] {
  const kinds = chars.map(kindOf);
  const first = kinds.find((k) => k === 'L' || k === 'R');
  const paragraph = first === 'R' ? 1 : 0;
  const sos: Kind = paragraph === 1 ? 'R' : 'L';
  // W1: a combining mark takes the kind of what it combines with.
  kinds.forEach((k, i) => {
    if (k === 'NSM') kinds[i] = i === 0 ? sos : kinds[i - 1];
  });
  // W4: one separator between two digits belongs to the number ("1,000", "12-14").
  kinds.forEach((k, i) => {
    if ((k === 'ES' || k === 'CS') && kinds[i - 1] === 'EN' && kinds[i + 1] === 'EN') {
      kinds[i] = 'EN';
    }
  });
  // W6: other separators are neutral. W7: digits after left-to-right text are left to right.
  let strong: Kind = sos;
  kinds.forEach((k, i) => {
    if (k === 'ES' || k === 'CS') kinds[i] = 'N';
    else if (k === 'L' || k === 'R') strong = k;
    else if (k === 'EN' && strong === 'L') kinds[i] = 'L';
  });
  // N1/N2: neutrals between two stretches of one direction take it (numbers count as R).
  const asStrong = (k: Kind): Kind => (k === 'EN' ? 'R' : k);
  for (let i = 0; i < kinds.length;) {
    if (kinds[i] !== 'N') {
      i++;
      continue;
    }
    let end = i;
    while (end < kinds.length && kinds[end] === 'N') end++;
    const before = i === 0 ? sos : asStrong(kinds[i - 1]);
    const after = end === kinds.length ? sos : asStrong(kinds[end]);
    const resolved = before === after ? before : sos;
    for (let j = i; j < end; j++) kinds[j] = resolved;
    i = end;
  }
  // I1/I2.
  return kinds.map((k) => {
    if (paragraph === 0) return k === 'R' ? 1 : k === 'EN' ? 2 : 0;
    return k === 'L' || k === 'EN' ? 2 : 1;
  });
}

/**
 * Items (runs of one level each) in the order they are drawn, left to right: L2 reverses every
 * stretch at or above each level, from the highest down to the lowest odd one.
 */
export function visualOrder<T extends { level: number }>(items: readonly T[]): T[] {
  const out = [...items];
  if (out.length === 0) return out;
  const highest = Math.max(...out.map((r) => r.level));
  const odd = out.map((r) => r.level).filter((l) => l % 2 === 1);
  if (odd.length === 0 && highest === 0) return out;
  const lowestOdd = odd.length > 0 ? Math.min(...odd) : 1;
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < out.length;) {
      if (out[i].level < level) {
        i++;
        continue;
      }
      let end = i;
      while (end < out.length && out[end].level >= level) end++;
      const stretch = out.slice(i, end).reverse();
      out.splice(i, stretch.length, ...stretch);
      i = end;
    }
  }
  return out;
}

const MIRRORED: Readonly<Record<string, string>> = {
  '(': ')',
  ')': '(',
  '[': ']',
  ']': '[',
  '{': '}',
  '}': '{',
  '<': '>',
  '>': '<',
  '«': '»',
  '»': '«',
  '‹': '›',
  '›': '‹',
};

/** Brackets in right-to-left text face the other way (Bidi_Mirrored); fontkit does not swap them. */
export function mirrored(text: string): string {
  return text.replace(/[()[\]{}<>«»‹›]/g, (c) => MIRRORED[c] ?? c);
}
