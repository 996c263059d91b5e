import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { Nested } from '../common/validation/validators';
import type { SafetyNotice } from '../cases/safety-notices';
import type { PacketResponse } from '../packets/packet.dto';

export const MATTER_STATUSES = ['no-packet', 'current', 'outdated'] as const;
/** No packet yet; the latest packet matches the facts; the facts changed since it was made. */
export type MatterStatus = (typeof MATTER_STATUSES)[number];

export class MatterFilter {
  @ApiPropertyOptional({ description: 'Part of a petitioner or respondent name, or a reference' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: MATTER_STATUSES })
  @IsOptional()
  @IsIn(MATTER_STATUSES)
  status?: MatterStatus;

  @ApiPropertyOptional({ description: 'Part of the court name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  court?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'packId must be a pack id such as generic-us' })
  packId?: string;

  @ApiPropertyOptional({ description: 'Updated on or after (ISO date)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be a date such as 2026-03-01' })
  from?: string;

  @ApiPropertyOptional({ description: 'Updated before (ISO date)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be a date such as 2026-03-31' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  offset?: number;
}

export class MatterViewQuery {
  @ApiPropertyOptional({
    description: 'Include confidential values (needs confidential:read; audited)',
    enum: ['true', 'false'],
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'confidential must be true or false' })
  confidential?: 'true' | 'false';
}

export class UpdateMatterDto {
  @ApiProperty({ type: Object })
  @Nested(() => CaseFacts)
  facts!: CaseFacts;

  @ApiPropertyOptional({
    enum: ['keep', 'replace'],
    default: 'keep',
    description:
      'keep: the stored confidential values stay and the facts must not carry any; replace: the facts are taken as sent (needs confidential:read)',
  })
  @IsOptional()
  @IsIn(['keep', 'replace'], { message: 'confidential must be keep or replace' })
  confidential?: 'keep' | 'replace';
}

export class AcceptShareDto {
  @ApiProperty({ example: 'K7M2-Q9XD-4HTP', description: 'The code the petitioner gave you' })
  @IsDefined()
  @IsString()
  @MaxLength(40)
  code!: string;
}

export interface MatterSummary {
  id: string;
  /** A neutral reference such as M-1A2B3C4D, for folders and conversations. */
  reference: string;
  packId: string;
  court: string;
  petitioner: string;
  respondent: string;
  status: MatterStatus;
  createdAt: string;
  updatedAt: string;
  lastPacketAt: string | null;
}

export interface MatterView extends MatterSummary {
  factsSha256: string;
  facts: CaseFacts;
  /** What the petitioner should know before generating (see src/cases/safety-notices.ts). */
  safetyNotices: SafetyNotice[];
  /** Paths of confidential values present but left out of `facts`. */
  hiddenConfidentialFields: string[];
  /** True for a case a petitioner made in the guided interview and shared with the organisation. */
  sharedByPetitioner: boolean;
  /** Newest first; `version` counts from 1 for the first packet. */
  packets: (PacketResponse & { version: number; factsChangedSince: boolean })[];
}
