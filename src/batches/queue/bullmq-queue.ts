import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import type { RowJob } from '../batches.repository';
import { BatchQueue, BatchQueueUnavailable, QUEUE_NAME, RowJobData, jobIdOf } from './batch-queue';

/** Jobs added per call: one MULTI each, so a sweep of thousands does not hold Redis long. */
const ADD_CHUNK = 500;

/**
 * How long one call to Redis may take before the rows are left to the next sweep: the clients
 * wait through reconnects (BullMQ needs them to), and neither a request nor a shutdown may wait
 * with them.
 */
const CALL_TIMEOUT_MS = 10_000;

/** While Redis stays away, the log says so again this often rather than at every reconnect. */
const OUTAGE_REMINDER_MS = 60_000;

export type BullMqSettings = Pick<
  AppConfig,
  | 'REDIS_URL'
  | 'BATCH_QUEUE_PREFIX'
  | 'WORKER_CONCURRENCY'
  | 'BATCH_JOB_ATTEMPTS'
  | 'BATCH_RETRY_DELAY_MS'
  | 'BATCH_LOCK_SECONDS'
>;

/**
 * The queue on Redis (BullMQ), for workers in other processes and on other machines. With
 * `process` it also works the queue (a worker process, or the service when told to); without,
 * it only enqueues. Jobs are removed when they end, whatever the outcome: the database keeps the
 * outcome, and a retried row must be able to use its job id again.
 */
export class BullMqBatchQueue implements BatchQueue {
  readonly kind = 'redis';
  private readonly logger = new Logger('BatchQueue');
  private readonly queue: Queue<RowJobData>;
  private readonly worker: Worker<RowJobData> | undefined;
  private readonly listeners: (() => void)[] = [];
  private readonly clients: Redis[] = [];
  /** The connection rows are offered on: whether it is ready is whether batches can start. */
  private readonly queueClient: Redis;
  /** Settles once the first connection is made or has failed. */
  private readonly firstAttempt: Promise<void>;
  /** Rows this process is building now, which a shutdown waits for. */
  private readonly running = new Set<Promise<void>>();
  private outage: { since: number; reminded: number } | undefined;
  private closing = false;

  constructor(settings: BullMqSettings, process: ((rowId: string) => Promise<void>) | null) {
    const url = settings.REDIS_URL;
    if (!url) throw new Error('REDIS_URL is not set');
    const onReady = () => {
      this.recovered();
      for (const listener of this.listeners) listener();
    };
    // BullMQ needs commands to wait through a reconnect rather than fail after a few retries.
    // ioredis keeps reconnecting (at most 2 s apart) for as long as the process runs.
    const connect = (): Redis => {
      const client = new Redis(url, { maxRetriesPerRequest: null });
      client.on('ready', onReady);
      client.on('error', (e: Error) => this.trouble(e));
      client.on('close', () => this.trouble(undefined));
      this.clients.push(client);
      return client;
    };
    this.queueClient = connect();
    const first = this.queueClient;
    this.firstAttempt = new Promise<void>((resolve) => {
      first.once('ready', resolve);
      first.once('error', () => resolve());
    });
    this.queue = new Queue<RowJobData>(QUEUE_NAME, {
      connection: this.queueClient,
      prefix: settings.BATCH_QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: settings.BATCH_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: settings.BATCH_RETRY_DELAY_MS },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', (e) => this.trouble(e));
    if (process) {
      // The worker's own connection; BullMQ duplicates it for its blocking reads.
      const template = connect();
      const lockDuration = settings.BATCH_LOCK_SECONDS * 1000;
      this.worker = new Worker<RowJobData>(
        QUEUE_NAME,
        (job: Job<RowJobData>) => this.track(process(job.data.rowId)),
        {
          connection: template,
          prefix: settings.BATCH_QUEUE_PREFIX,
          concurrency: settings.WORKER_CONCURRENCY,
          lockDuration,
          stalledInterval: lockDuration,
          // A row whose worker died more than this is failed by BullMQ, not by us: the row
          // stays running in the database and the sweep offers it again.
          maxStalledCount: 2,
        },
      );
      this.worker.on('error', (e) => this.trouble(e));
    }
  }

  available(): boolean {
    return this.queueClient.status === 'ready';
  }

  async whenAvailable(waitMs: number): Promise<boolean> {
    if (this.available()) return true;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    try {
      await Promise.race([this.firstAttempt, waited]);
    } finally {
      clearTimeout(timer);
    }
    return this.available();
  }

  async enqueue(jobs: RowJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += ADD_CHUNK) {
      const chunk = jobs.slice(i, i + ADD_CHUNK);
      await this.call(() =>
        this.queue.addBulk(
          chunk.map((job) => ({
            name: 'row',
            data: { batchId: job.batchId, rowId: job.rowId },
            opts: { jobId: jobIdOf(job) },
          })),
        ),
      );
    }
  }

  async remove(jobs: RowJob[]): Promise<void> {
    for (const job of jobs) {
      // 0 for a job that is running (locked): it finds its row cancelled, or finishes.
      await this.call(() => this.queue.remove(jobIdOf(job)));
    }
  }

  onConnected(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Waits for the jobs running here to finish, then disconnects. BullMQ's graceful close waits
   * on Redis, so while Redis is away the rows running here are waited for by this class and
   * BullMQ is closed without it: a job it could not mark complete is delivered again later and
   * finds its row done.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.worker) {
      if (this.available()) {
        await this.worker.close();
      } else {
        await Promise.allSettled([...this.running]);
        await this.worker.close(true);
      }
    }
    await this.queue.close();
    // quit() would wait for a reconnect that may never come.
    await Promise.allSettled(
      this.clients.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())),
    );
  }

  private track(work: Promise<void>): Promise<void> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  /**
   * One call to Redis, refused at once while the connection is not ready and given up on after
   * CALL_TIMEOUT_MS. A call given up on may still reach Redis later; offering a row twice is
   * harmless, and its late failure is nobody's to handle.
   */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    if (!this.available()) throw new BatchQueueUnavailable();
    const pending = command();
    pending.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BatchQueueUnavailable()), CALL_TIMEOUT_MS);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A lost or refused connection, logged once when it starts and then once a minute, by kind
   * only: the URL may carry a password. ioredis reconnects by itself.
   */
  private trouble(e: Error | undefined): void {
    if (this.closing) return;
    const kind = e ? errorKind(e) : 'connection closed';
    if (this.available() && this.clients.every((c) => c.status === 'ready')) {
      // Every connection is up: an error of one command, not an outage.
      if (e) this.logger.warn(`batch queue error (${kind})`);
      return;
    }
    const now = Date.now();
    if (!this.outage) {
      this.outage = { since: now, reminded: now };
      this.logger.warn(
        `batch queue unavailable (${kind}): batches wait until Redis answers; reconnecting`,
      );
    } else if (now - this.outage.reminded >= OUTAGE_REMINDER_MS) {
      this.outage.reminded = now;
      const seconds = Math.round((now - this.outage.since) / 1000);
      this.logger.warn(`batch queue still unavailable after ${seconds} s (${kind}); reconnecting`);
    }
  }

  private recovered(): void {
    if (!this.outage || !this.clients.every((c) => c.status === 'ready')) return;
    const seconds = Math.round((Date.now() - this.outage.since) / 1000);
    this.outage = undefined;
    this.logger.log(`batch queue available again after ${seconds} s`);
  }
}

/** A code such as ECONNREFUSED, else the class: never the message, which may name the host. */
function errorKind(e: Error): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : e.name;
}
