import { Inject, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { AppConfig } from '../config/app-config';
import { InterviewDraftsModule } from '../interview/interview-drafts.module';
import { PacketsModule } from '../packets/packets.module';
import { StorageModule } from '../storage/storage.module';
import { RetentionService } from './retention.service';

/**
 * Purges expired packets, cases and interview drafts every PURGE_INTERVAL_MINUTES (0: never; the `purge` CLI
 * command does the same on demand). The first run is one interval after start. Logs say how many,
 * never which: no ids, names or content.
 */
@Module({
  imports: [CasesModule, PacketsModule, StorageModule, InterviewDraftsModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly retention: RetentionService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.PURGE_INTERVAL_MINUTES;
    if (minutes === 0) return;
    this.timer = setInterval(() => void this.runOnce(), minutes * 60_000);
    // The schedule never keeps the process alive on its own.
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One scheduled purge; skipped while the previous one is still running. */
  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // Drafts on their own: a failure deleting a case's files must not keep drafts past expiry.
      await this.attempt(async () => {
        const drafts = await this.retention.purgeExpiredDrafts();
        if (drafts > 0) this.logger.log(`purged ${drafts} expired interview draft(s)`);
      });
      await this.attempt(async () => {
        const { packets, cases } = await this.retention.purgeExpired();
        if (packets > 0 || cases > 0) {
          this.logger.log(`purged ${packets} expired packet(s) and ${cases} expired case(s)`);
        }
      });
    } finally {
      this.running = false;
    }
  }

  private async attempt(purge: () => Promise<void>): Promise<void> {
    try {
      await purge();
    } catch (e) {
      // The message may hold a path with a case id: log only what kind of failure it was.
      const kind = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.name) : 'unknown';
      this.logger.error(`purge failed (${kind}); it runs again at the next interval`);
    }
  }
}
