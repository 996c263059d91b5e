import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, Matches } from 'class-validator';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { Nested } from '../common/validation/validators';
import type { SafetyNotice } from './safety-notices';

export class CreateCaseDto {
  @ApiProperty({ example: 'generic-us', description: 'The pack (court and forms) to file with.' })
  @IsDefined()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'packId must be a pack id such as generic-us' })
  packId!: string;

  @ApiProperty({ type: Object, description: 'The case facts (see test/fixtures/cases/*.json).' })
  @Nested(() => CaseFacts)
  facts!: CaseFacts;
}

export class UpdateCaseDto {
  @ApiProperty({ type: Object })
  @Nested(() => CaseFacts)
  facts!: CaseFacts;
}

export interface CaseResponse {
  id: string;
  packId: string;
  facts: CaseFacts;
  /** What the petitioner should know before generating (see safety-notices.ts). */
  safetyNotices: SafetyNotice[];
  createdAt: string;
  updatedAt: string;
}
