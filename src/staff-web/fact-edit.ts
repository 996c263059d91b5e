import type { CaseFacts } from '../case-facts/case-facts.dto';
import type { LeafAt, LeafSpec } from './fact-schema';

/** What a form showed or sent for one fact: one string, or the ticked values of a list. */
export type FormValue = string | string[];

export type ReadLeaf = { ok: true; value: unknown; remove: boolean } | { ok: false; error: string };

/** A fact's stored value as its form input shows it. */
export function formValueOf(leaf: Pick<LeafAt, 'spec' | 'value'>): FormValue {
  const { value } = leaf;
  switch (leaf.spec.kind) {
    case 'boolean':
      return value === true ? 'yes' : value === false ? 'no' : '';
    case 'enumList':
      return Array.isArray(value) ? value.map(String) : [];
    case 'textList':
      return Array.isArray(value) ? value.map(String).join('\n') : '';
    default:
      return value === undefined || value === null ? '' : String(value);
  }
}

/**
 * What was typed, as the value CaseFacts stores. An empty answer removes an optional fact and is
 * refused for a required one; everything else about the value (lengths, formats, dates that
 * cannot be in the future) is left to the model's own validation, so the rules live in one place.
 */
export function readLeaf(spec: LeafSpec, label: string, typed: string[]): ReadLeaf {
  const one = (typed[0] ?? '').replace(/\r\n?/g, '\n').trim();
  const empty = (): ReadLeaf =>
    spec.optional
      ? { ok: true, value: undefined, remove: true }
      : { ok: false, error: `${label} cannot be left empty` };
  switch (spec.kind) {
    case 'boolean':
      if (one === 'yes' || one === 'no') return { ok: true, value: one === 'yes', remove: false };
      // `none` is the "Not given" radio of an optional yes/no.
      return one === '' || one === 'none'
        ? empty()
        : { ok: false, error: `Choose yes or no for ${lower(label)}` };
    case 'integer':
      if (one === '') return empty();
      return /^-?\d{1,9}$/.test(one)
        ? { ok: true, value: Number(one), remove: false }
        : { ok: false, error: `${label} must be a whole number, such as 12` };
    case 'enum':
      if (one === '') return empty();
      return spec.options.includes(one)
        ? { ok: true, value: one, remove: false }
        : { ok: false, error: `Choose one of the options for ${lower(label)}` };
    case 'enumList': {
      const chosen = new Set(typed);
      if ([...chosen].some((v) => !spec.options.includes(v))) {
        return { ok: false, error: `Choose only from the options for ${lower(label)}` };
      }
      const value = spec.options.filter((o) => chosen.has(o));
      return value.length === 0 && spec.optional
        ? { ok: true, value: undefined, remove: true }
        : { ok: true, value, remove: false };
    }
    case 'textList': {
      const value = one
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return value.length === 0 && spec.optional
        ? { ok: true, value: undefined, remove: true }
        : { ok: true, value, remove: false };
    }
    default:
      return one === '' ? empty() : { ok: true, value: one, remove: false };
  }
}

function lower(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/**
 * A copy of the facts with one fact set (or removed). The parent must exist: leafAt has checked
 * that before a form for the fact was shown or read.
 */
export function withLeaf(
  facts: CaseFacts,
  path: string,
  change: { value: unknown; remove: boolean },
): CaseFacts {
  const copy = JSON.parse(JSON.stringify(facts)) as Record<string, unknown>;
  const keys = path.split('.');
  let at: unknown = copy;
  for (const key of keys.slice(0, -1)) {
    at = Array.isArray(at) ? at[Number(key)] : (at as Record<string, unknown>)[key];
    if (typeof at !== 'object' || at === null) throw new Error('the fact has no parent to hold it');
  }
  const parent = at as Record<string, unknown>;
  const last = keys[keys.length - 1] ?? '';
  if (change.remove) delete parent[last];
  else parent[last] = change.value;
  return copy as unknown as CaseFacts;
}
