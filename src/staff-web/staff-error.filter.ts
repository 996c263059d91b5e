import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STAFF_SESSION_COOKIE, readSessionCookie } from '../accounts/request-credentials';
import { AppError } from '../common/errors/app-error';
import { infrastructureFault } from '../common/errors/infrastructure-faults';
import { ERROR_STATUS, setRetryAfter } from '../common/errors/app-error.filter';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { StaffFormRefused, staffCookieOptions } from './staff-csrf';
import { messagePage } from './staff-layout';
import { StaffPages, sendPage } from './staff-pages';

interface Message {
  title: string;
  heading: string;
  lines: string[];
}

const NOT_FOUND: Message = {
  title: 'Not found',
  heading: 'Page not found',
  lines: ['There is nothing here, or nothing your organisation can see.'],
};

const NOT_PERMITTED: Message = {
  title: 'Not permitted',
  heading: 'Your account cannot do this',
  lines: ['Your role does not include this. An administrator of your organisation can help.'],
};

const FORM_REFUSED: Message = {
  title: 'Form expired',
  heading: 'This form has expired',
  lines: ['It was not sent. Go back, reload the page and do it again.'],
};

const TOO_LARGE: Message = {
  title: 'Too much at once',
  heading: 'That form was too large to send',
  lines: ['Shorten the text and send it again.'],
};

const FAILED: Message = {
  title: 'Something went wrong',
  heading: 'Something went wrong',
  lines: ['Nothing was lost. Go back and try again; if it happens again, tell your administrator.'],
};

/**
 * The staff pages answer in HTML, never with the API's JSON. Without a live session the answer is
 * the sign-in page; a record of another organisation answers exactly like a missing one, since
 * the same page is made from the same principal either way.
 */
@Catch()
@Injectable()
export class StaffErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('StaffPages');

  constructor(
    private readonly pages: StaffPages,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    // A database outage or a full disk is a 503/507 page with its own words, not a crash page.
    const exception = thrown instanceof AppError ? thrown : (infrastructureFault(thrown) ?? thrown);
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;

    if (exception instanceof AppError) {
      if (exception.code === ErrorCode.Unauthorized) {
        // A cookie of an ended or expired session is of no further use to the browser.
        if (readSessionCookie(req) !== undefined) {
          res.clearCookie(STAFF_SESSION_COOKIE, staffCookieOptions(this.config));
        }
        res.redirect(303, '/staff/login');
        return;
      }
      const status = ERROR_STATUS[exception.code];
      setRetryAfter(res, status, exception.details);
      if (status >= 500) this.logger.error(`AppError ${exception.code} on a staff page`);
      this.send(req, res, status, this.messageFor(exception, status));
      return;
    }
    if (exception instanceof StaffFormRefused) {
      this.send(req, res, HttpStatus.FORBIDDEN, FORM_REFUSED);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      this.send(req, res, status, status === 404 ? NOT_FOUND : status === 413 ? TOO_LARGE : FAILED);
      return;
    }
    // The class only: a message may quote what someone typed.
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`unhandled ${name} on a staff page`);
    this.send(req, res, HttpStatus.INTERNAL_SERVER_ERROR, FAILED);
  }

  private messageFor(e: AppError, status: number): Message {
    switch (e.code) {
      case ErrorCode.NotFound:
        return NOT_FOUND;
      case ErrorCode.Forbidden:
        return NOT_PERMITTED;
      case ErrorCode.TooManyAttempts:
        return {
          title: 'Too many tries',
          heading: 'Too many tries',
          lines: ['Wait a few minutes and try again.'],
        };
      case ErrorCode.ValidationFailed:
        // Validation messages name fields and rules, never a stored value.
        return {
          title: 'Not accepted',
          heading: 'That was not accepted',
          lines: e.details.map((d) => d.message),
        };
      default:
        return status < 500 ? { ...FAILED, lines: [e.message] } : FAILED;
    }
  }

  private send(req: Request, res: Response, status: number, message: Message): void {
    sendPage(res, messagePage(this.pages.context(req), message), status);
  }
}
