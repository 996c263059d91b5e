import { ErrorCode, ErrorDetail } from './error-code';

/** A domain failure: says what happened; the HTTP layer decides how it is answered. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(details: ErrorDetail[]): AppError {
    const fields = [...new Set(details.map((d) => d.field).filter(Boolean))];
    return new AppError(
      ErrorCode.ValidationFailed,
      fields.length > 0 ? `Invalid value for: ${fields.join(', ')}` : 'The request is not valid',
      details,
    );
  }

  static notFound(message = 'Not found'): AppError {
    return new AppError(ErrorCode.NotFound, message);
  }
}
