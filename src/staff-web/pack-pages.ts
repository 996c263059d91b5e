import type { PackVersionResponse } from '../pack-uploads/pack-upload.dto';
import type { PackVersionStatus } from '../pack-uploads/pack-version.entity';
import { DocumentKind } from '../packs/pack-manifest';
import { HtmlValue, SafeHtml, markup } from '../web/html';
import type { SummaryError } from '../web/layout';
import { megabytes } from './batch-pages';
import { notice, plural, tableWrap } from './staff-blocks';
import { StaffPageContext, csrfField, staffErrorSummary, staffLayout, when } from './staff-layout';
import { fileInput } from './staff-uploads';

/** An organisation's own court packs: its versions with the upload form, a refusal, one version. */

export interface PackUploadLimits {
  maxBytes: number;
  maxFiles: number;
}

export interface PackFormInput {
  /** Problems with the form itself, by field (`archive`, `files`). */
  errors: ReadonlyMap<string, string>;
  limits: PackUploadLimits;
}

/** One reason a pack was refused: the file concerned (none for the pack as a whole). */
export interface PackProblem {
  file: string | null;
  message: string;
}

export const PACK_FIELD_IDS: Record<string, string> = {
  archive: 'pack-archive',
  files: 'pack-files',
};

const STATUS_WORDS: Record<PackVersionStatus, { label: string; hint: string }> = {
  draft: { label: 'Draft', hint: 'Not used yet: preview it, then activate it.' },
  active: { label: 'Active', hint: 'New matters of your organisation are made with it.' },
  retired: { label: 'Retired', hint: 'Used before; it can be restored.' },
};

const KIND_WORDS: Record<DocumentKind, string> = {
  [DocumentKind.Docx]: 'Word template (DOCX)',
  [DocumentKind.PdfForm]: 'PDF form',
};

/** A version as staff name it: the pack it belongs to and the version its manifest gives. */
export function versionName(v: Pick<PackVersionResponse, 'packId' | 'version'>): string {
  return `${v.packId} ${v.version}`;
}

function formSummary(errors: ReadonlyMap<string, string>): SummaryError[] {
  return [...errors].map(([field, message]) => ({ message, target: PACK_FIELD_IDS[field] }));
}

// ---- the upload form ---------------------------------------------------------------------------

export function packUploadForm(ctx: StaffPageContext, input: PackFormInput): SafeHtml {
  const { errors, limits } = input;
  const bounds = `At most ${megabytes(limits.maxBytes)}`;
  return markup`<form class="pack-upload" method="post" action="/staff/packs" enctype="multipart/form-data" novalidate>
${csrfField(ctx)}<p>Choose the pack as one ZIP file, or choose its files.</p>
${fileInput({
  id: PACK_FIELD_IDS.archive,
  name: 'archive',
  label: 'The pack as a ZIP file',
  hint: `The pack’s folder, zipped: manifest.json and every file it names, in their folders, and sample cases in samples/ if the pack has its own. ${bounds}.`,
  accept: '.zip,application/zip',
  error: errors.get('archive'),
})}${fileInput({
    id: PACK_FIELD_IDS.files,
    name: 'files',
    label: 'Or the pack’s files',
    hint: `manifest.json and every DOCX, PDF and mapping file it names, chosen together; each goes where manifest.json names it. Other JSON files are taken as sample cases. When two files the manifest names share a name, upload a ZIP instead. ${bounds} and ${plural(limits.maxFiles, 'file', 'files')} in all.`,
    accept:
      '.json,.docx,.pdf,application/json,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    multiple: true,
    error: errors.get('files'),
  })}<div class="actions"><button type="submit" id="upload-pack" class="button">Upload and check the pack</button></div>
</form>
`;
}

// ---- the list ----------------------------------------------------------------------------------

export interface PacksListInput extends PackFormInput {
  versions: PackVersionResponse[];
  /** Staff accounts by id, to say who uploaded each version. */
  staffNames: ReadonlyMap<string, string>;
  done?: string;
}

function uploader(v: PackVersionResponse, staffNames: ReadonlyMap<string, string>): string {
  return v.createdBy === null ? 'Not recorded' : (staffNames.get(v.createdBy) ?? v.createdBy);
}

function versionsTable(input: PacksListInput): SafeHtml {
  const rows = input.versions.map(
    (v) => markup`<tr>
<th scope="row">${v.packId}</th>
<td><a class="table-link" href="/staff/packs/${v.id}">${v.version}<span class="visually-hidden"> of ${v.packId}</span></a></td>
<td class="cell-wrap">${v.title}</td>
<td><span class="pack-status pack-status-${v.status}">${STATUS_WORDS[v.status].label}</span></td>
<td>${when(v.createdAt)}</td>
<td class="cell-wrap">${uploader(v, input.staffNames)}</td>
</tr>
`,
  );
  return tableWrap(
    'versions-caption',
    'Versions your organisation uploaded, newest first',
    ['Pack', 'Version', 'Title', 'Status', 'Uploaded', 'By'],
    rows,
  );
}

export function packsListPage(ctx: StaffPageContext, input: PacksListInput): SafeHtml {
  const summary = formSummary(input.errors);
  const list =
    input.versions.length === 0
      ? markup`<p class="notice">Your organisation has not uploaded a pack yet.</p>\n`
      : versionsTable(input);
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">Court packs</h1>
${notice(input.done)}<p>Your organisation’s own versions of a court’s forms and templates. An upload is checked exactly as a bundled pack is, and stays a draft until you activate it; new matters of your organisation are then made with it. Other organisations and the guided interview keep the bundled packs.</p>
<h2 class="subheading" id="versions">Uploaded versions</h2>
${list}<h2 class="subheading" id="upload">Upload a pack</h2>
${packUploadForm(ctx, input)}`;
  return staffLayout(ctx, { title: 'Packs', hasErrors: summary.length > 0, main });
}

// ---- a refused upload --------------------------------------------------------------------------

export interface PackRefusedInput extends PackFormInput {
  problems: PackProblem[];
}

export function packRefusedPage(ctx: StaffPageContext, input: PackRefusedInput): SafeHtml {
  const { problems } = input;
  const count = plural(problems.length, 'problem', 'problems');
  const summary: SummaryError[] = [
    { message: `The pack has ${count}: see the table`, target: 'problems' },
    ...formSummary(input.errors),
  ];
  const rows = problems.map(
    (p) => markup`<tr>
<th scope="row">${p.file ?? 'The whole pack'}</th>
<td class="cell-wrap">${p.message}</td>
</tr>
`,
  );
  const main = markup`${staffErrorSummary(summary)}<p class="breadcrumb"><a href="/staff/packs">All packs</a></p>
<h1 class="heading">The pack was refused</h1>
<p>The pack has ${count}. Nothing was stored: fix them and upload the pack again.</p>
<h2 class="subheading" id="problems" tabindex="-1">Problems (${problems.length.toLocaleString('en')})</h2>
${tableWrap('problems-caption', 'Every problem, by file', ['File', 'Problem'], rows)}<h2 class="subheading" id="upload">Upload again</h2>
${packUploadForm(ctx, input)}`;
  return staffLayout(ctx, { title: 'Pack refused', hasErrors: true, main });
}

// ---- one version -------------------------------------------------------------------------------

export interface PackVersionInput {
  version: PackVersionResponse;
  staffNames: ReadonlyMap<string, string>;
  done?: string;
  /** Why an action on the version was refused, in the service's words. */
  problems?: string[];
}

function fact(label: string, value: HtmlValue): SafeHtml {
  return markup`<div class="fact"><dt class="fact-label">${label}</dt><dd class="fact-value">${value}</dd></div>\n`;
}

function postButton(
  ctx: StaffPageContext,
  action: string,
  button: { id: string; label: string; cls: string; hint: string },
): SafeHtml {
  return markup`<form method="post" action="${action}">
${csrfField(ctx)}<p class="hint" id="${button.id}-hint">${button.hint}</p>
<div class="actions"><button type="submit" id="${button.id}" class="${button.cls}" aria-describedby="${button.id}-hint">${button.label}</button></div>
</form>
`;
}

function useSection(ctx: StaffPageContext, v: PackVersionResponse): SafeHtml {
  const self = `/staff/packs/${v.id}`;
  const body =
    v.status === 'draft'
      ? postButton(ctx, `${self}/activate`, {
          id: 'activate-version',
          label: `Activate ${v.version}`,
          cls: 'button',
          hint: `New matters of your organisation are made with it from now on; the version of ${v.packId} in use until now is retired and can be restored.`,
        })
      : v.status === 'retired'
        ? postButton(ctx, `${self}/restore`, {
            id: 'restore-version',
            label: `Restore ${v.version}`,
            cls: 'button',
            hint: `It becomes the version of ${v.packId} new matters are made with again; the one in use now is retired.`,
          })
        : markup`<p>New matters of your organisation are made with this version. To go back to an earlier one, restore it from its page.</p>\n`;
  return markup`<h2 class="subheading" id="use">Use this version</h2>
${body}`;
}

export function packVersionPage(ctx: StaffPageContext, input: PackVersionInput): SafeHtml {
  const { version: v } = input;
  const summary: SummaryError[] = (input.problems ?? []).map((message) => ({ message }));
  const status = STATUS_WORDS[v.status];
  const documents = v.documents.map(
    (d) => markup`<tr>
<th scope="row" class="cell-wrap">${d.title}</th>
<td>${KIND_WORDS[d.kind]}</td>
</tr>
`,
  );
  const main = markup`${staffErrorSummary(summary)}${notice(input.done)}<p class="breadcrumb"><a href="/staff/packs">All packs</a></p>
<h1 class="heading">${versionName(v)}</h1>
<p class="lead">${v.title}</p>
<dl class="summary-list">
${fact('Status', markup`<strong id="version-status">${status.label}</strong>. ${status.hint}`)}${fact('Uploaded', when(v.createdAt))}${fact('Uploaded by', uploader(v, input.staffNames))}${v.activatedAt !== null && fact('Last activated', when(v.activatedAt))}${fact('SHA-256 of the upload', v.sha256)}</dl>
<h2 class="subheading" id="documents">Documents</h2>
${tableWrap('documents-caption', 'The documents its manifest makes', ['Document', 'Kind'], documents)}<h2 class="subheading" id="preview">Preview</h2>
${postButton(ctx, `/staff/packs/${v.id}/preview`, {
  id: 'preview-version',
  label: 'Download a preview',
  cls: 'button button-secondary',
  hint: 'Makes the documents for a sample case (the pack’s own first sample, else a typical case) and saves nothing: the court filing as one PDF, or every document in a ZIP when they cannot be merged.',
})}${useSection(ctx, v)}`;
  return staffLayout(ctx, { title: versionName(v), hasErrors: summary.length > 0, main });
}
