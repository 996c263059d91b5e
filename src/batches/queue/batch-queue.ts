import type { RowJob } from '../batches.repository';

/**
 * Where batch rows wait for a worker. Either implementation is a doorbell, not a record: the
 * database's rows say what is left to do, and a sweep offers them again whenever the queue may
 * have lost them, so enqueueing a row twice must be harmless (it is ignored while held).
 */
export interface BatchQueue {
  /** Where rows wait: in Redis for worker processes, or in this process. */
  readonly kind: 'redis' | 'in-process';
  /**
   * Offers rows to the workers; rows the queue already holds are ignored. Refused at once with
   * BatchQueueUnavailable while the queue cannot be reached, rather than waiting for it.
   */
  enqueue(jobs: RowJob[]): Promise<void>;
  /** Takes back rows that have not started (a cancelled batch); running ones finish. */
  remove(jobs: RowJob[]): Promise<void>;
  /** Whether rows can be offered now. */
  available(): boolean;
  /**
   * Whether rows can be offered, waiting up to `waitMs` only while the first connection is
   * still being made (a service just started); a queue known to be away answers at once.
   */
  whenAvailable(waitMs: number): Promise<boolean>;
  /** Called when a connection to the queue is (re)made: the queue may be empty now. */
  onConnected(listener: () => void): void;
  /** Stops taking rows, lets the ones running finish, and lets go of connections. */
  close(): Promise<void>;
}

export const BATCH_QUEUE = Symbol('BatchQueue');

/** The queue cannot take rows now (Redis away); the database still holds them for a sweep. */
export class BatchQueueUnavailable extends Error {
  constructor() {
    super('the batch queue cannot be reached');
    this.name = 'BatchQueueUnavailable';
  }
}

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
