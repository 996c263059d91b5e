/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula
 * or a command: `=`, `+`, `-`, `@`, and a leading tab or carriage return, which some of them strip
 * before looking again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters that oblige a CSV field to be quoted (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A cell a spreadsheet shows as text and never runs: one that could start a formula is prefixed
 * with `'`. Applying it twice changes nothing, since the prefixed cell starts with `'`.
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * One CSV record, ended by CRLF as RFC 4180 says: every cell made spreadsheet-safe first, then
 * quoted (quotes doubled) when it holds a quote, a comma or a line break. Cells are made safe
 * here rather than left to each caller, so that no export can forget it.
 */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((c) => quote(spreadsheetSafe(c))).join(',')}\r\n`;
}

function quote(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
