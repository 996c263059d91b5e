import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { VALIDATOR_OPTIONS } from '../../case-facts/parse-case-facts';
import { AppError } from '../errors/app-error';
import { findUnsafeKeys, flattenValidationErrors } from './validation-errors';

/**
 * The API's one validation pipe: the same options as every other surface, prototype keys refused
 * before class-transformer builds anything, and errors in the `{ code, message, details }` shape.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      ...VALIDATOR_OPTIONS,
      transform: true,
      exceptionFactory: (errors: ValidationError[]) =>
        AppError.validation(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw AppError.validation([{ field: 'body', message: 'the body must be a JSON object' }]);
      }
      const unsafe = findUnsafeKeys(value);
      if (unsafe.length > 0) throw AppError.validation(unsafe);
    }
    return super.transform(value, metadata);
  }
}
