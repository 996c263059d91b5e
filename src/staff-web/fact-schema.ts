import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { CaseFacts, LIMITS } from '../case-facts/case-facts.dto';
import { Sensitivity, sensitivityOf } from '../confidentiality/sensitivity';

/**
 * What the staff pages know about the shape of CaseFacts, read from the class-validator
 * decorators on the model itself: which properties a class has, in the order they are declared,
 * and what kind of input each one takes. Nothing here repeats the model, so a fact added to
 * CaseFacts shows on the matter page, and can be edited, without a change here.
 */

export type LeafKind =
  'text' | 'longText' | 'date' | 'integer' | 'boolean' | 'enum' | 'enumList' | 'textList';

export interface LeafSpec {
  kind: LeafKind;
  /** May be left out (IsOptional, or only validated under a condition). */
  optional: boolean;
  /** The allowed values of an enum or a list of enum values. */
  options: string[];
}

export type PropertySpec =
  | { name: string; nested: 'object' | 'list' }
  | { name: string; nested?: undefined; leaf: LeafSpec };

type ClassType = abstract new (...args: never[]) => object;
type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

const cache = new Map<ClassType, PropertySpec[]>();

/** Text longer than one line of a form gets a text area. */
const LONG_TEXT = LIMITS.line;

/** The properties of a CaseFacts class (its base classes' first), as the decorators declare them. */
export function propertiesOf(cls: ClassType): PropertySpec[] {
  const known = cache.get(cls);
  if (known) return known;
  const chain: ClassType[] = [];
  for (let c: unknown = cls; typeof c === 'function' && c !== Object && c !== Function.prototype;) {
    chain.unshift(c as ClassType);
    c = Object.getPrototypeOf(c);
  }
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const owner of chain) {
    for (const m of metas) {
      if (m.target !== owner) continue;
      const list = byProperty.get(m.propertyName) ?? [];
      list.push(m);
      byProperty.set(m.propertyName, list);
    }
  }
  const specs = [...byProperty].map(([name, list]) => specOf(name, list));
  cache.set(cls, specs);
  return specs;
}

function specOf(name: string, metas: ValidationMetadata[]): PropertySpec {
  const has = (rule: string, each?: boolean): boolean =>
    metas.some((m) => m.name === rule && (each === undefined || Boolean(m.each) === each));
  const nested = metas.find((m) => m.type === 'nestedValidation');
  if (nested) return { name, nested: nested.each || has('isArray') ? 'list' : 'object' };
  const optional = metas.some((m) => m.type === 'conditionalValidation');
  const enumRule = metas.find((m) => m.name === 'isEnum');
  const options = enumRule ? enumValues(enumRule.constraints?.[0]) : [];
  const longest = Math.max(
    0,
    ...metas.filter((m) => m.name === 'maxLength').map((m) => Number(m.constraints?.[0] ?? 0)),
  );
  let kind: LeafKind;
  if (enumRule) kind = enumRule.each ? 'enumList' : 'enum';
  else if (has('isBoolean')) kind = 'boolean';
  else if (has('isCalendarDate')) kind = 'date';
  else if (has('isInt')) kind = 'integer';
  else if (has('isArray')) kind = 'textList';
  else kind = longest > LONG_TEXT ? 'longText' : 'text';
  return { name, leaf: { kind, optional, options } };
}

function enumValues(enumObject: unknown): string[] {
  if (typeof enumObject !== 'object' || enumObject === null) return [];
  return Object.values(enumObject as Record<string, unknown>).filter(
    (v): v is string => typeof v === 'string',
  );
}

/** The facts as instances of their classes, so each nested object can say what class it is. */
export function typedFacts(facts: CaseFacts): CaseFacts {
  return plainToInstance(CaseFacts, JSON.parse(JSON.stringify(facts)) as object);
}

export interface LeafAt {
  path: string;
  spec: LeafSpec;
  /** The property's label, e.g. "Case number". */
  label: string;
  /** The whole path in words, e.g. "Incident 2 – Police – Report number". */
  description: string;
  value: unknown;
  confidential: boolean;
}

const SEGMENT = /^(?:[a-z][A-Za-z]{0,63}|\d{1,3})$/;

/**
 * The leaf fact a dotted path names, in facts that hold its parent object: the fact itself may be
 * absent (an optional fact not given yet). Undefined for anything else: an unknown property, an
 * object or a list of objects, a parent that is not there.
 */
export function leafAt(facts: CaseFacts, path: string): LeafAt | undefined {
  const segments = path.split('.');
  if (segments.length < 2 || segments.length > 8 || !segments.every((s) => SEGMENT.test(s))) {
    return undefined;
  }
  let at: unknown = typedFacts(facts);
  for (const [i, key] of segments.entries()) {
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(key)) return undefined;
      at = at[Number(key)];
      continue;
    }
    if (typeof at !== 'object' || at === null || /^\d+$/.test(key)) return undefined;
    const spec = propertiesOf(at.constructor as ClassType).find((p) => p.name === key);
    if (!spec) return undefined;
    const value = (at as Record<string, unknown>)[key];
    if (i === segments.length - 1) {
      if (spec.nested) return undefined;
      return {
        path,
        spec: spec.leaf,
        label: labelOf(key),
        description: describePath(path),
        value,
        confidential: isConfidential(path),
      };
    }
    if (!spec.nested) return undefined;
    at = value;
  }
  return undefined;
}

export function isConfidential(path: string): boolean {
  return sensitivityOf(path) === Sensitivity.CourtConfidential;
}

// ---- words -------------------------------------------------------------------------------------

/** Where splitting the property name does not read well. */
const LABELS: Record<string, string> = {
  full: 'Full name',
  given: 'Given name',
  middle: 'Middle name',
  family: 'Family name',
  postalCode: 'ZIP code',
  has: 'Has firearms',
  distanceYards: 'Distance in yards',
  otherActs: 'Other acts',
  typedName: 'Name as signed',
  careOf: 'Care of',
  kind: 'Kind',
};

/** What one item of a list of objects is called. */
const ITEM_LABELS: Record<string, string> = {
  protectedPersons: 'Protected person',
  incidents: 'Incident',
  otherCases: 'Other case',
  items: 'Firearm',
  pets: 'Pet',
};

export function labelOf(property: string): string {
  const known = LABELS[property];
  if (known) return known;
  const words = property.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function itemLabel(listProperty: string, index: number): string {
  return `${ITEM_LABELS[listProperty] ?? 'Item'} ${index + 1}`;
}

/** A path in words: `incidents.1.police.reportNumber` is "Incident 2 – Police – Report number". */
export function describePath(path: string): string {
  const segments = path.split('.');
  const words: string[] = [];
  segments.forEach((segment, i) => {
    if (/^\d+$/.test(segment)) {
      words[words.length - 1] = itemLabel(segments[i - 1] ?? '', Number(segment));
    } else {
      words.push(labelOf(segment));
    }
  });
  return words.join(' – ');
}

/** An enum value as words: `threatened-to-kill` is "Threatened to kill". */
export function optionLabel(value: string): string {
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The id a fact's row has on the matter page, for links back to it. */
export function factAnchor(path: string): string {
  return `fact-${path.replace(/\./g, '-')}`;
}
