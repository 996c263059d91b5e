import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { ExtractedText, extractVisibleText } from './extract-text';
import { digitsView, normalizeForMatch, PART_BREAK } from './normalize';
import { ConfidentialValue, fieldLabel } from './sensitivity';
import {
  ReadStreams,
  StaticTextSource,
  Unproven,
  WrittenLayout,
  writtenText,
} from './written-text';

/**
 * Where a confidential value was found. Deliberately holds no value, excerpt or offset: findings
 * are logged and returned in error bodies.
 */
export interface LeakFinding {
  documentId: string;
  file: string;
  where: string;
  /** CaseFacts path of the value, e.g. `petitioner.safePhone`. */
  field: string;
}

export interface FileToCheck {
  name: string;
  bytes: Uint8Array;
  documentId: string;
  /**
   * How our writer laid the file out (see written-text.ts). Such a file is read from its own
   * objects, its official-form bytes verified and their text read once per form; a file
   * without it, or whose objects cannot all be accounted for, is read with pdf.js.
   */
  written?: WrittenLayout;
}

/** Stands in for a label (file name, part name) that itself contains a confidential value. */
export const REDACTED = '[redacted]';

/**
 * Parts at least this long (letters and digits, spaces ignored) are matched anywhere in the text
 * with its spaces removed, so words an extractor ran together or split ("77Larch mont") still
 * match. Shorter parts ("Apt 3") would then match inside unrelated words, so they must stand as
 * whole words.
 */
const MIN_FREE_MATCH_LENGTH = 6;

interface TextViews {
  spaced: string;
  compact: string;
  digits: string;
}

interface Matcher {
  field: string;
  matches(views: TextViews): boolean;
}

/** Every place in every file where a confidential value can be read. Empty means clean. */
export async function checkForLeaks(
  files: FileToCheck[],
  confidential: ConfidentialValue[],
): Promise<LeakFinding[]> {
  const matchers = confidential.flatMap(matchersFor);
  const findings = new Map<string, LeakFinding>();
  const read: ReadStreams = new Map();
  for (const file of files) {
    for (const finding of await checkFile(file, matchers, read)) {
      findings.set(JSON.stringify(finding), finding);
    }
  }
  return [...findings.values()];
}

/** Throws, naming the first leak, if any file holds a confidential value; otherwise returns. */
export async function assertNoLeaks(
  files: FileToCheck[],
  confidential: ConfidentialValue[],
): Promise<void> {
  const findings = await checkForLeaks(files, confidential);
  const first = findings[0];
  if (first === undefined) return;
  throw new AppError(ErrorCode.ConfidentialLeak, leakMessage(first), findings.map(leakDetail));
}

function leakMessage(finding: LeakFinding): string {
  return (
    `Release blocked: ${finding.documentId} contains the petitioner's ` +
    `${fieldLabel(finding.field)} (${finding.where})`
  );
}

function leakDetail(finding: LeakFinding): ErrorDetail {
  return { ...finding, message: leakMessage(finding) };
}

async function checkFile(
  file: FileToCheck,
  matchers: Matcher[],
  read: ReadStreams,
): Promise<LeakFinding[]> {
  const redact = (label: string): string => (matchesAny(label, matchers) ? REDACTED : label);
  const documentId = redact(file.documentId);
  const sets = await readableText(file, read).catch(() => {
    // Unread is not clean: a file the check cannot read is never released.
    throw new AppError(
      ErrorCode.ConfidentialLeak,
      `Release blocked: ${documentId} could not be read to check it for confidential values`,
    );
  });
  const findings: LeakFinding[] = [];
  for (const set of sets) {
    for (const matcher of matchers) {
      // Most texts hold nothing: one search of the whole set, then part by part to say where.
      if (!matcher.matches(set.joined)) continue;
      for (const part of set.parts()) {
        if (!matcher.matches(part.views)) continue;
        findings.push({
          documentId,
          file: redact(file.name),
          where: redact(part.where),
          field: matcher.field,
        });
      }
    }
  }
  return findings;
}

/**
 * All parts' text in normalised views for one search, and each part's views, worked out only
 * for a set the search found something in, to say where.
 */
interface ViewedSet {
  parts(): { where: string; views: TextViews }[];
  joined: TextViews;
}

function viewed(texts: ExtractedText[]): ViewedSet {
  // One normalisation of everything: most of its cost is per call, and a file has hundreds
  // of parts; each part is normalised again only when the search finds something.
  const joined = viewsOf(texts.map((t) => t.text).join(PART_BREAK));
  let parts: { where: string; views: TextViews }[] | undefined;
  return {
    parts: () => (parts ??= texts.map((t) => ({ where: t.where, views: viewsOf(t.text) }))),
    joined,
  };
}

/**
 * Everything a reader could read in the file. A file we wrote is read from its own objects;
 * its official-form objects contribute their text as read once per form. Anything else, or a
 * file of ours the proof cannot account for, is read with pdf.js.
 */
async function readableText(file: FileToCheck, read: ReadStreams): Promise<ViewedSet[]> {
  if (file.written) {
    const proven = provenText(file, read);
    if (proven) {
      const statics = await Promise.all([...new Set(proven.statics)].map(staticText));
      return [viewed([{ where: 'file name', text: file.name }, ...proven.written]), ...statics];
    }
  }
  return [viewed(await extractVisibleText(file))];
}

function provenText(
  file: FileToCheck,
  read: ReadStreams = new Map(),
): ReturnType<typeof writtenText> | undefined {
  if (!file.written) return undefined;
  try {
    return writtenText(file.bytes, file.written, read);
  } catch (e: unknown) {
    if (e instanceof Unproven) return undefined;
    throw e;
  }
}

/**
 * How the check reads a file: `proven` from its own objects (and its official form's text read
 * once), or `read` with pdf.js. Tests hold our own outputs to the first.
 */
export function howChecked(file: FileToCheck): 'proven' | 'read' {
  return provenText(file) ? 'proven' : 'read';
}

/** An official form's text, read from its probes once, kept normalised. */
const staticTexts = new WeakMap<StaticTextSource, Promise<ViewedSet>>();

function staticText(source: StaticTextSource): Promise<ViewedSet> {
  let text = staticTexts.get(source);
  if (!text) {
    text = readProbes(source);
    // A probe that cannot be read blocks this release and is read afresh for the next.
    text.catch(() => staticTexts.delete(source));
    staticTexts.set(source, text);
  }
  return text;
}

async function readProbes(source: StaticTextSource): Promise<ViewedSet> {
  const texts: ExtractedText[] = [];
  for (const bytes of await source.probes()) {
    const parts = await extractVisibleText({ name: '', bytes });
    texts.push(...parts.filter((p) => p.where !== 'file name'));
  }
  return viewed(texts);
}

function matchesAny(text: string, matchers: Matcher[]): boolean {
  const views = viewsOf(text);
  return matchers.some((matcher) => matcher.matches(views));
}

function viewsOf(text: string): TextViews {
  const spaced = normalizeForMatch(text);
  return { spaced, compact: spaced.replace(/ /g, ''), digits: digitsView(text) };
}

function matchersFor(value: ConfidentialValue): Matcher[] {
  return value.parts
    .map((part) => (value.match === 'digits' ? digitsMatcher(part) : textMatcher(part)))
    .filter((test): test is (views: TextViews) => boolean => test !== undefined)
    .map((matches) => ({ field: value.field, matches }));
}

/** Runs of digits are compared whole-run-insensitively: "15105550199" contains "5105550199". */
function digitsMatcher(part: string): ((views: TextViews) => boolean) | undefined {
  const digits = digitsView(part).replace(/\D/g, '');
  if (digits === '') return undefined;
  return (views) => views.digits.includes(digits);
}

function textMatcher(part: string): ((views: TextViews) => boolean) | undefined {
  const normalized = normalizeForMatch(part);
  const compact = normalized.replace(/ /g, '');
  if (compact === '') return undefined;
  if ([...compact].length >= MIN_FREE_MATCH_LENGTH)
    return (views) => views.compact.includes(compact);
  const wholeWords = wholeWordPattern(normalized);
  return (views) => wholeWords.test(views.spaced);
}

function wholeWordPattern(normalized: string): RegExp {
  const chars = [...normalized];
  const needsEdge = (ch: string | undefined): boolean =>
    ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  const before = needsEdge(chars[0]) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = needsEdge(chars[chars.length - 1]) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${escapeRegExp(normalized)}${after}`, 'u');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
