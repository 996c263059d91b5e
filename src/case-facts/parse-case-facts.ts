import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../common/errors/app-error';
import { findUnsafeKeys, flattenValidationErrors } from '../common/validation/validation-errors';
import { CaseFacts } from './case-facts.dto';

/** The validator options every surface uses, so the API, CLI and batches reject the same input. */
export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
} as const;

/** Turns untrusted JSON into CaseFacts or throws a validation error naming every failing field. */
export function parseCaseFacts(input: unknown, prefix = ''): CaseFacts {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw AppError.validation([{ field: prefix || 'facts', message: 'must be an object' }]);
  }
  const unsafe = findUnsafeKeys(input, prefix);
  if (unsafe.length > 0) throw AppError.validation(unsafe);
  const facts = plainToInstance(CaseFacts, input);
  const errors = validateSync(facts, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw AppError.validation(flattenValidationErrors(errors, prefix));
  return facts;
}

/**
 * Facts read back from the database: validated when they were stored and sealed with AES-GCM
 * since, so they are only turned into the class again. Validating them on every read would
 * repeat the work for each case of a list, and could refuse a stored case on a machine whose
 * fonts differ from the one that accepted it.
 */
export function storedCaseFacts(json: string): CaseFacts {
  return plainToInstance(CaseFacts, JSON.parse(json) as object);
}
