import { CsvError, parse } from 'csv-parse/sync';
import { isObject } from '../../common/validation/data-files';
import { findUnsafeKeys } from '../../common/validation/validation-errors';
import { batchColumn, checkHeader, spreadsheetColumn } from './batch-columns';
import type {
  BatchFormat,
  BatchLimits,
  BatchParseResult,
  BatchProblem,
  BatchRow,
} from './batch-types';
import {
  CellProblem,
  checkFacts,
  locate,
  longStrings,
  rowToFacts,
  unsafeProblems,
} from './row-facts';
import {
  hasUtf16Bom,
  hasUtf8Bom,
  invalidUtf8Offset,
  jsonNestingDepth,
  lineAtOffset,
} from './text-checks';

/**
 * Reads an uploaded batch: one case per CSV row (columns as in `batch-columns.ts`) or per JSON
 * Lines line (CaseFacts JSON, as the API takes it). Every row is validated as the API validates a
 * case, and every problem of every row is reported; rows with none are returned for generation.
 * File-level problems (size, encoding, too many rows, a header that cannot be used) return no
 * rows at all, since reading on could drop or misplace data.
 */
export function parseBatch(
  bytes: Buffer,
  format: BatchFormat,
  limits: BatchLimits,
): BatchParseResult {
  if (bytes.length > limits.maxBytes) {
    return fileProblem(
      `the file is ${bytes.length} bytes, more than the limit of ${limits.maxBytes} bytes; split it into smaller files`,
    );
  }
  if (hasUtf16Bom(bytes)) {
    return fileProblem(
      'the file is UTF-16 text; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")',
    );
  }
  const bad = invalidUtf8Offset(bytes);
  if (bad !== undefined) {
    return fileProblem(
      `the file is not UTF-8 text: the bytes at offset ${bad} (line ${lineAtOffset(bytes, bad)}) are not valid UTF-8; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")`,
    );
  }
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  if (format === 'csv') return parseCsv(body, limits);
  if (format === 'jsonl') return parseJsonl(body, limits);
  throw new Error(`unknown batch format ${String(format)}`);
}

function fileProblem(message: string, columns: string[] = []): BatchParseResult {
  return { rows: [], problems: [{ row: null, column: null, message }], columns };
}

const tooManyRows = (limits: BatchLimits) =>
  `the file holds more than ${limits.maxRows} cases, the most one batch may hold; split it into smaller files`;

const withRow =
  (row: number) =>
  (p: CellProblem): BatchProblem => ({ row, ...p });

// ---- CSV ---------------------------------------------------------------------------------------

class TooManyRows extends Error {}

function parseCsv(body: Buffer, limits: BatchLimits): BatchParseResult {
  const records: string[][] = [];
  let cases = 0;
  let broken: BatchProblem | undefined;
  try {
    parse(body, {
      delimiter: detectDelimiter(body),
      relax_column_count: true,
      skip_empty_lines: false,
      // Records are kept here rather than in parse's result so that the rows before a quoting
      // error are still read, and the row limit stops reading early.
      on_record: (record: string[]) => {
        records.push(record);
        if (records.length > 1 && !isBlank(record) && ++cases > limits.maxRows) {
          throw new TooManyRows();
        }
        return null;
      },
    });
  } catch (e) {
    if (e instanceof TooManyRows) return fileProblem(tooManyRows(limits));
    if (!(e instanceof CsvError)) throw e;
    broken = brokenQuoting(e, records);
  }

  if (records.length === 0) {
    return broken ? problemsOnly([broken]) : fileProblem('the file is empty');
  }
  const header = records[0];
  const { problems: headerProblems, positions } = checkHeader(header);
  if (headerProblems.length > 0) {
    // A first row with no column name in it may be a case: it is not handed back as a header.
    const columns = header.some((name) => batchColumn(name)) ? header : [];
    return problemsOnly([...headerProblems, ...(broken ? [broken] : [])], columns);
  }

  const rows: BatchRow[] = [];
  const problems: BatchProblem[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i];
    const rowNumber = i + 1;
    if (isBlank(record)) continue;
    if (record.length !== header.length) {
      problems.push({
        row: rowNumber,
        column: null,
        message: `the row has ${record.length} cells but the header has ${header.length} columns; a cell may be missing its quotes or a delimiter`,
      });
      continue;
    }
    const cell = (name: string) => {
      const at = positions.get(name);
      return at === undefined ? undefined : record[at];
    };
    const built = rowToFacts(cell, limits.maxCellBytes);
    const checked = checkFacts(built.plain, built.lists, built.problems);
    const rowProblems = [...built.problems, ...checked.problems];
    if (checked.facts && rowProblems.length === 0) rows.push({ rowNumber, facts: checked.facts });
    else problems.push(...rowProblems.map(withRow(rowNumber)));
  }
  if (broken) problems.push(broken);
  else if (cases === 0)
    problems.push({ row: null, column: null, message: 'the file has no cases' });
  return { rows, problems, columns: header };
}

function problemsOnly(problems: BatchProblem[], columns: string[] = []): BatchParseResult {
  return { rows: [], problems, columns };
}

function isBlank(record: readonly string[]): boolean {
  return record.every((c) => c === '');
}

/**
 * Comma or semicolon, whichever the header line has more of outside quotes: spreadsheets in
 * locales that write decimals with a comma save "CSV" with semicolons.
 */
function detectDelimiter(body: Buffer): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const b of body) {
    if (b === 0x22) quoted = !quoted;
    else if (!quoted && (b === 0x0a || b === 0x0d)) break;
    else if (!quoted && b === 0x2c) commas++;
    else if (!quoted && b === 0x3b) semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** The parser's own messages quote the text around the error, so only its code is used. */
function brokenQuoting(e: CsvError, records: readonly string[][]): BatchProblem {
  const row = records.length + 1;
  const index = typeof e.column === 'number' ? e.column : undefined;
  const header = records[0];
  const column = row > 1 && header && index !== undefined ? (header[index] ?? null) : null;
  const where =
    index !== undefined ? `the cell in spreadsheet column ${spreadsheetColumn(index)}` : 'a cell';
  const rest = 'this row and the rest of the file were not read';
  const reasons: Partial<Record<string, string>> = {
    CSV_QUOTE_NOT_CLOSED: `${where} opens a quote that is never closed; ${rest}. A quote inside a quoted cell must be doubled ("")`,
    CSV_INVALID_CLOSING_QUOTE: `${where} has text after its closing quote; ${rest}. A quote inside a quoted cell must be doubled ("")`,
    INVALID_OPENING_QUOTE: `${where} has a quote inside it but does not start with one; ${rest}. Put the whole cell in quotes and double the quote inside ("")`,
  };
  return {
    row,
    column,
    message: reasons[e.code] ?? `the row cannot be read as CSV (${e.code}); ${rest}`,
  };
}

// ---- JSON Lines --------------------------------------------------------------------------------

const BLANK_LINE = /^[ \t\r]*$/;
/** Brackets around a value at the deepest level `findUnsafeKeys` allows. */
const MAX_JSON_BRACKETS = 33;

function parseJsonl(body: Buffer, limits: BatchLimits): BatchParseResult {
  const lines = body.toString('utf8').split('\n');
  const cases = lines.filter((l) => !BLANK_LINE.test(l)).length;
  if (cases > limits.maxRows) return fileProblem(tooManyRows(limits));
  if (cases === 0) return fileProblem('the file has no cases');
  const rows: BatchRow[] = [];
  const problems: BatchProblem[] = [];
  lines.forEach((line, i) => {
    if (BLANK_LINE.test(line)) return;
    const rowNumber = i + 1;
    const read = readJsonLine(line, limits);
    if (read.facts) rows.push({ rowNumber, facts: read.facts });
    else problems.push(...read.problems.map(withRow(rowNumber)));
  });
  return { rows, problems, columns: [] };
}

function readJsonLine(line: string, limits: BatchLimits): ReturnType<typeof checkFacts> {
  if (jsonNestingDepth(line, MAX_JSON_BRACKETS) > MAX_JSON_BRACKETS) {
    return { problems: [{ column: null, message: 'the case nests deeper than 32 levels' }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(line) as unknown;
  } catch {
    // The parser's own message quotes the line, so it is not passed on.
    return { problems: [{ column: null, message: 'the line is not valid JSON' }] };
  }
  if (!isObject(value)) {
    return {
      problems: [
        { column: null, message: 'each line must be one case as a JSON object ({ ... })' },
      ],
    };
  }
  const unsafe = findUnsafeKeys(value);
  if (unsafe.length > 0) return { problems: unsafeProblems(unsafe) };
  const long: CellProblem[] = longStrings(value, limits.maxCellBytes).map((path) => {
    const { display } = locate(path, null);
    return {
      column: display,
      message: `${display} is longer than the limit of ${limits.maxCellBytes} bytes for one value`,
    };
  });
  const checked = checkFacts(value, null, long);
  const problems = [...long, ...checked.problems];
  return problems.length === 0 ? checked : { problems };
}
