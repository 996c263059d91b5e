import { Logger } from '@nestjs/common';
import type { BatchesRepository } from '../batches.repository';
import { BatchQueue, BatchQueueUnavailable } from './batch-queue';

/** After a (re)connect, a short wait lets every connection of the queue come back first. */
const SOON_MS = 500;

/**
 * Offers the queue every row the database still has as queued or running: at start, every
 * `intervalSeconds`, and soon after a connection to the queue is made again. The database is the
 * record of what is left to do; a Redis restarted empty, a job BullMQ gave up on after its worker
 * died twice, or a service restarted mid-batch all end with the rows offered again, and rows the
 * queue still holds are ignored by it.
 */
export class BatchSweeper {
  private readonly logger = new Logger('BatchSweeper');
  private interval: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly rows: BatchesRepository,
    private readonly queue: BatchQueue,
    private readonly intervalSeconds: number,
  ) {}

  start(): void {
    this.queue.onConnected(() => this.sweepSoon());
    this.interval = setInterval(() => void this.sweep(), this.intervalSeconds * 1000);
    this.interval.unref();
    this.sweepSoon();
  }

  sweepSoon(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.sweep();
    }, SOON_MS);
    this.soon.unref();
  }

  /** One pass; a pass already under way is waited for instead of started twice. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sweeping ??= this.pass().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.soon);
    await this.sweeping;
  }

  private async pass(): Promise<void> {
    if (!this.queue.available()) return;
    try {
      const rows = await this.rows.activeRows();
      if (rows.length > 0) await this.queue.enqueue(rows);
    } catch (e) {
      // Redis or the database away: the next pass tries again. The queue logs its own outage
      // (once, not at every pass), and its reconnect brings a pass soon after.
      if (e instanceof BatchQueueUnavailable) return;
      this.logger.warn(`batch sweep failed (${e instanceof Error ? e.name : 'unknown'})`);
    }
  }
}
