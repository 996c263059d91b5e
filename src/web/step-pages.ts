import type { Question } from '../interview/interview-definition';
import type {
  Position,
  QuestionView,
  ReviewEntry,
  ScreenView,
} from '../interview/interview-engine';
import type { InterviewReview } from '../interview/petitioner-interview';
import { ADDRESS_PARTS, FieldCondition, FieldValue, fieldId, renderQuestion } from './fields';
import { SHOWN_FIELD } from './form-input';
import { HtmlValue, SafeHtml, attrs, markup } from './html';
import { PageContext, SummaryError, buttonLink, csrfInput, errorSummary, layout } from './layout';
import { t } from './web-text';

/** An error as the interview reports it: a field (question id, `id.part`, or other) and words. */
export interface StepError {
  field?: string;
  message: string;
  /** Where the answer can be fixed, when the error comes from finishing. */
  position?: Position;
  questionId?: string;
}

/** Hidden field naming the screen a form was shown on (see positionKey). */
export const AT_FIELD = '_at';

/**
 * Which screen a form belongs to. A post made on an older screen (a double tap on a slow phone,
 * a second tab) is not applied to whatever screen is current now; for a list the number of
 * items is part of it, so a repeated "Remove" cannot remove the next item too.
 */
export function positionKey(view: ScreenView): string {
  const p = view.position;
  switch (p.kind) {
    case 'screen':
      return `screen:${p.screenId}`;
    case 'item':
      return `item:${p.sectionId}:${p.index}:${p.screenId}`;
    case 'list':
      return `list:${p.sectionId}:${view.list?.items.length ?? 0}`;
    case 'review':
      return 'review';
  }
}

function atField(view: ScreenView): SafeHtml {
  return markup`<input type="hidden" name="${AT_FIELD}" value="${positionKey(view)}">`;
}

export function stepTitle(ctx: PageContext, view: ScreenView): string {
  if (view.position.kind === 'review') return t(ctx.lang, 'reviewStep');
  const total = Math.max(view.progress.total, 1);
  const n = Math.min(view.progress.done + 1, total);
  return t(ctx.lang, 'stepOf', { n, total });
}

function progress(ctx: PageContext, view: ScreenView): SafeHtml {
  const total = Math.max(view.progress.total, 1);
  const value = view.position.kind === 'review' ? total : Math.min(view.progress.done + 1, total);
  const bar = attrs({
    class: 'progress-bar',
    max: total,
    value,
    'aria-labelledby': 'progress-text',
  });
  return markup`<div class="progress">
<p class="progress-text" id="progress-text">${stepTitle(ctx, view)}</p>
<progress${bar}></progress>
</div>
`;
}

function backButton(ctx: PageContext, view: ScreenView): HtmlValue {
  if (!view.canGoBack) return undefined;
  return markup`<button type="submit" name="action" value="back" class="button button-secondary">${t(ctx.lang, 'back')}</button>
`;
}

// ---- question screens ---------------------------------------------------------------------------

export interface ShownQuestion {
  view: QuestionView;
  def?: Question;
  /** Set for a follow-up that depends on another answer on the same screen. */
  condition?: FieldCondition;
}

export interface QuestionScreenInput {
  view: ScreenView;
  questions: ShownQuestion[];
  values: ReadonlyMap<string, FieldValue>;
  errors: StepError[];
  today: string;
}

/** Where an error's summary link goes: the input, the address part, or the group. */
function targetOf(questions: ShownQuestion[], field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  if (questions.some((q) => q.view.id === field)) return fieldId(field);
  const dot = field.lastIndexOf('.');
  if (dot < 0) return undefined;
  const id = field.slice(0, dot);
  const part = field.slice(dot + 1);
  const q = questions.find((x) => x.view.id === id);
  if (!q) return undefined;
  return q.view.kind === 'address' && (ADDRESS_PARTS as readonly string[]).includes(part)
    ? fieldId(id, part)
    : fieldId(id);
}

export function questionScreenPage(ctx: PageContext, input: QuestionScreenInput): SafeHtml {
  const { lang } = ctx;
  const { view, questions } = input;
  const errors = new Map<string, string>();
  for (const e of input.errors) {
    if (e.field !== undefined && !errors.has(e.field)) errors.set(e.field, e.message);
  }
  const summary: SummaryError[] = input.errors.map((e) => ({
    message: e.message,
    target: targetOf(questions, e.field),
  }));
  const fieldCtx = { lang, errors, today: input.today };
  const shown = questions.map((q) => q.view.id).join(' ');
  const fields = questions.map((q) =>
    renderQuestion(q.view, q.def, input.values.get(q.view.id), fieldCtx, q.condition),
  );
  const intro = view.intro !== undefined && markup`<p class="intro">${view.intro}</p>\n`;
  const main = markup`${progress(ctx, view)}${errorSummary(lang, summary)}<h1 class="heading">${view.title}</h1>
${intro}${termsBox(ctx, view)}<form class="step-form" method="post" action="/step" novalidate>
${csrfInput(ctx)}${atField(view)}<input type="hidden" name="${SHOWN_FIELD}" value="${shown}">
${fields}<div class="actions">
<button type="submit" name="action" value="next" class="button">${t(lang, 'continue')}</button>
${backButton(ctx, view)}</div>
</form>
`;
  return layout(ctx, { titleSuffix: stepTitle(ctx, view), hasErrors: summary.length > 0, main });
}

/** The legal words this screen uses, explained before the questions that use them. */
function termsBox(ctx: PageContext, view: ScreenView): SafeHtml | false {
  if (view.terms.length === 0) return false;
  const entries = view.terms.map(
    (term) => markup`<dt>${term.term}</dt>
<dd>${term.explanation}</dd>
`,
  );
  return markup`<section class="terms" aria-labelledby="terms-title">
<h2 class="terms-title" id="terms-title">${t(ctx.lang, 'termsTitle')}</h2>
<dl>
${entries}</dl>
</section>
`;
}

// ---- list screens -------------------------------------------------------------------------------

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function itemTitle(ctx: PageContext, itemName: string, index: number): string {
  return t(ctx.lang, 'itemNumber', { item: capitalize(itemName), n: index + 1 });
}

export function listScreenPage(ctx: PageContext, view: ScreenView, errors: StepError[]): SafeHtml {
  const { lang } = ctx;
  const list = view.list;
  if (!list) throw new Error('a list screen without its list');
  const summary = errors.map((e) => ({ message: e.message }));
  const items = list.items.map((item) => {
    const name = itemTitle(ctx, list.itemName, item.index);
    const summaryText = item.summary !== '' && markup`: ${item.summary}`;
    return markup`<li class="item">
<p class="item-name"><strong>${name}</strong>${summaryText}</p>
<form class="item-actions" method="post" action="/step">
${csrfInput(ctx)}${atField(view)}<input type="hidden" name="index" value="${item.index}">
<button type="submit" name="action" value="edit" class="button button-secondary">${t(lang, 'change')}<span class="visually-hidden"> ${name}</span></button>
<button type="submit" name="action" value="remove" class="button button-secondary">${t(lang, 'remove')}<span class="visually-hidden"> ${name}</span></button>
</form>
</li>
`;
  });
  const added =
    list.items.length === 0
      ? markup`<p class="list-empty">${t(lang, 'listNone')}</p>\n`
      : markup`<h2 class="subheading">${t(lang, 'listAdded')}</h2>
<ul class="items">
${items}</ul>
`;
  // "No more" stays visible even before the minimum is reached: pressing it explains what is
  // missing, where a hidden button would leave the petitioner guessing.
  const done = attrs({ class: list.canFinish ? 'button' : 'button button-secondary' });
  const add =
    list.canAdd &&
    markup`<button type="submit" name="action" value="add"${attrs({ class: list.canFinish ? 'button button-secondary' : 'button' })}>${t(lang, 'addItem', { item: list.itemName })}</button>
`;
  const main = markup`${progress(ctx, view)}${errorSummary(lang, summary)}<h1 class="heading">${view.title}</h1>
<p class="intro">${list.addPrompt}</p>
${termsBox(ctx, view)}${added}<form class="step-form" method="post" action="/step">
${csrfInput(ctx)}${atField(view)}<div class="actions">
${add}<button type="submit" name="action" value="done"${done}>${t(lang, 'listDone')}</button>
${backButton(ctx, view)}</div>
</form>
`;
  return layout(ctx, { titleSuffix: stepTitle(ctx, view), hasErrors: summary.length > 0, main });
}

export function removeConfirmPage(ctx: PageContext, view: ScreenView, index: number): SafeHtml {
  const { lang } = ctx;
  const list = view.list;
  if (!list) throw new Error('a list screen without its list');
  const item = list.items.find((i) => i.index === index);
  const which =
    item !== undefined &&
    item.summary !== '' &&
    markup`<p class="item-name">${itemTitle(ctx, list.itemName, index)}: ${item.summary}</p>\n`;
  const main = markup`<h1 class="heading">${t(lang, 'removeHeading', { item: list.itemName, n: index + 1 })}</h1>
${which}<p>${t(lang, 'removeText')}</p>
<form class="step-form" method="post" action="/step">
${csrfInput(ctx)}${atField(view)}<input type="hidden" name="index" value="${index}">
<input type="hidden" name="confirm" value="yes">
<div class="actions">
<button type="submit" name="action" value="remove" class="button button-warning">${t(lang, 'removeYes')}</button>
${buttonLink('/step', t(lang, 'removeNo'), 'keep-item', true)}
</div>
</form>
`;
  return layout(ctx, { titleSuffix: stepTitle(ctx, view), main });
}

// ---- review -------------------------------------------------------------------------------------

/** A position as hidden fields for POST /change. */
export function positionFields(p: Position): SafeHtml {
  const fields: [string, string | number | undefined][] = [
    ['kind', p.kind],
    ['screenId', p.kind === 'screen' || p.kind === 'item' ? p.screenId : undefined],
    ['sectionId', p.kind === 'list' || p.kind === 'item' ? p.sectionId : undefined],
    ['index', p.kind === 'item' ? p.index : undefined],
  ];
  return markup`${fields.map(
    ([name, value]) =>
      value !== undefined && markup`<input type="hidden" name="${name}" value="${value}">`,
  )}`;
}

function changeForm(ctx: PageContext, position: Position, label: string, text: string): SafeHtml {
  return markup`<form class="change-form" method="post" action="/change">
${csrfInput(ctx)}${positionFields(position)}<button type="submit" class="link-button">${text}<span class="visually-hidden">: ${label}</span></button>
</form>`;
}

export function reviewPage(
  ctx: PageContext,
  view: ScreenView,
  review: InterviewReview,
  errors: StepError[],
  /** Answers changed since the last packet: its download would show the old ones. */
  packetOutdated = false,
): SafeHtml {
  const { lang } = ctx;
  const groups: { section: string; entries: ReviewEntry[] }[] = [];
  for (const entry of review.entries) {
    const last = groups[groups.length - 1];
    if (last && last.section === entry.section) last.entries.push(entry);
    else groups.push({ section: entry.section, entries: [entry] });
  }
  // The first answer to each question carries its id, so an error about it can link there.
  const rowIds = new Set<string>();
  const row = (entry: ReviewEntry): SafeHtml => {
    const id = rowIds.has(entry.questionId) ? undefined : fieldId(entry.questionId);
    if (id !== undefined) rowIds.add(entry.questionId);
    const rowAttrs = attrs({
      class: 'review-row',
      id,
      tabindex: id !== undefined ? -1 : undefined,
    });
    return markup`<div${rowAttrs}>
<dt class="review-label">${entry.label}</dt>
<dd class="review-value">${entry.value}</dd>
<dd class="review-change">${changeForm(ctx, entry.change, entry.label, t(lang, 'change'))}</dd>
</div>
`;
  };
  const sections = groups.map(
    (g) => markup`<h2 class="subheading">${g.section}</h2>
<dl class="review">
${g.entries.map(row)}</dl>
`,
  );
  const summary: SummaryError[] = errors.map((e) => {
    const id = e.questionId ?? e.field;
    return {
      message: e.message,
      target: id !== undefined && rowIds.has(id) ? fieldId(id) : undefined,
    };
  });
  const fixes = errors.filter((e) => e.position !== undefined);
  const fixForms =
    fixes.length > 0 &&
    markup`<div class="fixes">
${fixes.map((e) => changeForm(ctx, e.position as Position, e.message, t(lang, 'goToQuestion')))}
</div>
`;
  const unfinished = !review.canFinish && markup`<p class="notice">${t(lang, 'notFinished')}</p>\n`;
  const outdated =
    packetOutdated &&
    markup`<p class="notice" id="papers-outdated">${t(lang, 'papersOutdated')}</p>\n`;
  const back =
    view.canGoBack &&
    markup`<form class="step-form" method="post" action="/step">
${csrfInput(ctx)}${atField(view)}<div class="actions">${backButton(ctx, view)}</div>
</form>
`;
  const main = markup`${progress(ctx, view)}${errorSummary(lang, summary)}${fixForms}<h1 class="heading">${view.title}</h1>
<p class="intro">${t(lang, 'reviewIntro')}</p>
${unfinished}${outdated}${sections}<form class="finish-form" method="post" action="/finish">
${csrfInput(ctx)}<p class="hint" id="finish-hint">${t(lang, 'makePapersWait')}</p>
<div class="actions">
<button type="submit" id="finish" class="button" aria-describedby="finish-hint">${t(lang, 'makePapers')}</button>
</div>
</form>
${back}`;
  return layout(ctx, { titleSuffix: stepTitle(ctx, view), hasErrors: errors.length > 0, main });
}
