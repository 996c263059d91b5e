import {
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';
import { isCalendarDate } from '../common/validation/calendar-date';

const isPresent = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * At least one (or exactly one) of several alternative properties is present, e.g. a date of
 * birth or an age. Put it on the first of them, in place of `@IsOptional()`, nearest the
 * property, so the error names that field and the field's own checks run only when it is given
 * or when the choice itself is wrong.
 */
export function OneOf(
  properties: string[],
  opts: { exactlyOne?: boolean } = {},
  options?: ValidationOptions,
): PropertyDecorator {
  const satisfied = (obj: Record<string, unknown>): boolean => {
    const n = properties.filter((p) => isPresent(obj[p])).length;
    return opts.exactlyOne ? n === 1 : n >= 1;
  };
  return (target, propertyName) => {
    ValidateIf(
      (obj: Record<string, unknown>) => isPresent(obj[String(propertyName)]) || !satisfied(obj),
    )(target, propertyName);
    registerDecorator({
      name: 'oneOf',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          satisfied(args.object as Record<string, unknown>),
        defaultMessage: () =>
          opts.exactlyOne
            ? `give exactly one of ${properties.join(' or ')}`
            : `give ${properties.join(' or ')}`,
      },
    });
  };
}

interface DatedPerson {
  kind?: unknown;
  dateOfBirth?: unknown;
}

/** A child listed as protected cannot be born before the petitioner. */
export function ChildNotOlderThanParent(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'childNotOlderThanParent',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const parentDob = (args.object as { petitioner?: DatedPerson }).petitioner?.dateOfBirth;
          if (!isCalendarDate(parentDob) || !Array.isArray(value)) return true;
          return (value as DatedPerson[]).every(
            (p) =>
              p?.kind !== 'child' || !isCalendarDate(p.dateOfBirth) || p.dateOfBirth > parentDob,
          );
        },
        defaultMessage: () => 'a child cannot be born before the petitioner',
      },
    });
  };
}
