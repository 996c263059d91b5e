import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
  buildMessage,
} from 'class-validator';
import { isCalendarDate, todayIso } from './calendar-date';
import {
  findForbiddenCharacter,
  findUnprintableCharacter,
  forbiddenCharacterMessage,
  unprintableCharacterMessage,
} from './text-characters';

/** Composite validators, so DTOs read as a list of intentions. */

type ClassType = new () => object;

/** A real calendar date `YYYY-MM-DD`; with `notFuture`, no later than today. */
export function IsCalendarDate(opts: { notFuture?: boolean } = {}, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) =>
          isCalendarDate(value) && (!opts.notFuture || value <= todayIso()),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a date that exists, written YYYY-MM-DD` +
            (opts.notFuture ? ', and not in the future' : ''),
          options,
        ),
      },
    },
    options,
  );
}

/** Text every document can carry as typed (see text-characters.ts); other types pass. */
export function WritableText(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'writableText',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || findForbiddenCharacter(value) === undefined,
        defaultMessage: (args) => {
          // With `each`, the value is the whole list: name the first item that fails.
          const texts: unknown[] = Array.isArray(args?.value) ? args.value : [args?.value];
          const found = texts
            .map((t) => (typeof t === 'string' ? findForbiddenCharacter(t) : undefined))
            .find((f) => f !== undefined);
          const what = found
            ? forbiddenCharacterMessage(found)
            : 'contains a character a court document cannot show';
          return `${args?.property ?? 'text'} ${what}`;
        },
      },
    },
    options,
  );
}

/** Text the court forms' fonts can print (see text-characters.ts); other types pass. */
export function PrintableText(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'printableText',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || findUnprintableCharacter(value) === undefined,
        defaultMessage: (args) => {
          // With `each`, the value is the whole list: name the first item that fails.
          const texts: unknown[] = Array.isArray(args?.value) ? args.value : [args?.value];
          const found = texts
            .map((t) => (typeof t === 'string' ? findUnprintableCharacter(t) : undefined))
            .find((f) => f !== undefined);
          const what = found
            ? unprintableCharacterMessage(found)
            : "contains a character that cannot be printed on the court's forms";
          return `${args?.property ?? 'text'} ${what}`;
        },
      },
    },
    options,
  );
}

/** A required line of text: trimmed non-empty, bounded. */
export function Text(max: number, options: { optional?: boolean } = {}): PropertyDecorator {
  return (target, key) => {
    if (options.optional) IsOptional()(target, key);
    IsString()(target, key);
    if (!options.optional) MinLength(1)(target, key);
    MaxLength(max)(target, key);
    WritableText()(target, key);
    PrintableText()(target, key);
  };
}

/** A list of short strings. */
export function TextList(maxItems: number, maxLength: number): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(maxItems)(target, key);
    IsString({ each: true })(target, key);
    MaxLength(maxLength, { each: true })(target, key);
    WritableText({ each: true })(target, key);
    PrintableText({ each: true })(target, key);
  };
}

/** A nested object (or list of them) validated with its own class. */
export function Nested(
  cls: () => ClassType,
  options: { optional?: boolean; list?: number } = {},
): PropertyDecorator {
  return (target, key) => {
    if (options.optional) IsOptional()(target, key);
    else IsDefined()(target, key);
    if (options.list !== undefined) {
      IsArray()(target, key);
      ArrayMaxSize(options.list)(target, key);
    }
    ValidateNested({ each: options.list !== undefined })(target, key);
    Type(cls)(target, key);
  };
}
