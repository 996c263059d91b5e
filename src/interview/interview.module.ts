import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { AppConfig } from '../config/app-config';
import { PacketsModule } from '../packets/packets.module';
import { PacksModule } from '../packs/packs.module';
import { ResumeKdf } from './draft-crypto';
import { DraftStore } from './draft-store';
import { Clock, systemClock } from '../common/clock';
import { DEFAULT_MAX_KEYS } from '../common/failure-throttle';
import { INTERVIEW_CLOCK } from './interview-clock';
import { InterviewDraftsModule } from './interview-drafts.module';
import { DEFAULT_LIFETIME_MS, DEFAULT_MAX_SESSIONS, InterviewSessions } from './interview-sessions';
import { InterviewController } from './interview.controller';
import { InterviewService } from './interview.service';
import { PETITIONER_INTERVIEW } from './petitioner-interview';
import { ResumeThrottle } from './resume-throttle';

const MINUTE_MS = 60_000;

@Module({
  imports: [PacksModule, CasesModule, PacketsModule, InterviewDraftsModule],
  controllers: [InterviewController],
  providers: [
    { provide: INTERVIEW_CLOCK, useValue: systemClock },
    {
      provide: InterviewSessions,
      inject: [AppConfig, INTERVIEW_CLOCK],
      useFactory: (config: AppConfig, clock: Clock) =>
        new InterviewSessions(
          {
            idleMs: config.INTERVIEW_IDLE_MINUTES * MINUTE_MS,
            lifetimeMs: DEFAULT_LIFETIME_MS,
            maxSessions: DEFAULT_MAX_SESSIONS,
            maxLocked: DEFAULT_MAX_SESSIONS,
          },
          clock,
        ),
    },
    {
      provide: ResumeThrottle,
      inject: [AppConfig, INTERVIEW_CLOCK],
      useFactory: (config: AppConfig, clock: Clock) =>
        new ResumeThrottle(
          {
            maxFailures: config.RESUME_MAX_FAILURES,
            windowMs: config.RESUME_WINDOW_MINUTES * MINUTE_MS,
            maxKeys: DEFAULT_MAX_KEYS,
          },
          clock,
        ),
    },
    ResumeKdf,
    DraftStore,
    InterviewService,
    { provide: PETITIONER_INTERVIEW, useExisting: InterviewService },
  ],
  exports: [PETITIONER_INTERVIEW],
})
export class InterviewModule {}
