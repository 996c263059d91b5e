import {
  Controller,
  Get,
  Inject,
  Post,
  Req,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticator } from '../accounts/authenticator';
import { RequireSignIn } from '../accounts/permission.guard';
import {
  STAFF_SESSION_COOKIE,
  clientAddress,
  readSessionCookie,
} from '../accounts/request-credentials';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { first, formBody } from '../web/form-input';
import { waitText } from '../web/web-text';
import { loginPage } from './auth-pages';
import { StaffAccounts } from './staff-accounts';
import { staffCookieOptions } from './staff-csrf';
import { StaffErrorFilter } from './staff-error.filter';
import { StaffFormCheck } from './staff-forms';
import { StaffPages, sendPage } from './staff-pages';

/** As the API's LoginDto: beyond these nothing is hashed, so a huge form cannot make argon2 work. */
const MAX_EMAIL = 254;
const MAX_PASSWORD = 4096;

/** Signing in and out of the staff pages, with the same sessions and cookie as the API. */
@ApiExcludeController()
@Controller('staff')
@UseFilters(StaffErrorFilter)
@UseInterceptors(StaffFormCheck)
export class StaffAuthController {
  constructor(
    private readonly accounts: StaffAccounts,
    private readonly authenticator: Authenticator,
    private readonly pages: StaffPages,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequireSignIn()
  home(@Res() res: Response): void {
    res.redirect(303, '/staff/matters');
  }

  @Get('login')
  async loginForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (await this.signedIn(req)) {
      res.redirect(303, '/staff/matters');
      return;
    }
    sendPage(res, loginPage(this.pages.anonymous()));
  }

  /**
   * Every failed sign-in gets the one answer the accounts give, whatever was wrong; a throttled
   * one says how long to wait.
   */
  @Post('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = formBody(req);
    const email = (first(body, 'email') ?? '').trim();
    const password = first(body, 'password') ?? '';
    const ctx = this.pages.anonymous();
    if (email === '' || password === '') {
      const errors = {
        email: email === '' ? 'Enter your email address' : undefined,
        password: password === '' ? 'Enter your password' : undefined,
      };
      sendPage(res, loginPage(ctx, { email, errors }), 400);
      return;
    }
    if (email.length > MAX_EMAIL || password.length > MAX_PASSWORD) {
      const errors = { email: 'The email or password is not right' };
      sendPage(res, loginPage(ctx, { email: email.slice(0, MAX_EMAIL), errors }), 400);
      return;
    }
    try {
      const signedIn = await this.accounts.auth.login(
        email,
        password,
        clientAddress(req),
        readSessionCookie(req),
      );
      res.cookie(STAFF_SESSION_COOKIE, signedIn.token, staffCookieOptions(this.config));
      res.redirect(303, '/staff/matters');
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === ErrorCode.Unauthorized) {
        sendPage(res, loginPage(ctx, { email, errors: { email: e.message } }), 400);
        return;
      }
      if (e.code === ErrorCode.TooManyAttempts) {
        const found = e.details.find((d) => typeof d.retryAfterSeconds === 'number');
        const seconds = Math.max(1, Math.ceil(Number(found?.retryAfterSeconds ?? 60)));
        res.setHeader('Retry-After', String(seconds));
        const message = `Too many failed sign-ins. Wait ${waitText('en', seconds)} and try again.`;
        sendPage(res, loginPage(ctx, { email, errors: { email: message } }), 429);
        return;
      }
      throw e;
    }
  }

  /** Ends the session on the server, and leaves nothing of the pages in the browser's cache. */
  @Post('logout')
  @RequireSignIn()
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.accounts.auth.logout(readSessionCookie(req), clientAddress(req));
    res.clearCookie(STAFF_SESSION_COOKIE, staffCookieOptions(this.config));
    res.setHeader('Clear-Site-Data', '"cache"');
    res.redirect(303, '/staff/login');
  }

  private async signedIn(req: Request): Promise<boolean> {
    try {
      await this.authenticator.authenticate(req);
      return true;
    } catch (e) {
      if (e instanceof AppError) return false;
      throw e;
    }
  }
}

/**
 * Any other address under /staff: the sign-in page without a session, else a "not found" page
 * rather than the API's JSON. Registered after every other staff controller, so it shadows none.
 */
@ApiExcludeController()
@Controller('staff')
@UseFilters(StaffErrorFilter)
export class StaffFallbackController {
  @Get('*path')
  @RequireSignIn()
  notFound(): never {
    throw AppError.notFound();
  }
}
