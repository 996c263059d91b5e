import { isEmail } from 'class-validator';
import { LIMITS } from '../case-facts/case-facts.dto';
import { isCalendarDate } from '../common/validation/calendar-date';
import {
  findForbiddenCharacter,
  findUnprintableCharacter,
} from '../common/validation/text-characters';
import { resolvePath } from '../view-models/resolve-path';
import type { Language, Question } from './interview-definition';
import { MessageKey, message } from './interview-messages';

/**
 * Reading one submitted answer: accepts what a JSON client or an HTML form sends ("yes", "3",
 * a single checkbox value), checks it by the question's kind, and answers in the petitioner's
 * language. The same limits as CaseFacts, so an accepted answer is never refused at the end.
 */

export type Answers = Record<string, unknown>;

export interface FieldError {
  /** The question id (with `.street` etc. for a part of an address). */
  field: string;
  message: string;
}

export type Checked = { value: unknown; errors: [] } | { value?: undefined; errors: FieldError[] };

const STATE = /^[A-Z]{2}$/;
/** The same shapes CaseFacts accepts (case-facts.dto.ts), so the end never refuses an answer. */
const PHONE = /^[+0-9 ().-]{7,25}$/;
const ZIP = /^\d{5}(-\d{4})?$/;
const ADDRESS_PARTS = ['street', 'unit', 'city', 'state', 'postalCode'] as const;

interface Context {
  lang: Language;
  today: string;
}

export function checkAnswer(q: Question, raw: unknown, ctx: Context): Checked {
  if (isBlank(raw)) {
    if (q.kind === 'multipleChoice' && !q.required) return ok([]);
    return q.required ? fail(q, 'required', ctx) : ok(undefined);
  }
  switch (q.kind) {
    case 'text':
    case 'longText':
      return checkText(q, raw, ctx);
    case 'date':
      return checkDate(q, raw, ctx);
    case 'yesNo':
      return checkYesNo(q, raw, ctx);
    case 'number':
      return checkNumber(q, raw, ctx);
    case 'singleChoice':
      return checkChoice(q, raw, ctx);
    case 'multipleChoice':
      return checkChoices(q, raw, ctx);
    case 'address':
      return checkAddress(q, raw, ctx);
  }
}

/** Whether a stored answer counts as given (an empty list of choices does not, when required). */
export function isAnswered(q: Question, value: unknown): boolean {
  if (isBlank(value)) return false;
  // A choice no longer offered (a court of the county chosen before) is no answer: the flow
  // must come back to the question rather than carry a value the screen cannot show.
  const offered = (v: unknown) => !q.options || q.options.some((o) => o.value === v);
  if (q.kind === 'singleChoice') return offered(value);
  if (q.kind !== 'multipleChoice') return true;
  return Array.isArray(value) && value.length > 0 && value.every(offered);
}

function checkText(q: Question, raw: unknown, ctx: Context): Checked {
  if (typeof raw !== 'string') return fail(q, 'text', ctx);
  const max = q.maxLength ?? (q.kind === 'longText' ? LIMITS.paragraph : LIMITS.line);
  const text = q.format === 'usState' ? raw.trim().toUpperCase() : raw.trim();
  if (text.length > max) return fail(q, 'tooLong', ctx, { max });
  const forbidden = findForbiddenCharacter(text);
  if (forbidden) return fail(q, 'characters', ctx, { codePoint: forbidden.codePoint });
  const unprintable = findUnprintableCharacter(text);
  if (unprintable) return fail(q, 'unprintable', ctx, { ...unprintable });
  if (q.format === 'usState' && !STATE.test(text)) return fail(q, 'state', ctx);
  if (q.format === 'phone' && !PHONE.test(text)) return fail(q, 'phone', ctx);
  if (q.format === 'email' && (!isEmail(text) || text.length > 254)) return fail(q, 'email', ctx);
  return ok(text);
}

function checkDate(q: Question, raw: unknown, ctx: Context): Checked {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (!isCalendarDate(text)) return fail(q, 'date', ctx);
  return q.notFuture && text > ctx.today ? fail(q, 'future', ctx) : ok(text);
}

function checkYesNo(q: Question, raw: unknown, ctx: Context): Checked {
  if (typeof raw === 'boolean') return ok(raw);
  const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (['yes', 'true'].includes(word)) return ok(true);
  if (['no', 'false'].includes(word)) return ok(false);
  return fail(q, 'yesNo', ctx);
}

function checkNumber(q: Question, raw: unknown, ctx: Context): Checked {
  const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  const min = q.min ?? 0;
  const max = q.max ?? 1000;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    return fail(q, 'number', ctx, { min, max });
  }
  return ok(n);
}

function checkChoice(q: Question, raw: unknown, ctx: Context): Checked {
  const values = (q.options ?? []).map((o) => o.value);
  return typeof raw === 'string' && values.includes(raw) ? ok(raw) : fail(q, 'choice', ctx);
}

function checkChoices(q: Question, raw: unknown, ctx: Context): Checked {
  // An HTML form sends one checked box as a plain string.
  const list = typeof raw === 'string' ? [raw] : raw;
  const values = (q.options ?? []).map((o) => o.value);
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && values.includes(v))) {
    return fail(q, 'choice', ctx);
  }
  const unique = values.filter((v) => list.includes(v));
  return q.required && unique.length === 0 ? fail(q, 'required', ctx) : ok(unique);
}

function checkAddress(q: Question, raw: unknown, ctx: Context): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(q, 'street', ctx);
  }
  const parts = raw as Record<string, unknown>;
  const text = (k: string): string => (typeof parts[k] === 'string' ? String(parts[k]).trim() : '');
  const address: Record<string, string> = {};
  for (const part of ADDRESS_PARTS) if (text(part)) address[part] = text(part);
  if (Object.keys(address).length === 0) {
    return q.required ? fail(q, 'required', ctx) : ok(undefined);
  }
  if (address.state) address.state = address.state.toUpperCase();
  const errors: FieldError[] = [];
  const need = (part: string, key: MessageKey, valid: boolean): void => {
    if (!valid)
      errors.push({ field: `${q.id}.${part}`, message: message(key, ctx.lang, labels(q, ctx)) });
  };
  need('street', 'street', Boolean(address.street) && address.street.length <= LIMITS.line);
  need('city', 'city', Boolean(address.city) && address.city.length <= LIMITS.line);
  need('state', 'state', STATE.test(address.state ?? ''));
  need('postalCode', 'postalCode', ZIP.test(address.postalCode ?? ''));
  if ((address.unit ?? '').length > LIMITS.line) need('unit', 'tooLong', false);
  for (const part of ['street', 'unit', 'city'] as const) {
    const forbidden = findForbiddenCharacter(address[part] ?? '');
    const unprintable = forbidden ? undefined : findUnprintableCharacter(address[part] ?? '');
    if (forbidden) {
      const values = { ...labels(q, ctx), codePoint: forbidden.codePoint };
      errors.push({ field: `${q.id}.${part}`, message: message('characters', ctx.lang, values) });
    } else if (unprintable) {
      const values = { ...labels(q, ctx), ...unprintable };
      errors.push({ field: `${q.id}.${part}`, message: message('unprintable', ctx.lang, values) });
    }
  }
  return errors.length > 0 ? { errors } : ok(address);
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function ok(value: unknown): Checked {
  return { value, errors: [] };
}

function labels(q: Question, ctx: Context): Record<string, string | number> {
  return { label: q.label[ctx.lang], max: LIMITS.line };
}

function fail(
  q: Question,
  key: MessageKey,
  ctx: Context,
  values: Record<string, string | number> = {},
): Checked {
  return {
    errors: [
      { field: q.id, message: message(key, ctx.lang, { label: q.label[ctx.lang], ...values }) },
    ],
  };
}

/** Reads an answer at a dotted path (own properties only, like every path in this service). */
export function getPath(root: unknown, path: string): unknown {
  return resolvePath(root, path);
}

/**
 * Writes an answer at a dotted path, creating objects on the way; `undefined` removes it. An
 * address merges into what is there, so the kind of a mailing address asked on its own survives.
 */
export function setPath(root: Answers, path: string, value: unknown, merge = false): void {
  const segments = path.split('.');
  const last = segments.pop() as string;
  let node: Record<string, unknown> = root;
  for (const s of segments) {
    const next = node[s];
    if (typeof next !== 'object' || next === null) node[s] = {};
    node = node[s] as Record<string, unknown>;
  }
  if (value === undefined) {
    delete node[last];
  } else if (merge && isPlainObject(value)) {
    const existing = isPlainObject(node[last]) ? (node[last] as Record<string, unknown>) : {};
    for (const part of ADDRESS_PARTS) delete existing[part];
    node[last] = { ...existing, ...value };
  } else {
    node[last] = value;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
