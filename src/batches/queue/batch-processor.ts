import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { SYSTEM } from '../../cases/case-access';
import { AppError } from '../../common/errors/app-error';
import { infrastructureFault } from '../../common/errors/infrastructure-faults';
import { AppConfig } from '../../config/app-config';
import { PacketEntity } from '../../packets/packet.entity';
import { PacketsRepository } from '../../packets/packets.repository';
import { PacketsService } from '../../packets/packets.service';
import { ArtifactStore } from '../../storage/artifact-store';
import { ACTIVE_ROW_STATUSES, BatchRowEntity } from '../batch.entity';
import { BatchesRepository } from '../batches.repository';

/** Thrown to have the queue try the row again later; the row is back to queued. */
export class RetryLater extends Error {
  constructor(readonly code: string) {
    super(`batch row will be tried again (${code})`);
    this.name = 'RetryLater';
  }
}

/** Rolls back a packet whose row a newer try has taken over. */
class Superseded extends Error {}

/**
 * Builds the packet of one batch row: the one function both queues run. Every delivery of a
 * job may be a repeat (BullMQ is at-least-once, the sweep re-offers rows, a worker thought dead
 * may still be running), so each step checks the database rather than trusting the queue:
 *
 * - a try claims the row by compare-and-swap on its `claim`, and uses the claim as the id of the
 *   packet it builds, so the folder a dead try left behind is known by name and removed by the
 *   next try (and nothing else of the case is touched, such as a packet staff are making);
 * - the packet row and the row's `done` are written in one transaction that holds only if the
 *   claim is still this try's; otherwise the files go and the newer try carries on;
 * - the unique index on packets.batch_row_id refuses a second packet for the row whatever
 *   happens, and a try that meets it removes its files and takes the row as done.
 */
@Injectable()
export class BatchProcessor {
  private readonly logger = new Logger('BatchProcessor');
  private readonly maxAttempts: number;

  constructor(
    private readonly rows: BatchesRepository,
    private readonly packets: PacketsService,
    private readonly packetRows: PacketsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly db: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxAttempts = config.BATCH_JOB_ATTEMPTS;
  }

  async process(rowId: string): Promise<void> {
    const row = await this.rows.findRow(rowId);
    if (!row || !ACTIVE_ROW_STATUSES.includes(row.status)) return;
    const claim = randomUUID();
    if (!(await this.rows.claim(row, claim, new Date()))) return;
    await this.rows.markBatchRunning(row.batchId);
    try {
      await this.work(row, claim);
    } finally {
      await this.rows.finishIfComplete(row.batchId, new Date());
    }
  }

  private async work(row: BatchRowEntity, claim: string): Promise<void> {
    const existing = await this.packetRows.findByBatchRow(row.id);
    // The previous try died after writing its files (its claim is its packet's id), unless
    // those files are the row's recorded packet.
    if (row.claim && row.claim !== existing?.id) {
      await this.artifacts.deletePacket(row.caseId, row.claim);
    }
    if (existing) {
      await this.rows.markDone(row.id, existing.id, new Date());
      return;
    }

    let packet: PacketEntity | undefined;
    try {
      packet = await this.packets.prepare(row.caseId, SYSTEM, null, {
        batchRowId: row.id,
        packetId: claim,
      });
      const made = packet;
      await this.db.transaction(async (tx) => {
        await this.packetRows.insert(made, tx);
        if (!(await this.rows.complete(tx, row.id, claim, made.id, new Date()))) {
          throw new Superseded();
        }
      });
    } catch (e) {
      if (packet) await this.artifacts.deletePacket(row.caseId, packet.id);
      if (e instanceof Superseded) return;
      if (isUniqueViolation(e)) {
        const theirs = await this.packetRows.findByBatchRow(row.id);
        if (theirs) {
          await this.rows.markDone(row.id, theirs.id, new Date());
          return;
        }
      }
      await this.failTry(row, claim, e);
    }
  }

  /**
   * Records why the try failed, as the error's own message when it is one of ours (they name
   * fields and documents, never values), as what the machine lacks when the disk is full or the
   * database away (so staff see "storage full", not "internal error", on every row of a batch
   * that filled the disk), and as 'internal error' otherwise. The row waits for another try, or
   * after the last one is failed for good.
   */
  private async failTry(row: BatchRowEntity, claim: string, thrown: unknown): Promise<void> {
    const e = thrown instanceof AppError ? thrown : (infrastructureFault(thrown) ?? thrown);
    const code = e instanceof AppError ? e.code : 'internal_error';
    const message = e instanceof AppError ? e.message : 'internal error';
    const last = row.attempts + 1 >= this.maxAttempts;
    const released = await this.rows.release(
      row.id,
      claim,
      last ? 'failed' : 'queued',
      message,
      new Date(),
    );
    // The code, or the class of an unexpected error: messages may quote what was being built.
    const kind = e instanceof AppError ? code : e instanceof Error ? e.name : typeof e;
    this.logger.warn(`batch row try failed (${kind}); ${last ? 'no tries left' : 'will retry'}`);
    if (released && !last) throw new RetryLater(code);
  }
}

function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driverError: unknown = e.driverError;
  const code =
    typeof driverError === 'object' && driverError !== null && 'code' in driverError
      ? String(driverError.code)
      : '';
  // PostgreSQL's unique_violation; better-sqlite3's extended result code.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
