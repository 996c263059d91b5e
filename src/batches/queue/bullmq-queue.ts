import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import type { RowJob } from '../batches.repository';
import { BatchQueue, QUEUE_NAME, RowJobData, jobIdOf } from './batch-queue';

/** Jobs added per call: one MULTI each, so a sweep of thousands does not hold Redis long. */
const ADD_CHUNK = 500;

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
  private readonly logger = new Logger('BatchQueue');
  private readonly queue: Queue<RowJobData>;
  private readonly worker: Worker<RowJobData> | undefined;
  private readonly listeners: (() => void)[] = [];
  private readonly clients: Redis[] = [];

  constructor(settings: BullMqSettings, process: ((rowId: string) => Promise<void>) | null) {
    const url = settings.REDIS_URL;
    if (!url) throw new Error('REDIS_URL is not set');
    const onConnected = () => {
      for (const listener of this.listeners) listener();
    };
    // BullMQ needs commands to wait through a reconnect rather than fail after a few retries.
    const connect = (): Redis => {
      const client = new Redis(url, { maxRetriesPerRequest: null });
      client.on('ready', onConnected);
      client.on('error', (e: Error) => this.connectionTrouble(e));
      this.clients.push(client);
      return client;
    };
    const queueClient = connect();
    this.queue = new Queue<RowJobData>(QUEUE_NAME, {
      connection: queueClient,
      prefix: settings.BATCH_QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: settings.BATCH_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: settings.BATCH_RETRY_DELAY_MS },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', (e) => this.connectionTrouble(e));
    if (process) {
      // The worker's own connection; BullMQ duplicates it for its blocking reads.
      const template = connect();
      const lockDuration = settings.BATCH_LOCK_SECONDS * 1000;
      this.worker = new Worker<RowJobData>(
        QUEUE_NAME,
        (job: Job<RowJobData>) => process(job.data.rowId),
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
      this.worker.on('error', (e) => this.connectionTrouble(e));
    }
  }

  async enqueue(jobs: RowJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += ADD_CHUNK) {
      await this.queue.addBulk(
        jobs.slice(i, i + ADD_CHUNK).map((job) => ({
          name: 'row',
          data: { batchId: job.batchId, rowId: job.rowId },
          opts: { jobId: jobIdOf(job) },
        })),
      );
    }
  }

  async remove(jobs: RowJob[]): Promise<void> {
    for (const job of jobs) {
      // 0 for a job that is running (locked): it finds its row cancelled, or finishes.
      await this.queue.remove(jobIdOf(job));
    }
  }

  onConnected(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Waits for the jobs running here to finish (BullMQ's graceful close), then disconnects. */
  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    await Promise.allSettled(this.clients.map((c) => c.quit()));
  }

  /** A Redis outage is logged by kind only; BullMQ reconnects by itself. */
  private connectionTrouble(e: Error): void {
    this.logger.warn(`queue connection trouble (${e.name})`);
  }
}
