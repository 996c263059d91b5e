import type { Language } from '../interview/interview-definition';
import { HtmlValue, SafeHtml, attrs, markup } from './html';
import { CSRF_FIELD } from './web-session';
import { t } from './web-text';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  lang: Language;
  quickExitUrl: string;
  idleSeconds: number;
  /** Present when a session is open: its forms carry the token, and the lock control shows. */
  csrf?: string;
  /** This page's path, where the language switch comes back to. */
  path: string;
  /** A hash of the asset files, part of their URLs. */
  assetVersion: string;
}

export interface PageOptions {
  /** Said after the neutral site name: "Step 3 of 12". Never a name, an answer or the subject. */
  titleSuffix?: string;
  /** When the page shows errors: the title starts with "Error:" so it is announced first. */
  hasErrors?: boolean;
  main: HtmlValue;
}

/** Pages the language switch may return to: a fixed list, so `return` is never an open redirect. */
export const RETURN_PATHS = [
  '/',
  '/code',
  '/step',
  '/done',
  '/resume',
  '/locked',
  '/delete',
  '/deleted',
  '/safety',
] as const;

export function pageTitle(ctx: PageContext, options: PageOptions): string {
  const base = t(ctx.lang, 'siteName');
  const title = options.titleSuffix ? `${base} – ${options.titleSuffix}` : base;
  return options.hasErrors ? `${t(ctx.lang, 'errorPrefix')} ${title}` : title;
}

export function csrfInput(ctx: PageContext): HtmlValue {
  return (
    ctx.csrf !== undefined && markup`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`
  );
}

function languageSwitch(ctx: PageContext): SafeHtml {
  const returnPath = (RETURN_PATHS as readonly string[]).includes(ctx.path) ? ctx.path : '/';
  const button = (lang: Language, label: string): SafeHtml =>
    markup`<button${attrs({
      type: 'submit',
      id: `lang-${lang}`,
      name: 'lang',
      value: lang,
      lang,
      class: 'lang-button',
      'aria-current': ctx.lang === lang ? 'true' : undefined,
    })}>${label}</button>`;
  return markup`<form class="lang-switch" method="post" action="/language" aria-label="${t(ctx.lang, 'language')}">
${csrfInput(ctx)}<input type="hidden" name="return" value="${returnPath}">
${button('en', 'English')}
${button('es', 'Español')}
</form>`;
}

function lockForm(ctx: PageContext): HtmlValue {
  return (
    ctx.csrf !== undefined &&
    markup`<form id="lock-form" class="lock-form" method="post" action="/lock">
${csrfInput(ctx)}<button type="submit" class="button button-secondary" aria-describedby="lock-hint">${t(ctx.lang, 'lockNow')}</button>
<span id="lock-hint" class="visually-hidden">${t(ctx.lang, 'lockHint')}</span>
</form>`
  );
}

/**
 * The head every server-rendered page shares, the petitioner's and the staff's: no referrer, not
 * indexed, phone numbers not turned into links, and only this service's own stylesheet and script.
 */
export function documentHead(title: string, assetVersion: string): SafeHtml {
  return markup`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="format-detection" content="telephone=no">
<title>${title}</title>
<link rel="stylesheet" href="/assets/site.css?v=${assetVersion}">
<script src="/assets/site.js?v=${assetVersion}" defer></script>
</head>`;
}

export function layout(ctx: PageContext, options: PageOptions): SafeHtml {
  const { lang } = ctx;
  const body = attrs({
    'data-idle-seconds': ctx.idleSeconds,
    'data-session': ctx.csrf !== undefined ? 'open' : undefined,
  });
  return markup`<!doctype html>
<html lang="${lang}">
${documentHead(pageTitle(ctx, options), ctx.assetVersion)}
<body${body}>
<a id="quick-exit" class="quick-exit" href="${ctx.quickExitUrl}" rel="noreferrer">${t(lang, 'quickExit')}</a>
<header class="site-header">
<p class="exit-note">${t(lang, 'quickExitNote')} <a href="/safety">${t(lang, 'safetyTips')}</a></p>
<a class="skip-link" href="#main">${t(lang, 'skipToMain')}</a>
<p class="site-name">${t(lang, 'siteName')}</p>
${languageSwitch(ctx)}
${lockForm(ctx)}
</header>
<main id="main" class="main" tabindex="-1">
${options.main}
</main>
<footer class="site-footer">
<p><a href="/safety">${t(lang, 'safetyTips')}</a></p>
<p>${t(lang, 'safetyNoContact')}</p>
</footer>
</body>
</html>
`;
}

export interface SummaryError {
  message: string;
  /** The element id the message links to; without one it is listed as plain text. */
  target?: string;
}

/** The box at the top of a page with errors: announced, focusable, each message a link. */
export function errorSummary(lang: Language, errors: SummaryError[]): HtmlValue {
  if (errors.length === 0) return undefined;
  const items = errors.map((e) =>
    e.target !== undefined
      ? markup`<li><a href="#${e.target}">${e.message}</a></li>\n`
      : markup`<li>${e.message}</li>\n`,
  );
  return markup`<div id="error-summary" class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title" class="error-summary-title">${t(lang, 'errorSummaryTitle')}</h2>
<ul class="error-summary-list">
${items}</ul>
</div>
`;
}

/** A link that looks like a button: for plain navigation that changes nothing. */
export function buttonLink(href: string, label: string, id?: string, secondary = false): SafeHtml {
  const cls = secondary ? 'button button-secondary' : 'button';
  return markup`<a${attrs({ id, href, class: cls })}>${label}</a>`;
}
