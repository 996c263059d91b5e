import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { LANGUAGES, Language } from './interview-definition';
import type { ListAction } from './interview-engine';

const LIST_ACTIONS: ListAction[] = ['add', 'done', 'edit', 'remove'];

export class StartInterviewDto {
  @ApiProperty({ example: 'generic-us' })
  @IsDefined()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'packId must be a pack id such as generic-us' })
  packId!: string;

  @ApiProperty({ enum: LANGUAGES, example: 'es' })
  @IsIn([...LANGUAGES])
  language!: Language;
}

export class SubmitAnswersDto {
  @ApiPropertyOptional({
    type: Object,
    description: 'Question id to answer, for the questions of the current screen.',
  })
  @IsOptional()
  @IsObject()
  answers?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: LIST_ACTIONS, description: 'On a list screen.' })
  @IsOptional()
  @IsIn(LIST_ACTIONS)
  action?: ListAction;

  @ApiPropertyOptional({ description: 'The list item (from 0) to edit or remove.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  index?: number;
}

export class ChangeLanguageDto {
  @ApiProperty({ enum: LANGUAGES })
  @IsIn([...LANGUAGES])
  language!: Language;
}

/** A review entry's `change` target, sent back as it was received. */
export class ChangeAnswerDto {
  @ApiProperty({ enum: ['screen', 'item', 'list'] })
  @IsIn(['screen', 'item', 'list'])
  kind!: 'screen' | 'item' | 'list';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  screenId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  sectionId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  index?: number;
}

/** Eight words, as written down; separators and case do not matter. */
export class ResumeInterviewDto {
  @ApiProperty({ example: 'wagon mosquito ridge uncle absent frost lava tennis' })
  @IsString()
  @MaxLength(400)
  code!: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'The language to word a refusal in.' })
  @IsOptional()
  @IsIn([...LANGUAGES])
  language?: Language;
}

export interface InterviewFinishResponse {
  caseId: string;
  packetId: string;
  links: {
    /** The petitioner's copy (court filing and next steps) as one PDF. */
    download: string;
    /** Where to make a code that shares the case with an advocate's organisation. */
    share: string;
  };
}
