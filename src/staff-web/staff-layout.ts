import type { Permission } from '../accounts/permissions';
import type { Principal } from '../accounts/principal';
import { HtmlValue, SafeHtml, attrs, markup } from '../web/html';
import { SummaryError, documentHead, errorSummary } from '../web/layout';
import { CSRF_FIELD } from '../web/web-session';

/** The staff pages: the same head, stylesheet and script as the petitioner's, their own chrome. */

export type StaffSection = 'matters' | 'batches' | 'packs' | 'users' | 'tokens' | 'audit';

export interface StaffPageContext {
  /** A hash of the asset files, part of their URLs. */
  assetVersion: string;
  /** Who is signed in; absent on the sign-in page and on pages answered before the guard ran. */
  principal?: Principal;
  /** The session's form token: every form of the page carries it. */
  csrf?: string;
  /** The navigation item this page belongs to. */
  section?: StaffSection;
}

export interface StaffPageOptions {
  /** Said after "Staff —": what the page is, never whose matter it is. */
  title: string;
  /** The title starts with "Error:" so that it is announced first. */
  hasErrors?: boolean;
  main: HtmlValue;
}

const NAVIGATION: { section: StaffSection; href: string; label: string; needs: Permission }[] = [
  { section: 'matters', href: '/staff/matters', label: 'Matters', needs: 'cases:read' },
  { section: 'batches', href: '/staff/batches', label: 'Batches', needs: 'batches:run' },
  { section: 'packs', href: '/staff/packs', label: 'Packs', needs: 'packs:manage' },
  { section: 'users', href: '/staff/users', label: 'Users', needs: 'users:manage' },
  { section: 'tokens', href: '/staff/tokens', label: 'API tokens', needs: 'tokens:manage' },
  { section: 'audit', href: '/staff/audit', label: 'Audit trail', needs: 'audit:read' },
];

export function staffTitle(options: Pick<StaffPageOptions, 'title' | 'hasErrors'>): string {
  return `${options.hasErrors ? 'Error: ' : ''}Staff — ${options.title}`;
}

export function csrfField(ctx: StaffPageContext): HtmlValue {
  return (
    ctx.csrf !== undefined && markup`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`
  );
}

/** Only what the signed-in role may use: a page it cannot open is not offered. */
function navigation(ctx: StaffPageContext): HtmlValue {
  const { principal } = ctx;
  if (!principal) return undefined;
  const items = NAVIGATION.filter((item) => principal.permissions.has(item.needs)).map(
    (item) =>
      markup`<li><a${attrs({
        class: 'staff-nav-link',
        href: item.href,
        'aria-current': ctx.section === item.section ? 'page' : undefined,
      })}>${item.label}</a></li>\n`,
  );
  return markup`<nav class="staff-nav" aria-label="Staff pages">
<ul class="staff-nav-list">
${items}</ul>
</nav>
`;
}

function signOut(ctx: StaffPageContext): HtmlValue {
  return (
    ctx.csrf !== undefined &&
    markup`<form class="staff-signout" method="post" action="/staff/logout">
${csrfField(ctx)}<button type="submit" id="sign-out" class="button button-secondary">Sign out</button>
</form>
`
  );
}

export function staffLayout(ctx: StaffPageContext, options: StaffPageOptions): SafeHtml {
  return markup`<!doctype html>
<html lang="en">
${documentHead(staffTitle(options), ctx.assetVersion)}
<body class="staff">
<header class="site-header staff-header">
<a class="skip-link" href="#main">Skip to main content</a>
<p class="site-name">Court forms helper: staff</p>
${navigation(ctx)}${signOut(ctx)}</header>
<main id="main" class="main staff-main" tabindex="-1">
${options.main}
</main>
</body>
</html>
`;
}

export function staffErrorSummary(errors: SummaryError[]): HtmlValue {
  return errorSummary('en', errors);
}

/** A short page that says one thing: an error, a refusal, a form that could not be read. */
export function messagePage(
  ctx: StaffPageContext,
  input: { title: string; heading: string; lines: string[]; isError?: boolean },
): SafeHtml {
  const back = ctx.principal
    ? markup`<p><a href="/staff/matters">Go to the matters</a></p>\n`
    : markup`<p><a href="/staff/login">Go to sign in</a></p>\n`;
  const main = markup`<h1 class="heading">${input.heading}</h1>
${input.lines.map((line) => markup`<p>${line}</p>\n`)}${back}`;
  return staffLayout(ctx, { title: input.title, hasErrors: input.isError ?? true, main });
}

/** A moment as staff read it, in UTC so that every office reads the same. */
export function when(iso: string | null | undefined): HtmlValue {
  if (!iso) return undefined;
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return markup`<time datetime="${iso}">${text}</time>`;
}
