import type { RowJob } from '../batches.repository';

/**
 * Where batch rows wait for a worker. Either implementation is a doorbell, not a record: the
 * database's rows say what is left to do, and a sweep offers them again whenever the queue may
 * have lost them, so enqueueing a row twice must be harmless (it is ignored while held).
 */
export interface BatchQueue {
  /** Offers rows to the workers; rows the queue already holds are ignored. */
  enqueue(jobs: RowJob[]): Promise<void>;
  /** Takes back rows that have not started (a cancelled batch); running ones finish. */
  remove(jobs: RowJob[]): Promise<void>;
  /** Called when a connection to the queue is (re)made: the queue may be empty now. */
  onConnected(listener: () => void): void;
  /** Stops taking rows, lets the ones running finish, and lets go of connections. */
  close(): Promise<void>;
}

export const BATCH_QUEUE = Symbol('BatchQueue');

/** The queue's name in Redis. */
export const QUEUE_NAME = 'packets';

/**
 * One job per row, named so that offering the same row again is a no-op. BullMQ refuses `:` in
 * custom ids (it separates the parts of its keys), hence the dash.
 */
export function jobIdOf(job: Pick<RowJob, 'batchId' | 'rowNumber'>): string {
  return `${job.batchId}-${job.rowNumber}`;
}

/** What a job carries: ids only. Redis keeps it in clear text. */
export interface RowJobData {
  batchId: string;
  rowId: string;
}
