import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Param,
  PipeTransform,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppError } from '../common/errors/app-error';
import {
  ChangeAnswerDto,
  ChangeLanguageDto,
  InterviewFinishResponse,
  InterviewReviewResponse,
  InterviewScreenResponse,
  StartInterviewDto,
  SubmitAnswersDto,
} from './interview.dto';
import { InterviewService } from './interview.service';
import { NoStoreInterceptor } from './no-store.interceptor';

const DRAFT_ID = /^[A-Za-z0-9_-]{43}$/;

/** A malformed draft id answers exactly like an unknown one. */
@Injectable()
export class DraftIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!DRAFT_ID.test(value)) throw AppError.notFound();
    return value;
  }
}

/**
 * The guided interview as JSON: the same engine the web pages will use. Each answer returns the
 * screen to show next, in the language the petitioner chose.
 */
@ApiTags('interview')
@Controller('interview')
@UseInterceptors(NoStoreInterceptor)
export class InterviewController {
  constructor(private readonly service: InterviewService) {}

  @Post()
  start(@Body() dto: StartInterviewDto): Promise<InterviewScreenResponse> {
    return this.service.start(dto.packId, dto.language);
  }

  @Get(':draftId')
  current(@Param('draftId', DraftIdPipe) draftId: string): Promise<InterviewScreenResponse> {
    return this.service.current(draftId);
  }

  @Post(':draftId/answers')
  @HttpCode(200)
  answer(
    @Param('draftId', DraftIdPipe) draftId: string,
    @Body() dto: SubmitAnswersDto,
  ): Promise<InterviewScreenResponse> {
    return this.service.answer(draftId, dto);
  }

  @Post(':draftId/back')
  @HttpCode(200)
  back(@Param('draftId', DraftIdPipe) draftId: string): Promise<InterviewScreenResponse> {
    return this.service.back(draftId);
  }

  @Post(':draftId/change')
  @HttpCode(200)
  change(
    @Param('draftId', DraftIdPipe) draftId: string,
    @Body() dto: ChangeAnswerDto,
  ): Promise<InterviewScreenResponse> {
    return this.service.change(draftId, dto);
  }

  @Post(':draftId/language')
  @HttpCode(200)
  language(
    @Param('draftId', DraftIdPipe) draftId: string,
    @Body() dto: ChangeLanguageDto,
  ): Promise<InterviewScreenResponse> {
    return this.service.language(draftId, dto.language);
  }

  @Get(':draftId/review')
  review(@Param('draftId', DraftIdPipe) draftId: string): Promise<InterviewReviewResponse> {
    return this.service.review(draftId);
  }

  @Post(':draftId/finish')
  @HttpCode(201)
  finish(@Param('draftId', DraftIdPipe) draftId: string): Promise<InterviewFinishResponse> {
    return this.service.finish(draftId);
  }
}
