import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

/**
 * Redaction for log lines (safety principle 3: nothing identifying in logs). This is defence in
 * depth: the real protection is that the code never passes case content to a logger.
 */
export const REDACTED = '[redacted]';

/** Longest string kept in a log line; longer text is cut with a note saying how much was cut. */
export const MAX_STRING_LENGTH = 200;
const MAX_DEPTH = 4;
const MAX_KEYS = 50;
const MAX_ITEMS = 20;

/** Whole words (of a camelCase, snake_case or kebab-case key) that mark a field as sensitive. */
const SENSITIVE_WORDS = new Set([
  'name',
  'names',
  'address',
  'addresses',
  'street',
  'city',
  'phone',
  'mobile',
  'email',
  'mail',
  'narrative',
  'facts',
  'fact',
  'body',
  'text',
  'password',
  'passphrase',
  'secret',
  'token',
  'code',
  'authorization',
  'auth',
  'cookie',
  'cookies',
  'session',
  'key',
  'dob',
  'birth',
  'ssn',
  'query',
  'description',
  'details',
  'injuries',
  'place',
  'places',
  'location',
  'school',
  'workplace',
  'employer',
  'alias',
  'aliases',
  'plate',
  'signature',
  'value',
  'values',
  'character',
]);

/** Substrings that mark a key as sensitive wherever they appear (`username`, `x-auth-token`). */
const SENSITIVE_FRAGMENTS = [
  'name',
  'address',
  'phone',
  'email',
  'narrative',
  'password',
  'passwd',
  'secret',
  'token',
  'resumecode',
  'authorization',
  'cookie',
  'apikey',
  'dateofbirth',
];

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a structured field's key name suggests it could hold case content or a secret. */
export function isSensitiveKey(key: string): boolean {
  const compact = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SENSITIVE_FRAGMENTS.some((f) => compact.includes(f))) return true;
  return keyWords(key).some((w) => SENSITIVE_WORDS.has(w));
}

const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/gi;
/** A run of digits, possibly broken by phone-number punctuation, that may be a phone number. */
const DIGIT_RUN = /\+?\(?\d[\d\s().\-/]*\d/g;
const MIN_PHONE_DIGITS = 7;

/** Removes email addresses and phone-number-like digit runs, and cuts long text. */
export function scrubText(text: string, maxLength = MAX_STRING_LENGTH): string {
  const scrubbed = text
    .replace(EMAIL, '[email]')
    .replace(DIGIT_RUN, (run) =>
      run.replace(/\D/g, '').length >= MIN_PHONE_DIGITS ? '[number]' : run,
    );
  return truncate(scrubbed, maxLength);
}

function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}… [${text.length - maxLength} chars cut]`;
}

export interface LoggedError {
  name: string;
  code?: string;
  stack?: string;
}

/**
 * An error as it may appear in a log: its class name and, for an AppError, its code. Never its
 * message: messages of unknown errors may quote user data. The stack (outside production) keeps
 * only its frames, without the first line that repeats the message, and is scrubbed too.
 */
export function describeError(error: Error, includeStack: boolean): LoggedError {
  const out: LoggedError = { name: scrubText(error.name || 'Error', 60) };
  if (error instanceof AppError) out.code = error.code;
  else {
    const code = (error as { code?: unknown }).code;
    // Node's system errors carry codes like ENOENT; those name a condition, not content.
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) out.code = code;
  }
  if (includeStack && typeof error.stack === 'string') {
    const frames = stackFrames(error.stack);
    if (frames) out.stack = frames;
  }
  return out;
}

/** Only the `at ...` lines of a stack, scrubbed: the lines before them hold the message. */
export function stackFrames(stack: string): string | undefined {
  const frames = stack
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .map((l) => scrubText(l, 300));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

export type LogValue =
  string | number | boolean | null | LogValue[] | { [key: string]: LogValue } | LoggedError;

/** Structured fields made safe: sensitive keys redacted, strings scrubbed, errors described. */
export function redactValue(value: unknown, includeStack: boolean, depth = 0): LogValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return scrubText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return scrubText(value.toString());
  if (value instanceof Error) return describeError(value, includeStack);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactValue(v, includeStack, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return '[binary]';
  return redactFields(value as Record<string, unknown>, includeStack, depth);
}

export function redactFields(
  fields: Record<string, unknown>,
  includeStack: boolean,
  depth = 0,
): { [key: string]: LogValue } {
  const out: { [key: string]: LogValue } = {};
  const entries = Object.entries(fields);
  for (const [key, value] of entries.slice(0, MAX_KEYS)) {
    const safeKey = scrubText(key, 60);
    if (isSensitiveKey(key) && !isKnownErrorCode(value)) out[safeKey] = REDACTED;
    else out[safeKey] = redactValue(value, includeStack, depth + 1);
  }
  if (entries.length > MAX_KEYS) out['moreFields'] = entries.length - MAX_KEYS;
  return out;
}

/** `code: 'validation_failed'` names a condition, not a resume code: it may be logged. */
function isKnownErrorCode(value: unknown): boolean {
  return typeof value === 'string' && ERROR_CODES.has(value);
}
