import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditTrail } from '../audit/audit-trail';
import type { AuditAction, AuditOutcome } from '../audit/audit.types';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { batchesUnavailable } from '../common/errors/infrastructure-faults';
import { AppConfig } from '../config/app-config';
import type { StaffContext } from '../matters/staff-context';
import { referenceOf } from '../matters/matters.service';
import { PacksService } from '../packs/packs.service';
import {
  BatchProgress,
  BatchSummary,
  BatchView,
  CreatedBatch,
  UploadMode,
  ValidationReport,
} from './batch.dto';
import type { BatchEntity } from './batch.entity';
import { BatchWork } from './batch-work';
import { BatchesRepository, RowCounts, emptyCounts } from './batches.repository';
import { BatchFormat, BatchProblem, batchLimitsFrom, parseBatch, templateCsv } from './input';
import { BATCH_QUEUE, BatchQueue } from './queue/batch-queue';

/** Batches listed at most: an organisation's recent work. */
const LIST_LIMIT = 100;

/** A request just after start-up waits this long for the queue's first connection. */
const FIRST_CONNECT_WAIT_MS = 2000;

/** What /health says about batches. */
export interface BatchQueueHealth {
  queue: 'redis' | 'in-process';
  available: boolean;
}

/**
 * Batches as staff use them: always within the caller's organisation (another organisation's
 * batch answers exactly like a missing one, and the attempt is recorded as a denial), creation
 * and downloads in the audit trail.
 */
@Injectable()
export class BatchesService {
  constructor(
    private readonly work: BatchWork,
    private readonly rows: BatchesRepository,
    private readonly packs: PacksService,
    private readonly audit: AuditTrail,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(BATCH_QUEUE) private readonly queue: BatchQueue,
  ) {}

  queueHealth(): BatchQueueHealth {
    return { queue: this.queue.kind, available: this.queue.available() };
  }

  templateCsv(packId: string): string {
    return templateCsv(this.packs.get(packId));
  }

  async upload(
    ctx: StaffContext,
    input: { packId: string; mode: UploadMode; format: BatchFormat; bytes: Buffer },
  ): Promise<ValidationReport | CreatedBatch> {
    const { mode } = input;
    // Generating needs the pack's official forms; checking the file does not.
    const pack =
      mode === 'validate' ? this.packs.get(input.packId) : this.packs.ready(input.packId);
    const packId = pack.manifest.id;
    const parsed = parseBatch(input.bytes, input.format, batchLimitsFrom(this.config));
    if (mode === 'validate') {
      return { mode, packId, validRows: parsed.rows.length, problems: parsed.problems };
    }
    if (parsed.rows.length === 0 || (mode === 'run' && parsed.problems.length > 0)) {
      await this.record(ctx, 'batch.create', null, 'failed');
      throw problemsError(parsed.problems, mode);
    }
    // Before anything is stored, so a refusal leaves nothing behind. Redis lost between this
    // check and the jobs leaves the rows queued in the database; the sweep offers them once it
    // is back.
    if (!(await this.queue.whenAvailable(FIRST_CONNECT_WAIT_MS))) {
      await this.record(ctx, 'batch.create', null, 'failed');
      throw batchesUnavailable();
    }
    const batch = await this.work.create(
      { organisationId: ctx.principal.organisationId, userId: ctx.principal.userId },
      packId,
      parsed.rows,
      (tx, made) =>
        this.audit.record(
          {
            action: 'batch.create',
            actor: AuditTrail.actorOf(ctx.principal),
            subject: made.id,
            ip: ctx.ip,
          },
          tx,
        ),
    );
    const counts = (await this.rows.counts([batch.id])).get(batch.id) ?? emptyCounts();
    return {
      mode,
      batch: summaryOf(batch, counts),
      skipped: mode === 'run-valid' ? parsed.problems : [],
    };
  }

  async list(ctx: StaffContext): Promise<BatchSummary[]> {
    const batches = await this.rows.listForOrganisation(ctx.principal.organisationId, LIST_LIMIT);
    const counts = await this.rows.counts(batches.map((b) => b.id));
    return batches.map((b) => summaryOf(b, counts.get(b.id) ?? emptyCounts()));
  }

  async view(ctx: StaffContext, id: string): Promise<BatchView> {
    const batch = await this.require(ctx, id);
    const rows = await this.rows.rows(batch.id);
    const counts = emptyCounts();
    for (const r of rows) counts[r.status]++;
    return {
      ...summaryOf(batch, counts),
      rows: rows.map((r) => ({
        row: r.rowNumber,
        status: r.status,
        caseId: r.caseId,
        reference: referenceOf(r.caseId),
        packetId: r.packetId,
        attempts: r.attempts,
        error: r.error,
      })),
    };
  }

  /** The batch's progress, for a caller who has already been given the batch. */
  async progress(batchId: string): Promise<BatchProgress | null> {
    const batch = await this.rows.findById(batchId);
    if (!batch) return null;
    const counts = (await this.rows.counts([batch.id])).get(batch.id) ?? emptyCounts();
    return {
      status: batch.status,
      finished: batch.finishedAt !== null,
      totalRows: batch.totalRows,
      counts,
    };
  }

  async cancel(ctx: StaffContext, id: string): Promise<BatchSummary> {
    const batch = await this.require(ctx, id);
    await this.work.cancel(batch);
    return this.summary(batch.id);
  }

  async retry(ctx: StaffContext, id: string, rowNumber?: number): Promise<BatchSummary> {
    const batch = await this.require(ctx, id);
    if (rowNumber !== undefined) {
      const row = await this.rows.findRowByNumber(batch.id, rowNumber);
      if (!row) throw AppError.notFound();
      if (row.status !== 'failed') {
        throw AppError.validation([
          {
            field: 'row',
            message: `row ${rowNumber} is ${row.status}; only a failed row is retried`,
          },
        ]);
      }
    }
    // Checked after the row, so a row that cannot be retried says so whether or not Redis is up.
    if (!(await this.queue.whenAvailable(FIRST_CONNECT_WAIT_MS))) throw batchesUnavailable();
    await this.work.retry(batch, rowNumber);
    return this.summary(batch.id);
  }

  async archive(ctx: StaffContext, id: string): Promise<Readable> {
    const batch = await this.require(ctx, id);
    const stream = this.work.archive(batch);
    await this.record(ctx, 'batch.download', batch.id);
    return stream;
  }

  /** The organisation's batch, or not found; a batch of another organisation is a denial. */
  async require(ctx: StaffContext, id: string): Promise<BatchEntity> {
    const batch = await this.rows.findForOrganisation(id, ctx.principal.organisationId);
    if (batch) return batch;
    if (await this.rows.findById(id)) await this.record(ctx, 'access.denied', id, 'denied');
    throw AppError.notFound();
  }

  private async summary(batchId: string): Promise<BatchSummary> {
    const batch = await this.rows.findById(batchId);
    if (!batch) throw AppError.notFound();
    const counts = (await this.rows.counts([batch.id])).get(batch.id) ?? emptyCounts();
    return summaryOf(batch, counts);
  }

  private record(
    ctx: StaffContext,
    action: AuditAction,
    subject: string | null,
    outcome: AuditOutcome = 'ok',
  ): Promise<void> {
    return this.audit.record({
      action,
      actor: AuditTrail.actorOf(ctx.principal),
      outcome,
      caseId: null,
      subject,
      ip: ctx.ip,
    });
  }
}

export function summaryOf(batch: BatchEntity, counts: RowCounts): BatchSummary {
  const self = `/batches/${batch.id}`;
  return {
    id: batch.id,
    packId: batch.packId,
    status: batch.status,
    totalRows: batch.totalRows,
    counts,
    createdAt: new Date(batch.createdAt).toISOString(),
    finishedAt: batch.finishedAt ? new Date(batch.finishedAt).toISOString() : null,
    links: { self, events: `${self}/events`, archive: `${self}/archive.zip` },
  };
}

/** Every problem, by row and column: the same list `validate` answers with. */
function problemsError(problems: BatchProblem[], mode: UploadMode): AppError {
  const message =
    problems.length === 0
      ? 'The file has no cases'
      : mode === 'run'
        ? `The file has ${problems.length} problem(s) and nothing was made: fix them, or upload with mode=run-valid to go on with the rows that have none`
        : `No row of the file can be used: fix the ${problems.length} problem(s)`;
  return new AppError(
    ErrorCode.ValidationFailed,
    message,
    problems.map((p) => ({
      ...(p.column ? { field: p.column } : {}),
      row: p.row,
      column: p.column,
      message: p.message,
    })),
  );
}
