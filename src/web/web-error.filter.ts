import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { infrastructureFault } from '../common/errors/infrastructure-faults';
import { ERROR_STATUS, setRetryAfter } from '../common/errors/app-error.filter';
import { ErrorCode } from '../common/errors/error-code';
import { ErrorKind, errorPage } from './pages';
import { WebSession } from './web-session';

/** A form post that did not come from one of our pages (missing or wrong token, other site). */
export class FormRefused extends Error {
  constructor() {
    super('form refused');
    this.name = 'FormRefused';
  }
}

/**
 * The pages answer in HTML, never with the API's JSON: a petitioner on a phone must see a page
 * that says what to do next, in their language, with the quick exit still on it.
 */
@Catch()
@Injectable()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebErrors');

  constructor(private readonly session: WebSession) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    // A database outage or a full disk is a 503/507 page with its own words, not a crash page.
    const exception = thrown instanceof AppError ? thrown : (infrastructureFault(thrown) ?? thrown);
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;

    if (exception instanceof AppError) {
      // A locked, expired or forgotten session: the page must stop showing anything of it.
      const sessionGone =
        exception.code === ErrorCode.NotFound &&
        this.session.sessionId(req) !== undefined &&
        !this.session.isOpen(req);
      if (exception.code === ErrorCode.InterviewLocked || sessionGone) {
        this.session.clearSession(res);
        res.redirect(303, '/locked');
        return;
      }
      const status = ERROR_STATUS[exception.code];
      setRetryAfter(res, status, exception.details);
      if (status >= 500) this.logger.error(`AppError ${exception.code} on a page`);
      // Validation messages are written for the petitioner, in their language; others are not.
      const messages =
        exception.code === ErrorCode.ValidationFailed
          ? exception.details.map((d) => d.message)
          : [];
      const kind: ErrorKind = exception.code === ErrorCode.NotFound ? 'notFound' : 'failed';
      this.send(req, res, status, kind, messages);
      return;
    }
    if (exception instanceof FormRefused) {
      this.send(req, res, HttpStatus.FORBIDDEN, 'expired');
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const kind: ErrorKind = status === 404 ? 'notFound' : status === 413 ? 'tooLarge' : 'failed';
      this.send(req, res, status, kind);
      return;
    }
    // Only the class of the error: its message may quote what the petitioner wrote.
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`unhandled ${name} on a page`);
    this.send(req, res, HttpStatus.INTERNAL_SERVER_ERROR, 'failed');
  }

  private send(
    req: Request,
    res: Response,
    status: number,
    kind: ErrorKind,
    messages: string[] = [],
  ): void {
    const ctx = this.session.page(req, '/');
    res
      .status(status)
      .type('html')
      .send(errorPage(ctx, kind, messages).toString());
  }
}
