import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InterviewDraftEntity } from './interview-draft.entity';
import { InterviewDraftsRepository } from './interview-drafts.repository';

/** The drafts table on its own, so retention can purge it without the whole interview. */
@Module({
  imports: [TypeOrmModule.forFeature([InterviewDraftEntity])],
  providers: [InterviewDraftsRepository],
  exports: [InterviewDraftsRepository],
})
export class InterviewDraftsModule {}
