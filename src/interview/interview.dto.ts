import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Min,
} from 'class-validator';
import { LANGUAGES, Language } from './interview-definition';
import type { ListAction, ReviewEntry, ScreenView } from './interview-engine';

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

export interface InterviewScreenResponse {
  draftId: string;
  language: Language;
  screen: ScreenView;
}

export interface InterviewReviewResponse {
  draftId: string;
  language: Language;
  entries: ReviewEntry[];
  /** False while a shown question still needs an answer; `firstUnfinished` says where. */
  canFinish: boolean;
}

export interface InterviewFinishResponse {
  caseId: string;
  links: { case: string; packets: string };
}
