import { CASE_FACTS_FIELDS, FieldShape, LeafKind, ObjectListShape } from './case-facts-shape';
import type { BatchProblem } from './batch-types';

/**
 * The columns of a batch CSV, derived from CaseFacts:
 *
 * - a scalar leaf is one column named by its dotted path: `petitioner.name.full`,
 *   `petitioner.residentialAddress.street`;
 * - a list of texts or of choices (`petitioner.otherNames`, `incidents.1.acts`) is one cell
 *   holding a JSON array, `["hit","pushed"]`: a separator character could not be told apart from
 *   the same character inside a witness's name or an alias, and values are kept literally;
 * - a list of objects has numbered columns for its first items, numbered from 1
 *   (`incidents.1.date`, `protectedPersons.2.name.full`; how many: `NUMBERED_ITEMS`), and one
 *   more column named by the list itself (`incidents`) that may hold the whole list as a JSON
 *   array instead, for more items than the numbered columns take. A row uses one or the other.
 *   Inside an item, a list of objects has only its JSON column.
 *
 * Cells: empty means not given; yes/no, true/false and 1/0 (any case) for yes-or-no questions;
 * numbers as digits; everything else exactly as typed. Inside JSON cells values are JSON, as in
 * the API (`true`, `3`, `"text"`).
 */

/**
 * How many items of each list of objects get numbered columns; a case with more gives that list
 * in its JSON column (which takes as many as CaseFacts allows, within the cell limit). Incidents
 * and protected people (children, household members) are the lists that grow; ten of each covers
 * nearly every petition without making the sheet unusably wide.
 */
export const NUMBERED_ITEMS: Readonly<Record<string, number>> = {
  'respondent.firearms.items': 5,
  protectedPersons: 10,
  incidents: 10,
  'requestedOrders.pets.pets': 5,
  otherCases: 5,
};

/** For a list of objects added to CaseFacts before someone picks its number (a test asks). */
const UNLISTED_NUMBERED_ITEMS = 3;

export type ColumnKind = LeafKind | 'items';

export interface BatchColumn {
  /** The header, e.g. `incidents.2.narrative`. */
  name: string;
  /** How the cell is read: text, number, boolean, a JSON list of values, or a JSON list of objects. */
  kind: ColumnKind;
}

/** How many numbered items a list of objects gets at this place (none inside another list). */
export function numberedItemsOf(list: ObjectListShape, path: string, inItem: boolean): number {
  if (inItem) return 0;
  const chosen = NUMBERED_ITEMS[path] ?? UNLISTED_NUMBERED_ITEMS;
  return Math.min(chosen, list.maxItems ?? chosen);
}

function columnsOf(fields: readonly FieldShape[], prefix: string, inItem: boolean): BatchColumn[] {
  const out: BatchColumn[] = [];
  for (const f of fields) {
    const name = prefix + f.name;
    if (f.kind === 'leaf') out.push({ name, kind: f.leaf });
    else if (f.kind === 'object') out.push(...columnsOf(f.fields, `${name}.`, inItem));
    else {
      out.push({ name, kind: 'items' });
      for (let n = 1; n <= numberedItemsOf(f, name, inItem); n++) {
        out.push(...columnsOf(f.item, `${name}.${n}.`, true));
      }
    }
  }
  return out;
}

/** Every column a batch CSV may have, in the template's order. */
export const BATCH_COLUMNS: readonly BatchColumn[] = columnsOf(CASE_FACTS_FIELDS, '', false);

export const BATCH_COLUMN_NAMES: readonly string[] = BATCH_COLUMNS.map((c) => c.name);

const KNOWN = new Map(BATCH_COLUMNS.map((c) => [c.name, c]));
const KNOWN_LOWER = new Map(BATCH_COLUMNS.map((c) => [c.name.toLowerCase(), c.name]));

export function batchColumn(name: string): BatchColumn | undefined {
  return KNOWN.get(name);
}

/**
 * A case as cells, keyed by column: the inverse of reading a row, for the template and for
 * exports. A list of objects longer than its numbered columns goes in its JSON column.
 */
export function factsToCells(facts: object): Map<string, string> {
  const out = new Map<string, string>();
  fill(CASE_FACTS_FIELDS, facts as Record<string, unknown>, '', false, out);
  return out;
}

function fill(
  fields: readonly FieldShape[],
  value: Record<string, unknown>,
  prefix: string,
  inItem: boolean,
  out: Map<string, string>,
): void {
  for (const f of fields) {
    const v = value[f.name];
    if (v === undefined || v === null) continue;
    const name = prefix + f.name;
    if (f.kind === 'leaf') {
      out.set(name, leafCell(f.leaf, v));
    } else if (f.kind === 'object') {
      fill(f.fields, v as Record<string, unknown>, `${name}.`, inItem, out);
    } else {
      const items = v as Record<string, unknown>[];
      if (items.length > 0 && items.length <= numberedItemsOf(f, name, inItem)) {
        items.forEach((item, i) => fill(f.item, item, `${name}.${i + 1}.`, true, out));
      } else {
        out.set(name, JSON.stringify(items));
      }
    }
  }
}

function leafCell(kind: LeafKind, v: unknown): string {
  if (kind === 'list') return JSON.stringify(v);
  if (kind === 'boolean' && typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

// ---- the header --------------------------------------------------------------------------------

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** The letters a spreadsheet shows above a column: 0 is A, 26 is AA. */
export function spreadsheetColumn(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export interface HeaderCheck {
  problems: BatchProblem[];
  /** Column name to its position in the row. */
  positions: Map<string, number>;
}

/**
 * Every problem with the header row at once: unknown, duplicated, unnamed and refused column
 * names. A header with any of them is not used, since a cell under an unknown or duplicated
 * column would otherwise be dropped or chosen silently.
 */
export function checkHeader(header: readonly string[]): HeaderCheck {
  const positions = new Map<string, number>();
  const problems: BatchProblem[] = [];
  const at = (i: number) => `spreadsheet column ${spreadsheetColumn(i)}`;
  if (!header.some((name) => KNOWN.has(name))) {
    // Possibly a first case where the header should be: its cells are not named back.
    problems.push({
      row: 1,
      column: null,
      message:
        'row 1 must be the header naming the columns, but none of its cells is a known column name; start from the template',
    });
    return { problems, positions };
  }
  header.forEach((name, i) => {
    const shown = showable(name) ? `"${name}"` : 'an unreadable name';
    if (name === '') {
      problems.push({ row: 1, column: null, message: `${at(i)} has no name in the header` });
    } else if (name.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) {
      problems.push({
        row: 1,
        column: showable(name) ? name : null,
        message: `column ${shown} (${at(i)}) is refused: __proto__, constructor and prototype are not allowed in column names`,
      });
    } else if (positions.has(name)) {
      problems.push({
        row: 1,
        column: name,
        message: `column "${name}" appears twice (spreadsheet columns ${spreadsheetColumn(positions.get(name) ?? 0)} and ${spreadsheetColumn(i)}); keep one`,
      });
    } else if (!KNOWN.has(name)) {
      problems.push({
        row: 1,
        column: showable(name) ? name : null,
        message: `unknown column ${shown} (${at(i)})${unknownHint(name)}`,
      });
    } else {
      positions.set(name, i);
    }
  });
  return { problems, positions };
}

/** Column names are echoed only when they look like one: short, printable, on one line. */
function showable(name: string): boolean {
  return name.length <= 200 && !/[\u0000-\u001f\u007f]/.test(name);
}

function unknownHint(name: string): string {
  const sameButCase = KNOWN_LOWER.get(name.toLowerCase());
  if (sameButCase) return `; column names are case-sensitive: did you mean "${sameButCase}"?`;
  const numbered = /^(.+?)\.(\d+)(?:\.|$)/.exec(name);
  if (numbered) {
    const [, list, n] = numbered;
    const max = NUMBERED_ITEMS[list];
    if (max !== undefined && Number(n) === 0) {
      return `; items are numbered from 1, as in ${list}.1`;
    }
    if (max !== undefined && Number(n) > max) {
      return `; numbered columns of ${list} go up to ${list}.${max}: give more items as a JSON list in the "${list}" column`;
    }
  }
  return '';
}
