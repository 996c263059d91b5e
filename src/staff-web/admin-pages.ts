import type { ApiTokenView, CreatedApiToken } from '../accounts/api-tokens.service';
import { Permission, ROLES, ROLE_PERMISSIONS } from '../accounts/permissions';
import type { UserView } from '../accounts/users.service';
import { AUDIT_ACTIONS } from '../audit/audit.types';
import type { AuditRecordResponse } from '../audit/audit.types';
import { referenceOf } from '../matters/matters.service';
import { SafeHtml, markup } from '../web/html';
import type { SummaryError } from '../web/layout';
import { notice, tableWrap } from './staff-blocks';
import { choiceGroup, selectInput, textInput } from './staff-fields';
import { StaffPageContext, csrfField, staffErrorSummary, staffLayout, when } from './staff-layout';

/** Administrators' pages: staff accounts, API tokens and the audit trail. */

/** What each permission lets someone do, in words: for roles and for token scopes. */
export const PERMISSION_WORDS: Record<Permission, string> = {
  'users:manage': 'manage staff accounts',
  'tokens:manage': 'manage API tokens',
  'audit:read': 'read the audit trail',
  'cases:read': 'see matters',
  'cases:write': 'change matters',
  'cases:delete': 'delete matters',
  'packets:generate': 'generate packets',
  'packets:download': 'download packets',
  'confidential:read': 'see confidential details',
  'batches:run': 'run batches',
  'packs:manage': "upload and activate the organisation's court packs",
};

function sentence(words: string[]): string {
  const text = words.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

function summaryOf(
  errors: ReadonlyMap<string, string>,
  ids: Record<string, string>,
): SummaryError[] {
  return [...errors].map(([field, message]) => ({ message, target: ids[field] }));
}

// ---- staff accounts ----------------------------------------------------------------------------

export interface UsersPageInput {
  users: UserView[];
  /** The signed-in account, which cannot disable itself. */
  me: string;
  form: { email: string; role: string };
  errors: ReadonlyMap<string, string>;
  done?: string;
}

const USER_FIELD_IDS = { email: 'user-email', role: 'user-role', password: 'user-password' };

export function usersPage(ctx: StaffPageContext, input: UsersPageInput): SafeHtml {
  const rows = input.users.map(
    (u) => markup`<tr>
<th scope="row">${u.email}</th>
<td>${u.role}</td>
<td>${when(u.createdAt)}</td>
<td>${u.disabledAt ? markup`Disabled ${when(u.disabledAt)}` : 'Active'}</td>
<td>${
      u.disabledAt === null && u.id !== input.me
        ? markup`<a class="table-link" href="/staff/users/${u.id}/disable">Disable<span class="visually-hidden"> ${u.email}</span></a>`
        : u.id === input.me
          ? 'You'
          : ''
    }</td>
</tr>
`,
  );
  const errors = input.errors;
  const roles = ROLES.map((role) => ({
    value: role,
    label: role.charAt(0).toUpperCase() + role.slice(1),
    hint: sentence([...ROLE_PERMISSIONS[role]].map((p) => PERMISSION_WORDS[p])),
  }));
  const summary = summaryOf(errors, USER_FIELD_IDS);
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">Staff accounts</h1>
${notice(input.done)}${tableWrap('users-caption', 'Accounts of your organisation', ['Email', 'Role', 'Added', 'Status', 'Action'], rows)}<h2 class="subheading" id="add-user">Add an account</h2>
<form method="post" action="/staff/users" novalidate>
${csrfField(ctx)}${textInput({
    id: USER_FIELD_IDS.email,
    name: 'email',
    label: 'Email address',
    value: input.form.email,
    error: errors.get('email'),
    extra: { type: 'email', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' },
  })}${choiceGroup({
    id: USER_FIELD_IDS.role,
    name: 'role',
    label: 'Role',
    type: 'radio',
    chosen: [input.form.role],
    options: roles,
    error: errors.get('role'),
  })}${textInput({
    id: USER_FIELD_IDS.password,
    name: 'password',
    label: 'First password',
    hint: 'At least 12 characters; a passphrase of several words is best. Common passwords, and ones like the email or the organisation’s name, are refused. Give it to them in person.',
    value: '',
    error: errors.get('password'),
    extra: { type: 'password', autocomplete: 'new-password' },
  })}<div class="actions"><button type="submit" id="add-account" class="button">Add the account</button></div>
</form>
`;
  return staffLayout(ctx, { title: 'Users', hasErrors: summary.length > 0, main });
}

export function disableUserPage(ctx: StaffPageContext, user: UserView, error?: string): SafeHtml {
  const summary: SummaryError[] = error !== undefined ? [{ message: error }] : [];
  const main = markup`${staffErrorSummary(summary)}<p class="breadcrumb"><a href="/staff/users">Back to staff accounts</a></p>
<h1 class="heading">Disable an account</h1>
<p class="lead">${user.email}</p>
<p>They are signed out at once, cannot sign in again, and their API tokens stop working.</p>
<form method="post" action="/staff/users/${user.id}/disable">
${csrfField(ctx)}<div class="actions">
<button type="submit" id="disable" class="button button-warning">Disable the account</button>
<a class="button button-secondary" href="/staff/users">Keep it</a>
</div>
</form>
`;
  return staffLayout(ctx, { title: 'Disable an account', hasErrors: summary.length > 0, main });
}

// ---- API tokens --------------------------------------------------------------------------------

export interface TokensPageInput {
  tokens: ApiTokenView[];
  staffNames: ReadonlyMap<string, string>;
  /** The scopes the signed-in admin may grant. */
  scopes: Permission[];
  form: { name: string; scopes: string[] };
  errors: ReadonlyMap<string, string>;
  done?: string;
}

const TOKEN_FIELD_IDS = { name: 'token-name', scopes: 'token-scopes' };

export function tokensPage(ctx: StaffPageContext, input: TokensPageInput): SafeHtml {
  const rows = input.tokens.map(
    (t) => markup`<tr>
<th scope="row">${t.name}</th>
<td>${t.scopes.join(', ')}</td>
<td>${input.staffNames.get(t.createdBy) ?? t.createdBy}</td>
<td>${when(t.createdAt)}</td>
<td>${t.lastUsedAt ? when(t.lastUsedAt) : 'Never'}</td>
<td>${t.revokedAt ? markup`Revoked ${when(t.revokedAt)}` : 'Active'}</td>
<td>${t.revokedAt === null && markup`<a class="table-link" href="/staff/tokens/${t.id}/revoke">Revoke<span class="visually-hidden"> ${t.name}</span></a>`}</td>
</tr>
`,
  );
  const list =
    input.tokens.length === 0
      ? markup`<p>Your organisation has no API tokens.</p>\n`
      : tableWrap(
          'tokens-caption',
          'API tokens of your organisation',
          ['Name', 'Scopes', 'Made by', 'Made', 'Last used', 'Status', 'Action'],
          rows,
        );
  const errors = input.errors;
  const summary = summaryOf(errors, TOKEN_FIELD_IDS);
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">API tokens</h1>
<p>A token lets another system (a case-management system, a script) use the API as the person who made it, limited to the scopes chosen.</p>
${notice(input.done)}${list}<h2 class="subheading" id="add-token">Make a token</h2>
<form method="post" action="/staff/tokens" novalidate>
${csrfField(ctx)}${textInput({
    id: TOKEN_FIELD_IDS.name,
    name: 'name',
    label: 'What it is for',
    hint: 'For example: case-management sync',
    value: input.form.name,
    error: errors.get('name'),
    extra: { autocomplete: 'off', maxlength: 100 },
  })}${choiceGroup({
    id: TOKEN_FIELD_IDS.scopes,
    name: 'scopes',
    label: 'What it may do',
    hint: 'Only what the other system needs.',
    type: 'checkbox',
    chosen: input.form.scopes,
    options: input.scopes.map((s) => ({ value: s, label: `${s}: ${PERMISSION_WORDS[s]}` })),
    error: errors.get('scopes'),
  })}<div class="actions"><button type="submit" id="make-token" class="button">Make the token</button></div>
</form>
`;
  return staffLayout(ctx, { title: 'API tokens', hasErrors: summary.length > 0, main });
}

export function tokenMadePage(ctx: StaffPageContext, token: CreatedApiToken): SafeHtml {
  const main = markup`<h1 class="heading">Token made</h1>
<p class="lead">${token.name}</p>
<div class="notice notice-warning" role="alert">
<p><strong>Copy the token now: it is shown only this once.</strong> It is not stored and cannot be shown again. Keep it as you would a password; if it is lost or seen by anyone else, revoke it and make another.</p>
</div>
<h2 class="subheading">The token</h2>
<p id="token-secret" class="code-line">${token.token}</p>
<p>Scopes: ${token.scopes.join(', ')}</p>
<p><a href="/staff/tokens">Back to API tokens</a></p>
`;
  return staffLayout(ctx, { title: 'Token made', main });
}

export function revokeTokenPage(ctx: StaffPageContext, token: ApiTokenView): SafeHtml {
  const main = markup`<p class="breadcrumb"><a href="/staff/tokens">Back to API tokens</a></p>
<h1 class="heading">Revoke a token</h1>
<p class="lead">${token.name}</p>
<p>It stops working at once; a system that uses it can no longer reach the API.</p>
<form method="post" action="/staff/tokens/${token.id}/revoke">
${csrfField(ctx)}<div class="actions">
<button type="submit" id="revoke" class="button button-warning">Revoke the token</button>
<a class="button button-secondary" href="/staff/tokens">Keep it</a>
</div>
</form>
`;
  return staffLayout(ctx, { title: 'Revoke a token', main });
}

// ---- the audit trail ---------------------------------------------------------------------------

export interface AuditFilterForm {
  action: string;
  caseId: string;
  from: string;
  to: string;
}

export const AUDIT_FILTER_FIELDS = ['action', 'caseId', 'from', 'to'] as const;

export interface AuditPageInput {
  filter: AuditFilterForm;
  errors: ReadonlyMap<string, string>;
  records: AuditRecordResponse[];
  /** The cursor of the next, older page; null on the last one. */
  next: string | null;
  staffNames: ReadonlyMap<string, string>;
  /** This is a later page: a link back to the newest records. */
  older: boolean;
}

const AUDIT_FIELD_IDS = {
  action: 'audit-action',
  caseId: 'audit-caseId',
  from: 'audit-from',
  to: 'audit-to',
  cursor: 'audit-action',
};

const ACTOR_WORDS: Record<string, string> = {
  petitioner: 'The petitioner',
  system: 'The service',
  anonymous: 'Not signed in',
};

function query(filter: AuditFilterForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of AUDIT_FILTER_FIELDS) if (filter[name] !== '') params.set(name, filter[name]);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function auditRow(input: AuditPageInput, r: AuditRecordResponse): SafeHtml {
  const who =
    r.actor.userId !== null
      ? `${input.staffNames.get(r.actor.userId) ?? r.actor.userId}${r.actor.kind === 'token' ? ' (API token)' : ''}`
      : (ACTOR_WORDS[r.actor.kind] ?? r.actor.kind);
  const matter =
    r.caseId !== null &&
    markup`<a class="table-link" href="/staff/matters/${r.caseId}">${referenceOf(r.caseId)}</a>`;
  return markup`<tr>
<td>${when(r.at)}</td>
<th scope="row">${r.action}</th>
<td>${r.outcome}</td>
<td>${who}</td>
<td>${matter}</td>
<td class="cell-wrap">${r.subject ?? ''}</td>
<td>${r.ip ?? ''}</td>
</tr>
`;
}

export function auditPage(ctx: StaffPageContext, input: AuditPageInput): SafeHtml {
  const { filter, errors } = input;
  const summary = summaryOf(errors, AUDIT_FIELD_IDS);
  const date = { type: 'date', class: 'input input-date' };
  const list =
    errors.size > 0
      ? undefined
      : input.records.length === 0
        ? markup`<p class="notice">No record matches.</p>\n`
        : tableWrap(
            'audit-caption',
            input.older ? 'Older records, newest first' : 'Records, newest first',
            ['When', 'Action', 'Outcome', 'Who', 'Matter', 'About', 'From address'],
            input.records.map((r) => auditRow(input, r)),
          );
  const pages = markup`<ul class="pager">
${input.older && markup`<li><a href="/staff/audit${query(filter)}">Newest records</a></li>\n`}${input.next !== null && errors.size === 0 && markup`<li><a id="older-records" href="/staff/audit${query(filter, { cursor: input.next })}">Older records</a></li>\n`}${errors.size === 0 && markup`<li><a id="export-csv" href="/audit/export.csv${query(filter)}" download>Download these records as CSV</a></li>\n`}</ul>
`;
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">Audit trail</h1>
<p>Who did what, when, to which matter or account. Records cannot be changed or removed. Reading them is recorded too.</p>
<form class="staff-filter" method="get" action="/staff/audit" novalidate>
<div class="filter-grid">
${selectInput({
  id: AUDIT_FIELD_IDS.action,
  name: 'action',
  label: 'Action',
  value: filter.action,
  options: AUDIT_ACTIONS.map((a) => ({ value: a, label: a })),
  blank: 'Any action',
  error: errors.get('action'),
})}${textInput({
    id: AUDIT_FIELD_IDS.caseId,
    name: 'caseId',
    label: 'Case id',
    hint: 'The long id in the matter’s address',
    value: filter.caseId,
    error: errors.get('caseId'),
    extra: { autocomplete: 'off', spellcheck: 'false' },
  })}${textInput({
    id: AUDIT_FIELD_IDS.from,
    name: 'from',
    label: 'From (on or after)',
    value: filter.from,
    error: errors.get('from'),
    extra: date,
  })}${textInput({
    id: AUDIT_FIELD_IDS.to,
    name: 'to',
    label: 'Until (before)',
    value: filter.to,
    error: errors.get('to'),
    extra: date,
  })}</div>
<div class="actions">
<button type="submit" id="audit-apply" class="button">Show records</button>
<a class="button button-secondary" href="/staff/audit">Clear the filters</a>
</div>
</form>
${list}${pages}`;
  return staffLayout(ctx, {
    title: 'Audit trail',
    hasErrors: summary.length > 0,
    main,
  });
}
