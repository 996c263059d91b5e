import type { Request } from 'express';
import type { Question } from '../interview/interview-definition';
import type { QuestionView } from '../interview/interview-engine';
import { ADDRESS_PARTS, FieldValue, toFieldValue } from './fields';

/** A url-encoded form as express reads it without the `extended` parser: strings and repeats. */
export type FormBody = Record<string, string | string[]>;

/** Hidden field listing the questions a form showed, so an unticked box still counts as an answer. */
export const SHOWN_FIELD = '_shown';

export function formBody(req: Request): FormBody {
  const raw: unknown = req.body;
  const out: FormBody = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value))
      out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

export function first(body: FormBody, key: string): string | undefined {
  const value = Object.prototype.hasOwnProperty.call(body, key) ? body[key] : undefined;
  return Array.isArray(value) ? value[0] : value;
}

export function all(body: FormBody, key: string): string[] {
  const value = Object.prototype.hasOwnProperty.call(body, key) ? body[key] : undefined;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A whole non-negative number from a form field, or undefined. */
export function indexField(body: FormBody, key: string): number | undefined {
  const text = first(body, key);
  return text !== undefined && /^\d{1,4}$/.test(text) ? Number(text) : undefined;
}

export interface ReadAnswers {
  /** What goes to the interview: question id → answer, as the engine reads a form. */
  answers: Record<string, unknown>;
  /** What was typed, to show again on the same page if something needs fixing. */
  typed: Map<string, FieldValue>;
}

function hasField(body: FormBody, id: string): boolean {
  return Object.keys(body).some((k) => k === id || k.startsWith(`${id}.`));
}

/**
 * The answers in a posted screen. Every question the page showed gets an answer, even an empty
 * one: a cleared optional box must clear the saved answer, and an unticked box or radio sends
 * nothing at all. Empty text stays an empty string, which the interview treats as unanswered.
 * Questions the page did not show are only read if the form has fields for them.
 */
export function readAnswers(
  questions: Pick<Question, 'id' | 'kind'>[],
  shown: ReadonlySet<string>,
  body: FormBody,
): ReadAnswers {
  const answers: Record<string, unknown> = {};
  const typed = new Map<string, FieldValue>();
  for (const q of questions) {
    if (!shown.has(q.id) && !hasField(body, q.id)) continue;
    if (q.kind === 'address') {
      const address: Record<string, string> = {};
      for (const part of ADDRESS_PARTS) address[part] = first(body, `${q.id}.${part}`) ?? '';
      answers[q.id] = address;
      typed.set(q.id, address);
    } else if (q.kind === 'multipleChoice') {
      const chosen = all(body, q.id);
      answers[q.id] = chosen;
      typed.set(q.id, chosen);
    } else {
      const text = first(body, q.id) ?? '';
      answers[q.id] = text;
      typed.set(q.id, text);
    }
  }
  return { answers, typed };
}

/** The stored answers of the shown questions, as the form shows them. */
export function storedValues(views: QuestionView[]): Map<string, FieldValue> {
  return new Map(views.map((v) => [v.id, toFieldValue(v.value)]));
}
