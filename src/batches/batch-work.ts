import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { CaseCipher } from '../crypto/case-cipher';
import type { DataKey } from '../crypto/envelope';
import { DataKeyEntity } from '../crypto/data-key.entity';
import { PacketsRepository } from '../packets/packets.repository';
import { ArtifactStore } from '../storage/artifact-store';
import { ExtraSummaryLine, batchArchive } from './batch-archive';
import { BatchEntity, BatchRowEntity } from './batch.entity';
import { BatchesRepository, RowJob } from './batches.repository';
import type { BatchRow } from './input';
import { BATCH_QUEUE, BatchQueue } from './queue/batch-queue';

export interface BatchOwner {
  organisationId: string;
  /** Null when the command line runs the batch. */
  userId: string | null;
}

/**
 * What every surface does with a batch, without deciding who may: the API (BatchesService)
 * scopes and audits around it, the command line calls it directly.
 */
@Injectable()
export class BatchWork {
  private readonly logger = new Logger('BatchWork');

  constructor(
    private readonly rows: BatchesRepository,
    private readonly cipher: CaseCipher,
    @Inject(BATCH_QUEUE) private readonly queue: BatchQueue,
    private readonly packets: PacketsRepository,
    private readonly artifacts: ArtifactStore,
  ) {}

  /**
   * The batch, a case per row (sealed with its own data key, as CasesService seals a case) and
   * a row per case, in one transaction with `alsoDo`; then one job per row. The jobs are not
   * waited for: a queue that cannot take them now (Redis away) must not hold up the upload, and
   * the rows, queued in the database, are offered again by the sweep.
   */
  async create(
    owner: BatchOwner,
    packId: string,
    input: BatchRow[],
    alsoDo?: (tx: EntityManager, batch: BatchEntity) => Promise<void>,
  ): Promise<BatchEntity> {
    const now = new Date();
    const batch: BatchEntity = {
      id: randomUUID(),
      organisationId: owner.organisationId,
      createdBy: owner.userId,
      packId,
      status: 'queued',
      totalRows: input.length,
      createdAt: now,
      finishedAt: null,
    };
    const keys = new Map<string, DataKey>();
    const cases: { record: CaseEntity; key: DataKeyEntity }[] = [];
    const rows: BatchRowEntity[] = [];
    for (const { rowNumber, facts } of input) {
      const caseId = randomUUID();
      const { key, row: keyRow } = this.cipher.newDataKey(caseId);
      keys.set(caseId, key);
      const json = Buffer.from(JSON.stringify(facts), 'utf8');
      cases.push({
        record: {
          id: caseId,
          packId,
          facts: this.cipher.encrypt(caseId, key, json, { kind: 'facts' }).toString('base64'),
          organisationId: owner.organisationId,
          createdBy: owner.userId,
          createdAt: now,
          updatedAt: now,
        },
        key: keyRow,
      });
      rows.push({
        id: randomUUID(),
        batchId: batch.id,
        rowNumber,
        caseId,
        packetId: null,
        status: 'queued',
        attempts: 0,
        claim: null,
        error: null,
        updatedAt: now,
      });
    }
    await this.rows.create(batch, cases, rows, alsoDo && ((tx) => alsoDo(tx, batch)));
    for (const [caseId, key] of keys) this.cipher.remember(caseId, key);
    void this.offer(rows.map((r) => ({ batchId: batch.id, rowId: r.id, rowNumber: r.rowNumber })));
    return batch;
  }

  /**
   * Rows not started are cancelled and their jobs taken off the queue, without waiting for it: a
   * job left there finds its row cancelled and does nothing. Running rows finish.
   */
  async cancel(batch: BatchEntity): Promise<number> {
    const cancelled = await this.rows.cancel(batch.id, new Date());
    this.queue.remove(cancelled).catch((e: unknown) => {
      this.logger.warn(`cancelled rows left on the queue (${errorName(e)})`);
    });
    await this.rows.finishIfComplete(batch.id, new Date());
    return cancelled.length;
  }

  /** Failed rows (all, or one) are tried again from their first try. How many were queued. */
  async retry(batch: BatchEntity, rowNumber?: number): Promise<number> {
    const queued = await this.rows.requeueFailed(batch.id, new Date(), rowNumber);
    void this.offer(queued);
    return queued.length;
  }

  archive(batch: BatchEntity, extra: ExtraSummaryLine[] = []): Readable {
    return batchArchive(
      { rows: this.rows, packets: this.packets, artifacts: this.artifacts },
      batch.id,
      extra,
    );
  }

  private async offer(jobs: RowJob[]): Promise<void> {
    if (jobs.length === 0) return;
    try {
      await this.queue.enqueue(jobs);
    } catch (e) {
      this.logger.warn(`rows left for the next sweep: the queue refused them (${errorName(e)})`);
    }
  }
}

function errorName(e: unknown): string {
  return e instanceof Error ? e.name : 'unknown';
}
