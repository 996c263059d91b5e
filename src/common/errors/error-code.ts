/**
 * Stable error codes: clients and tests match on these, never on message text.
 * One filter maps each code to an HTTP status (see app-error.filter.ts).
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  PackNotFound = 'pack_not_found',
  PackInvalid = 'pack_invalid',
  FormsNotInstalled = 'forms_not_installed',
  GlyphMissing = 'glyph_missing',
  RenderFailed = 'render_failed',
  /** A respondent-facing or law-enforcement file holds a confidential value: nothing is released. */
  ConfidentialLeak = 'confidential_leak',
  ConverterUnavailable = 'converter_unavailable',
  PayloadTooLarge = 'payload_too_large',
  /** An interview session left idle: only the resume code opens the draft again. */
  InterviewLocked = 'interview_locked',
  /** A resume code that opens no draft (or is not eight known words). */
  ResumeCodeInvalid = 'resume_code_invalid',
  /** Too many wrong guesses from this client or at this code; details carry `retryAfterSeconds`. */
  TooManyAttempts = 'too_many_attempts',
  /** No valid staff session or API token, or a sign-in that failed (one answer for every reason). */
  Unauthorized = 'unauthorized',
  /** Signed in, but the role (or the token's scopes) does not grant the permission. */
  Forbidden = 'forbidden',
  /**
   * The database cannot be reached (restarting, stopped, out of connections); details carry
   * `retryAfterSeconds`. Only connection failures answer so, never a refused statement.
   */
  DatabaseUnavailable = 'database_unavailable',
  /**
   * Batches cannot start or be retried now: their queue (Redis) cannot be reached. Nothing was
   * made; details carry `retryAfterSeconds`. The rest of the service works as usual.
   */
  BatchesUnavailable = 'batches_unavailable',
  /** A disk the service writes to (packet files or the database) is full. */
  StorageFull = 'storage_full',
  Internal = 'internal_error',
}

export interface ErrorDetail {
  /** Dotted path of the offending value, e.g. `petitioner.dateOfBirth` or `incidents.2.date`. */
  field?: string;
  message: string;
  [key: string]: unknown;
}
