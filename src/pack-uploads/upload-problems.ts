import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';

/**
 * One reason an uploaded pack was refused. `file` is the archive entry concerned (absent for the
 * archive as a whole), `field` where in it: a part of a DOCX, a manifest path, a form field.
 */
export interface UploadProblem extends ErrorDetail {
  field: string;
  file?: string;
  message: string;
}

const ARCHIVE = 'archive';
const MAX_SHOWN = 120;

/**
 * An entry name as it may appear in a message: names come from the uploader and can hold control
 * characters or be very long, so they are escaped and cut.
 */
export function shown(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return escaped.length > MAX_SHOWN ? `${escaped.slice(0, MAX_SHOWN)}...` : escaped;
}

export function archiveProblem(message: string): UploadProblem {
  return { field: ARCHIVE, message };
}

/** A problem with one entry; the message starts with the entry's name so a list reads on its own. */
export function entryProblem(file: string, message: string, field?: string): UploadProblem {
  const name = shown(file);
  return { field: field ?? name, file: name, message: `${name}: ${message}` };
}

/** Thrown inside the checks; answered as one 400 listing every problem. */
export class PackRefused extends Error {
  constructor(readonly problems: UploadProblem[]) {
    super(`pack refused (${problems.length} problem(s))`);
    this.name = 'PackRefused';
  }
}

export function refusalError(problems: UploadProblem[]): AppError {
  const n = problems.length;
  return new AppError(
    ErrorCode.ValidationFailed,
    `The pack was refused: ${n} problem${n === 1 ? '' : 's'} (see details)`,
    problems,
  );
}
