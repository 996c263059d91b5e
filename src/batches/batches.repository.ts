import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { DataKeyEntity } from '../crypto/data-key.entity';
import {
  ACTIVE_ROW_STATUSES,
  BatchEntity,
  BatchRowEntity,
  ROW_STATUSES,
  RowStatus,
} from './batch.entity';

export type RowCounts = Record<RowStatus, number>;

/** What a queue needs to know of a row: ids only, never anything from the case. */
export interface RowJob {
  batchId: string;
  rowId: string;
  rowNumber: number;
}

/** Rows inserted per statement: well inside PostgreSQL's limit on bound parameters. */
const CHUNK = 100;
/** Rows offered to the queue per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 5000;

export function emptyCounts(): RowCounts {
  return { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
}

/**
 * The only place that queries batches and their rows. Status changes are conditional updates
 * (`WHERE status IN ...`), so two processes working on the same row can never both move it, and
 * the caller learns from the affected count whether its change took.
 */
@Injectable()
export class BatchesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The batch, its cases with their data keys, and its rows: all committed, or none. `alsoDo`
   * runs last in the same transaction (the audit record).
   */
  async create(
    batch: BatchEntity,
    cases: { record: CaseEntity; key: DataKeyEntity }[],
    rows: BatchRowEntity[],
    alsoDo?: (tx: EntityManager) => Promise<void>,
  ): Promise<void> {
    // updateEntity(false): TypeORM would otherwise read back the columns with defaults after a
    // multi-row insert and, on SQLite, can hand them to the wrong objects (ids included).
    const insert = <T extends object>(tx: EntityManager, target: new () => T, values: T[]) =>
      tx.createQueryBuilder().insert().into(target).values(values).updateEntity(false).execute();
    await this.db.transaction(async (tx) => {
      await insert(tx, BatchEntity, [batch]);
      for (let i = 0; i < cases.length; i += CHUNK) {
        const part = cases.slice(i, i + CHUNK);
        await insert(
          tx,
          CaseEntity,
          part.map((c) => c.record),
        );
        await insert(
          tx,
          DataKeyEntity,
          part.map((c) => c.key),
        );
      }
      for (let i = 0; i < rows.length; i += CHUNK) {
        await insert(tx, BatchRowEntity, rows.slice(i, i + CHUNK));
      }
      if (alsoDo) await alsoDo(tx);
    });
  }

  /** The batch if it belongs to the organisation; otherwise null, exactly as for a missing id. */
  findForOrganisation(id: string, organisationId: string): Promise<BatchEntity | null> {
    return this.db.getRepository(BatchEntity).findOneBy({ id, organisationId });
  }

  findById(id: string): Promise<BatchEntity | null> {
    return this.db.getRepository(BatchEntity).findOneBy({ id });
  }

  listForOrganisation(organisationId: string, limit: number): Promise<BatchEntity[]> {
    return this.db.getRepository(BatchEntity).find({
      where: { organisationId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  async counts(batchIds: string[]): Promise<Map<string, RowCounts>> {
    const out = new Map<string, RowCounts>(batchIds.map((id) => [id, emptyCounts()]));
    if (batchIds.length === 0) return out;
    const raw = await this.db
      .getRepository(BatchRowEntity)
      .createQueryBuilder('r')
      .select('r.batchId', 'batchId')
      .addSelect('r.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where({ batchId: In(batchIds) })
      .groupBy('r.batchId')
      .addGroupBy('r.status')
      .getRawMany<{ batchId: string; status: string; n: string | number }>();
    for (const r of raw) {
      const counts = out.get(r.batchId);
      if (counts && (ROW_STATUSES as readonly string[]).includes(r.status)) {
        counts[r.status as RowStatus] = Number(r.n);
      }
    }
    return out;
  }

  rows(batchId: string): Promise<BatchRowEntity[]> {
    return this.db
      .getRepository(BatchRowEntity)
      .find({ where: { batchId }, order: { rowNumber: 'ASC' } });
  }

  /** Rows after `afterRow`, in order: the archive reads a batch a page at a time. */
  rowsAfter(batchId: string, afterRow: number, limit: number): Promise<BatchRowEntity[]> {
    return this.db
      .getRepository(BatchRowEntity)
      .createQueryBuilder('r')
      .where('r.batchId = :batchId', { batchId })
      .andWhere('r.rowNumber > :afterRow', { afterRow })
      .orderBy('r.rowNumber', 'ASC')
      .take(limit)
      .getMany();
  }

  findRow(id: string): Promise<BatchRowEntity | null> {
    return this.db.getRepository(BatchRowEntity).findOneBy({ id });
  }

  findRowByNumber(batchId: string, rowNumber: number): Promise<BatchRowEntity | null> {
    return this.db.getRepository(BatchRowEntity).findOneBy({ batchId, rowNumber });
  }

  /**
   * Takes the row for one try, by compare-and-swap on the claim and try count read in `seen`: a
   * try the queue handed out again is presumed dead and loses the row. False when another try
   * took it in the meantime, or the row is no longer to be worked on.
   */
  async claim(
    seen: Pick<BatchRowEntity, 'id' | 'claim' | 'attempts'>,
    claim: string,
    now: Date,
  ): Promise<boolean> {
    const query = this.db
      .createQueryBuilder()
      .update(BatchRowEntity)
      .set({ status: 'running', claim, attempts: () => 'attempts + 1', updatedAt: now })
      .where({ id: seen.id, attempts: seen.attempts, status: In([...ACTIVE_ROW_STATUSES]) });
    if (seen.claim === null) query.andWhere('claim IS NULL');
    else query.andWhere('claim = :previous', { previous: seen.claim });
    const result = await query.execute();
    return (result.affected ?? 0) > 0;
  }

  async markBatchRunning(batchId: string): Promise<void> {
    await this.db
      .createQueryBuilder()
      .update(BatchEntity)
      .set({ status: 'running' })
      .where({ id: batchId, status: 'queued' })
      .execute();
  }

  /**
   * Inside the transaction that inserts the packet: records it as the row's, provided `claim`
   * still holds the row. False means a newer try took over and the caller's packet must go.
   */
  async complete(
    tx: EntityManager,
    rowId: string,
    claim: string,
    packetId: string,
    now: Date,
  ): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .update(BatchRowEntity)
      .set({ status: 'done', packetId, error: null, claim: null, updatedAt: now })
      .where({ id: rowId, claim, status: 'running' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The row already has its packet (a try that finished before its job was acknowledged). */
  async markDone(rowId: string, packetId: string, now: Date): Promise<void> {
    await this.db
      .createQueryBuilder()
      .update(BatchRowEntity)
      .set({ status: 'done', packetId, error: null, claim: null, updatedAt: now })
      .where({ id: rowId, status: In([...ACTIVE_ROW_STATUSES]) })
      .execute();
  }

  /** A try failed: the row waits for its next try (`queued`) or is given up (`failed`). */
  async release(
    rowId: string,
    claim: string,
    status: 'queued' | 'failed',
    error: string,
    now: Date,
  ): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(BatchRowEntity)
      .set({ status, error, claim: null, updatedAt: now })
      .where({ id: rowId, claim, status: 'running' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Ends the batch once no row is queued or running: done, or still cancelled if it was.
   * True when this call ended it.
   */
  async finishIfComplete(batchId: string, now: Date): Promise<boolean> {
    const active = ACTIVE_ROW_STATUSES.map((s) => `'${s}'`).join(', ');
    const result = await this.db
      .createQueryBuilder()
      .update(BatchEntity)
      .set({
        status: () => `CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'done' END`,
        finishedAt: now,
      })
      .where('id = :batchId', { batchId })
      .andWhere('finished_at IS NULL')
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.batch_id = :batchId AND r.status IN (${active}))`,
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Rows not yet started become cancelled; rows running finish. The rows cancelled now. */
  async cancel(batchId: string, now: Date): Promise<RowJob[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.getRepository(BatchRowEntity).find({
        select: { id: true, batchId: true, rowNumber: true },
        where: { batchId, status: 'queued' },
      });
      await tx
        .createQueryBuilder()
        .update(BatchRowEntity)
        .set({ status: 'cancelled', claim: null, updatedAt: now })
        .where({ batchId, status: 'queued' })
        .execute();
      await tx
        .createQueryBuilder()
        .update(BatchEntity)
        .set({ status: 'cancelled' })
        .where('id = :batchId', { batchId })
        .andWhere('finished_at IS NULL')
        .execute();
      return rows.map(toJob);
    });
  }

  /**
   * Failed rows (all, or the one numbered `rowNumber`) are queued again with their tries counted
   * from zero, and the batch is open again. The rows queued.
   */
  async requeueFailed(batchId: string, now: Date, rowNumber?: number): Promise<RowJob[]> {
    return this.db.transaction(async (tx) => {
      const where = { batchId, status: 'failed' as const, ...(rowNumber ? { rowNumber } : {}) };
      const rows = await tx.getRepository(BatchRowEntity).find({
        select: { id: true, batchId: true, rowNumber: true },
        where,
      });
      if (rows.length === 0) return [];
      await tx
        .createQueryBuilder()
        .update(BatchRowEntity)
        .set({ status: 'queued', attempts: 0, claim: null, updatedAt: now })
        .where(where)
        .execute();
      await tx
        .createQueryBuilder()
        .update(BatchEntity)
        .set({ status: 'running', finishedAt: null })
        .where({ id: batchId })
        .execute();
      return rows.map(toJob);
    });
  }

  /**
   * Rows the database says still need work, oldest batches first: what a sweep offers the
   * queue again, which ignores the ones it already holds.
   */
  async activeRows(): Promise<RowJob[]> {
    // Raw rows and a plain LIMIT: `take` with a join makes TypeORM page by a second query,
    // which need not keep the order.
    const rows = await this.db
      .getRepository(BatchRowEntity)
      .createQueryBuilder('r')
      .innerJoin(BatchEntity, 'b', 'b.id = r.batchId')
      .select('r.id', 'rowId')
      .addSelect('r.batchId', 'batchId')
      .addSelect('r.rowNumber', 'rowNumber')
      .where('r.status IN (:...active)', { active: [...ACTIVE_ROW_STATUSES] })
      .orderBy('b.createdAt', 'ASC')
      .addOrderBy('r.batchId', 'ASC')
      .addOrderBy('r.rowNumber', 'ASC')
      .limit(SWEEP_LIMIT)
      .getRawMany<{ rowId: string; batchId: string; rowNumber: number | string }>();
    return rows.map((r) => ({
      batchId: r.batchId,
      rowId: r.rowId,
      rowNumber: Number(r.rowNumber),
    }));
  }
}

function toJob(r: Pick<BatchRowEntity, 'id' | 'batchId' | 'rowNumber'>): RowJob {
  return { batchId: r.batchId, rowId: r.id, rowNumber: r.rowNumber };
}
