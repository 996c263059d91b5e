import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PacksModule } from '../packs/packs.module';
import { DRAFT_STORE, InMemoryDraftStore } from './draft-store';
import { InterviewController } from './interview.controller';
import { InterviewService } from './interview.service';

@Module({
  imports: [PacksModule, CasesModule],
  controllers: [InterviewController],
  providers: [
    InterviewService,
    // The encrypted, resume-code-protected store replaces this binding.
    { provide: DRAFT_STORE, useFactory: () => new InMemoryDraftStore() },
  ],
})
export class InterviewModule {}
