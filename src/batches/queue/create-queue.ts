import type { AppConfig } from '../../config/app-config';
import type { BatchQueue } from './batch-queue';
import { BullMqBatchQueue } from './bullmq-queue';
import { InProcessBatchQueue } from './in-process-queue';

/**
 * The queue the settings call for. Without REDIS_URL, rows run in this process. With it, this
 * process works the queue only when it is a worker (`consume`) or RUN_WORKER_IN_PROCESS says so;
 * otherwise it only enqueues for the workers.
 */
export function createBatchQueue(
  config: AppConfig,
  process: (rowId: string) => Promise<void>,
  role: 'service' | 'worker',
): BatchQueue {
  if (!config.REDIS_URL) {
    return new InProcessBatchQueue(process, {
      concurrency: config.WORKER_CONCURRENCY,
      attempts: config.BATCH_JOB_ATTEMPTS,
      retryDelayMs: config.BATCH_RETRY_DELAY_MS,
    });
  }
  const consume = role === 'worker' || config.RUN_WORKER_IN_PROCESS;
  return new BullMqBatchQueue(config, consume ? process : null);
}
