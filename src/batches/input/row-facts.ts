import type { CaseFacts } from '../../case-facts/case-facts.dto';
import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../../common/errors/error-code';
import { findUnsafeKeys } from '../../common/validation/validation-errors';
import { numberedItemsOf } from './batch-columns';
import { CASE_FACTS_FIELDS, FieldShape, LeafKind, ObjectListShape } from './case-facts-shape';
import { exceedsBytes, jsonNestingDepth } from './text-checks';

/** A problem within one row; the caller adds the row number. */
export interface CellProblem {
  column: string | null;
  message: string;
}

/**
 * How a list of objects was given in one row: numbered columns (with the numbers actually
 * filled, since items are taken in order and gaps closed) or the list's JSON column. A
 * validation error about `incidents.0.date` is reported against the column it came from.
 */
export type ListSource = { from: 'json'; column: string } | { from: 'numbered'; numbers: number[] };

export interface RowFacts {
  /** Plain JSON-like facts, as an API client would send them; keys come only from CaseFacts. */
  plain: Record<string, unknown>;
  problems: CellProblem[];
  /** By the list's path in `plain` (items by 0-based index), e.g. `respondent.firearms.items`. */
  lists: Map<string, ListSource>;
}

/** Matches `findUnsafeKeys`: the deepest a value may sit below the case. */
const MAX_NESTING = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const BOOLEANS = new Map<string, boolean>([
  ['yes', true],
  ['true', true],
  ['1', true],
  ['no', false],
  ['false', false],
  ['0', false],
]);
const NUMBER = /^\s*[+-]?\d+(?:\.\d+)?\s*$/;

const EMPTY = Symbol('empty');
const REFUSED = Symbol('refused');
type RawCell = string | typeof EMPTY | typeof REFUSED;

interface Read<T> {
  value: T | undefined;
  /** Some cell under it was filled, even if refused. */
  touched: boolean;
}

/**
 * Builds one row's case from its cells. `cell` answers the text under a column, or undefined
 * when the header has no such column. Cells that cannot be read (too long, not a yes/no, bad
 * JSON) are left out and reported, so validation still reports everything else in the row.
 */
export function rowToFacts(
  cell: (column: string) => string | undefined,
  maxCellBytes: number,
): RowFacts {
  const reader = new RowReader(cell, maxCellBytes);
  const plain = reader.object(CASE_FACTS_FIELDS, '', '', false).value ?? {};
  return { plain, problems: reader.problems, lists: reader.lists };
}

class RowReader {
  readonly problems: CellProblem[] = [];
  readonly lists = new Map<string, ListSource>();

  constructor(
    private readonly cell: (column: string) => string | undefined,
    private readonly maxCellBytes: number,
  ) {}

  object(
    fields: readonly FieldShape[],
    columnPrefix: string,
    factsPath: string,
    inItem: boolean,
  ): Read<Record<string, unknown>> {
    const obj: Record<string, unknown> = {};
    let touched = false;
    for (const f of fields) {
      const column = columnPrefix + f.name;
      const path = factsPath ? `${factsPath}.${f.name}` : f.name;
      const read =
        f.kind === 'leaf'
          ? this.leaf(f.leaf, column, path)
          : f.kind === 'object'
            ? this.object(f.fields, `${column}.`, path, inItem)
            : this.list(f, column, path, inItem);
      if (read.value !== undefined) obj[f.name] = read.value;
      touched ||= read.touched;
    }
    // The top level always exists; below it an object exists only when one of its cells is filled.
    return { value: touched || factsPath === '' ? obj : undefined, touched };
  }

  private leaf(kind: LeafKind, column: string, path: string): Read<unknown> {
    const raw = this.raw(column);
    if (raw === EMPTY) return { value: undefined, touched: false };
    if (raw === REFUSED) return { value: undefined, touched: true };
    return { value: this.convert(kind, raw, column, path), touched: true };
  }

  private list(f: ObjectListShape, column: string, path: string, inItem: boolean): Read<unknown[]> {
    const json = this.raw(column);
    const items: Record<string, unknown>[] = [];
    const numbers: number[] = [];
    for (let n = 1; n <= numberedItemsOf(f, column, inItem); n++) {
      const item = this.object(f.item, `${column}.${n}.`, `${path}.${items.length}`, true);
      if (item.touched) {
        items.push(item.value ?? {});
        numbers.push(n);
      }
    }
    if (typeof json === 'string' && items.length > 0) {
      this.problem(
        column,
        `${column} is given twice: as a JSON list in the "${column}" column and in the numbered ${column}.N columns; use one of them`,
      );
      return { value: undefined, touched: true };
    }
    if (typeof json === 'string') {
      const value = this.json(json, column, path, 'a JSON list of objects such as [{...}, {...}]');
      if (value !== undefined) this.lists.set(path, { from: 'json', column });
      return { value, touched: true };
    }
    if (json === REFUSED) return { value: undefined, touched: true };
    if (items.length > 0) {
      this.lists.set(path, { from: 'numbered', numbers });
      return { value: items, touched: true };
    }
    return { value: f.alwaysPresent ? [] : undefined, touched: false };
  }

  private raw(column: string): RawCell {
    const text = this.cell(column);
    if (text === undefined || text === '') return EMPTY;
    if (exceedsBytes(text, this.maxCellBytes)) {
      this.problem(
        column,
        `${column} is longer than the limit of ${this.maxCellBytes} bytes for one cell`,
      );
      return REFUSED;
    }
    return text;
  }

  private convert(kind: LeafKind, text: string, column: string, path: string): unknown {
    switch (kind) {
      case 'text':
        return text;
      case 'number':
        if (NUMBER.test(text)) return Number(text);
        this.problem(column, `${column} must be a number, written in digits`);
        return undefined;
      case 'boolean': {
        const value = BOOLEANS.get(text.trim().toLowerCase());
        if (value === undefined) {
          this.problem(column, `${column} must be yes or no (true/false and 1/0 are read too)`);
        }
        return value;
      }
      case 'list':
        return this.json(text, column, path, 'a JSON list such as ["first", "second"]');
    }
  }

  /** A JSON cell: a list, nested no deeper than any case, with no prototype keys. */
  private json(
    text: string,
    column: string,
    path: string,
    expected: string,
  ): unknown[] | undefined {
    const depth = path.split('.').length;
    const room = MAX_NESTING + 1 - depth;
    if (jsonNestingDepth(text, room) > room) {
      this.problem(column, `${column} nests deeper than ${MAX_NESTING} levels`);
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      // The parser's own message quotes the text, so it is not passed on.
      this.problem(column, `${column} is not valid JSON: write it as ${expected}`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.problem(column, `${column} must be ${expected}`);
      return undefined;
    }
    const unsafe = findUnsafeKeys(value, '', depth);
    if (unsafe.length > 0) {
      this.problem(column, unsafeMessage(column, unsafe));
      return undefined;
    }
    return value;
  }

  private problem(column: string, message: string): void {
    this.problems.push({ column, message });
  }
}

/** One message for a JSON value's refused keys or depth, naming the keys (fixed words only). */
function unsafeMessage(where: string, unsafe: ErrorDetail[]): string {
  const keys = [
    ...new Set(
      unsafe
        .map((d) => (d.field ?? '').split('.').pop() ?? '')
        .filter((k) => FORBIDDEN_KEYS.has(k)),
    ),
  ];
  if (keys.length === 0) return `${where} nests deeper than ${MAX_NESTING} levels`;
  return `${where} holds the field name ${keys.map((k) => `"${k}"`).join(', ')}, which is refused`;
}

/** The problems `findUnsafeKeys` found in a whole JSON case, by the column each is under. */
export function unsafeProblems(unsafe: ErrorDetail[]): CellProblem[] {
  return unsafe.map((d) => {
    const segments = d.field ? d.field.split('.') : [];
    const { display } = locate(segments, null);
    const key = segments[segments.length - 1] ?? '';
    return {
      column: display || null,
      message: FORBIDDEN_KEYS.has(key)
        ? `${display} is refused: __proto__, constructor and prototype are not allowed as field names`
        : `${display || 'the case'} nests deeper than ${MAX_NESTING} levels`,
    };
  });
}

// ---- validation, reported by column ------------------------------------------------------------

export interface CheckedFacts {
  facts?: CaseFacts;
  problems: CellProblem[];
}

/**
 * Validates a row's facts exactly as the API does and reports each failure against the column
 * it came from. `lists` is null for JSON Lines, whose "columns" are the fields' own paths.
 * Failures on a column that already has a cell problem are not repeated.
 */
export function checkFacts(
  plain: Record<string, unknown>,
  lists: Map<string, ListSource> | null,
  already: readonly CellProblem[] = [],
): CheckedFacts {
  try {
    return { facts: parseCaseFacts(plain), problems: [] };
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
    const reported = already.map((p) => p.column).filter((c): c is string => c !== null);
    const covered = (column: string) =>
      reported.some((r) => r === column || r.startsWith(`${column}.`));
    return {
      problems: e.details
        .map((d) => describe(d, plain, lists))
        .filter((p) => p.column === null || !covered(p.column)),
    };
  }
}

function describe(
  detail: ErrorDetail,
  plain: Record<string, unknown>,
  lists: Map<string, ListSource> | null,
): CellProblem {
  const field = detail.field ?? '';
  const segments = field ? field.split('.') : [];
  const where = locate(segments, lists);
  const rule = typeof detail.rule === 'string' ? detail.rule : undefined;
  let message: string;
  if (rule !== undefined && rule !== 'oneOf' && valueAt(plain, segments) === undefined) {
    message =
      where.node === 'object' && lists !== null
        ? `${where.display} is required: its columns (${where.display}.…) are all empty`
        : `${where.display} is required`;
  } else if (field && detail.message.startsWith(field)) {
    message = where.display + detail.message.slice(field.length);
  } else if (where.display !== where.column) {
    message = `${where.display}: ${detail.message}`;
  } else {
    message = detail.message;
  }
  return { column: where.column || null, message };
}

/**
 * A key not in CaseFacts is named back only when it looks like a field name: a key is typed by
 * whoever made the file and could hold anything, of any length.
 */
const SHOWABLE_KEY = /^[\w$-]{1,64}$/;
const shownKey = (key: string): string => (SHOWABLE_KEY.test(key) ? key : '[unreadable name]');

interface Located {
  /** The column the value came from (for CSV, a list's JSON column when it came from there). */
  column: string;
  /** The value's path with items numbered from 1, e.g. `incidents.2.narrative`. */
  display: string;
  node: 'leaf' | 'object' | 'list' | 'unknown';
}

/** Maps a path in the facts (items by 0-based index) onto columns and 1-based item numbers. */
export function locate(
  segments: readonly string[],
  lists: Map<string, ListSource> | null,
): Located {
  let fields: readonly FieldShape[] | undefined = CASE_FACTS_FIELDS;
  const shown: string[] = [];
  const factsPath: string[] = [];
  let column: string | undefined;
  let node: Located['node'] = 'unknown';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const f: FieldShape | undefined = fields?.find((x) => x.name === segment);
    if (!f) {
      shown.push(...segments.slice(i).map(shownKey));
      node = 'unknown';
      break;
    }
    shown.push(segment);
    factsPath.push(segment);
    if (f.kind === 'leaf') {
      shown.push(...segments.slice(i + 1).map(shownKey));
      node = 'leaf';
      break;
    }
    if (f.kind === 'object') {
      fields = f.fields;
      node = 'object';
      continue;
    }
    node = 'list';
    const source = lists?.get(factsPath.join('.'));
    if (source?.from === 'json') column ??= source.column;
    const next = segments[i + 1];
    if (next === undefined || !/^\d+$/.test(next)) {
      fields = undefined;
      continue;
    }
    const index = Number(next);
    const number = source?.from === 'numbered' ? (source.numbers[index] ?? index + 1) : index + 1;
    shown.push(String(number));
    factsPath.push(next);
    fields = f.item;
    node = 'object';
    i++;
  }
  const display = shown.join('.');
  return { column: lists === null ? display : (column ?? display), display, node };
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let v: unknown = root;
  for (const s of segments) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, s)) {
      return undefined;
    }
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/** Paths of string values over the cell limit anywhere in a JSON case. */
export function longStrings(value: unknown, maxBytes: number, path: string[] = []): string[][] {
  if (typeof value === 'string') return exceedsBytes(value, maxBytes) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => longStrings(v, maxBytes, [...path, k]));
}
