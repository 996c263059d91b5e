import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { isCalendarDate } from '../common/validation/calendar-date';
import { CURSOR_PATTERN, MAX_PAGE } from './audit-trail';
import { AUDIT_ACTIONS } from './audit.types';
import type { AuditAction, AuditFilter } from './audit.types';

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A day (`2026-03-02`, midnight UTC) or a moment with its time zone (`2026-03-02T09:30:00Z`).
 * Narrower than ISO 8601 on purpose: week and ordinal dates, and times without a zone, would each
 * be read differently by someone.
 */
function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const m = INSTANT.exec(value);
          return !!m && isCalendarDate(m[1]) && !Number.isNaN(new Date(value).getTime());
        },
        defaultMessage: (args) =>
          `${args?.property ?? 'date'} must be a date (2026-03-02) or a date and time with a zone (2026-03-02T09:30:00Z)`,
      },
    },
    options,
  );
}

/** The filters the list and the export share; every record is of the caller's organisation. */
export class AuditFilterQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'caseId must be a case id' })
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user who acted.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'userId must be a user id' })
  userId?: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Records at or after this.' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01', description: 'Records before this.' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export class AuditListQueryDto extends AuditFilterQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `limit must be a whole number from 1 to ${MAX_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the previous page.' })
  @IsOptional()
  @IsString()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be the next value of an earlier page' })
  cursor?: string;
}

export const DEFAULT_PAGE = 100;

/** Ids are stored lower-case; a filter typed in capitals still finds them. */
export function toFilter(q: AuditFilterQueryDto): AuditFilter {
  return {
    ...(q.action ? { action: q.action } : {}),
    ...(q.caseId ? { caseId: q.caseId.toLowerCase() } : {}),
    ...(q.userId ? { userId: q.userId.toLowerCase() } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
  };
}
