import type { ErrorDetail } from '../common/errors/error-code';
import { isObject } from '../common/validation/data-files';
import { Glossary, GlossaryTerm, LANGUAGES, Language } from './interview-definition';
import type { ScreenView } from './interview-engine';

/**
 * Legal words explained where they appear: a screen that says "respondent" or "hearing" shows
 * what the word means, in the petitioner's language, without sending them to a separate page.
 */

export const GLOSSARY_FILE = 'glossary.json';

/** A legal word on the current screen and what it means, in the screen's language. */
export interface TermView {
  term: string;
  explanation: string;
}

/** Long enough for two short sentences; a longer explanation is a page, not a note. */
const MAX_EXPLANATION = 300;
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The glossary entries whose word (or one of its other forms) appears in `texts`, in the order
 * they first appear. Matching ignores case and accents ("peticion" finds "petición") and whole
 * words only ("file" does not match "profile"). Where two entries match overlapping words, the
 * longer one wins, so "personal protection order" is not also explained as "protection order".
 */
export function termsOnScreen(
  glossary: Glossary,
  texts: readonly string[],
  lang: Language,
): TermView[] {
  const text = fold(texts.join('\n'));
  const hits: { id: string; start: number; end: number }[] = [];
  for (const [id, entry] of Object.entries(glossary)) {
    for (const pattern of patternsOf(entry[lang])) {
      for (const m of text.matchAll(pattern)) {
        const start = m.index ?? 0;
        hits.push({ id, start, end: start + m[0].length });
      }
    }
  }
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: typeof hits = [];
  for (const hit of hits) {
    if (!kept.some((k) => hit.start < k.end && k.start < hit.end)) kept.push(hit);
  }
  kept.sort((a, b) => a.start - b.start);
  const ids = [...new Set(kept.map((k) => k.id))];
  return ids.map((id) => ({
    term: glossary[id][lang].term,
    explanation: glossary[id][lang].explanation,
  }));
}

/** Every text a screen view shows, for `termsOnScreen`. */
export function screenViewTexts(view: Omit<ScreenView, 'terms'>): string[] {
  const texts = [view.title, view.intro ?? ''];
  for (const q of view.questions) {
    texts.push(q.label, q.help ?? '');
    for (const o of q.options ?? []) texts.push(o.label, o.help ?? '');
  }
  if (view.list) texts.push(view.list.itemName, view.list.addPrompt);
  return texts.filter(Boolean);
}

/** The word and its other forms, as `termsOnScreen` looks for them. */
export function formsOf(term: GlossaryTerm): string[] {
  return [term.term, ...(term.also ?? [])];
}

/** Lowercase without accents, so a petitioner's text and a form compare the same way. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Each term's patterns, compiled once: `termsOnScreen` runs on every screen shown, and the
 * glossary it reads is loaded once and never changes. (`matchAll` copies a pattern, so sharing
 * one carries no `lastIndex` between calls.)
 */
const compiled = new WeakMap<GlossaryTerm, RegExp[]>();

function patternsOf(term: GlossaryTerm): RegExp[] {
  let patterns = compiled.get(term);
  if (!patterns) {
    patterns = formsOf(term).map(wordPattern);
    compiled.set(term, patterns);
  }
  return patterns;
}

function wordPattern(form: string): RegExp {
  const body = fold(form)
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'gu');
}

/** Checks a glossary as read from `glossary.json`; every problem is named by entry and language. */
export function checkGlossary(raw: unknown, where: string, p: ErrorDetail[]): raw is Glossary {
  const before = p.length;
  if (!isObject(raw)) {
    p.push({ field: where, message: 'the glossary must be an object of entries' });
    return false;
  }
  const seen = new Map<string, string>();
  for (const [id, entry] of Object.entries(raw)) {
    const at = `${where} ${id}`;
    if (!ID.test(id)) p.push({ field: at, message: 'an entry id is lowercase letters and dashes' });
    if (!isObject(entry)) {
      p.push({ field: at, message: `an entry gives the word in ${LANGUAGES.join(' and ')}` });
      continue;
    }
    for (const k of Object.keys(entry)) {
      if (!LANGUAGES.includes(k as Language)) p.push({ field: at, message: `unknown key "${k}"` });
    }
    for (const lang of LANGUAGES) {
      const term = entry[lang];
      if (!checkTerm(term, `${at}.${lang}`, p)) continue;
      for (const form of formsOf(term)) {
        // One word explained two ways would show the petitioner two answers.
        const key = `${lang}:${fold(form).trim()}`;
        const other = seen.get(key);
        if (other !== undefined && other !== id) {
          p.push({ field: `${at}.${lang}`, message: `"${form}" is also a form of "${other}"` });
        }
        seen.set(key, id);
      }
    }
  }
  return p.length === before;
}

function checkTerm(t: unknown, at: string, p: ErrorDetail[]): t is GlossaryTerm {
  if (!isObject(t)) {
    p.push({ field: at, message: 'missing: give term and explanation' });
    return false;
  }
  const before = p.length;
  for (const k of Object.keys(t)) {
    if (!['term', 'explanation', 'also'].includes(k)) {
      p.push({ field: at, message: `unknown key "${k}"` });
    }
  }
  if (!nonEmpty(t.term)) p.push({ field: `${at}.term`, message: 'term must be non-empty text' });
  if (!nonEmpty(t.explanation) || t.explanation.length > MAX_EXPLANATION) {
    p.push({
      field: `${at}.explanation`,
      message: `explanation must be text of at most ${MAX_EXPLANATION} characters`,
    });
  }
  if (t.also !== undefined && (!Array.isArray(t.also) || !t.also.every(nonEmpty))) {
    p.push({ field: `${at}.also`, message: 'also must be a list of non-empty words' });
  }
  return p.length === before;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}
