import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { extractVisibleText } from './extract-text';
import { digitsView, normalizeForMatch } from './normalize';
import { ConfidentialValue, fieldLabel } from './sensitivity';

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
  for (const file of files) {
    for (const finding of await checkFile(file, matchers)) {
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

async function checkFile(file: FileToCheck, matchers: Matcher[]): Promise<LeakFinding[]> {
  const redact = (label: string): string => (matchesAny(label, matchers) ? REDACTED : label);
  const documentId = redact(file.documentId);
  const parts = await extractVisibleText(file).catch(() => {
    // Unread is not clean: a file the check cannot read is never released.
    throw new AppError(
      ErrorCode.ConfidentialLeak,
      `Release blocked: ${documentId} could not be read to check it for confidential values`,
    );
  });
  const findings: LeakFinding[] = [];
  for (const part of parts) {
    const views = viewsOf(part.text);
    for (const matcher of matchers) {
      if (!matcher.matches(views)) continue;
      findings.push({
        documentId,
        file: redact(file.name),
        where: redact(part.where),
        field: matcher.field,
      });
    }
  }
  return findings;
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
