import { HtmlValue, SafeHtml, attrs, describedBy, markup } from './html';
import { PageContext, SummaryError, buttonLink, csrfInput, errorSummary, layout } from './layout';
import { TextKey, t } from './web-text';

/** The pages around the interview itself: welcome, code, resume, lock, delete, safety, errors. */

export interface PackChoice {
  id: string;
  label: string;
  hint?: string;
}

export interface WelcomeInput {
  packs: PackChoice[];
  /** A session is open on this device: offer to go back to it. */
  sessionOpen: boolean;
  error?: string;
}

function fieldError(ctx: PageContext, id: string, text: string | undefined): HtmlValue {
  if (text === undefined) return undefined;
  return markup`<p class="field-error" id="${id}-error"><span class="visually-hidden">${t(ctx.lang, 'errorPrefix')} </span>${text}</p>
`;
}

export function welcomePage(ctx: PageContext, input: WelcomeInput): SafeHtml {
  const { lang } = ctx;
  // With a single place to file there is nothing to choose: it is chosen already.
  const chosen = input.packs.length === 1 ? input.packs[0].id : undefined;
  const invalid = input.error !== undefined;
  const summary: SummaryError[] = invalid ? [{ message: input.error ?? '', target: 'pack' }] : [];
  const open =
    input.sessionOpen &&
    markup`<div class="panel">
<p>${t(lang, 'openOnDevice')}</p>
<p>${buttonLink('/step', t(lang, 'backToAnswers'), 'back-to-answers', true)}</p>
<p class="hint">${t(lang, 'startReplaces')}</p>
</div>
`;
  const choices = input.packs.map((p) => {
    const id = `pack-${p.id}`;
    const radio = attrs({
      class: 'choice-input',
      type: 'radio',
      name: 'pack',
      id,
      value: p.id,
      checked: chosen === p.id,
      'aria-describedby': p.hint !== undefined ? `${id}-hint` : undefined,
      'aria-invalid': invalid ? 'true' : undefined,
    });
    const hint =
      p.hint !== undefined && markup`<p class="hint choice-hint" id="${id}-hint">${p.hint}</p>\n`;
    return markup`<div class="choice">
<input${radio}>
<label class="choice-label" for="${id}">${p.label}</label>
${hint}</div>
`;
  });
  const fieldset = attrs({
    class: 'fieldset',
    id: 'pack',
    tabindex: -1,
    'aria-describedby': describedBy('pack-hint', invalid && 'pack-error'),
  });
  const main = markup`${errorSummary(lang, summary)}<h1 class="heading">${t(lang, 'welcomeHeading')}</h1>
<p class="lead">${t(lang, 'welcomeWhat')}</p>
<p>${t(lang, 'welcomeHow')}</p>
<p class="notice">${t(lang, 'welcomeSafety')} <a href="/safety">${t(lang, 'safetyTips')}</a></p>
${open}<form class="start-form" method="post" action="/start" novalidate>
${csrfInput(ctx)}<div class="${invalid ? 'field field-invalid' : 'field'}">
<fieldset${fieldset}>
<legend class="legend legend-large">${t(lang, 'whereFile')}</legend>
<p class="hint" id="pack-hint">${t(lang, 'whereFileHint')}</p>
${fieldError(ctx, 'pack', input.error)}<div class="choices">
${choices}</div>
</fieldset>
</div>
<div class="actions">
<button type="submit" id="start" class="button">${t(lang, 'start')}</button>
</div>
</form>
<p><a href="/resume" id="resume-link">${t(lang, 'continueWithCode')}</a></p>
`;
  return layout(ctx, { hasErrors: invalid, main });
}

export function codePage(ctx: PageContext, code: string, draftDays: number): SafeHtml {
  const { lang } = ctx;
  const words = code.split(/\s+/).filter((w) => w !== '');
  const main = markup`<h1 class="heading">${t(lang, 'codeHeading')}</h1>
<p class="lead">${t(lang, 'codeIntro', { n: words.length })}</p>
<ol class="code-words">
${words.map((w) => markup`<li class="code-word">${w}</li>\n`)}</ol>
<p>${t(lang, 'codeOneLine')}</p>
<p id="resume-code" class="code-line">${words.join(' ')}</p>
<p class="notice">${t(lang, 'codeOnlyWay')}</p>
<h2 class="subheading">${t(lang, 'codeKeepHeading')}</h2>
<ul class="bullets">
<li>${t(lang, 'codeKeepPlace')}</li>
<li>${t(lang, 'codeKeepPhoto')}</li>
<li>${t(lang, 'codeKeepAnyone')}</li>
<li>${t(lang, 'codeKeepDays', { days: draftDays })}</li>
</ul>
<div class="actions">${buttonLink('/step', t(lang, 'codeWroteIt'), 'code-written')}</div>
`;
  return layout(ctx, { main });
}

export function codeGonePage(ctx: PageContext): SafeHtml {
  const { lang } = ctx;
  const main = markup`<h1 class="heading">${t(lang, 'codeHeading')}</h1>
<p>${t(lang, 'codeShownOnce')}</p>
<p>${t(lang, 'codeLost')}</p>
<div class="actions">
${buttonLink('/step', t(lang, 'toQuestions'), 'code-written')}
${buttonLink('/delete', t(lang, 'deleteAnswers'), undefined, true)}
</div>
`;
  return layout(ctx, { main });
}

export interface CodeFormInput {
  /** `locked` after a lock or time-out; `resume` when the petitioner came back on purpose. */
  from: 'resume' | 'locked';
  error?: string;
  typed?: string;
}

export function codeFormPage(ctx: PageContext, input: CodeFormInput): SafeHtml {
  const { lang } = ctx;
  const invalid = input.error !== undefined;
  const summary: SummaryError[] = invalid ? [{ message: input.error ?? '', target: 'code' }] : [];
  const locked = input.from === 'locked';
  const textarea = attrs({
    id: 'code',
    name: 'code',
    rows: 3,
    class: 'input textarea code-input',
    autocomplete: 'off',
    autocapitalize: 'none',
    autocorrect: 'off',
    spellcheck: 'false',
    'aria-describedby': describedBy('code-hint', invalid && 'code-error'),
    'aria-invalid': invalid ? 'true' : undefined,
  });
  const main = markup`${errorSummary(lang, summary)}<h1 class="heading">${locked ? t(lang, 'lockedHeading') : t(lang, 'continueWithCode')}</h1>
${locked && markup`<p class="lead">${t(lang, 'lockedText')}</p>\n`}<form class="code-form" method="post" action="/resume" novalidate>
${csrfInput(ctx)}<input type="hidden" name="from" value="${input.from}">
<div class="${invalid ? 'field field-invalid' : 'field'}">
<label class="label" for="code">${t(lang, 'codeLabel')}</label>
<p class="hint" id="code-hint">${t(lang, 'codeHint')}</p>
${fieldError(ctx, 'code', input.error)}<textarea${textarea}>\n${input.typed ?? ''}</textarea>
</div>
<div class="actions">
<button type="submit" id="resume" class="button">${t(lang, 'continue')}</button>
</div>
</form>
<p class="hint">${t(lang, 'codeNoRecovery')}</p>
<p>${buttonLink('/', t(lang, 'startAgain'), 'start-again', true)}</p>
`;
  return layout(ctx, { hasErrors: invalid, main });
}

export function donePage(ctx: PageContext): SafeHtml {
  const { lang } = ctx;
  const step = (heading: TextKey, text: TextKey): SafeHtml =>
    markup`<li class="next-step"><h3 class="next-heading">${t(lang, heading)}</h3><p>${t(lang, text)}</p></li>
`;
  const main = markup`<h1 class="heading">${t(lang, 'doneHeading')}</h1>
<div class="actions">
<a id="download" class="button button-large" href="/download" download="court-forms.pdf" aria-describedby="download-note">${t(lang, 'download')}</a>
</div>
<p class="hint" id="download-note">${t(lang, 'downloadNote')}</p>
<h2 class="subheading">${t(lang, 'nextHeading')}</h2>
<ol class="next-steps">
${step('nextFileHeading', 'nextFile')}${step('nextJudgeHeading', 'nextJudge')}${step('nextServeHeading', 'nextServe')}${step('nextHearingHeading', 'nextHearing')}</ol>
<h2 class="subheading">${t(lang, 'nextHelpHeading')}</h2>
<p>${t(lang, 'nextHelp')}</p>
<div class="actions">
${buttonLink('/step', t(lang, 'changeAnswer'), 'change-answer', true)}
${buttonLink('/share', t(lang, 'shareLink'), 'share', true)}
${buttonLink('/delete', t(lang, 'deleteAnswers'), 'delete-answers', true)}
</div>
<p class="hint">${t(lang, 'changeAgain')}</p>
`;
  return layout(ctx, { main });
}

export interface ShareInput {
  /** How many organisations can see the case now. */
  sharedWith: number;
  /** A code just made, shown once. */
  code?: { text: string; expiresAt: string };
  stopped?: boolean;
}

/** Sharing with an advocate: nothing is shared until the petitioner makes and gives a code. */
export function sharePage(ctx: PageContext, input: ShareInput): SafeHtml {
  const { lang } = ctx;
  const date = input.code
    ? new Date(input.code.expiresAt).toLocaleDateString(lang === 'es' ? 'es-US' : 'en-US', {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
      })
    : '';
  const code = input.code
    ? markup`<h2 class="subheading">${t(lang, 'shareCodeHeading')}</h2>
<p class="code-line" id="share-code">${input.code.text}</p>
<p>${t(lang, 'shareCodeText', { date })}</p>
`
    : markup``;
  const status =
    input.sharedWith > 0
      ? t(lang, 'shareStatusSome', { n: String(input.sharedWith) })
      : t(lang, 'shareStatusNone');
  const main = markup`<h1 class="heading">${t(lang, 'shareHeading')}</h1>
${input.stopped ? markup`<p class="notice" role="status">${t(lang, 'shareStopped')}</p>` : markup``}<p class="lead">${t(lang, 'shareText')}</p>
${code}<p id="share-status">${status}</p>
<form method="post" action="/share">
${csrfInput(ctx)}<div class="actions">
<button type="submit" id="share-make" class="button">${t(lang, 'shareMake')}</button>
</div>
</form>
<h2 class="subheading">${t(lang, 'shareStop')}</h2>
<p>${t(lang, 'shareStopText')}</p>
<form method="post" action="/share/stop">
${csrfInput(ctx)}<div class="actions">
<button type="submit" id="share-stop" class="button button-warning">${t(lang, 'shareStop')}</button>
${buttonLink('/done', t(lang, 'shareBack'), 'share-back', true)}
</div>
</form>
`;
  return layout(ctx, { main });
}

export function deletePage(ctx: PageContext): SafeHtml {
  const { lang } = ctx;
  const main =
    ctx.csrf === undefined
      ? markup`<h1 class="heading">${t(lang, 'deleteHeading')}</h1>
<p>${t(lang, 'deleteNothingOpen')}</p>
<p>${buttonLink('/resume', t(lang, 'continueWithCode'))}</p>
`
      : markup`<h1 class="heading">${t(lang, 'deleteHeading')}</h1>
<p class="lead">${t(lang, 'deleteText')}</p>
<p>${t(lang, 'deleteDownloaded')}</p>
<form method="post" action="/delete">
${csrfInput(ctx)}<div class="actions">
<button type="submit" id="delete" class="button button-warning">${t(lang, 'deleteYes')}</button>
${buttonLink('/step', t(lang, 'deleteNo'), 'keep', true)}
</div>
</form>
`;
  return layout(ctx, { main });
}

export function deletedPage(ctx: PageContext): SafeHtml {
  const { lang } = ctx;
  const main = markup`<h1 class="heading">${t(lang, 'deletedHeading')}</h1>
<p class="lead">${t(lang, 'deletedText')}</p>
<p><a href="/safety">${t(lang, 'safetyTips')}</a></p>
<p>${buttonLink('/', t(lang, 'startAgain'), undefined, true)}</p>
`;
  return layout(ctx, { main });
}

export function safetyPage(ctx: PageContext, idleMinutes: number): SafeHtml {
  const { lang } = ctx;
  const open = ctx.csrf !== undefined;
  const main = markup`<h1 class="heading">${t(lang, 'safetyHeading')}</h1>
<h2 class="subheading">${t(lang, 'safetyDangerHeading')}</h2>
<p class="lead"><strong>${t(lang, 'safetyDanger')}</strong></p>
<p>${t(lang, 'safetyHotline')}</p>
<h2 class="subheading">${t(lang, 'safetyDeviceHeading')}</h2>
<ul class="bullets">
<li>${t(lang, 'safetySaferDevice')}</li>
<li>${t(lang, 'safetyPrivate')}</li>
<li>${t(lang, 'safetyHistory')}</li>
<li>${t(lang, 'safetyDownloads')}</li>
<li>${t(lang, 'safetyMonitoring')}</li>
<li>${t(lang, 'safetyQuickExit')}</li>
<li>${t(lang, 'safetyIdle', { minutes: idleMinutes })}</li>
<li>${t(lang, 'safetyCode')}</li>
</ul>
<p>${open ? buttonLink('/step', t(lang, 'backToAnswers'), undefined, true) : buttonLink('/', t(lang, 'goToStart'), undefined, true)}</p>
`;
  return layout(ctx, { main });
}

export type ErrorKind = 'notFound' | 'expired' | 'tooLarge' | 'failed';

const ERROR_TEXT: Record<ErrorKind, [TextKey, TextKey | undefined]> = {
  notFound: ['notFoundHeading', undefined],
  expired: ['expiredHeading', 'expiredText'],
  tooLarge: ['tooLargeHeading', 'tooLargeText'],
  failed: ['errorHeading', 'errorText'],
};

/** A page for what went wrong, never saying more than the petitioner can act on. */
export function errorPage(ctx: PageContext, kind: ErrorKind, messages: string[] = []): SafeHtml {
  const { lang } = ctx;
  const [heading, text] = ERROR_TEXT[kind];
  const list =
    messages.length > 0 &&
    markup`<ul class="bullets">
${messages.map((m) => markup`<li>${m}</li>\n`)}</ul>
`;
  const next =
    ctx.csrf !== undefined
      ? buttonLink('/step', t(lang, 'backToAnswers'))
      : buttonLink('/', t(lang, 'goToStart'));
  const main = markup`<h1 class="heading">${t(lang, heading)}</h1>
${text !== undefined && markup`<p class="lead">${t(lang, text)}</p>\n`}${list}<p>${next}</p>
`;
  return layout(ctx, { hasErrors: kind !== 'notFound', main });
}
