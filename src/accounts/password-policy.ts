import type { ErrorDetail } from '../common/errors/error-code';

const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** What a password may not resemble: the account's own organisation and email. */
export interface PasswordContext {
  organisationName?: string;
  email?: string;
}

/**
 * Words that guessers try first, written for this service (not taken from a breach corpus).
 * A password made only of these, with digits or symbols around them, is refused.
 */
const COMMON_WORDS = [
  'password',
  'pass',
  'passwd',
  'passphrase',
  'secret',
  'letmein',
  'welcome',
  'hello',
  'iloveyou',
  'love',
  'admin',
  'administrator',
  'root',
  'user',
  'login',
  'guest',
  'test',
  'demo',
  'default',
  'changeme',
  'change',
  'temp',
  'qwerty',
  'azerty',
  'asdf',
  'abc',
  'monkey',
  'dragon',
  'master',
  'shadow',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'soccer',
  'superman',
  'batman',
  'trustno',
  'whatever',
  'freedom',
  'summer',
  'winter',
  'spring',
  'autumn',
  'fall',
  'january',
  'december',
  'office',
  'company',
  'court',
  'justice',
  'legal',
  'legalaid',
  'law',
  'lawfirm',
  'lawyer',
  'attorney',
  'paralegal',
  'protective',
  'order',
  'my',
  'the',
  'new',
];

/**
 * Rows of common keyboards, the alphabet and the digits. A password that is one stretch of any
 * of them (either way round, wrapping around) is a keyboard run, however long.
 */
const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'yxcvbnm',
  'azertyuiop',
  'qsdfghjklm',
  'wxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
  'qwertyuiopasdfghjklzxcvbnm',
];

/** Digits and symbols read as the letters they stand for (`p@ssw0rd`, `l3tm31n`). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'il',
  '!': 'il',
  '|': 'il',
  '3': 'e',
  '4': 'a',
  '@': 'a',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '8': 'b',
  '9': 'g',
};

/** Passwords are compared and hashed in one Unicode form, so every keyboard types the same one. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Why a password is refused, one detail per reason, each naming the field `password`; empty
 * when it is acceptable. Messages never quote the password.
 */
export function checkPassword(password: string, context: PasswordContext = {}): ErrorDetail[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const refuse = (rule: string, message: string): ErrorDetail => ({
    field: 'password',
    rule,
    message,
  });
  if (length < MIN_PASSWORD_LENGTH) {
    return [refuse('tooShort', `password must be at least ${MIN_PASSWORD_LENGTH} characters`)];
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return [refuse('tooLong', `password must be at most ${MAX_PASSWORD_LENGTH} characters`)];
  }
  const folded = normalized.toLowerCase();
  const compact = folded.replace(/[\s\p{P}\p{S}]/gu, '');
  const out: ErrorDetail[] = [];
  if (isRepetition(folded.replace(/\s/g, ''))) {
    out.push(refuse('repetitive', 'password repeats a character or a short pattern'));
  } else if (isRun(compact)) {
    out.push(refuse('sequence', 'password is a keyboard or alphabet sequence'));
  }
  if (isCommon(folded)) {
    out.push(refuse('common', 'password is a common password or built from common words'));
  }
  const organisation = compactName(context.organisationName);
  if (organisation.length >= 3 && compact.includes(organisation)) {
    out.push(refuse('containsOrganisation', "password contains the organisation's name"));
  }
  const local = compactName(context.email?.split('@')[0]);
  if (local.length >= 3 && compact.includes(local)) {
    out.push(refuse('containsEmail', 'password contains the email address'));
  }
  return out;
}

function compactName(value: string | undefined): string {
  return (value ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** One to four characters, repeated to fill the whole password (`aaaa…`, `abab…`, `1212…`). */
function isRepetition(text: string): boolean {
  const chars = [...text];
  for (let unit = 1; unit <= 4 && unit < chars.length; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

function isRun(text: string): boolean {
  if (text.length === 0) return false;
  return RUNS.some((run) => {
    const wrapped = run.repeat(Math.ceil(text.length / run.length) + 1);
    const reversed = [...wrapped].reverse().join('');
    return wrapped.includes(text) || reversed.includes(text);
  });
}

/**
 * Whether the password is nothing but common words, with lookalike digits read as letters and
 * any digits, symbols or spaces between or around them: `Password123!`, `p@ssw0rd p@ssw0rd`,
 * `welcome2026`, `adminpassword`. Digits and symbols around common words add little that a
 * guesser does not try first.
 */
function isCommon(folded: string): boolean {
  const chars = [...folded];
  // 0: this prefix cannot be read that way; 1: only skipped characters so far; 2: a word read.
  const reach = new Array<number>(chars.length + 1).fill(0);
  reach[0] = 1;
  for (let at = 0; at < chars.length; at++) {
    const from = reach[at] ?? 0;
    if (from === 0) continue;
    if (!/\p{L}/u.test(chars[at] ?? '')) reach[at + 1] = Math.max(reach[at + 1] ?? 0, from);
    for (const word of COMMON_WORDS) {
      if (at + word.length <= chars.length && readsAs(chars, at, word)) {
        reach[at + word.length] = 2;
      }
    }
  }
  return reach[chars.length] === 2;
}

function readsAs(chars: string[], at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = chars[at + k] ?? '';
    const w = word[k] ?? '';
    if (c !== w && !(LOOKALIKES[c] ?? '').includes(w)) return false;
  }
  return true;
}
