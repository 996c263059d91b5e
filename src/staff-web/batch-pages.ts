import type { BatchRowView, BatchSummary, BatchView, UploadMode } from '../batches/batch.dto';
import type { RowStatus } from '../batches/batch.entity';
import type { BatchProblem } from '../batches/input';
import { AttrValue, HtmlValue, SafeHtml, attrs, markup } from '../web/html';
import type { SummaryError } from '../web/layout';
import { plural, tableWrap } from './staff-blocks';
import { Option, selectInput } from './staff-fields';
import { StaffPageContext, csrfField, staffErrorSummary, staffLayout, when } from './staff-layout';
import { fileInput } from './staff-uploads';

/** A paralegal's batches: the list with the upload form, what a check found, one batch's progress. */

/** The bounds of one file, as the form's hint says them. */
export interface BatchFileLimits {
  maxBytes: number;
  maxRows: number;
}

export interface UploadFormInput {
  packs: Option[];
  /** The pack the form shows as chosen. */
  packId: string;
  /** Problems with the form itself, by field (`packId`, `file`). */
  errors: ReadonlyMap<string, string>;
  limits: BatchFileLimits;
}

export const UPLOAD_FIELD_IDS: Record<string, string> = {
  packId: 'batch-pack',
  file: 'batch-file',
};

/** Only so many problems are listed: beyond that the file needs fixing as a whole anyway. */
export const PROBLEMS_SHOWN = 1000;

const ROW_STATUS_LABELS: Record<RowStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const COUNT_ORDER: readonly RowStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

/** Megabytes as people read file sizes: "20 MB", "1.5 MB". */
export function megabytes(bytes: number): string {
  const mb = Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return `${mb} MB`;
}

/** A batch as staff name it: like a matter's reference, from its id, and nothing else. */
export function batchLabel(id: string): string {
  return `Batch ${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

export function batchStatusText(status: BatchSummary['status'], failed: number): string {
  switch (status) {
    case 'queued':
      return 'Waiting to start';
    case 'running':
      return 'Running';
    case 'cancelled':
      return 'Cancelled';
    case 'done':
      return failed > 0 ? `Finished, ${plural(failed, 'row', 'rows')} failed` : 'Finished';
  }
}

function templateHref(packId: string): string {
  return `/staff/batches/template.csv?packId=${encodeURIComponent(packId)}`;
}

/**
 * The template link follows the chosen pack (site.js changes it as the choice changes); without
 * the script, every pack's template is listed instead.
 */
function templateLinks(input: UploadFormInput): SafeHtml {
  const chosen = input.packs.find((p) => p.value === input.packId) ?? input.packs[0];
  const link =
    chosen !== undefined &&
    markup`<p class="batch-template"><a${attrs({
      id: 'template-link',
      class: 'download-link',
      href: templateHref(chosen.value),
      download: true,
    })}><span>Download the CSV template for <span id="template-pack">${chosen.label}</span></span></a></p>
`;
  const others = input.packs.filter((p) => p !== chosen);
  const list =
    others.length > 0 &&
    markup`<noscript><p>Templates of the other packs:</p>
<ul class="file-list">
${others.map((p) => markup`<li><a href="${templateHref(p.value)}" download>${p.label}</a></li>\n`)}</ul>
</noscript>
`;
  return markup`${link}${list}`;
}

/** The three ways to go on with a file, the same on every page that offers the form. */
function modeButtons(): SafeHtml {
  const button = (id: string, mode: UploadMode, label: string, cls: string): SafeHtml =>
    markup`<button${attrs({ type: 'submit', id, name: 'mode', value: mode, class: cls, 'aria-describedby': `${id}-hint` })}>${label}</button>`;
  return markup`<div class="actions batch-modes">
${button('check-only', 'validate', 'Check only', 'button button-secondary')}
${button('make-packets', 'run', 'Make packets', 'button')}
${button('make-valid-packets', 'run-valid', 'Make packets for the valid rows', 'button')}
</div>
<ul class="hint batch-mode-hints">
<li id="check-only-hint">Check only: lists every problem of the file and makes nothing.</li>
<li id="make-packets-hint">Make packets: makes nothing if any row has a problem.</li>
<li id="make-valid-packets-hint">Make packets for the valid rows: leaves out the rows that have problems.</li>
</ul>
`;
}

export function uploadForm(ctx: StaffPageContext, input: UploadFormInput): SafeHtml {
  const { errors, limits } = input;
  return markup`<form class="batch-upload staff-filter" method="post" action="/staff/batches" enctype="multipart/form-data" novalidate>
${csrfField(ctx)}${selectInput({
    id: UPLOAD_FIELD_IDS.packId,
    name: 'packId',
    label: 'Forms pack',
    hint: 'The court’s forms every case of the file is made with',
    value: input.packId,
    options: input.packs,
    blank: 'Choose a forms pack',
    error: errors.get('packId'),
  })}${templateLinks(input)}${fileInput({
    id: UPLOAD_FIELD_IDS.file,
    name: 'file',
    label: 'File of cases',
    accept: '.csv,.jsonl,.ndjson,text/csv,application/x-ndjson',
    hint: `A CSV file with the template’s columns, one case a row, or a JSON Lines file, one case a line. At most ${megabytes(limits.maxBytes)} and ${plural(limits.maxRows, 'case', 'cases')}.`,
    error: errors.get('file'),
  })}${modeButtons()}</form>
`;
}

function uploadSummary(errors: ReadonlyMap<string, string>): SummaryError[] {
  return [...errors].map(([field, message]) => ({ message, target: UPLOAD_FIELD_IDS[field] }));
}

// ---- the list and the form ---------------------------------------------------------------------

export interface BatchesListInput extends UploadFormInput {
  batches: BatchSummary[];
}

function batchesTable(batches: BatchSummary[]): SafeHtml {
  const rows = batches.map((b) => {
    const c = b.counts;
    return markup`<tr>
<th scope="row"><a class="table-link" href="/staff/batches/${b.id}">${batchLabel(b.id)}</a></th>
<td>${when(b.createdAt)}</td>
<td>${b.packId}</td>
<td>${b.totalRows.toLocaleString('en')}</td>
<td>${c.done.toLocaleString('en')}</td>
<td>${c.failed.toLocaleString('en')}</td>
<td>${batchStatusText(b.status, c.failed)}</td>
</tr>
`;
  });
  return tableWrap(
    'batches-caption',
    'Batches of your organisation, newest first',
    ['Batch', 'Started', 'Forms pack', 'Rows', 'Done', 'Failed', 'Status'],
    rows,
  );
}

export function batchesListPage(ctx: StaffPageContext, input: BatchesListInput): SafeHtml {
  const summary = uploadSummary(input.errors);
  const list =
    input.batches.length === 0
      ? markup`<p class="notice">Your organisation has no batches yet.</p>\n`
      : batchesTable(input.batches);
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">Batches</h1>
<p>Make many packets at once from one file of cases.</p>
<h2 class="subheading" id="upload">Upload a file</h2>
${uploadForm(ctx, input)}<h2 class="subheading" id="batches">Earlier batches</h2>
${list}`;
  return staffLayout(ctx, { title: 'Batches', hasErrors: summary.length > 0, main });
}

// ---- what a check found ------------------------------------------------------------------------

export interface BatchCheckInput extends UploadFormInput {
  /** `checked`: the file was only checked. `refused`: asked to make packets, nothing was made. */
  outcome: 'checked' | 'refused';
  problems: BatchProblem[];
  /** Rows without a problem, when known. */
  validRows?: number;
  /** Why nothing was made, in the service's words. */
  message?: string;
}

function problemRow(p: BatchProblem): SafeHtml {
  return markup`<tr>
<th scope="row">${p.row === null ? 'Whole file' : p.row}</th>
<td class="cell-wrap">${p.column ?? (p.row === null ? '–' : 'Whole row')}</td>
<td class="cell-wrap">${p.message}</td>
</tr>
`;
}

function problemsTable(problems: BatchProblem[]): SafeHtml {
  const shown = problems.slice(0, PROBLEMS_SHOWN);
  const caption =
    shown.length < problems.length
      ? `The first ${shown.length.toLocaleString('en')} of ${plural(problems.length, 'problem', 'problems')}, in file order`
      : 'Every problem, in file order';
  return tableWrap(
    'problems-caption',
    caption,
    ['Row', 'Column', 'Problem'],
    shown.map(problemRow),
  );
}

export function batchCheckPage(ctx: StaffPageContext, input: BatchCheckInput): SafeHtml {
  const { problems } = input;
  const rows = new Set(problems.map((p) => p.row).filter((r) => r !== null)).size;
  const count = plural(problems.length, 'problem', 'problems');
  const inRows = rows > 0 ? ` in ${plural(rows, 'row', 'rows')}` : '';
  const valid =
    input.validRows !== undefined
      ? ` ${plural(input.validRows, 'row has', 'rows have')} no problem.`
      : '';
  const hasProblems = problems.length > 0 || input.outcome === 'refused';
  const heading =
    input.outcome === 'refused'
      ? 'Nothing was made'
      : problems.length > 0
        ? 'Problems in the file'
        : 'No problems found';
  const summary: SummaryError[] = [
    ...(hasProblems
      ? [
          {
            message:
              problems.length > 0
                ? `The file has ${count}${inRows}: see the table`
                : (input.message ?? 'Nothing was made'),
            target: problems.length > 0 ? 'problems' : undefined,
          },
        ]
      : []),
    ...uploadSummary(input.errors),
  ];
  const lead =
    input.outcome === 'refused'
      ? markup`<p>${input.message ?? 'Nothing was made.'}</p>\n`
      : problems.length > 0
        ? markup`<p role="status">The file has ${count}${inRows}.${valid} Nothing was made.</p>\n`
        : markup`<div class="notice notice-success" role="status"><p>${plural(input.validRows ?? 0, 'row is', 'rows are')} ready to make packets. Nothing was made yet.</p></div>\n`;
  const table =
    problems.length > 0 &&
    markup`<h2 class="subheading" id="problems" tabindex="-1">Problems (${problems.length.toLocaleString('en')})</h2>
<p class="hint">Each problem names the row as a spreadsheet numbers it (the header is row 1) and the column, never what the cell holds.</p>
${problemsTable(problems)}`;
  const goOn =
    problems.length > 0
      ? 'Choose the file again once it is fixed, or as it is to make packets for the valid rows only.'
      : 'Choose the same file again to make its packets.';
  const main = markup`${staffErrorSummary(summary)}<p class="breadcrumb"><a href="/staff/batches">All batches</a></p>
<h1 class="heading">${heading}</h1>
${lead}${table}<h2 class="subheading" id="upload">Go on</h2>
<p>${goOn}</p>
${uploadForm(ctx, input)}`;
  return staffLayout(ctx, {
    title: input.outcome === 'refused' ? 'Batch not made' : 'File checked',
    hasErrors: summary.length > 0,
    main,
  });
}

// ---- one batch ---------------------------------------------------------------------------------

export interface BatchPageInput {
  batch: BatchView;
  /** Rows left out of the batch for their problems (run-valid). */
  skipped?: number;
  /** What was just done to the batch, said once at the top. */
  notice?: string;
  /** Why an action on the batch was refused. */
  problems?: string[];
}

function counts(batch: BatchView): SafeHtml {
  const items = COUNT_ORDER.map(
    (status) => markup`<div class="batch-count batch-count-${status}">
<dt>${ROW_STATUS_LABELS[status]}</dt>
<dd id="batch-count-${status}">${batch.counts[status].toLocaleString('en')}</dd>
</div>
`,
  );
  return markup`<dl class="batch-counts">
${items}</dl>
`;
}

function progress(batch: BatchView): SafeHtml {
  const c = batch.counts;
  const total = Math.max(
    1,
    COUNT_ORDER.reduce((sum, s) => sum + c[s], 0),
  );
  const finished = c.done + c.failed + c.cancelled;
  const live = batch.finishedAt === null;
  // The script reads the events only while there is something left to happen.
  const root: Record<string, AttrValue> = {
    class: 'batch-progress',
    id: 'batch-progress-panel',
    'data-batch-events': live ? batch.links.events : undefined,
  };
  return markup`<section${attrs(root)} aria-labelledby="progress-heading">
<h2 class="subheading" id="progress-heading">Progress</h2>
<p class="batch-status">Status: <strong id="batch-status">${batchStatusText(batch.status, c.failed)}</strong></p>
<p class="progress-text" id="batch-progress-text">${finished.toLocaleString('en')} of ${plural(total, 'row', 'rows')} finished</p>
<progress${attrs({ id: 'batch-progress', class: 'progress-bar', max: total, value: finished, 'aria-labelledby': 'batch-progress-text' })}>${finished} of ${total}</progress>
${counts(batch)}<p id="batch-announce" class="visually-hidden" role="status" aria-live="polite"></p>
</section>
`;
}

function actions(ctx: StaffPageContext, batch: BatchView): SafeHtml {
  const live = batch.finishedAt === null;
  const self = `/staff/batches/${batch.id}`;
  const download = markup`<div${attrs({ id: 'batch-finished', class: 'batch-finished', hidden: live })}>
<p><a id="download-archive" class="button" href="${batch.links.archive}" download>Download all packets (ZIP)</a></p>
<p class="hint">One folder a row, named by the row and the case’s reference, and a summary.csv of every row.</p>
${live && markup`<p id="batch-reload-hint">Every row has finished. <a href="${self}">Refresh the page</a> to see each row’s result.</p>\n`}</div>
`;
  const cancel =
    live &&
    markup`<form id="batch-cancel" method="post" action="${self}/cancel">
${csrfField(ctx)}<div class="actions">
<a class="button button-secondary" id="batch-refresh" href="${self}">Refresh</a>
<button type="submit" id="cancel-batch" class="button button-warning" aria-describedby="cancel-batch-hint">Cancel the rest</button>
</div>
<p class="hint" id="cancel-batch-hint">Rows not started yet are cancelled; rows being made now still finish.</p>
</form>
`;
  const retryAll =
    batch.counts.failed > 0 &&
    markup`<form method="post" action="${self}/retry">
${csrfField(ctx)}<div class="actions"><button type="submit" id="retry-failed" class="button button-secondary">Try the ${plural(batch.counts.failed, 'failed row', 'failed rows')} again</button></div>
</form>
`;
  return markup`${download}${cancel}${retryAll}`;
}

function rowLine(
  ctx: StaffPageContext,
  batch: BatchView,
  r: BatchRowView,
  columns: { error: boolean; action: boolean },
): SafeHtml {
  const retry =
    r.status === 'failed' &&
    markup`<form class="inline-form" method="post" action="/staff/batches/${batch.id}/rows/${r.row}/retry">
${csrfField(ctx)}<button type="submit" class="link-button" id="retry-row-${r.row}">Try again<span class="visually-hidden"> row ${r.row}</span></button>
</form>`;
  return markup`<tr>
<th scope="row">${r.row}</th>
<td><a class="table-link" href="/staff/matters/${r.caseId}">${r.reference}</a></td>
<td><span class="row-status row-status-${r.status}">${ROW_STATUS_LABELS[r.status]}</span></td>
${columns.error && markup`<td class="cell-wrap">${r.error ?? ''}</td>\n`}${columns.action && markup`<td>${retry}</td>\n`}</tr>
`;
}

function rowsTable(ctx: StaffPageContext, batch: BatchView, now: string): SafeHtml {
  const caption =
    batch.finishedAt === null ? markup`Each row, as of ${when(now)}` : markup`Each row`;
  // Columns that would be empty on every row are left out, which keeps the table narrow on a phone.
  const columns = {
    error: batch.rows.some((r) => r.error !== null),
    action: batch.rows.some((r) => r.status === 'failed'),
  };
  const head = [
    'Row',
    'Matter',
    'Status',
    ...(columns.error ? ['Error'] : []),
    ...(columns.action ? ['Action'] : []),
  ];
  return markup`<h2 class="subheading" id="rows">Rows</h2>
${batch.finishedAt === null && markup`<p class="hint">The counts above keep up by themselves; this table shows each row as it was when the page was loaded.</p>\n`}<div class="batch-rows">
${tableWrap(
  'rows-caption',
  caption,
  head,
  batch.rows.map((r) => rowLine(ctx, batch, r, columns)),
)}</div>
`;
}

export function batchPage(ctx: StaffPageContext, input: BatchPageInput, now: Date): SafeHtml {
  const { batch } = input;
  const problems: SummaryError[] = (input.problems ?? []).map((message) => ({ message }));
  const notices: HtmlValue[] = [];
  if (input.notice !== undefined) {
    notices.push(
      markup`<div class="notice notice-success batch-notice" role="status"><p>${input.notice}</p></div>\n`,
    );
  }
  if (input.skipped !== undefined && input.skipped > 0) {
    const left =
      input.skipped === 1
        ? '1 row was left out because it has problems.'
        : `${plural(input.skipped, 'row', 'rows')} were left out because they have problems.`;
    notices.push(markup`<div class="notice notice-warning batch-notice"><p>${left} Check the same file with “Check only” to see them, fix them and upload those rows again.</p></div>
`);
  }
  const main = markup`${staffErrorSummary(problems)}<p class="breadcrumb"><a href="/staff/batches">All batches</a></p>
<h1 class="heading">${batchLabel(batch.id)}</h1>
${notices}<dl class="summary-list">
<div class="fact"><dt class="fact-label">Started</dt><dd class="fact-value">${when(batch.createdAt)}</dd></div>
<div class="fact"><dt class="fact-label">Forms pack</dt><dd class="fact-value">${batch.packId}</dd></div>
<div class="fact"><dt class="fact-label">Rows</dt><dd class="fact-value">${batch.totalRows.toLocaleString('en')}</dd></div>
${batch.finishedAt !== null && markup`<div class="fact"><dt class="fact-label">Finished</dt><dd class="fact-value">${when(batch.finishedAt)}</dd></div>\n`}</dl>
${progress(batch)}${actions(ctx, batch)}${rowsTable(ctx, batch, now.toISOString())}`;
  return staffLayout(ctx, {
    title: batchLabel(batch.id),
    hasErrors: problems.length > 0,
    main,
  });
}
