import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeHtml } from '../../support/html-text';
import { fixture } from '../../support/fixtures';

/**
 * The bad-input suite's shared catalogue and checks. `HOSTILE_RUNS` sets how many random cases
 * the property tests try (a handful on every push; `HOSTILE_RUNS=500` for a release check).
 */

export const HOSTILE_RUNS = Number(process.env.HOSTILE_RUNS ?? 12);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Facts = Record<string, unknown>;

/** A fresh copy of the minimal fixture with `value` written at a dotted path. */
export function factsWith(path: string, value: unknown, base: Facts = fixture('minimal')): Facts {
  const keys = path.split('.');
  let node = base as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return base;
}

/**
 * Names and text the service must print exactly as typed. Every one of them is drawn by our
 * fonts: Noto Sans, Noto Sans SC, Noto Sans Arabic and Noto Sans Hebrew (bundled), Noto Sans
 * Thai, Noto Sans CJK KR and Symbola (Debian packages scripts/setup.sh installs).
 */
export const LITERAL_NAMES: Record<string, string> = {
  vietnamese: 'Nguyễn Thị Hằng',
  chinese: '李小龍',
  korean: '김민지',
  cyrillic: 'Олександр Шевченко',
  devanagari: 'अनीता शर्मा',
  thai: 'สมชาย ใจดี',
  arabic: 'محمد حامد',
  hebrew: 'דוד כהן',
  'hebrew with RLM marks': '\u200fדוד כהן\u200f',
  'Latin and Arabic with an LRM': 'Ana\u200e محمد',
  'mixed scripts': 'Ana 李 Олег محمد',
  'mixed scripts with Hangul and Thai': 'Ana 김민지 สมชาย 李',
  'combining accents (decomposed)': 'Jose\u0301 Zoe\u0308',
  'zero-width space and joiner': 'Ana\u200bMaria Lu\u200dz',
  // Symbola has no sequences: a family is drawn as its people, a flag as its two letters, a
  // skin tone as a swatch after the hand; every character is there, in order.
  'emoji ZWJ family': 'Ana 👩\u200d👩\u200d👧',
  'emoji flag': 'Ana 🇺🇸',
  'emoji skin tone': 'Ana 👍🏽',
  'emoji with a variation selector': 'Ana ❤\ufe0f',
  'XML and HTML': 'Smith & <w:t> ]]> <script>alert(1)</script>',
  'docxtemplater section': '{#x}{/x}',
  'docxtemplater raw xml': '{@raw}',
  'angular expression': "{{constructor.constructor('return process')().exit()}}",
  'template literal': '${7*7}',
  mustache: '{{7*7}}',
};

/**
 * Characters none of our fonts draw: refused wherever facts come in, naming the field and the
 * character, before anything is generated.
 */
export const UNPRINTABLE_NAMES: Record<
  string,
  { name: string; codePoint: string; character: string }
> = {
  'emoji newer than the emoji font': { name: 'Ana 🥲', codePoint: 'U+1F972', character: '🥲' },
  'Ethiopic (no font installed for it)': {
    name: 'አበበ በቀለ',
    codePoint: 'U+12A0',
    character: 'አ',
  },
};

/** The message for an unprintable character in `field`, as every surface but the interview says it. */
export function unprintableMessage(
  field: string,
  found: { codePoint: string; character: string },
): string {
  return `${field} contains a character that cannot be printed on the court's forms: ${found.character} (${found.codePoint})`;
}

const BIDI_REASON =
  'a direction override that would show the text in another order on some documents (right-to-left and left-to-right marks are fine)';

/** Characters no document can carry as typed: refused at validation, naming the field. */
export const REFUSED_CHARACTERS: Record<
  string,
  { text: string; codePoint: string; reason: string }
> = {
  'lone surrogate': {
    text: 'Ana \ud800',
    codePoint: 'U+D800',
    reason: 'half of a character (an unpaired surrogate)',
  },
  'control character U+0001': {
    text: 'Ana\u0001Maria',
    codePoint: 'U+0001',
    reason: 'a control character',
  },
  'noncharacter U+FFFE': { text: 'Ana\ufffeMaria', codePoint: 'U+FFFE', reason: 'not a character' },
  'right-to-left override U+202E': {
    text: 'Ana \u202eairaM',
    codePoint: 'U+202E',
    reason: BIDI_REASON,
  },
  'left-to-right embedding U+202A': {
    text: '\u202aAna\u202c',
    codePoint: 'U+202A',
    reason: BIDI_REASON,
  },
};

/** The full message for a refused character in `field`, as every surface but the interview says it. */
export function refusedMessage(
  field: string,
  found: { codePoint: string; reason: string },
): string {
  return `${field} contains ${found.codePoint}, ${found.reason}, which a court document cannot show`;
}

/**
 * How a text compares once canonical composition and invisible marks (format characters and
 * variation selectors, which a face without a glyph for them leaves out) are set aside.
 */
export function comparable(text: string): string {
  return text.normalize('NFC').replace(/[\p{Cf}\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]/gu, '');
}

// ---- what an error answer may never contain -------------------------------------------------------

/** A second organisation's case: its name must never appear in anything another caller sees. */
export const SENTINEL_NAME = 'Zephyrine Quillfeather-Oxbridge';

const STACK_FRAME = /\bat\s+(?:[\w$.<>]+\s+)?\(?(?:\/|[A-Za-z]:\\|node:|file:)/;
const SQL =
  /\b(?:SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|QueryFailedError|SQLITE_|violates\s+\w+\s+constraint|relation\s+"|syntax error at or near)/i;
const FILE_PATH = /\/work\/|\/tmp\/|\/home\/|\/root\/|node_modules|\.ts:\d+|\.js:\d+|dist\/src/;

/**
 * Whatever a failure answers (JSON or a page), it shows no stack trace, no SQL, no file path of
 * the server and nothing of another person's case. `extra` adds values the caller must not see.
 */
export function expectNoLeak(body: string, extra: string[] = []): void {
  const text = decodeHtml(body);
  expect(text).not.toMatch(STACK_FRAME);
  expect(text).not.toMatch(SQL);
  expect(text).not.toMatch(FILE_PATH);
  for (const value of [SENTINEL_NAME, ...extra]) expect(text).not.toContain(value);
}

// ---- PDF words in the order they are drawn ---------------------------------------------------------

const run = promisify(execFile);

export interface DrawnWord {
  text: string;
  xMin: number;
  yMin: number;
  yMax: number;
}

/**
 * The words poppler finds on page `page` with their positions (`pdftotext -bbox`): sorted by
 * line and then left to right, they are the order a reader's eye meets the words, which is what
 * tells a correctly drawn right-to-left name from a reversed one. Poppler gives each
 * right-to-left word's letters in reading order.
 */
export async function drawnWords(bytes: Uint8Array, page = 1): Promise<DrawnWord[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hostile-bbox-'));
  try {
    const path = join(dir, 'in.pdf');
    await writeFile(path, bytes);
    await run('pdftotext', [
      '-bbox',
      '-enc',
      'UTF-8',
      '-f',
      String(page),
      '-l',
      String(page),
      path,
      `${path}.html`,
    ]);
    const html = await readFile(`${path}.html`, 'utf8');
    const words: DrawnWord[] = [];
    const word =
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g;
    for (const m of html.matchAll(word)) {
      words.push({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        yMax: Number(m[3]),
        text: decodeHtml(m[4]),
      });
    }
    return words;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The words drawn on the same line as the first word `anchor` matches, left to right, each as
 * its letters are drawn left to right (so a right-to-left word reads backwards here, as it
 * should): one string, words separated by one space. Words share a line when their boxes
 * overlap vertically; digits and Arabic letters reach different heights.
 */
export function drawnLine(words: DrawnWord[], anchor: RegExp): string {
  const at = words.find((w) => anchor.test(w.text));
  if (!at) return '';
  const middle = (at.yMin + at.yMax) / 2;
  return words
    .filter((w) => w.yMin < middle && w.yMax > middle)
    .sort((a, b) => a.xMin - b.xMin)
    .map((w) => w.text)
    .join(' ');
}
