import type { CaseFacts } from '../../case-facts/case-facts.dto';
import type { AppConfig } from '../../config/app-config';

export type BatchFormat = 'csv' | 'jsonl';

/** Bounds on one uploaded file, so a hostile or broken upload costs little to refuse. */
export interface BatchLimits {
  /** Largest file, in bytes. */
  maxBytes: number;
  /** Most cases (data rows or lines) in one file. */
  maxRows: number;
  /** Largest cell (CSV) or string value (JSON Lines), in UTF-8 bytes. */
  maxCellBytes: number;
}

/**
 * One thing a paralegal has to fix. Messages name the row, the column and the rule, never the
 * value in the cell: the value is survivor data and problems end up in logs and screens.
 */
export interface BatchProblem {
  /**
   * The row as a spreadsheet shows it (the header is row 1, the first case row 2; a cell with
   * line breaks does not shift the rows after it); for JSON Lines, the line number. `null` when
   * the problem is the whole file's (too large, not UTF-8, too many rows).
   */
  row: number | null;
  /**
   * The column as the header names it (`incidents.2.narrative`). For JSON Lines, the field's
   * path written the same way, items numbered from 1. `null` when no one column is at fault.
   */
  column: string | null;
  message: string;
}

export interface BatchRow {
  rowNumber: number;
  facts: CaseFacts;
}

export interface BatchParseResult {
  /** Rows without any problem, validated exactly as the API validates a case. */
  rows: BatchRow[];
  /** Every problem of every row, in file order; a row listed here is not in `rows`. */
  problems: BatchProblem[];
  /** The CSV header as given; empty for JSON Lines, which has none. */
  columns: string[];
}

export function batchLimitsFrom(
  config: Pick<AppConfig, 'BATCH_MAX_BYTES' | 'BATCH_MAX_ROWS' | 'BATCH_MAX_CELL_BYTES'>,
): BatchLimits {
  return {
    maxBytes: config.BATCH_MAX_BYTES,
    maxRows: config.BATCH_MAX_ROWS,
    maxCellBytes: config.BATCH_MAX_CELL_BYTES,
  };
}
