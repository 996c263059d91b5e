import type { Language, Question, QuestionKind } from '../interview/interview-definition';
import type { Condition } from '../packs/pack-manifest';
import { ADDRESS_PARTS } from './fields';
import { t } from './web-text';

/**
 * Follow-up questions that depend on an answer given on the same screen ("Do you need an
 * interpreter?" → "In what language?"). The interview only shows them once that answer is saved,
 * which a page without JavaScript could never do before the flow moves on. So the page always
 * carries them: without JavaScript they are shown with a line saying when to answer them (the
 * interview ignores an answer to a question that does not apply); with it, site.js shows and
 * hides them as the petitioner answers, from the condition written into the page.
 */

/** A condition as the page's script reads it: by question id (and address part), not by path. */
export type ClientCondition =
  | {
      q: string;
      kind: QuestionKind;
      part?: string;
      equals?: string | number | boolean;
      in?: (string | number)[];
      includes?: string;
      truthy?: true;
      nonEmpty?: true;
    }
  | { all: ClientCondition[] }
  | { any: ClientCondition[] }
  | { not: ClientCondition };

interface Target {
  question: Question;
  part?: string;
}

/** The question on this screen that writes `path` (or one part of an address it writes). */
function targetOf(path: string, screen: Question[]): Target | undefined {
  const exact = screen.find((q) => q.path === path);
  if (exact) return { question: exact };
  for (const q of screen) {
    if (q.kind !== 'address' || !path.startsWith(`${q.path}.`)) continue;
    const part = path.slice(q.path.length + 1);
    if ((ADDRESS_PARTS as readonly string[]).includes(part)) return { question: q, part };
  }
  return undefined;
}

function toClient(condition: Condition, screen: Question[]): ClientCondition | undefined {
  if ('all' in condition || 'any' in condition) {
    const list = 'all' in condition ? condition.all : condition.any;
    const mapped = list.map((c) => toClient(c, screen));
    if (mapped.some((c) => c === undefined)) return undefined;
    const parts = mapped as ClientCondition[];
    return 'all' in condition ? { all: parts } : { any: parts };
  }
  if ('not' in condition) {
    const inner = toClient(condition.not, screen);
    return inner && { not: inner };
  }
  const target = targetOf(condition.path, screen);
  if (!target) return undefined;
  const test = Object.fromEntries(Object.entries(condition).filter(([key]) => key !== 'path'));
  return { q: target.question.id, kind: target.question.kind, part: target.part, ...test };
}

/** The question's condition, when it reads only answers given on this same screen. */
export function localCondition(q: Question, screen: Question[]): ClientCondition | undefined {
  if (!q.showIf) return undefined;
  const others = screen.filter((other) => other.id !== q.id);
  return toClient(q.showIf, others);
}

function optionLabel(q: Question, value: unknown, lang: Language): string {
  return q.options?.find((o) => o.value === value)?.label[lang] ?? String(value);
}

/**
 * "Answer this only if …", said from the condition when it is a simple one (which all of the
 * bundled interview's are), and in general words otherwise.
 */
export function conditionHint(
  condition: ClientCondition,
  screen: Question[],
  lang: Language,
): string {
  const generic = t(lang, 'condApplies');
  const negated = 'not' in condition;
  const test = negated ? condition.not : condition;
  if (!('q' in test)) return generic;
  const q = screen.find((x) => x.id === test.q);
  if (!q) return generic;
  const label = q.label[lang];
  if (test.nonEmpty || test.truthy) {
    return t(lang, negated ? 'condEmpty' : 'condAnswered', { label });
  }
  if (test.equals !== undefined || test.includes !== undefined) {
    const value = test.equals ?? test.includes;
    if (q.kind === 'yesNo' && typeof value === 'boolean') {
      const yes = value !== negated;
      return t(lang, yes ? 'condYes' : 'condNo', { label });
    }
    const option = optionLabel(q, value, lang);
    return t(lang, negated ? 'condNotChose' : 'condChose', { label, option });
  }
  return generic;
}
