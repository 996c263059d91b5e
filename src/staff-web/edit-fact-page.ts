import { HtmlValue, SafeHtml, markup } from '../web/html';
import type { SummaryError } from '../web/layout';
import type { FormValue } from './fact-edit';
import { LeafAt, factAnchor, optionLabel } from './fact-schema';
import { choiceGroup, selectInput, textArea, textInput } from './staff-fields';
import { StaffPageContext, csrfField, staffErrorSummary, staffLayout } from './staff-layout';

/** Hidden field with a hash of the fact as the form showed it (see the controller's save). */
export const FIELD_HASH_FIELD = '_was';

export interface EditFactInput {
  matterId: string;
  reference: string;
  leaf: LeafAt;
  value: FormValue;
  fieldHash: string;
  /** A problem with the value itself, shown at the input. */
  error?: string;
  /** Problems elsewhere (rules that tie this fact to others), shown in the summary only. */
  otherErrors?: string[];
}

/** The one input that fits the fact: a box, a text area, a date, a choice. */
function control(leaf: LeafAt, value: FormValue, error: string | undefined): SafeHtml {
  const { spec } = leaf;
  const one = typeof value === 'string' ? value : '';
  const emptyHint = spec.optional ? 'Leave it empty to remove it.' : undefined;
  const base = { id: 'value', name: 'value', label: leaf.label, error };
  const options = spec.options.map((o) => ({ value: o, label: optionLabel(o) }));
  switch (spec.kind) {
    case 'longText':
      return textArea({ ...base, value: one, rows: 10, hint: emptyHint });
    case 'textList':
      return textArea({
        ...base,
        value: one,
        rows: 6,
        hint: `One on each line.${emptyHint !== undefined ? ` ${emptyHint}` : ''}`,
      });
    case 'date':
      return textInput({
        ...base,
        value: one,
        hint: `A date such as 2026-03-02.${emptyHint !== undefined ? ` ${emptyHint}` : ''}`,
        extra: { type: 'date', class: 'input input-date' },
      });
    case 'integer':
      return textInput({
        ...base,
        value: one,
        hint: emptyHint,
        extra: { inputmode: 'numeric', class: 'input input-short', spellcheck: 'false' },
      });
    case 'boolean':
      return choiceGroup({
        ...base,
        type: 'radio',
        inline: true,
        chosen: [one === '' ? 'none' : one],
        options: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
          ...(spec.optional ? [{ value: 'none', label: 'Not given' }] : []),
        ],
      });
    case 'enum':
      return selectInput({
        ...base,
        value: one,
        options,
        blank: spec.optional || one === '' ? 'Not given' : undefined,
      });
    case 'enumList':
      return choiceGroup({
        ...base,
        type: 'checkbox',
        chosen: Array.isArray(value) ? value : [],
        options,
        hint: 'Tick every one that applies.',
      });
    default:
      return textInput({ ...base, value: one, hint: emptyHint, extra: { autocomplete: 'off' } });
  }
}

export function editFactPage(ctx: StaffPageContext, input: EditFactInput): SafeHtml {
  const { leaf } = input;
  const summary: SummaryError[] = [];
  if (input.error !== undefined) summary.push({ message: input.error, target: 'value' });
  for (const message of input.otherErrors ?? []) summary.push({ message });
  const back = `/staff/matters/${input.matterId}#${factAnchor(leaf.path)}`;
  const confidential: HtmlValue =
    leaf.confidential &&
    markup`<p class="notice notice-confidential">This detail is confidential: it goes only to the court, never to the respondent. Seeing and changing it is recorded in the audit trail.</p>\n`;
  const main = markup`${staffErrorSummary(summary)}<p class="breadcrumb"><a href="${back}">Back to matter ${input.reference}</a></p>
<h1 class="heading">Change a fact</h1>
<p class="lead">${leaf.description}</p>
${confidential}<form class="edit-fact" method="post" action="/staff/matters/${input.matterId}/edit" novalidate>
${csrfField(ctx)}<input type="hidden" name="field" value="${leaf.path}">
<input type="hidden" name="${FIELD_HASH_FIELD}" value="${input.fieldHash}">
${control(leaf, input.value, input.error)}<div class="actions">
<button type="submit" id="save" class="button">Save</button>
<a class="button button-secondary" href="${back}">Cancel</a>
</div>
</form>
`;
  return staffLayout(ctx, {
    title: `Change a fact of matter ${input.reference}`,
    hasErrors: summary.length > 0,
    main,
  });
}
