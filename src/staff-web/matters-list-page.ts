import type { MatterStatus, MatterSummary } from '../matters/matter.dto';
import { HtmlValue, SafeHtml, markup } from '../web/html';
import type { SummaryError } from '../web/layout';
import { Option, selectInput, textInput } from './staff-fields';
import { StaffPageContext, csrfField, staffErrorSummary, staffLayout, when } from './staff-layout';

/** The filter form as typed: every value a string, empty for "any". */
export interface MatterFilterForm {
  q: string;
  status: string;
  court: string;
  packId: string;
  from: string;
  to: string;
}

export const FILTER_FIELDS = ['q', 'status', 'court', 'packId', 'from', 'to'] as const;

export const EMPTY_FILTER: MatterFilterForm = {
  q: '',
  status: '',
  court: '',
  packId: '',
  from: '',
  to: '',
};

export const STATUS_LABELS: Record<MatterStatus, string> = {
  'no-packet': 'No packet yet',
  current: 'Packet up to date',
  outdated: 'Facts changed since the last packet',
};

export interface MattersListInput {
  filter: MatterFilterForm;
  /** Problems with the filter, by field. */
  filterErrors: Map<string, string>;
  matters: MatterSummary[];
  packs: Option[];
  offset: number;
  /** A full page was shown: there may be more after it. */
  more: boolean;
  share: { code: string; error?: string };
  canAddShared: boolean;
}

function filterForm(ctx: StaffPageContext, input: MattersListInput): SafeHtml {
  const { filter, filterErrors: errors } = input;
  const statuses = Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }));
  const date = { type: 'date', class: 'input input-date' };
  // Posted, not a query string: what is searched for can be a survivor's name, which must not
  // land in the browser's history or in any log of URLs.
  return markup`<form class="staff-filter" method="post" action="/staff/matters/search" novalidate>
${csrfField(ctx)}<div class="filter-grid">
${textInput({
  id: 'filter-q',
  name: 'q',
  label: 'Name or reference',
  hint: 'Part of the petitioner’s or respondent’s name, or a reference such as M-1A2B3C4D',
  value: filter.q,
  error: errors.get('q'),
  extra: { autocomplete: 'off', spellcheck: 'false' },
})}${selectInput({
    id: 'filter-status',
    name: 'status',
    label: 'Status',
    value: filter.status,
    options: statuses,
    blank: 'Any status',
    error: errors.get('status'),
  })}${textInput({
    id: 'filter-court',
    name: 'court',
    label: 'Court',
    hint: 'Part of the court’s name',
    value: filter.court,
    error: errors.get('court'),
    extra: { autocomplete: 'off' },
  })}${selectInput({
    id: 'filter-packId',
    name: 'packId',
    label: 'Forms pack',
    value: filter.packId,
    options: input.packs,
    blank: 'Any pack',
    error: errors.get('packId'),
  })}${textInput({
    id: 'filter-from',
    name: 'from',
    label: 'Updated on or after',
    value: filter.from,
    error: errors.get('from'),
    extra: date,
  })}${textInput({
    id: 'filter-to',
    name: 'to',
    label: 'Updated before',
    value: filter.to,
    error: errors.get('to'),
    extra: date,
  })}</div>
<div class="actions">
<button type="submit" id="filter-apply" class="button">Show matters</button>
<a class="button button-secondary" href="/staff/matters">Clear the filters</a>
</div>
</form>
`;
}

function table(matters: MatterSummary[]): SafeHtml {
  const rows = matters.map(
    (m) => markup`<tr>
<th scope="row"><a class="table-link" href="/staff/matters/${m.id}">${m.reference}</a></th>
<td>${m.petitioner}</td>
<td>${m.respondent}</td>
<td>${m.court}</td>
<td><span class="status status-${m.status}">${STATUS_LABELS[m.status]}</span></td>
<td>${when(m.updatedAt)}</td>
</tr>
`,
  );
  return markup`<div class="table-wrap" role="region" aria-labelledby="matters-caption" tabindex="0">
<table class="staff-table">
<caption id="matters-caption" class="table-caption">Matters</caption>
<thead>
<tr><th scope="col">Reference</th><th scope="col">Petitioner</th><th scope="col">Respondent</th><th scope="col">Court</th><th scope="col">Status</th><th scope="col">Updated</th></tr>
</thead>
<tbody>
${rows}</tbody>
</table>
</div>
`;
}

/** The next page keeps the filters: posted like the filter form, for the same reason. */
function nextPage(ctx: StaffPageContext, input: MattersListInput): HtmlValue {
  if (!input.more) return undefined;
  const hidden = FILTER_FIELDS.map(
    (name) => markup`<input type="hidden" name="${name}" value="${input.filter[name]}">\n`,
  );
  return markup`<form method="post" action="/staff/matters/search">
${csrfField(ctx)}${hidden}<input type="hidden" name="offset" value="${input.offset + input.matters.length}">
<div class="actions"><button type="submit" id="next-page" class="button button-secondary">Show more matters</button></div>
</form>
`;
}

function shareForm(ctx: StaffPageContext, input: MattersListInput): HtmlValue {
  if (!input.canAddShared) return undefined;
  return markup`<h2 class="subheading" id="add-shared">Add a shared case</h2>
<p>A petitioner who used the court forms helper can share their case with your organisation by giving you a share code.</p>
<form method="post" action="/staff/shares" novalidate>
${csrfField(ctx)}${textInput({
    id: 'share-code',
    name: 'code',
    label: 'Share code',
    hint: 'As the petitioner gave it, such as K7M2-Q9XD-4HTP',
    value: input.share.code,
    error: input.share.error,
    extra: {
      class: 'input input-medium',
      autocomplete: 'off',
      spellcheck: 'false',
      autocapitalize: 'characters',
      maxlength: 40,
    },
  })}<div class="actions"><button type="submit" id="add-share" class="button">Add the case</button></div>
</form>
`;
}

export function mattersListPage(ctx: StaffPageContext, input: MattersListInput): SafeHtml {
  const summary: SummaryError[] = [...input.filterErrors].map(([field, message]) => ({
    message,
    target: `filter-${field}`,
  }));
  if (input.share.error !== undefined) {
    summary.push({ message: input.share.error, target: 'share-code' });
  }
  const filtered = FILTER_FIELDS.some((name) => input.filter[name] !== '');
  const count =
    input.filterErrors.size > 0
      ? undefined
      : input.matters.length === 0
        ? markup`<p class="notice">${filtered ? 'No matter matches these filters.' : 'Your organisation has no matters yet.'}</p>\n`
        : markup`<p role="status">Showing ${input.offset + 1} to ${input.offset + input.matters.length}${filtered ? ' of the matters matching the filters' : ''}, most recently updated first.</p>\n${table(input.matters)}`;
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">Matters</h1>
${filterForm(ctx, input)}${count}${nextPage(ctx, input)}${shareForm(ctx, input)}`;
  return staffLayout(ctx, { title: 'Matters', hasErrors: summary.length > 0, main });
}
