import { Inject, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseEntity } from '../cases/case.entity';
import { CasesModule } from '../cases/cases.module';
import { AppConfig } from '../config/app-config';
import { InterviewDraftsModule } from '../interview/interview-drafts.module';
import { PacketEntity } from '../packets/packet.entity';
import { PacketsModule } from '../packets/packets.module';
import { StorageModule } from '../storage/storage.module';
import { OrphanSweeper } from './orphan-sweeper';
import { RetentionService } from './retention.service';

/**
 * Purges expired packets, cases and interview drafts every PURGE_INTERVAL_MINUTES (0: never; the `purge` CLI
 * command does the same on demand). The first run is one interval after start. Each run, and the
 * start itself, also removes files a crash left without their rows (`OrphanSweeper`). Logs say
 * how many, never which: no ids, names or content.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([CaseEntity, PacketEntity]),
    CasesModule,
    PacketsModule,
    StorageModule,
    InterviewDraftsModule,
  ],
  providers: [RetentionService, OrphanSweeper],
  exports: [RetentionService, OrphanSweeper],
})
export class RetentionModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly retention: RetentionService,
    private readonly orphans: OrphanSweeper,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const minutes = this.config.PURGE_INTERVAL_MINUTES;
    if (minutes > 0) {
      this.timer = setInterval(() => void this.runOnce(), minutes * 60_000);
      // The schedule never keeps the process alive on its own.
      this.timer.unref();
    }
    // Leftovers of a crash go before the first request, whether or not purges are scheduled
    // here (with PURGE_INTERVAL_MINUTES=0 a cron job purges, but only a start follows a crash).
    await this.attempt('sweep', () => this.sweepOrphans());
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
      await this.attempt('purge', async () => {
        const drafts = await this.retention.purgeExpiredDrafts();
        if (drafts > 0) this.logger.log(`purged ${drafts} expired interview draft(s)`);
      });
      await this.attempt('purge', async () => {
        const { packets, cases } = await this.retention.purgeExpired();
        if (packets > 0 || cases > 0) {
          this.logger.log(`purged ${packets} expired packet(s) and ${cases} expired case(s)`);
        }
      });
      await this.attempt('sweep', () => this.sweepOrphans());
    } finally {
      this.running = false;
    }
  }

  private async sweepOrphans(): Promise<void> {
    const { packets, cases, temporary } = await this.orphans.sweep();
    if (packets > 0 || cases > 0 || temporary > 0) {
      // A warning: each of these is the trace of a crash or of a failure between files and row.
      this.logger.warn(
        `removed files without rows: ${packets} packet folder(s), ${cases} case folder(s), ${temporary} unfinished write(s)`,
      );
    }
  }

  private async attempt(what: 'purge' | 'sweep', work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      // The message may hold a path with a case id: log only what kind of failure it was.
      const kind = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.name) : 'unknown';
      const again = what === 'purge' ? 'at the next interval' : 'with the next purge or start';
      this.logger.error(`${what} failed (${kind}); it runs again ${again}`);
    }
  }
}
