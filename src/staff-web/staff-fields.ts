import { AttrValue, HtmlValue, SafeHtml, attrs, describedBy, markup } from '../web/html';

/**
 * Form controls for the staff pages, on the same classes and contract as the interview's: a
 * label for every control, a hint and an error tied to it with aria-describedby, aria-invalid
 * on the control, and a group (radios, boxes) as a fieldset that can take focus from the error
 * summary, its options `<id>-<value>`.
 */

export interface FieldInput {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
}

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

function fieldClass(error: string | undefined): string {
  return error === undefined ? 'field' : 'field field-invalid';
}

function hintOf(id: string, hint: string | undefined): HtmlValue {
  return hint !== undefined && markup`<p class="hint" id="${id}-hint">${hint}</p>\n`;
}

function errorOf(id: string, error: string | undefined): HtmlValue {
  return (
    error !== undefined &&
    markup`<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>${error}</p>\n`
  );
}

function described(input: FieldInput): Record<string, AttrValue> {
  return {
    'aria-describedby': describedBy(
      input.hint !== undefined && `${input.id}-hint`,
      input.error !== undefined && `${input.id}-error`,
    ),
    'aria-invalid': input.error !== undefined ? 'true' : undefined,
  };
}

export function textInput(
  input: FieldInput & { value: string; extra?: Record<string, AttrValue> },
): SafeHtml {
  const control = attrs({
    id: input.id,
    name: input.name,
    type: 'text',
    class: 'input',
    value: input.value,
    ...described(input),
    ...input.extra,
  });
  return markup`<div class="${fieldClass(input.error)}">
<label class="label" for="${input.id}">${input.label}</label>
${hintOf(input.id, input.hint)}${errorOf(input.id, input.error)}<input${control}>
</div>
`;
}

export function textArea(input: FieldInput & { value: string; rows?: number }): SafeHtml {
  const control = attrs({
    id: input.id,
    name: input.name,
    rows: input.rows ?? 8,
    class: 'input textarea',
    ...described(input),
  });
  // HTML drops one newline right after the opening tag: one is written there, so text that starts
  // with a blank line keeps it.
  return markup`<div class="${fieldClass(input.error)}">
<label class="label" for="${input.id}">${input.label}</label>
${hintOf(input.id, input.hint)}${errorOf(input.id, input.error)}<textarea${control}>
${input.value}</textarea>
</div>
`;
}

export function selectInput(
  input: FieldInput & { value: string; options: Option[]; blank?: string },
): SafeHtml {
  const control = attrs({
    id: input.id,
    name: input.name,
    class: 'input select',
    ...described(input),
  });
  const blank =
    input.blank !== undefined &&
    markup`<option${attrs({ value: '', selected: input.value === '' })}>${input.blank}</option>\n`;
  const options = input.options.map(
    (o) =>
      markup`<option${attrs({ value: o.value, selected: o.value === input.value })}>${o.label}</option>\n`,
  );
  return markup`<div class="${fieldClass(input.error)}">
<label class="label" for="${input.id}">${input.label}</label>
${hintOf(input.id, input.hint)}${errorOf(input.id, input.error)}<select${control}>
${blank}${options}</select>
</div>
`;
}

/** Radios (one answer) or boxes (any number), under a legend. */
export function choiceGroup(
  input: FieldInput & {
    type: 'radio' | 'checkbox';
    chosen: readonly string[];
    options: Option[];
    inline?: boolean;
  },
): SafeHtml {
  const chosen = new Set(input.chosen);
  const items = input.options.map((o) => {
    const optionId = `${input.id}-${o.value}`;
    const control = attrs({
      class: 'choice-input',
      type: input.type,
      id: optionId,
      name: input.name,
      value: o.value,
      checked: chosen.has(o.value),
      'aria-describedby': o.hint !== undefined ? `${optionId}-hint` : undefined,
      'aria-invalid': input.error !== undefined ? 'true' : undefined,
    });
    const hint =
      o.hint !== undefined &&
      markup`<p class="hint choice-hint" id="${optionId}-hint">${o.hint}</p>\n`;
    return markup`<div class="choice">
<input${control}>
<label class="choice-label" for="${optionId}">${o.label}</label>
${hint}</div>
`;
  });
  const fieldset = attrs({
    class: 'fieldset',
    id: input.id,
    tabindex: -1,
    'aria-describedby': described(input)['aria-describedby'],
  });
  return markup`<div class="${fieldClass(input.error)}">
<fieldset${fieldset}>
<legend class="legend">${input.label}</legend>
${hintOf(input.id, input.hint)}${errorOf(input.id, input.error)}<div class="${input.inline ? 'choices choices-inline' : 'choices'}">
${items}</div>
</fieldset>
</div>
`;
}
