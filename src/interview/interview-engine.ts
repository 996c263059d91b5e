import { todayIso } from '../common/validation/calendar-date';
import { isObject } from '../common/validation/data-files';
import { evaluateCondition } from '../packs/condition';
import type { Condition } from '../packs/pack-manifest';
import {
  Answers,
  FieldError,
  checkAnswer,
  getPath,
  isAnswered,
  setPath,
} from './interview-answers';
import type {
  InterviewDefinition,
  Language,
  ListSpec,
  Question,
  QuestionKind,
  Screen,
  Section,
} from './interview-definition';
import { TermView, screenViewTexts, termsOnScreen } from './glossary';
import { PLACEHOLDER } from './interview-lint';
import { message } from './interview-messages';

/**
 * The interview flow, pure: every function takes a state and returns a new one, so the JSON API,
 * the web pages and the tests drive the same logic and a draft is just data to store.
 */

/** Where the petitioner is: a screen, one screen of one list item, a list's overview, or review. */
export type Position =
  | { kind: 'screen'; screenId: string }
  | { kind: 'item'; sectionId: string; index: number; screenId: string }
  | { kind: 'list'; sectionId: string }
  | { kind: 'review' };

export interface InterviewState {
  /** The answers so far, in CaseFacts shape (list items under their CaseFacts array). */
  answers: Answers;
  position: Position;
  /** Positions visited, for going back. */
  history: Position[];
  /** Lists the petitioner said they were done with: "no more people" is an answer too. */
  finishedLists: string[];
  /** A change started from the review: once it is made, the flow returns to the review. */
  returnToReview: boolean;
}

export type ListAction = 'add' | 'done' | 'edit' | 'remove';

export interface Submission {
  /** Question id → answer, for question screens. */
  answers?: Record<string, unknown>;
  /** For list screens. */
  action?: ListAction;
  /** The item (0-based) to edit or remove. */
  index?: number;
}

export type StepResult = { ok: true; state: InterviewState } | { ok: false; errors: FieldError[] };

export interface QuestionView {
  id: string;
  kind: QuestionKind;
  label: string;
  help?: string;
  required: boolean;
  value?: unknown;
  options?: { value: string; label: string; help?: string }[];
}

export interface ScreenView {
  position: Position;
  section: { id: string; title: string };
  title: string;
  intro?: string;
  questions: QuestionView[];
  list?: ListView;
  progress: { done: number; total: number };
  canGoBack: boolean;
  /** Legal words the screen uses, with what they mean. */
  terms: TermView[];
}

export interface ListView {
  itemName: string;
  addPrompt: string;
  items: { index: number; summary: string }[];
  canAdd: boolean;
  canFinish: boolean;
}

export interface ReviewEntry {
  section: string;
  questionId: string;
  label: string;
  value: string;
  /** Where "Change" leads: pass it to `change`. */
  change: Position;
}

export interface EngineOptions {
  now?: () => Date;
}

interface Located {
  section: Section;
  screen: Screen;
}

export class InterviewEngine {
  private readonly screens = new Map<string, Located>();
  private readonly sections = new Map<string, Section>();
  /** Every top-level step's key in the full, unfiltered order, for `stepIndex`. */
  private readonly order: string[];

  constructor(
    readonly definition: InterviewDefinition,
    private readonly options: EngineOptions = {},
  ) {
    for (const section of definition.sections) {
      this.sections.set(section.id, section);
      for (const screen of section.screens) this.screens.set(screen.id, { section, screen });
    }
    this.order = definition.sections.flatMap((section): string[] =>
      section.list ? [`list:${section.id}`] : section.screens.map((s) => `screen:${s.id}`),
    );
  }

  start(): InterviewState {
    const base: InterviewState = {
      answers: {},
      position: { kind: 'review' },
      history: [],
      finishedLists: [],
      returnToReview: false,
    };
    return { ...base, position: this.stepsFrom(base, 0)[0] ?? { kind: 'review' } };
  }

  // ---- what the petitioner sees ---------------------------------------------------------------

  view(state: InterviewState, lang: Language): ScreenView {
    const view = this.bareView(state, lang);
    // Legal words are explained on the screen that uses them, in the petitioner's language.
    const glossary = this.definition.glossary ?? {};
    return { ...view, terms: termsOnScreen(glossary, screenViewTexts(view), lang) };
  }

  private bareView(state: InterviewState, lang: Language): Omit<ScreenView, 'terms'> {
    const p = state.position;
    const progress = this.progress(state);
    const canGoBack = state.history.length > 0;
    if (p.kind === 'review') {
      const title = message('review', lang);
      return {
        position: p,
        section: { id: 'review', title },
        title,
        questions: [],
        progress,
        canGoBack,
      };
    }
    if (p.kind === 'list') {
      const section = this.section(p.sectionId);
      return {
        position: p,
        section: { id: section.id, title: section.title[lang] },
        title: section.title[lang],
        questions: [],
        list: this.listView(state, section, lang),
        progress,
        canGoBack,
      };
    }
    const { section, screen } = this.locate(p.screenId);
    const scope = this.scopeOf(state, p);
    return {
      position: p,
      section: { id: section.id, title: section.title[lang] },
      title: screen.title[lang],
      intro: screen.intro?.[lang],
      questions: this.visibleQuestions(screen, scope).map((q) => questionView(q, scope, lang)),
      progress,
      canGoBack,
    };
  }

  /** Screens done out of the visible top-level steps; list items count with their list. */
  progress(state: InterviewState): { done: number; total: number } {
    const steps = this.topLevelSteps(state.answers);
    const p = state.position;
    if (p.kind === 'review') return { done: steps.length, total: steps.length };
    const key = p.kind === 'item' ? `list:${p.sectionId}` : stepKey(p);
    const index = steps.findIndex((s) => stepKey(s) === key);
    return { done: Math.max(index, 0), total: steps.length };
  }

  // ---- moving -----------------------------------------------------------------------------------

  submit(state: InterviewState, submission: Submission, lang: Language): StepResult {
    const p = state.position;
    if (p.kind === 'list') return this.listAction(state, submission, lang);
    // The review takes no answers (finishing is the service's step); question screens take no actions.
    if (p.kind === 'review' || submission.action !== undefined) {
      return { ok: false, errors: [{ field: 'action', message: message('action', lang) }] };
    }
    return this.answerScreen(state, p, submission.answers ?? {}, lang);
  }

  back(state: InterviewState): InterviewState {
    const history = [...state.history];
    while (history.length > 0) {
      const previous = history.pop() as Position;
      if (this.isReachable(state, previous)) {
        return {
          ...state,
          history,
          position: previous,
          returnToReview: state.returnToReview && previous.kind !== 'review',
        };
      }
    }
    return state;
  }

  /** Opens a screen from the review; once it is answered the flow returns to the review. */
  change(state: InterviewState, target: Position): InterviewState | undefined {
    if (!this.isReachable(state, target) || target.kind === 'review') return undefined;
    return {
      ...state,
      history: [...state.history, state.position],
      position: target,
      returnToReview: true,
    };
  }

  /** The first visible step that still needs an answer, if any: the review cannot finish before. */
  firstUnfinished(state: InterviewState): Position | undefined {
    return this.topLevelSteps(state.answers).find((s) => !this.isComplete(state, s));
  }

  // ---- review and result ------------------------------------------------------------------------

  review(state: InterviewState, lang: Language): ReviewEntry[] {
    const entries: ReviewEntry[] = [];
    for (const section of this.visibleSections(state.answers)) {
      if (section.list) entries.push(...this.reviewList(state, section, lang));
      else entries.push(...this.reviewScreens(section, state.answers, lang));
    }
    return entries;
  }

  /**
   * The answers as CaseFacts input: the interview's defaults, then every answer to a question
   * that is still shown (an answer made irrelevant by a later change is left out, not filed).
   * A default's `{path}` placeholders are filled from those answers; a default whose placeholder
   * has no answer is left out, so CaseFacts names the missing fact rather than filing half a name.
   */
  toCaseFacts(answers: Answers): Answers {
    const given: Answers = {};
    for (const section of this.visibleSections(answers)) {
      if (section.list) {
        const items = listItems(answers, section.list.path).map((item) => {
          const copy: Answers = {};
          this.copyShown(section.screens, item, copy);
          return copy;
        });
        setPath(given, section.list.path, items);
      } else {
        this.copyShown(section.screens, answers, given);
      }
    }
    const out: Answers = {};
    for (const [path, value] of Object.entries(this.definition.defaults)) {
      const filled = fillPlaceholders(value, given);
      if (filled !== undefined) setPath(out, path, filled);
    }
    mergeAnswers(out, given);
    return out;
  }

  /** The question that writes a CaseFacts field (`incidents.1.place`), to point errors at it. */
  questionForField(field: string): { question: Question; position: Position } | undefined {
    for (const section of this.definition.sections) {
      for (const screen of section.screens) {
        for (const q of screen.questions) {
          const hit = matchField(section, screen, q, field);
          if (hit) return { question: q, position: hit };
        }
      }
    }
    return undefined;
  }

  // ---- internals: question screens --------------------------------------------------------------

  private answerScreen(
    state: InterviewState,
    p: Extract<Position, { kind: 'screen' | 'item' }>,
    submitted: Record<string, unknown>,
    lang: Language,
  ): StepResult {
    const { screen } = this.locate(p.screenId);
    const unknown = Object.keys(submitted).filter(
      (id) => !screen.questions.some((q) => q.id === id),
    );
    if (unknown.length > 0) {
      return {
        ok: false,
        errors: unknown.map((id) => ({ field: id, message: message('notOnScreen', lang, { id }) })),
      };
    }
    const scope = structuredClone(this.scopeOf(state, p));
    // What decides visibility also holds refused answers as typed, so a refused date of birth
    // does not reveal (and then demand) the age question the petitioner never saw.
    const shown = structuredClone(scope);
    const ctx = { lang, today: todayIso(this.now()) };
    const errors: FieldError[] = [];
    for (const q of screen.questions) {
      if (!(q.id in submitted)) continue;
      const checked = checkAnswer(q, submitted[q.id], ctx);
      const accepted = checked.errors.length === 0;
      setPath(
        scope,
        q.path,
        accepted ? checked.value : getPath(scope, q.path),
        q.kind === 'address',
      );
      setPath(shown, q.path, accepted ? checked.value : submitted[q.id], q.kind === 'address');
    }
    for (const q of this.visibleQuestions(screen, shown)) {
      const raw = q.id in submitted ? submitted[q.id] : getPath(scope, q.path);
      errors.push(...checkAnswer(q, raw, ctx).errors);
    }
    if (errors.length > 0) return { ok: false, errors };
    const answers = this.withScope(state, p, scope);
    const next: InterviewState = { ...state, answers, history: [...state.history, p] };
    return { ok: true, state: this.advance(next, p) };
  }

  private advance(state: InterviewState, from: Position): InterviewState {
    if (from.kind === 'item') {
      const nextScreen = this.nextItemScreen(state, from);
      return { ...state, position: nextScreen ?? { kind: 'list', sectionId: from.sectionId } };
    }
    if (state.returnToReview) {
      const position = this.firstUnfinished(state) ?? { kind: 'review' };
      return { ...state, position, returnToReview: position.kind !== 'review' };
    }
    const after = this.stepsFrom(state, this.stepIndex(state.answers, from) + 1)[0];
    return { ...state, position: after ?? { kind: 'review' } };
  }

  private nextItemScreen(
    state: InterviewState,
    from: Extract<Position, { kind: 'item' }>,
  ): Position | undefined {
    const section = this.section(from.sectionId);
    const item = this.scopeOf(state, from);
    const start = section.screens.findIndex((s) => s.id === from.screenId) + 1;
    const screen = section.screens.slice(start).find((s) => this.isScreenVisible(s, item));
    return screen && { ...from, screenId: screen.id };
  }

  // ---- internals: lists -------------------------------------------------------------------------

  private listAction(state: InterviewState, s: Submission, lang: Language): StepResult {
    const p = state.position as Extract<Position, { kind: 'list' }>;
    const section = this.section(p.sectionId);
    const list = listOf(section);
    const items = listItems(state.answers, list.path);
    const item = list.itemName[lang];
    const fail = (field: string, text: string): StepResult => ({
      ok: false,
      errors: [{ field, message: text }],
    });
    if (s.action === 'add') {
      if (items.length >= list.max)
        return fail('action', message('listMax', lang, { max: list.max, item }));
      return { ok: true, state: this.openItem(state, section, items.length) };
    }
    if (s.action === 'edit' || s.action === 'remove') {
      const n = s.index;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= items.length) {
        return fail('index', message('noSuchItem', lang, { item, n: (n ?? 0) + 1 }));
      }
      return {
        ok: true,
        state:
          s.action === 'edit'
            ? this.openItem(state, section, n)
            : this.removeItem(state, section, n),
      };
    }
    if (s.action === 'done') {
      if (items.length < list.min)
        return fail('action', message('listMin', lang, { min: list.min, item }));
      const unfinished = items.findIndex((it) => !this.isItemComplete(section, it));
      if (unfinished >= 0)
        return fail('index', message('itemUnfinished', lang, { item, n: unfinished + 1 }));
      const finished = {
        ...state,
        finishedLists: [...new Set([...state.finishedLists, section.id])],
        history: [...state.history, p],
      };
      return { ok: true, state: this.advance(finished, p) };
    }
    return fail('action', message('action', lang));
  }

  private openItem(state: InterviewState, section: Section, index: number): InterviewState {
    const item = listItems(state.answers, listOf(section).path)[index] ?? {};
    const first = section.screens.find((s) => this.isScreenVisible(s, item)) ?? section.screens[0];
    return {
      ...state,
      history: [...state.history, state.position],
      position: { kind: 'item', sectionId: section.id, index, screenId: first.id },
    };
  }

  private removeItem(state: InterviewState, section: Section, index: number): InterviewState {
    const path = listOf(section).path;
    const answers = structuredClone(state.answers);
    setPath(
      answers,
      path,
      listItems(answers, path).filter((_, i) => i !== index),
    );
    // Item positions after the removed one would now point at other items: forget them.
    const history = state.history.filter((h) => !(h.kind === 'item' && h.sectionId === section.id));
    return { ...state, answers, history };
  }

  private listView(state: InterviewState, section: Section, lang: Language): ListView {
    const list = listOf(section);
    const items = listItems(state.answers, list.path);
    const summaryQ = section.screens
      .flatMap((s) => s.questions)
      .find((q) => q.id === list.summaryQuestion);
    return {
      itemName: list.itemName[lang],
      addPrompt: list.addPrompt[lang],
      items: items.map((item, index) => ({
        index,
        summary: summaryQ
          ? displayValue(summaryQ, getPath(item, summaryQ.path), lang)
          : String(index + 1),
      })),
      canAdd: items.length < list.max,
      canFinish: items.length >= list.min,
    };
  }

  private isItemComplete(section: Section, item: Answers): boolean {
    return section.screens
      .filter((s) => this.isScreenVisible(s, item))
      .every((s) => this.isScreenAnswered(s, item));
  }

  // ---- internals: review ------------------------------------------------------------------------

  private reviewScreens(
    section: Section,
    scope: Answers,
    lang: Language,
    prefix = '',
    at?: (screen: Screen) => Position,
  ): ReviewEntry[] {
    const entries: ReviewEntry[] = [];
    for (const screen of section.screens.filter((s) => this.isScreenVisible(s, scope))) {
      for (const q of this.visibleQuestions(screen, scope)) {
        const value = getPath(scope, q.path);
        if (value === undefined) continue;
        entries.push({
          section: section.title[lang],
          questionId: q.id,
          label: prefix + q.label[lang],
          value: displayValue(q, value, lang),
          change: at ? at(screen) : { kind: 'screen', screenId: screen.id },
        });
      }
    }
    return entries;
  }

  private reviewList(state: InterviewState, section: Section, lang: Language): ReviewEntry[] {
    const list = listOf(section);
    const items = listItems(state.answers, list.path);
    if (items.length === 0) {
      return [
        {
          section: section.title[lang],
          questionId: section.id,
          label: section.title[lang],
          value: message('none', lang),
          change: { kind: 'list', sectionId: section.id },
        },
      ];
    }
    return items.flatMap((item, index) =>
      this.reviewScreens(
        section,
        item,
        lang,
        `${capitalize(list.itemName[lang])} ${index + 1}: `,
        (screen) => ({
          kind: 'item',
          sectionId: section.id,
          index,
          screenId: screen.id,
        }),
      ),
    );
  }

  private copyShown(screens: Screen[], scope: Answers, out: Answers): void {
    for (const screen of screens.filter((s) => this.isScreenVisible(s, scope))) {
      for (const q of this.visibleQuestions(screen, scope)) {
        const value = asFiled(q, getPath(scope, q.path));
        const filled = value === undefined && q.kind === 'multipleChoice' ? [] : value;
        if (filled !== undefined)
          setPath(out, q.path, structuredClone(filled), q.kind === 'address');
      }
    }
  }

  // ---- internals: steps and visibility ------------------------------------------------------------

  /** The steps of the main flow over these answers: visible screens and visible lists, in order. */
  private topLevelSteps(answers: Answers): Position[] {
    return this.visibleSections(answers).flatMap((section): Position[] =>
      section.list
        ? [{ kind: 'list', sectionId: section.id }]
        : section.screens
            .filter((s) => this.isScreenVisible(s, answers))
            .map((s) => ({ kind: 'screen', screenId: s.id })),
    );
  }

  private stepsFrom(state: InterviewState, index: number): Position[] {
    return this.topLevelSteps(state.answers).slice(index);
  }

  /** Where a step sits in the full, unfiltered order, so a step now hidden still has a place. */
  private stepIndex(answers: Answers, p: Position): number {
    const order = this.order.indexOf(stepKey(p));
    const visible = this.topLevelSteps(answers);
    const next = visible.findIndex((s) => this.order.indexOf(stepKey(s)) > order);
    return next < 0 ? visible.length - 1 : next - 1;
  }

  private visibleSections(answers: Answers): Section[] {
    return this.definition.sections.filter((s) => holds(s.showIf, answers));
  }

  private isScreenVisible(screen: Screen, scope: Answers): boolean {
    return holds(screen.showIf, scope) && this.visibleQuestions(screen, scope).length > 0;
  }

  private visibleQuestions(screen: Screen, scope: Answers): Question[] {
    return screen.questions.filter((q) => holds(q.showIf, scope));
  }

  private isScreenAnswered(screen: Screen, scope: Answers): boolean {
    return this.visibleQuestions(screen, scope).every(
      (q) => !q.required || isAnswered(q, getPath(scope, q.path)),
    );
  }

  private isComplete(state: InterviewState, step: Position): boolean {
    if (step.kind === 'list') {
      const section = this.section(step.sectionId);
      return (
        state.finishedLists.includes(step.sectionId) &&
        listItems(state.answers, listOf(section).path).every((it) =>
          this.isItemComplete(section, it),
        )
      );
    }
    if (step.kind !== 'screen') return true;
    return this.isScreenAnswered(this.locate(step.screenId).screen, state.answers);
  }

  /** Whether a position can be shown now (going back or changing must not land on a hidden one). */
  private isReachable(state: InterviewState, p: Position): boolean {
    if (p.kind === 'review') return true;
    if (p.kind === 'item') {
      const section = this.sections.get(p.sectionId);
      const located = this.screens.get(p.screenId);
      if (!section?.list || located?.section !== section || !holds(section.showIf, state.answers))
        return false;
      const items = listItems(state.answers, section.list.path);
      return (
        p.index >= 0 &&
        p.index <= items.length &&
        this.isScreenVisible(located.screen, items[p.index] ?? {})
      );
    }
    return this.topLevelSteps(state.answers).some((s) => stepKey(s) === stepKey(p));
  }

  private scopeOf(state: InterviewState, p: Position): Answers {
    if (p.kind !== 'item') return state.answers;
    const path = listOf(this.section(p.sectionId)).path;
    return listItems(state.answers, path)[p.index] ?? {};
  }

  private withScope(state: InterviewState, p: Position, scope: Answers): Answers {
    if (p.kind !== 'item') return scope;
    const answers = structuredClone(state.answers);
    const path = listOf(this.section(p.sectionId)).path;
    const items = listItems(answers, path);
    items[p.index] = scope;
    setPath(answers, path, items);
    return answers;
  }

  private locate(screenId: string): Located {
    const located = this.screens.get(screenId);
    if (!located) throw new Error(`no screen ${screenId}`);
    return located;
  }

  private section(id: string): Section {
    const section = this.sections.get(id);
    if (!section) throw new Error(`no section ${id}`);
    return section;
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}

/**
 * An answer as it is filed. A choice that is no longer among the question's options is left out:
 * two questions may write one path (Massachusetts asks the court from the chosen county's list),
 * and a court chosen for the county before a change must not be filed for the new one.
 */
function asFiled(q: Question, value: unknown): unknown {
  const offered = (v: unknown): boolean => q.options?.some((o) => o.value === v) === true;
  if (q.kind === 'singleChoice') return offered(value) ? value : undefined;
  if (q.kind === 'multipleChoice' && Array.isArray(value)) return value.filter(offered);
  if (q.lines && typeof value === 'string') {
    const items = value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    return items.length > 0 ? items : undefined;
  }
  return value;
}

/** A default with its `{path}` placeholders filled from the answers; undefined if one is missing. */
function fillPlaceholders(value: unknown, answers: Answers): unknown {
  if (typeof value === 'string') {
    let missing = false;
    const text = value.replace(PLACEHOLDER, (_, path: string) => {
      const answer = getPath(answers, path);
      if (typeof answer === 'string' || typeof answer === 'number') return String(answer);
      missing = true;
      return '';
    });
    return missing ? undefined : text;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => fillPlaceholders(v, answers));
    return items.includes(undefined) ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, answers)]);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** Answers laid over defaults: objects merge, so `{ requested: false }` takes the details given. */
function mergeAnswers(target: Answers, source: Answers): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) mergeAnswers(existing, value);
    else target[key] = value;
  }
}

function holds(condition: Condition | undefined, scope: Answers): boolean {
  return condition === undefined || evaluateCondition(condition, scope);
}

function stepKey(p: Position): string {
  switch (p.kind) {
    case 'screen':
      return `screen:${p.screenId}`;
    case 'list':
      return `list:${p.sectionId}`;
    case 'item':
      return `item:${p.sectionId}:${p.index}:${p.screenId}`;
    case 'review':
      return 'review';
  }
}

/** A list section's spec: list and item positions only ever name sections that have one. */
function listOf(section: Section): ListSpec {
  return section.list as ListSpec;
}

function listItems(answers: Answers, path: string): Answers[] {
  const value = getPath(answers, path);
  return Array.isArray(value) ? (value as Answers[]) : [];
}

/** A question in `lang`, holding its answer in `scope` (the answers, or the list item's). */
export function questionView(q: Question, scope: Answers, lang: Language): QuestionView {
  return {
    id: q.id,
    kind: q.kind,
    label: q.label[lang],
    help: q.help?.[lang],
    required: q.required === true,
    value: getPath(scope, q.path),
    options: q.options?.map((o) => ({
      value: o.value,
      label: o.label[lang],
      help: o.help?.[lang],
    })),
  };
}

/** An answer as the petitioner reads it back: option labels, Yes/No in their language. */
export function displayValue(q: Question, value: unknown, lang: Language): string {
  if (value === undefined || value === null) return '';
  const label = (v: unknown): string =>
    q.options?.find((o) => o.value === v)?.label[lang] ?? String(v);
  if (typeof value === 'boolean') return message(value ? 'yes' : 'no', lang);
  if (Array.isArray(value))
    return value.length > 0 ? value.map(label).join(', ') : message('none', lang);
  if (q.kind === 'address' && typeof value === 'object') {
    const a = value as Record<string, string>;
    return [a.street, a.unit, a.city, [a.state, a.postalCode].filter(Boolean).join(' ')]
      .filter(Boolean)
      .join(', ');
  }
  return label(value);
}

function matchField(
  section: Section,
  screen: Screen,
  q: Question,
  field: string,
): Position | undefined {
  if (!section.list) {
    return field === q.path || field.startsWith(`${q.path}.`)
      ? { kind: 'screen', screenId: screen.id }
      : undefined;
  }
  const prefix = `${section.list.path}.`;
  if (!field.startsWith(prefix)) return undefined;
  const [index, ...rest] = field.slice(prefix.length).split('.');
  const inner = rest.join('.');
  if (!/^\d+$/.test(index) || !(inner === q.path || inner.startsWith(`${q.path}.`)))
    return undefined;
  return { kind: 'item', sectionId: section.id, index: Number(index), screenId: screen.id };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
