import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from './app-error';
import { ErrorCode, ErrorDetail } from './error-code';
import { faultKind, infrastructureFault } from './infrastructure-faults';

/** Shared by the API's filter and the pages', so a code answers with one status everywhere. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.PackNotFound]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PackInvalid]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.FormsNotInstalled]: HttpStatus.CONFLICT,
  [ErrorCode.GlyphMissing]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.RenderFailed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.ConfidentialLeak]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.ConverterUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.InterviewLocked]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.ResumeCodeInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TooManyAttempts]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.DatabaseUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.BatchesUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.StorageFull]: HttpStatus.INSUFFICIENT_STORAGE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/**
 * A throttled request, or one refused while the database is away, says when to try again,
 * whichever filter answers it.
 */
export function setRetryAfter(res: Response, status: number, details: ErrorDetail[]): void {
  const wait = details.find((d) => typeof d.retryAfterSeconds === 'number');
  const retryable =
    status === HttpStatus.TOO_MANY_REQUESTS || status === HttpStatus.SERVICE_UNAVAILABLE;
  if (retryable && wait) {
    res.setHeader('Retry-After', String(wait.retryAfterSeconds));
  }
}

interface ErrorBody {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** Every failure leaves as `{ code, message, details }`; stacks and internals stay in the process. */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const fault = exception instanceof AppError ? undefined : infrastructureFault(exception);
    const [status, body] = this.toBody(fault ?? exception);
    if (fault) {
      // Expected while the database restarts or a disk is full: one line per request, by code.
      this.logger.warn(`${fault.code} (${faultKind(exception)})`);
    } else if (status >= 500) {
      // Only the error class and code: messages of unexpected errors may quote user data.
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error(`unhandled ${name} (${body.code})`);
    }
    setRetryAfter(res, status, body.details);
    res.status(status).json(body);
  }

  private toBody(exception: unknown): [number, ErrorBody] {
    if (exception instanceof AppError) {
      return [
        ERROR_STATUS[exception.code],
        { code: exception.code, message: exception.message, details: exception.details },
      ];
    }
    const parserError = bodyParserError(exception);
    if (parserError) return parserError;
    // A path segment that is not even valid percent-encoding names nothing we have: it answers
    // like any other id that does not exist, without the router's message, which quotes it.
    if (exception instanceof HttpException && exception.cause instanceof URIError) {
      return [
        HttpStatus.NOT_FOUND,
        { code: ErrorCode.NotFound, message: 'Not found', details: [] },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === HttpStatus.NOT_FOUND
          ? ErrorCode.NotFound
          : status === HttpStatus.PAYLOAD_TOO_LARGE
            ? ErrorCode.PayloadTooLarge
            : status < 500
              ? ErrorCode.ValidationFailed
              : ErrorCode.Internal;
      const message = status < 500 ? exception.message : 'Internal error';
      return [status, { code, message, details: [] }];
    }
    return [500, { code: ErrorCode.Internal, message: 'Internal error', details: [] }];
  }
}

/**
 * body-parser's failures (bad JSON, too large) reach the filter either as they are or wrapped in
 * an HttpException; either way the parser's own message, which may quote the body, stays here.
 */
function bodyParserError(e: unknown): [number, ErrorBody] | undefined {
  const candidates = [e, e instanceof Error ? e.cause : undefined];
  const found = candidates.find(
    (c): c is { type: string } =>
      typeof c === 'object' && c !== null && typeof (c as { type?: unknown }).type === 'string',
  );
  const isJsonSyntax = e instanceof HttpException && e.getStatus() === 400 && isSyntaxError(e);
  if (!found && !isJsonSyntax) return undefined;
  if (found?.type === 'entity.too.large') {
    return [
      413,
      { code: ErrorCode.PayloadTooLarge, message: 'Request body too large', details: [] },
    ];
  }
  if (found && found.type !== 'entity.parse.failed') return undefined;
  return [
    400,
    {
      code: ErrorCode.ValidationFailed,
      message: 'Request body is not valid JSON',
      details: [{ field: 'body', message: 'not valid JSON' }],
    },
  ];
}

function isSyntaxError(e: HttpException): boolean {
  return e.cause instanceof SyntaxError || /JSON/.test(e.message);
}
