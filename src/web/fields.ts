import type { Language, Question } from '../interview/interview-definition';
import type { QuestionView } from '../interview/interview-engine';
import type { ClientCondition } from './conditions';
import { HtmlValue, SafeHtml, attrs, describedBy, markup } from './html';
import { t } from './web-text';

/**
 * One question as form controls. Ids follow one contract the error summary and the browser tests
 * rely on: a single input is `q-<id>`; a group (choices, address) is a fieldset `q-<id>` that can
 * take focus, with each option `q-<id>-<value>` and each address part `q-<id>-<part>`.
 */

/** What a field shows: the stored answer, or what the petitioner just typed. */
export type FieldValue = string | string[] | Record<string, string> | undefined;

export const ADDRESS_PARTS = ['street', 'unit', 'city', 'state', 'postalCode'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export interface FieldContext {
  lang: Language;
  /** Error message by field (`<questionId>` or `<questionId>.<part>`). */
  errors: ReadonlyMap<string, string>;
  /** Today (YYYY-MM-DD): the date picker's upper bound for dates that cannot be in the future. */
  today: string;
}

export function fieldId(questionId: string, part?: string): string {
  return part === undefined ? `q-${questionId}` : `q-${questionId}-${part}`;
}

/** The stored answer as form text: booleans become the yes/no radio values. */
export function toFieldValue(value: unknown): FieldValue {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value === 'object') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    }
    return out;
  }
  return undefined;
}

/**
 * Autocomplete only where the browser filling in the petitioner's own details helps them; every
 * other field, and every detail about the respondent, is `off` so that what was typed is not
 * offered again to whoever uses the device next.
 */
const OWN_DETAILS: Record<string, string> = {
  'petitioner.name.full': 'name',
  'signature.typedName': 'name',
  'petitioner.dateOfBirth': 'bday',
  'petitioner.safePhone': 'tel',
  'petitioner.safeEmail': 'email',
};

/** Street and unit are separate boxes, so the split tokens, not `street-address`, apply. */
const ADDRESS_AUTOCOMPLETE: Record<AddressPart, string> = {
  street: 'address-line1',
  unit: 'address-line2',
  city: 'address-level2',
  state: 'address-level1',
  postalCode: 'postal-code',
};

function autocompleteFor(def: Question | undefined, part?: AddressPart): string {
  if (!def) return 'off';
  if (part !== undefined) {
    return def.path.startsWith('petitioner.') ? ADDRESS_AUTOCOMPLETE[part] : 'off';
  }
  return OWN_DETAILS[def.path] ?? 'off';
}

function errorMessage(ctx: FieldContext, id: string, field: string): HtmlValue {
  const text = ctx.errors.get(field);
  if (text === undefined) return undefined;
  return markup`<p class="field-error" id="${id}-error"><span class="visually-hidden">${t(ctx.lang, 'errorPrefix')} </span>${text}</p>
`;
}

function hint(id: string, text: string | undefined): HtmlValue {
  if (text === undefined || text === '') return undefined;
  return markup`<p class="hint" id="${id}-hint">${text}</p>
`;
}

function fieldClass(invalid: boolean): string {
  return invalid ? 'field field-invalid' : 'field';
}

/** A follow-up question's condition, and the words that say when to answer it. */
export interface FieldCondition {
  showIf: ClientCondition;
  hint: string;
}

export function renderQuestion(
  q: QuestionView,
  def: Question | undefined,
  value: FieldValue,
  ctx: FieldContext,
  condition?: FieldCondition,
): SafeHtml {
  const field = questionField(q, def, value, ctx);
  if (!condition) return field;
  // site.js reads the condition and hides the hint; without it, the hint says when to answer.
  const wrapper = attrs({ class: 'conditional', 'data-show-if': JSON.stringify(condition.showIf) });
  return markup`<div${wrapper}>
<p class="hint conditional-hint">${condition.hint}</p>
${field}</div>
`;
}

function questionField(
  q: QuestionView,
  def: Question | undefined,
  value: FieldValue,
  ctx: FieldContext,
): SafeHtml {
  switch (q.kind) {
    case 'yesNo': {
      const options = [
        { value: 'yes', label: t(ctx.lang, 'yes') },
        { value: 'no', label: t(ctx.lang, 'no') },
      ];
      return choiceGroup(q, options, 'radio', value, ctx, true);
    }
    case 'singleChoice':
      return choiceGroup(q, q.options ?? [], 'radio', value, ctx, false);
    case 'multipleChoice':
      return choiceGroup(q, q.options ?? [], 'checkbox', value, ctx, false);
    case 'address':
      return addressGroup(q, def, value, ctx);
    default:
      return singleInput(q, def, value, ctx);
  }
}

function singleInput(
  q: QuestionView,
  def: Question | undefined,
  value: FieldValue,
  ctx: FieldContext,
): SafeHtml {
  const id = fieldId(q.id);
  const text = typeof value === 'string' ? value : '';
  const invalid = ctx.errors.has(q.id);
  const helpText = q.help ?? (q.kind === 'date' ? t(ctx.lang, 'dateHint') : undefined);
  const common = {
    id,
    name: q.id,
    'aria-describedby': describedBy(
      helpText !== undefined && `${id}-hint`,
      invalid && `${id}-error`,
    ),
    'aria-invalid': invalid ? 'true' : undefined,
    autocomplete: autocompleteFor(def),
  };
  // A textarea's content is its value, whitespace included. HTML drops one newline right after
  // the opening tag, so one is written there: an answer that starts with a blank line keeps it.
  const control =
    q.kind === 'longText'
      ? markup`<textarea${attrs({ ...common, rows: 8, class: 'input textarea' })}>
${text}</textarea>`
      : markup`<input${attrs({ ...common, ...inputType(q, def, ctx), value: text })}>`;
  return markup`<div class="${fieldClass(invalid)}">
<label class="label" for="${id}">${q.label}</label>
${hint(id, helpText)}${errorMessage(ctx, id, q.id)}${control}
</div>
`;
}

function inputType(
  q: QuestionView,
  def: Question | undefined,
  ctx: FieldContext,
): Record<string, string | undefined> {
  if (q.kind === 'date') {
    return { type: 'date', class: 'input input-date', max: def?.notFuture ? ctx.today : undefined };
  }
  if (q.kind === 'number') {
    // A text box with the number keypad: type=number lets a scroll wheel change an age unseen.
    return { type: 'text', inputmode: 'numeric', class: 'input input-short', spellcheck: 'false' };
  }
  switch (def?.format) {
    case 'phone':
      return { type: 'tel', class: 'input input-medium' };
    case 'email':
      return { type: 'email', class: 'input', spellcheck: 'false', autocapitalize: 'none' };
    case 'usState':
      return {
        type: 'text',
        class: 'input input-short',
        autocapitalize: 'characters',
        spellcheck: 'false',
      };
    default:
      return { type: 'text', class: 'input' };
  }
}

interface Option {
  value: string;
  label: string;
  help?: string;
}

function choiceGroup(
  q: QuestionView,
  options: Option[],
  type: 'radio' | 'checkbox',
  value: FieldValue,
  ctx: FieldContext,
  inline: boolean,
): SafeHtml {
  const chosen = new Set(Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
  const invalid = ctx.errors.has(q.id);
  const items = options.map((o) => {
    const optionId = fieldId(q.id, o.value);
    const input = attrs({
      class: 'choice-input',
      type,
      id: optionId,
      name: q.id,
      value: o.value,
      checked: chosen.has(o.value),
      'aria-describedby': o.help !== undefined ? `${optionId}-hint` : undefined,
      'aria-invalid': invalid ? 'true' : undefined,
    });
    const optionHint =
      o.help !== undefined &&
      markup`<p class="hint choice-hint" id="${optionId}-hint">${o.help}</p>
`;
    return markup`<div class="choice">
<input${input}>
<label class="choice-label" for="${optionId}">${o.label}</label>
${optionHint}</div>
`;
  });
  return fieldGroup(
    q,
    ctx,
    markup`<div class="${inline ? 'choices choices-inline' : 'choices'}">
${items}</div>
`,
  );
}

function addressGroup(
  q: QuestionView,
  def: Question | undefined,
  value: FieldValue,
  ctx: FieldContext,
): SafeHtml {
  const parts =
    value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const invalid = ctx.errors.has(q.id);
  const controls = ADDRESS_PARTS.map((part) => {
    const partId = fieldId(q.id, part);
    const field = `${q.id}.${part}`;
    const partInvalid = ctx.errors.has(field);
    const input = attrs({
      id: partId,
      name: field,
      type: 'text',
      class: part === 'state' || part === 'postalCode' ? 'input input-short' : 'input',
      value: parts[part] ?? '',
      autocomplete: autocompleteFor(def, part),
      autocapitalize: part === 'state' ? 'characters' : undefined,
      inputmode: part === 'postalCode' ? 'numeric' : undefined,
      spellcheck: 'false',
      'aria-describedby': partInvalid ? `${partId}-error` : undefined,
      'aria-invalid': partInvalid || invalid ? 'true' : undefined,
    });
    return markup`<div class="${fieldClass(partInvalid)}">
<label class="label label-small" for="${partId}">${t(ctx.lang, part)}</label>
${errorMessage(ctx, partId, field)}<input${input}>
</div>
`;
  });
  return fieldGroup(q, ctx, controls);
}

/** Controls under one legend; the fieldset takes focus when the error summary links to it. */
function fieldGroup(q: QuestionView, ctx: FieldContext, controls: HtmlValue): SafeHtml {
  const id = fieldId(q.id);
  const invalid = ctx.errors.has(q.id);
  const fieldset = attrs({
    class: 'fieldset',
    id,
    tabindex: -1,
    'aria-describedby': describedBy(q.help !== undefined && `${id}-hint`, invalid && `${id}-error`),
  });
  return markup`<div class="${fieldClass(invalid)}">
<fieldset${fieldset}>
<legend class="legend">${q.label}</legend>
${hint(id, q.help)}${errorMessage(ctx, id, q.id)}${controls}</fieldset>
</div>
`;
}
