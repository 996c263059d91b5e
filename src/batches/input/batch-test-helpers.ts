import { FixtureName, fixture } from '../../../test/support/fixtures';
import { BATCH_COLUMN_NAMES, factsToCells } from './batch-columns';
import type { BatchLimits, BatchParseResult, BatchProblem } from './batch-types';
import { parseBatch } from './parse-batch';

/** The defaults of the settings. */
export const DEFAULT_LIMITS: BatchLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 2000,
  maxCellBytes: 64 * 1024,
};

export type Cells = Map<string, string>;

/** A fixture case as the cells of one row. */
export function cellsOf(name: FixtureName): Cells {
  return factsToCells(fixture(name));
}

/** Copy of a row with some cells set ('' empties one) or removed (undefined). */
export function edit(cells: Cells, changes: Record<string, string | undefined>): Cells {
  const out = new Map(cells);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) out.delete(k);
    else out.set(k, v);
  }
  return out;
}

/**
 * RFC 4180 quoting only: unlike an export, a test file must carry cells such as `=1+1` exactly
 * as a paralegal's spreadsheet would save them.
 */
export function quoteCell(cell: string, delimiter = ','): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A CSV text whose header holds every column any of the rows fills, in template order. */
export function csvText(
  rows: Cells[],
  opts: { delimiter?: string; columns?: string[]; eol?: string } = {},
): string {
  const delimiter = opts.delimiter ?? ',';
  const eol = opts.eol ?? '\r\n';
  const used = new Set(rows.flatMap((r) => [...r.keys()]));
  const columns = opts.columns ?? [
    ...BATCH_COLUMN_NAMES.filter((c) => used.has(c)),
    ...[...used].filter((c) => !BATCH_COLUMN_NAMES.includes(c)),
  ];
  const line = (cells: string[]) => cells.map((c) => quoteCell(c, delimiter)).join(delimiter);
  return [line(columns), ...rows.map((r) => line(columns.map((c) => r.get(c) ?? '')))]
    .map((l) => l + eol)
    .join('');
}

export function parseCsvText(text: string, limits: BatchLimits = DEFAULT_LIMITS): BatchParseResult {
  return parseBatch(Buffer.from(text, 'utf8'), 'csv', limits);
}

export function parseJsonlText(
  text: string,
  limits: BatchLimits = DEFAULT_LIMITS,
): BatchParseResult {
  return parseBatch(Buffer.from(text, 'utf8'), 'jsonl', limits);
}

/** Problems as `row column: message` lines, the way a paralegal would read them in a list. */
export function problemLines(problems: BatchProblem[]): string[] {
  return problems.map((p) => `${p.row ?? '-'} ${p.column ?? '-'}: ${p.message}`);
}

/** No problem may quote a cell: the value is survivor data. */
export function expectNoEcho(problems: BatchProblem[], secret: string): void {
  for (const p of problems) {
    expect(p.message).not.toContain(secret);
    expect(p.column ?? '').not.toContain(secret);
  }
}
