import { ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ClassRef, nestedClass, propertiesOf } from '../../case-facts/case-facts-metadata';
import { CaseFacts } from '../../case-facts/case-facts.dto';

/**
 * The shape of CaseFacts as its validation metadata describes it: which properties exist, which
 * are nested objects, lists of objects, or leaves of a given kind. Batch columns are derived from
 * this, so a property added to CaseFacts gets a column without anyone listing it.
 */

/**
 * How a leaf is written in a cell: text as typed, a whole number, yes/no, or a JSON array
 * (a list of texts or of enum values).
 */
export type LeafKind = 'text' | 'number' | 'boolean' | 'list';

export interface LeafShape {
  kind: 'leaf';
  name: string;
  leaf: LeafKind;
}

export interface ObjectShape {
  kind: 'object';
  name: string;
  fields: FieldShape[];
}

export interface ObjectListShape {
  kind: 'objectList';
  name: string;
  /** The fields of one item. */
  item: FieldShape[];
  /** Most items CaseFacts accepts (`@ArrayMaxSize`). */
  maxItems: number | undefined;
  /**
   * CaseFacts always wants the list (`@IsDefined` with no condition): a row that fills none of
   * its columns means "none", an empty list, since a spreadsheet has no other way to say so.
   */
  alwaysPresent: boolean;
}

export type FieldShape = LeafShape | ObjectShape | ObjectListShape;

const has = (metas: ValidationMetadata[], name: string): boolean =>
  metas.some((m) => m.name === name);

function leafKind(metas: ValidationMetadata[]): LeafKind {
  if (has(metas, 'isArray')) return 'list';
  if (has(metas, 'isBoolean')) return 'boolean';
  if (has(metas, 'isInt')) return 'number';
  return 'text';
}

/** Nesting far beyond CaseFacts' own; only a model that refers to itself could reach it. */
const MAX_SHAPE_DEPTH = 12;

function fieldsOf(cls: ClassRef, depth: number): FieldShape[] {
  if (depth > MAX_SHAPE_DEPTH) {
    throw new Error(`CaseFacts nests deeper than ${MAX_SHAPE_DEPTH} levels at ${cls.name}`);
  }
  const fields: FieldShape[] = [];
  for (const [name, metas] of propertiesOf(cls)) {
    const nested = nestedClass(cls, name);
    if (!nested) {
      fields.push({ kind: 'leaf', name, leaf: leafKind(metas) });
    } else if (has(metas, 'isArray')) {
      const max = metas.find((m) => m.name === 'arrayMaxSize')?.constraints[0] as
        number | undefined;
      fields.push({
        kind: 'objectList',
        name,
        item: fieldsOf(nested, depth + 1),
        maxItems: max,
        alwaysPresent:
          has(metas, 'isDefined') &&
          !metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
      });
    } else {
      fields.push({ kind: 'object', name, fields: fieldsOf(nested, depth + 1) });
    }
  }
  return fields;
}

/** The top-level fields of CaseFacts, read once. */
export const CASE_FACTS_FIELDS: readonly FieldShape[] = fieldsOf(CaseFacts, 0);

/** Every list of objects in CaseFacts, by dotted path without item numbers. */
export function objectListPaths(
  fields: readonly FieldShape[] = CASE_FACTS_FIELDS,
  prefix = '',
): string[] {
  return fields.flatMap((f) => {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    if (f.kind === 'object') return objectListPaths(f.fields, path);
    if (f.kind === 'objectList') return [path, ...objectListPaths(f.item, `${path}.N`)];
    return [];
  });
}
