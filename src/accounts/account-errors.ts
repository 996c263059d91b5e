import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

/**
 * One answer for every failed sign-in (unknown email, wrong password, disabled account), so the
 * answer tells nobody which emails have accounts.
 */
export function signInFailed(): AppError {
  return new AppError(ErrorCode.Unauthorized, 'The email or password is not right');
}

/** One answer for a missing, unknown, ended, expired or revoked session or token. */
export function signInRequired(): AppError {
  return new AppError(ErrorCode.Unauthorized, 'Sign in, or send a valid API token');
}

export function notPermitted(): AppError {
  return new AppError(ErrorCode.Forbidden, 'Your account does not have permission to do this');
}

export function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError(ErrorCode.TooManyAttempts, 'Too many failed sign-ins; try again later', [
    { message: 'wait before trying again', retryAfterSeconds },
  ]);
}
