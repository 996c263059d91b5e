import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Param,
  PipeTransform,
  Post,
  Req,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { SESSION_ID } from './interview-sessions';
import {
  ChangeAnswerDto,
  ChangeLanguageDto,
  InterviewFinishResponse,
  ResumeInterviewDto,
  StartInterviewDto,
  SubmitAnswersDto,
} from './interview.dto';
import { NoStoreInterceptor } from './no-store.interceptor';
import {
  ClientInfo,
  InterviewReview,
  InterviewScreen,
  InterviewShareStatus,
  PETITIONER_INTERVIEW,
  PetitionerInterview,
  ResumedInterview,
  ShareCode,
  StartedInterview,
} from './petitioner-interview';

/** A malformed session id answers exactly like an unknown one. */
@Injectable()
export class SessionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SESSION_ID.test(value)) throw AppError.notFound();
    return value;
  }
}

/**
 * The guided interview as JSON: the same service the web pages drive. Starting issues the resume
 * code (shown once) and a session; each answer returns the screen to show next, in the
 * petitioner's language. A session idle too long answers 401 `interview_locked`, and
 * `POST /interview/resume` with the code opens the draft again.
 */
@ApiTags('interview')
@Controller('interview')
@UseInterceptors(NoStoreInterceptor)
export class InterviewController {
  constructor(@Inject(PETITIONER_INTERVIEW) private readonly service: PetitionerInterview) {}

  @Post()
  @ApiOperation({ summary: 'Start an interview: returns the session, the resume code and screen' })
  start(@Body() dto: StartInterviewDto, @Req() req: Request): Promise<StartedInterview> {
    return this.service.start(dto.packId, dto.language, clientOf(req, dto.language));
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a saved interview with its resume code' })
  resume(@Body() dto: ResumeInterviewDto, @Req() req: Request): Promise<ResumedInterview> {
    return this.service.resume(dto.code, clientOf(req, dto.language));
  }

  @Get(':sessionId')
  @ApiOperation({ summary: 'The screen to show now' })
  current(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<InterviewScreen> {
    return this.service.current(sessionId);
  }

  @Post(':sessionId/answers')
  @HttpCode(200)
  @ApiOperation({ summary: "Answer the current screen (or act on a list); returns what's next" })
  answer(
    @Param('sessionId', SessionIdPipe) sessionId: string,
    @Body() dto: SubmitAnswersDto,
  ): Promise<InterviewScreen> {
    return this.service.answer(sessionId, dto);
  }

  @Post(':sessionId/back')
  @HttpCode(200)
  @ApiOperation({ summary: 'Go back one screen' })
  back(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<InterviewScreen> {
    return this.service.back(sessionId);
  }

  @Post(':sessionId/change')
  @HttpCode(200)
  @ApiOperation({ summary: "Open a screen from the review, by a review entry's `change`" })
  change(
    @Param('sessionId', SessionIdPipe) sessionId: string,
    @Body() dto: ChangeAnswerDto,
  ): Promise<InterviewScreen> {
    return this.service.change(sessionId, dto);
  }

  @Post(':sessionId/language')
  @HttpCode(200)
  @ApiOperation({ summary: 'Switch language, keeping every answer' })
  language(
    @Param('sessionId', SessionIdPipe) sessionId: string,
    @Body() dto: ChangeLanguageDto,
  ): Promise<InterviewScreen> {
    return this.service.language(sessionId, dto.language);
  }

  @Get(':sessionId/review')
  @ApiOperation({ summary: 'Every answer, with where to change it' })
  review(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<InterviewReview> {
    return this.service.review(sessionId);
  }

  @Post(':sessionId/finish')
  @HttpCode(201)
  @ApiOperation({ summary: 'Build (or rebuild after a change) the case and its packet' })
  async finish(
    @Param('sessionId', SessionIdPipe) sessionId: string,
  ): Promise<InterviewFinishResponse> {
    const { caseId, packetId } = await this.service.finish(sessionId);
    return {
      caseId,
      packetId,
      links: {
        download: `/interview/${sessionId}/packet`,
        share: `/interview/${sessionId}/share`,
      },
    };
  }

  @Get(':sessionId/packet')
  @ApiOperation({ summary: "The petitioner's copy of the latest packet, as one PDF" })
  async packet(
    @Param('sessionId', SessionIdPipe) sessionId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.service.packet(sessionId);
    // The name is a constant of ours, never derived from the case.
    res.set({
      'Content-Type': file.mediaType,
      'Content-Disposition': `attachment; filename="${file.name}"`,
    });
    return new StreamableFile(file.bytes);
  }

  @Post(':sessionId/lock')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session now; the resume code opens the draft again' })
  lock(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<void> {
    return this.service.lock(sessionId);
  }

  @Post(':sessionId/share')
  @HttpCode(201)
  @ApiOperation({
    summary: 'A code to give an advocate, so their organisation can see the case',
  })
  share(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<ShareCode> {
    return this.service.share(sessionId);
  }

  @Get(':sessionId/share')
  @ApiOperation({
    summary: 'Whether the case can be shared, and with how many organisations it is',
  })
  shareStatus(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<InterviewShareStatus> {
    return this.service.shareStatus(sessionId);
  }

  @Delete(':sessionId/share')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop sharing: every code and every organisation loses the case' })
  withdrawShare(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<void> {
    return this.service.withdrawShare(sessionId);
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the draft, the case and every generated file' })
  erase(@Param('sessionId', SessionIdPipe) sessionId: string): Promise<void> {
    return this.service.erase(sessionId);
  }
}

/** `req.ip` follows Express's `trust proxy` setting, which TRUST_PROXY turns on. */
function clientOf(req: Request, language: ClientInfo['language']): ClientInfo {
  return { address: req.ip ?? req.socket.remoteAddress ?? 'unknown', language };
}
