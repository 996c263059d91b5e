import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { todayIso } from '../common/validation/calendar-date';
import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import type { Language } from '../interview/interview-definition';
import { ListAction, Position, questionView } from '../interview/interview-engine';
import type { ChangeAnswerDto } from '../interview/interview.dto';
import {
  ClientInfo,
  InterviewScreen,
  PETITIONER_INTERVIEW,
  PetitionerInterview,
} from '../interview/petitioner-interview';
import type { DownloadableFile } from '../packets/packets.service';
import { PacksService } from '../packs/packs.service';
import { conditionHint, localCondition } from './conditions';
import { FieldValue } from './fields';
import { SHOWN_FIELD, first, formBody, indexField, readAnswers, storedValues } from './form-input';
import { SafeHtml } from './html';
import { InterviewForms } from './interview-forms';
import { PageContext, RETURN_PATHS } from './layout';
import {
  PackChoice,
  codeFormPage,
  codeGonePage,
  codePage,
  deletePage,
  sharePage,
  deletedPage,
  donePage,
  errorPage,
  safetyPage,
  welcomePage,
} from './pages';
import { PendingCodes } from './pending-codes';
import {
  AT_FIELD,
  ShownQuestion,
  StepError,
  listScreenPage,
  positionKey,
  questionScreenPage,
  removeConfirmPage,
  reviewPage,
} from './step-pages';
import { WebAssets } from './web-assets';
import { FormRefused, WebErrorFilter } from './web-error.filter';
import { CSRF_FIELD, WebSession, asLanguage, isCrossSite } from './web-session';
import { t, waitText } from './web-text';

const LIST_ACTIONS: readonly string[] = ['add', 'done', 'edit', 'remove'] satisfies ListAction[];

/** A file name that says nothing about what is in it or whose it is. */
const DOWNLOAD_NAME = 'court-forms.pdf';

/**
 * The guided interview as server-rendered pages, for a petitioner on their own. Every page works
 * without JavaScript; URLs are fixed words (the session lives in an HttpOnly cookie), and every
 * post answers with a redirect, so reloading or going back never sends answers twice.
 */
@ApiExcludeController()
@Controller()
@UseFilters(WebErrorFilter)
export class WebController {
  constructor(
    @Inject(PETITIONER_INTERVIEW) private readonly interview: PetitionerInterview,
    private readonly packs: PacksService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly session: WebSession,
    private readonly codes: PendingCodes,
    private readonly forms: InterviewForms,
    private readonly assets: WebAssets,
  ) {}

  // ---- before a session --------------------------------------------------------------------------

  @Get()
  welcome(@Req() req: Request, @Res() res: Response): void {
    const chosen = asLanguage(req.query.lang);
    if (chosen) this.session.setLanguage(res, chosen);
    const ctx = this.page(req, '/');
    const sessionOpen = this.session.isOpen(req);
    send(res, welcomePage(ctx, { packs: this.packChoices(ctx.lang), sessionOpen }));
  }

  @Post('start')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const ctx = this.page(req, '/');
    const packId = first(formBody(req), 'pack');
    const packs = this.packChoices(ctx.lang);
    if (packId === undefined || !packs.some((p) => p.id === packId)) {
      const sessionOpen = this.session.isOpen(req);
      const error = t(ctx.lang, 'chooseWhere');
      send(res, welcomePage(ctx, { packs, sessionOpen, error }), 400);
      return;
    }
    await this.closeSession(req);
    const started = await this.interview.start(packId, ctx.lang, client(req, ctx.lang));
    this.session.setSession(res, started.sessionId);
    this.codes.remember(started.sessionId, started.resumeCode);
    res.redirect(303, '/code');
  }

  @Get('resume')
  resumeForm(@Req() req: Request, @Res() res: Response): void {
    send(res, codeFormPage(this.page(req, '/resume'), { from: 'resume' }));
  }

  @Get('locked')
  locked(@Req() req: Request, @Res() res: Response): void {
    send(res, codeFormPage(this.page(req, '/locked'), { from: 'locked' }));
  }

  @Post('resume')
  async resume(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const body = formBody(req);
    const from = first(body, 'from') === 'locked' ? 'locked' : 'resume';
    const ctx = this.page(req, `/${from}`);
    const typed = first(body, 'code') ?? '';
    // Words as people write them: spaces, line breaks or a capital from the phone's keyboard.
    const code = typed.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    if (code === '') {
      send(res, codeFormPage(ctx, { from, error: t(ctx.lang, 'codeEmpty') }), 400);
      return;
    }
    try {
      const resumed = await this.interview.resume(code, client(req, ctx.lang));
      await this.closeSession(req, resumed.sessionId);
      this.session.setSession(res, resumed.sessionId);
      res.redirect(303, '/step');
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === ErrorCode.ResumeCodeInvalid) {
        // The interview says what is wrong ("word 3 is not a code word") in the page language.
        const said = e.details.find((d) => d.field === 'code')?.message;
        const error = said !== undefined && said !== '' ? said : t(ctx.lang, 'codeWrong');
        send(res, codeFormPage(ctx, { from, typed, error }), 400);
        return;
      }
      if (e.code === ErrorCode.TooManyAttempts) {
        const seconds = retryAfter(e.details);
        res.setHeader('Retry-After', String(seconds));
        const error = t(ctx.lang, 'tooManyTries', { wait: waitText(ctx.lang, seconds) });
        send(res, codeFormPage(ctx, { from, error }), 429);
        return;
      }
      throw e;
    }
  }

  @Post('language')
  async language(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const body = formBody(req);
    const lang = asLanguage(first(body, 'lang')) ?? this.session.language(req);
    const wanted = first(body, 'return') ?? '/';
    const back = (RETURN_PATHS as readonly string[]).includes(wanted) ? wanted : '/';
    const sid = this.session.sessionId(req);
    if (sid !== undefined) await this.interview.language(sid, lang);
    this.session.setLanguage(res, lang);
    res.redirect(303, back);
  }

  @Get('safety')
  safety(@Req() req: Request, @Res() res: Response): void {
    send(res, safetyPage(this.page(req, '/safety'), this.config.INTERVIEW_IDLE_MINUTES));
  }

  @Get('deleted')
  deleted(@Req() req: Request, @Res() res: Response): void {
    send(res, deletedPage(this.page(req, '/deleted')));
  }

  // ---- the interview -----------------------------------------------------------------------------

  @Get('code')
  async code(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    // Proves the session is still open before showing its code (a locked one redirects).
    await this.interview.current(sid);
    const code = this.codes.peek(sid);
    const ctx = this.page(req, '/code');
    send(res, code ? codePage(ctx, code, this.config.INTERVIEW_DRAFT_DAYS) : codeGonePage(ctx));
  }

  @Get('step')
  async step(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    this.codes.forget(sid);
    const screen = await this.interview.current(sid);
    await this.showScreen(req, res, screen);
  }

  @Post('step')
  async submitStep(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    const body = formBody(req);
    const action = first(body, 'action') ?? 'next';
    const screen = await this.interview.current(sid);
    const at = first(body, AT_FIELD);
    if (at !== undefined && at !== positionKey(screen.screen)) {
      // Posted from a screen that is no longer the current one: show the current one instead.
      res.redirect(303, '/step');
      return;
    }
    if (action === 'back') {
      await this.interview.back(sid);
      res.redirect(303, '/step');
      return;
    }
    const position = screen.screen.position;
    if (position.kind === 'list' && LIST_ACTIONS.includes(action)) {
      await this.listAction(req, res, screen, action as ListAction, indexField(body, 'index'));
      return;
    }
    if ((position.kind === 'screen' || position.kind === 'item') && action === 'next') {
      await this.answerScreen(req, res, screen, sid);
      return;
    }
    // A stale page (another tab moved on): show where the interview is now.
    res.redirect(303, '/step');
  }

  @Post('change')
  async change(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    const target = changeTarget(formBody(req));
    if (target !== undefined) {
      try {
        await this.interview.change(sid, target);
      } catch (e) {
        // Answers changed since the review was shown: the review shows what can be changed now.
        rethrowUnless(e, ErrorCode.ValidationFailed);
      }
    }
    res.redirect(303, '/step');
  }

  @Post('finish')
  async finish(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    try {
      await this.interview.finish(sid);
    } catch (e) {
      rethrowUnless(e, ErrorCode.ValidationFailed);
      const screen = await this.interview.current(sid);
      const errors = e.details.map(stepError);
      await this.showScreen(req, res, screen, errors, 400);
      return;
    }
    res.redirect(303, '/done');
  }

  @Get('done')
  async done(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sid = await this.requirePapers(req, res);
    if (sid === undefined) return;
    send(res, donePage(this.page(req, '/done')));
  }

  @Get('download')
  async download(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sid = await this.requirePapers(req, res);
    if (sid === undefined) return;
    let file: DownloadableFile;
    try {
      file = await this.interview.packet(sid);
    } catch (e) {
      // The forms exist but could not be joined into one file: the interview says so plainly.
      rethrowUnless(e, ErrorCode.ConverterUnavailable);
      send(res, errorPage(this.page(req, '/done'), 'failed', [e.message]), 503);
      return;
    }
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Disposition', `attachment; filename="${DOWNLOAD_NAME}"`);
    res.setHeader('Content-Length', String(file.bytes.length));
    res.status(200).end(file.bytes);
  }

  @Get('share')
  async shareForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sid = await this.requirePapers(req, res);
    if (sid === undefined) return;
    const status = await this.interview.shareStatus(sid);
    send(res, sharePage(this.page(req, '/share'), { sharedWith: status.sharedWith }));
  }

  @Post('share')
  async share(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = await this.requirePapers(req, res);
    if (sid === undefined) return;
    const made = await this.interview.share(sid);
    const status = await this.interview.shareStatus(sid);
    // Shown once, on this response only: the code is stored as a hash.
    send(
      res,
      sharePage(this.page(req, '/share'), {
        sharedWith: status.sharedWith,
        code: { text: made.code, expiresAt: made.expiresAt },
      }),
    );
  }

  @Post('share/stop')
  async stopSharing(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = await this.requirePapers(req, res);
    if (sid === undefined) return;
    await this.interview.withdrawShare(sid);
    send(res, sharePage(this.page(req, '/share'), { sharedWith: 0, stopped: true }));
  }

  @Get('delete')
  deleteForm(@Req() req: Request, @Res() res: Response): void {
    send(res, deletePage(this.page(req, '/delete')));
  }

  @Post('delete')
  async erase(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    await this.interview.erase(sid);
    this.codes.forget(sid);
    this.leave(res, '/deleted');
  }

  /**
   * Lock is the one post that does not insist on the form token. Refusing it would leave answers
   * on the screen of a petitioner who is walking away (a page kept open across a restart carries
   * a token no longer valid), and forging it gains nothing: the SameSite=Strict cookie is not
   * sent with a request another site starts, so a forged lock cannot name a session.
   */
  @Post('lock')
  async lock(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sid = this.session.sessionId(req);
    if (sid !== undefined && !isCrossSite(req)) {
      this.codes.forget(sid);
      await quietly(() => this.interview.lock(sid));
    }
    this.leave(res, '/locked');
  }

  /** Typing a long answer is activity too: the script reports it so the session does not lock. */
  @Post('alive')
  async alive(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.checkForm(req);
    const sid = this.requireSession(req, res);
    if (sid === undefined) return;
    await this.interview.current(sid);
    res.status(204).end();
  }

  // ---- assets ------------------------------------------------------------------------------------

  @Get('assets/site.css')
  css(@Res() res: Response): void {
    res.status(200).type(this.assets.css.contentType).send(this.assets.css.body);
  }

  @Get('assets/site.js')
  js(@Res() res: Response): void {
    res.status(200).type(this.assets.js.contentType).send(this.assets.js.body);
  }

  /** Browsers ask for it unprompted; no icon means nothing recognisable in the browser's stores. */
  @Get('favicon.ico')
  favicon(@Res() res: Response): void {
    res.status(204).end();
  }

  // ---- screens -----------------------------------------------------------------------------------

  private async showScreen(
    req: Request,
    res: Response,
    screen: InterviewScreen,
    errors: StepError[] = [],
    status = 200,
  ): Promise<void> {
    const ctx = this.page(req, '/step');
    const view = screen.screen;
    if (view.position.kind === 'review') {
      const review = await this.interview.review(screen.sessionId);
      send(res, reviewPage(ctx, view, review, errors, screen.packetOutdated === true), status);
      return;
    }
    if (view.position.kind === 'list') {
      send(res, listScreenPage(ctx, view, errors), status);
      return;
    }
    send(
      res,
      questionScreenPage(ctx, {
        view,
        questions: this.shownQuestions(screen),
        values: storedValues(view.questions),
        errors,
        today: this.today(),
      }),
      status,
    );
  }

  private async listAction(
    req: Request,
    res: Response,
    screen: InterviewScreen,
    action: ListAction,
    index: number | undefined,
  ): Promise<void> {
    const ctx = this.page(req, '/step');
    const confirmed = first(formBody(req), 'confirm') === 'yes';
    if (action === 'remove' && !confirmed && index !== undefined) {
      send(res, removeConfirmPage(ctx, screen.screen, index));
      return;
    }
    try {
      await this.interview.answer(screen.sessionId, { action, index });
    } catch (e) {
      rethrowUnless(e, ErrorCode.ValidationFailed);
      send(res, listScreenPage(ctx, screen.screen, e.details.map(stepError)), 400);
      return;
    }
    res.redirect(303, '/step');
  }

  private async answerScreen(
    req: Request,
    res: Response,
    screen: InterviewScreen,
    sid: string,
  ): Promise<void> {
    const view = screen.screen;
    const body = formBody(req);
    const defs = this.forms.screen(screen.packId, view.position)?.questions ?? [];
    const known = defs.length > 0 ? defs : view.questions;
    // What the page showed, so an unticked box counts as "none" rather than "not asked".
    const listed = (first(body, SHOWN_FIELD) ?? '')
      .split(/\s+/)
      .filter((id) => known.some((q) => q.id === id));
    const shown = new Set(
      listed.length > 0 ? listed : this.shownQuestions(screen).map((q) => q.view.id),
    );
    const { answers, typed } = readAnswers(known, shown, body);
    try {
      await this.interview.answer(sid, { answers });
    } catch (e) {
      rethrowUnless(e, ErrorCode.ValidationFailed);
      const errors = e.details.map(stepError);
      const named = errors.map((x) => (x.field ?? '').split('.')[0]);
      const page = questionScreenPage(this.page(req, '/step'), {
        view,
        questions: this.shownQuestions(screen, [...shown, ...named]),
        values: typed as ReadonlyMap<string, FieldValue>,
        errors,
        today: this.today(),
      });
      send(res, page, 400);
      return;
    }
    res.redirect(303, '/step');
  }

  /**
   * The questions a screen's form carries, in the screen's order: those the interview shows now,
   * every follow-up that depends on an answer on the same screen (see conditions.ts), and any
   * question an error names.
   */
  private shownQuestions(screen: InterviewScreen, include: string[] = []): ShownQuestion[] {
    const views = screen.screen.questions;
    const defs = this.forms.screen(screen.packId, screen.screen.position)?.questions ?? [];
    if (defs.length === 0) return views.map((view) => ({ view }));
    const lang = screen.language;
    const shown: ShownQuestion[] = [];
    for (const def of defs) {
      const view = views.find((v) => v.id === def.id);
      const showIf = localCondition(def, defs);
      if (!view && !showIf && !include.includes(def.id)) continue;
      shown.push({
        // Not shown yet, so no answer of its own to show.
        view: view ?? questionView(def, {}, lang),
        def,
        condition: showIf && { showIf, hint: conditionHint(showIf, defs, lang) },
      });
    }
    return shown;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private page(req: Request, path: string): PageContext {
    return this.session.page(req, path);
  }

  private today(): string {
    return todayIso(new Date());
  }

  /** The session cookie, or a redirect to the page that asks for the code. */
  private requireSession(req: Request, res: Response): string | undefined {
    const sid = this.session.sessionId(req);
    if (sid === undefined) res.redirect(303, '/locked');
    return sid;
  }

  /** The session, if its papers are made from its current answers; else a redirect. */
  private async requirePapers(req: Request, res: Response): Promise<string | undefined> {
    const sid = this.requireSession(req, res);
    if (sid === undefined) return undefined;
    const screen = await this.interview.current(sid);
    // Papers made from older answers are not offered: the review says to make them again.
    if (screen.caseId === undefined || screen.packetOutdated === true) {
      res.redirect(303, '/step');
      return undefined;
    }
    return sid;
  }

  /**
   * Posts must come from our own pages: never from another site, and, once a session exists,
   * with its token (see isCrossSite for why pre-session posts need no token).
   */
  private checkForm(req: Request): void {
    if (isCrossSite(req)) throw new FormRefused();
    const sid = this.session.sessionId(req);
    if (sid !== undefined && !this.session.csrfValid(sid, first(formBody(req), CSRF_FIELD))) {
      throw new FormRefused();
    }
  }

  /** Nothing of the session may stay behind: not the cookie, nor pages in the browser's caches. */
  private leave(res: Response, to: string): void {
    this.session.clearSession(res);
    res.setHeader('Clear-Site-Data', '"cache", "storage"');
    res.redirect(303, to);
  }

  /** Starting or resuming another draft locks the one open on this device first. */
  private async closeSession(req: Request, keep?: string): Promise<void> {
    const old = this.session.sessionId(req);
    if (old === undefined || old === keep) return;
    this.codes.forget(old);
    await quietly(() => this.interview.lock(old));
  }

  private packChoices(lang: Language): PackChoice[] {
    // Only packs that can generate now: a petitioner must not reach the end to learn otherwise.
    const ready = this.packs.list().filter((p) => p.missingForms.length === 0);
    const isGeneral = (p: (typeof ready)[number]) => p.manifest.jurisdiction.state === 'US';
    const states = ready
      .filter((p) => !isGeneral(p))
      .map((p): PackChoice => ({ id: p.manifest.id, label: p.manifest.jurisdiction.name }))
      .sort((a, b) => a.label.localeCompare(b.label, lang));
    // The general petition goes last, named by whether any state of its own is offered.
    const general = ready.filter(isGeneral).map((p): PackChoice => ({
      id: p.manifest.id,
      label: t(lang, states.length > 0 ? 'packGeneric' : 'packGenericOnly'),
      hint: t(lang, states.length > 0 ? 'packGenericHint' : 'packGenericOnlyHint'),
    }));
    return [...states, ...general];
  }
}

function send(res: Response, page: SafeHtml, status = 200): void {
  res.status(status).type('html').send(page.toString());
}

function client(req: Request, language: Language): ClientInfo {
  return { address: req.ip ?? req.socket.remoteAddress ?? 'unknown', language };
}

/** Locking or closing what may already be gone: nothing to tell the petitioner either way. */
async function quietly(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
  }
}

/** Lets through only the error a handler answers itself; anything else goes to the filter. */
function rethrowUnless(e: unknown, code: ErrorCode): asserts e is AppError {
  if (!(e instanceof AppError) || e.code !== code) throw e;
}

function retryAfter(details: ErrorDetail[]): number {
  const found = details.find((d) => typeof d.retryAfterSeconds === 'number');
  return found ? Math.max(1, Math.ceil(found.retryAfterSeconds as number)) : 60;
}

function isPosition(value: unknown): value is Position {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  switch (p.kind) {
    case 'review':
      return true;
    case 'list':
      return typeof p.sectionId === 'string';
    case 'screen':
      return typeof p.screenId === 'string';
    case 'item':
      return (
        typeof p.sectionId === 'string' &&
        typeof p.screenId === 'string' &&
        typeof p.index === 'number'
      );
    default:
      return false;
  }
}

function stepError(detail: ErrorDetail): StepError {
  return {
    field: detail.field,
    message: detail.message,
    position: isPosition(detail.position) ? detail.position : undefined,
    questionId: typeof detail.questionId === 'string' ? detail.questionId : undefined,
  };
}

/** A review entry's hidden fields back into the target the interview's `change` takes. */
function changeTarget(body: Record<string, string | string[]>): ChangeAnswerDto | undefined {
  const kind = first(body, 'kind');
  if (kind !== 'screen' && kind !== 'item' && kind !== 'list') return undefined;
  return {
    kind,
    screenId: first(body, 'screenId'),
    sectionId: first(body, 'sectionId'),
    index: indexField(body, 'index'),
  };
}
