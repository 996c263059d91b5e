import type { SummaryError } from '../web/layout';
import { SafeHtml, markup } from '../web/html';
import { textInput } from './staff-fields';
import { StaffPageContext, staffErrorSummary, staffLayout } from './staff-layout';

export interface LoginInput {
  /** What was typed, shown again; never the password. */
  email?: string;
  errors?: { email?: string; password?: string };
}

export function loginPage(ctx: StaffPageContext, input: LoginInput = {}): SafeHtml {
  const errors = input.errors ?? {};
  const summary: SummaryError[] = [];
  if (errors.email !== undefined) summary.push({ message: errors.email, target: 'email' });
  if (errors.password !== undefined) summary.push({ message: errors.password, target: 'password' });
  const main = markup`${staffErrorSummary(summary)}<h1 class="heading">Sign in</h1>
<p class="lead">For the staff of a legal-aid organisation.</p>
<form class="staff-login" method="post" action="/staff/login" novalidate>
${textInput({
  id: 'email',
  name: 'email',
  label: 'Email address',
  value: input.email ?? '',
  error: errors.email,
  extra: {
    type: 'email',
    autocomplete: 'username',
    spellcheck: 'false',
    autocapitalize: 'none',
    maxlength: 254,
  },
})}${textInput({
    id: 'password',
    name: 'password',
    label: 'Password',
    value: '',
    error: errors.password,
    extra: { type: 'password', autocomplete: 'current-password' },
  })}<div class="actions">
<button type="submit" id="sign-in" class="button">Sign in</button>
</div>
</form>
`;
  return staffLayout(ctx, { title: 'Sign in', hasErrors: summary.length > 0, main });
}
