import type { RowJob } from '../batches.repository';
import { BatchQueue, jobIdOf } from './batch-queue';

export interface InProcessQueueOptions {
  concurrency: number;
  /** Tries per delivery, as BullMQ's `attempts`; the processor keeps its own count too. */
  attempts: number;
  /** Before the second try; doubled for each one after, as BullMQ's exponential backoff. */
  retryDelayMs: number;
}

/**
 * The queue without Redis: the same processor and the same rules (one job per row, at most
 * `concurrency` at once, tries with backoff) inside the service's own process, so the embedded
 * service and the command line need nothing else. Nothing survives the process; rows it held are
 * offered again by the sweep when the service starts.
 */
export class InProcessBatchQueue implements BatchQueue {
  readonly kind = 'in-process';
  private readonly held = new Map<string, RowJob>();
  private readonly waiting: string[] = [];
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly tries = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly process: (rowId: string) => Promise<void>,
    private readonly options: InProcessQueueOptions,
  ) {}

  async enqueue(jobs: RowJob[]): Promise<void> {
    if (this.closed) return;
    for (const job of jobs) {
      const id = jobIdOf(job);
      if (this.held.has(id)) continue;
      this.held.set(id, job);
      this.waiting.push(id);
    }
    this.pump();
  }

  async remove(jobs: RowJob[]): Promise<void> {
    for (const job of jobs) {
      const id = jobIdOf(job);
      const at = this.waiting.indexOf(id);
      const timer = this.delayed.get(id);
      if (at < 0 && !timer) continue;
      if (at >= 0) this.waiting.splice(at, 1);
      if (timer) clearTimeout(timer);
      this.delayed.delete(id);
      this.forget(id);
    }
    this.notifyIfIdle();
  }

  available(): boolean {
    return true;
  }

  whenAvailable(): Promise<boolean> {
    return Promise.resolve(true);
  }

  onConnected(listener: () => void): void {
    // Always connected: the first sweep, at start, is the only one a restart needs.
    void listener;
  }

  /** Resolves when no row is waiting, delayed or running: for the command line and tests. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.splice(0);
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    await Promise.allSettled([...this.running]);
    this.held.clear();
    this.notifyIfIdle();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.options.concurrency) {
      const id = this.waiting.shift();
      if (id === undefined) break;
      const job = this.held.get(id);
      if (!job) continue;
      const run = this.run(id, job).finally(() => {
        this.running.delete(run);
        this.pump();
        this.notifyIfIdle();
      });
      this.running.add(run);
    }
  }

  private async run(id: string, job: RowJob): Promise<void> {
    try {
      await this.process(job.rowId);
      this.forget(id);
    } catch {
      const tries = (this.tries.get(id) ?? 0) + 1;
      if (this.closed || tries >= this.options.attempts) {
        // As BullMQ gives a job up: the row stays queued or running in the database and the
        // next sweep offers it again.
        this.forget(id);
        return;
      }
      this.tries.set(id, tries);
      const timer = setTimeout(
        () => {
          this.delayed.delete(id);
          this.waiting.push(id);
          this.pump();
        },
        this.options.retryDelayMs * 2 ** (tries - 1),
      );
      this.delayed.set(id, timer);
    }
  }

  private forget(id: string): void {
    this.held.delete(id);
    this.tries.delete(id);
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.delayed.size === 0 && this.running.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
