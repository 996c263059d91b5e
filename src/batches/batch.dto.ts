import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { BatchStatus, RowStatus } from './batch.entity';
import type { RowCounts } from './batches.repository';
import type { BatchProblem } from './input';

export const UPLOAD_MODES = ['validate', 'run', 'run-valid'] as const;
/**
 * `validate`: report every problem, make nothing. `run`: make the batch only if no row has a
 * problem. `run-valid`: make it from the rows without problems and report the others.
 */
export type UploadMode = (typeof UPLOAD_MODES)[number];

const PACK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class UploadBatchQuery {
  @ApiProperty({ example: 'generic-us' })
  @Matches(PACK_ID, { message: 'packId must be a pack id such as generic-us' })
  packId!: string;

  @ApiPropertyOptional({ enum: UPLOAD_MODES, default: 'validate' })
  @IsOptional()
  @IsIn(UPLOAD_MODES, { message: `mode must be one of ${UPLOAD_MODES.join(', ')}` })
  mode?: UploadMode;
}

export class TemplateQuery {
  @ApiProperty({ example: 'generic-us' })
  @Matches(PACK_ID, { message: 'packId must be a pack id such as generic-us' })
  packId!: string;
}

export interface BatchSummary {
  id: string;
  packId: string;
  status: BatchStatus;
  totalRows: number;
  counts: RowCounts;
  createdAt: string;
  finishedAt: string | null;
  links: { self: string; events: string; archive: string };
}

export interface BatchRowView {
  /** The row of the uploaded file (the header is row 1). */
  row: number;
  status: RowStatus;
  caseId: string;
  /** The case's neutral reference, as the archive's folders name it. */
  reference: string;
  packetId: string | null;
  attempts: number;
  error: string | null;
}

export interface BatchView extends BatchSummary {
  rows: BatchRowView[];
}

export interface ValidationReport {
  mode: 'validate';
  packId: string;
  /** Rows that would become cases. */
  validRows: number;
  problems: BatchProblem[];
}

export interface CreatedBatch {
  mode: 'run' | 'run-valid';
  batch: BatchSummary;
  /** Problems of the rows left out (run-valid); empty for run. */
  skipped: BatchProblem[];
}

/** What the events stream sends: counts and status, never anything from a case. */
export interface BatchProgress {
  status: BatchStatus;
  finished: boolean;
  totalRows: number;
  counts: RowCounts;
}
