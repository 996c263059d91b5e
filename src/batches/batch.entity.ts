import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { PacketEntity } from '../packets/packet.entity';

export const BATCH_STATUSES = ['queued', 'running', 'done', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const ROW_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** Rows a worker may still pick up: the queue is refilled from these whenever it may have lost them. */
export const ACTIVE_ROW_STATUSES: readonly RowStatus[] = ['queued', 'running'];

/**
 * One uploaded file turned into cases and packets. The rows are the record of the work; the queue
 * only says that there is work, so a lost queue is refilled from here.
 */
@Entity('batches')
@Index('idx_batches_organisation', ['organisationId', 'createdAt'])
export class BatchEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  /** The staff account that uploaded it; null when the command line ran it. */
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'pack_id', type: 'varchar', length: 64 })
  packId!: string;

  /** `done` and `cancelled` are final once `finishedAt` is set; a retry opens the batch again. */
  @Column({ type: 'varchar', length: 16 })
  status!: BatchStatus;

  @Column({ name: 'total_rows', type: 'integer' })
  totalRows!: number;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  /** When the last row stopped being queued or running. */
  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;
}

/** One case of a batch and the packet made (or not) for it. */
@Entity('batch_rows')
@Index('uq_batch_rows_batch_row', ['batchId', 'rowNumber'], { unique: true })
@Index('idx_batch_rows_status', ['status'])
export class BatchRowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'batch_id', type: 'varchar', length: 36 })
  batchId!: string;

  @ManyToOne(() => BatchEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: BatchEntity;

  /** The row as the paralegal's spreadsheet numbers it (the header is row 1). */
  @Column({ name: 'row_number', type: 'integer' })
  rowNumber!: number;

  /** Deleting the case (by staff or retention) takes its row with it, as it takes its files. */
  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'packet_id', type: 'varchar', length: 36, nullable: true })
  packetId!: string | null;

  /** A packet purged by retention leaves the row done, without a packet. */
  @ManyToOne(() => PacketEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'packet_id' })
  packet?: PacketEntity;

  @Column({ type: 'varchar', length: 16 })
  status!: RowStatus;

  /** Tries started, including ones whose worker died. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /**
   * Which try currently owns the row: a try that finds another has taken over since (its worker
   * was thought dead) discards its work instead of recording it.
   */
  @Column({ name: 'claim', type: 'varchar', length: 36, nullable: true })
  claim!: string | null;

  /** What failed, as an error code's message: never a value from the case. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
