import { ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ClassRef, nestedClass, propertiesOf } from '../case-facts/case-facts-metadata';
import { Address, CaseFacts } from '../case-facts/case-facts.dto';
import { ErrorDetail } from '../common/errors/error-code';
import { conditionPaths } from '../packs/condition';
import type { Condition } from '../packs/pack-manifest';
import { InterviewDefinition, Question, QuestionKind, Section } from './interview-definition';

/**
 * Proves an interview fits CaseFacts, from the validation metadata CaseFacts is checked with, so
 * the proof follows the model when it changes: every path a question writes or a condition reads
 * exists, every answer kind suits its property, every choice is a value of the property's enum,
 * every property `parseCaseFacts` insists on is asked somewhere or has a default, and every fact
 * CaseFacts can hold is asked, defaulted, or listed in `notAsked` with the reason it is not.
 */

/** `{court.county}` in a default's text: filled from that answer (see `InterviewFile`). */
export const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Every string inside a default's value (defaults may be objects, like `{ requested: false }`). */
export function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(textsIn);
  return [];
}

interface ResolvedProperty {
  metas: ValidationMetadata[];
  /** The class of a nested object or of a nested list's items. */
  nested?: ClassRef;
  isList: boolean;
}

/**
 * Which validators a property may carry for an answer of each kind to fit it; text with a format
 * lands on properties CaseFacts checks by shape (`@Matches`, `@IsEmail`).
 */
const KIND_VALIDATORS: Record<Exclude<QuestionKind, 'address'>, string[]> = {
  text: ['isString', 'matches', 'isEmail'],
  longText: ['isString'],
  date: ['isCalendarDate'],
  yesNo: ['isBoolean'],
  number: ['isInt'],
  // A choice may also fill free text from a fixed list (a state's counties, its courts).
  singleChoice: ['isEnum', 'isString'],
  multipleChoice: ['isEnum'],
};

export function lintInterview(def: InterviewDefinition): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const section of def.sections) lintSection(section, problems);
  for (const path of Object.keys(def.defaults)) {
    const r = resolve(CaseFacts, path);
    if (typeof r === 'string') {
      problems.push({ field: `interview.json defaults ${path}`, message: r });
    }
  }
  problems.push(...missingRequired(def));
  problems.push(...lintPlaceholders(def));
  problems.push(...lintNotAsked(def));
  if (problems.length === 0) problems.push(...unaccounted(def));
  return problems;
}

function lintSection(section: Section, problems: ErrorDetail[]): void {
  const file = `${section.id}.json`;
  lintConditionPaths(section.showIf, CaseFacts, file, problems);
  let root: ClassRef = CaseFacts;
  if (section.list) {
    const list = resolve(CaseFacts, section.list.path);
    if (typeof list === 'string' || !list.isList || !list.nested) {
      const reason = typeof list === 'string' ? list : 'is not a list of objects in CaseFacts';
      problems.push({ field: `${file} list path ${section.list.path}`, message: reason });
      return;
    }
    root = list.nested;
  }
  for (const screen of section.screens) {
    const where = `${file} screen ${screen.id}`;
    lintConditionPaths(screen.showIf, root, where, problems);
    for (const q of screen.questions) {
      const at = `${where} question ${q.id}`;
      lintConditionPaths(q.showIf, root, at, problems);
      problems.push(...lintQuestion(q, root, at));
    }
  }
}

function lintConditionPaths(
  c: Condition | undefined,
  root: ClassRef,
  where: string,
  problems: ErrorDetail[],
): void {
  if (!c) return;
  for (const path of conditionPaths(c)) {
    const r = resolve(root, path);
    if (typeof r === 'string') problems.push({ field: `${where} showIf ${path}`, message: r });
  }
}

function lintQuestion(q: Question, root: ClassRef, where: string): ErrorDetail[] {
  const r = resolve(root, q.path);
  if (typeof r === 'string') return [{ field: where, message: `path ${q.path}: ${r}` }];
  if (q.kind === 'address') {
    const isAddress = r.nested === Address || r.nested?.prototype instanceof Address;
    return isAddress && !r.isList
      ? []
      : [
          {
            field: where,
            message: `path ${q.path} is not an Address, so it cannot take an address`,
          },
        ];
  }
  const takesList = r.isList && !r.nested && q.kind !== 'multipleChoice';
  if (takesList !== (q.lines === true)) {
    const message = takesList
      ? `path ${q.path} is a list of texts: ask it as longText with "lines": true`
      : `path ${q.path} is not a list of texts, so it cannot take lines`;
    return [{ field: where, message }];
  }
  const validators = KIND_VALIDATORS[q.kind];
  if (!r.metas.some((m) => validators.includes(m.name ?? ''))) {
    return [{ field: where, message: `path ${q.path} does not take a ${q.kind} answer` }];
  }
  return lintOptions(q, r, where);
}

function lintOptions(q: Question, r: ResolvedProperty, where: string): ErrorDetail[] {
  const isEnum = r.metas.find((m) => m.name === 'isEnum');
  if (!isEnum && q.options) return lintTextOptions(q, r, where);
  if (!isEnum || !q.options) return [];
  if ((q.kind === 'multipleChoice') !== isEnum.each) {
    const want = isEnum.each ? 'multipleChoice' : 'singleChoice';
    return [{ field: where, message: `path ${q.path} takes a ${want} answer` }];
  }
  const allowed = Object.values(isEnum.constraints[0] as Record<string, string>);
  return q.options
    .filter((o) => !allowed.includes(o.value))
    .map((o) => ({
      field: `${where} option ${o.value}`,
      message: `"${o.value}" is not a value of ${q.path}; allowed: ${allowed.join(', ')}`,
    }));
}

/** Options that fill a text property must fit it, or the end would refuse a choice it offered. */
function lintTextOptions(q: Question, r: ResolvedProperty, where: string): ErrorDetail[] {
  const max = r.metas.find((m) => m.name === 'maxLength')?.constraints[0] as number | undefined;
  return (q.options ?? [])
    .filter((o) => max !== undefined && o.value.length > max)
    .map((o) => ({
      field: `${where} option ${o.value}`,
      message: `"${o.value}" is longer than ${q.path} allows (${max} characters)`,
    }));
}

/** Follows a dotted path through CaseFacts' classes; a string says which segment is unknown. */
export function resolve(root: ClassRef, path: string): ResolvedProperty | string {
  let cls: ClassRef | undefined = root;
  let resolved: ResolvedProperty | undefined;
  for (const segment of path.split('.')) {
    if (!cls) return `"${segment}" is inside a value that has no properties`;
    const metas = propertiesOf(cls).get(segment);
    if (!metas) return `CaseFacts has no property "${segment}" here (${cls.name})`;
    resolved = {
      metas,
      nested: nestedClass(cls, segment),
      isList: metas.some((m) => m.name === 'isArray'),
    };
    // A list of objects is entered through a list section, never by an index in a path.
    cls = resolved.isList ? undefined : resolved.nested;
  }
  return resolved ?? 'empty path';
}

/**
 * A property is required when nothing makes it conditional. Properties that depend on another
 * answer (`@ValidateIf`, one-of pairs such as date of birth or age) are the interview's `showIf`
 * and `required` business, checked when the answers are parsed, not here.
 */
function isRequired(metas: ValidationMetadata[]): boolean {
  return !metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
}

interface Coverage {
  /** Paths the questions of this scope write, relative to it. */
  asked: Set<string>;
  /** Address questions, relative to the scope: they write the address's parts. */
  addresses: string[];
  defaults: string[];
  lists: Map<string, Section>;
}

function missingRequired(def: InterviewDefinition): ErrorDetail[] {
  const top = coverageOf(def.sections.filter((s) => !s.list));
  top.defaults = Object.keys(def.defaults);
  for (const s of def.sections) if (s.list) top.lists.set(s.list.path, s);
  return requiredUnder(CaseFacts, '', top);
}

function coverageOf(sections: Section[]): Coverage {
  const questions = sections.flatMap((s) => s.screens.flatMap((sc) => sc.questions));
  return {
    asked: new Set(questions.map((q) => q.path)),
    addresses: questions.filter((q) => q.kind === 'address').map((q) => q.path),
    defaults: [],
    lists: new Map(),
  };
}

function requiredUnder(cls: ClassRef, prefix: string, cov: Coverage): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [name, metas] of propertiesOf(cls)) {
    if (!isRequired(metas)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    if (cov.asked.has(path) || coveredByDefault(path, cov) || coveredByAddress(path, cov)) continue;
    const nested = nestedClass(cls, name);
    const isList = metas.some((m) => m.name === 'isArray');
    if (nested && !isList) {
      problems.push(...requiredUnder(nested, path, cov));
    } else if (nested && isList && cov.lists.has(path)) {
      const section = cov.lists.get(path) as Section;
      problems.push(...requiredInList(nested, section));
    } else {
      problems.push({
        field: path,
        message: `CaseFacts requires ${path}, but no question asks it and no default gives it`,
      });
    }
  }
  return problems;
}

function requiredInList(itemClass: ClassRef, section: Section): ErrorDetail[] {
  const cov = coverageOf([section]);
  const listPath = section.list?.path ?? section.id;
  return requiredUnder(itemClass, '', cov).map((p) => ({
    field: `${listPath}.N.${p.field}`,
    message: `${p.message} (in the items of ${section.id}.json)`,
  }));
}

function coveredByDefault(path: string, cov: Coverage): boolean {
  return cov.defaults.some((d) => d === path || path.startsWith(`${d}.`));
}

/** An address question writes every part of an address at once. */
function coveredByAddress(path: string, cov: Coverage): boolean {
  return cov.addresses.some(
    (a) => path.startsWith(`${a}.`) && !path.slice(a.length + 1).includes('.'),
  );
}

// ---- placeholders, notAsked, and every fact accounted for ------------------------------------

/**
 * A placeholder is filled from an answer, so it must name a path a required question of the main
 * flow asks: otherwise the default could be made from nothing, or from another list item.
 */
function lintPlaceholders(def: InterviewDefinition): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const required = new Set(
    def.sections
      .filter((s) => !s.list)
      .flatMap((s) => s.screens.flatMap((sc) => sc.questions))
      .filter((q) => q.required === true)
      .map((q) => q.path),
  );
  for (const [path, value] of Object.entries(def.defaults)) {
    for (const text of textsIn(value)) {
      for (const [, name] of text.matchAll(PLACEHOLDER)) {
        const where = `interview.json defaults ${path}`;
        const r = resolve(CaseFacts, name);
        if (typeof r === 'string') {
          problems.push({ field: where, message: `placeholder {${name}}: ${r}` });
        } else if (!required.has(name)) {
          problems.push({
            field: where,
            message: `placeholder {${name}} is not asked by a required question outside lists`,
          });
        }
      }
    }
  }
  return problems;
}

/** Every path a question or a default writes, with list items as `<list>.N.<path>`. */
function writtenPaths(def: InterviewDefinition): string[] {
  const paths = Object.keys(def.defaults);
  for (const s of def.sections) {
    for (const q of s.screens.flatMap((sc) => sc.questions)) {
      paths.push(s.list ? `${s.list.path}.N.${q.path}` : q.path);
    }
  }
  return paths;
}

function lintNotAsked(def: InterviewDefinition): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const written = writtenPaths(def);
  for (const path of Object.keys(def.notAsked ?? {})) {
    const where = `interview.json notAsked ${path}`;
    const r = resolveWithItems(path);
    if (typeof r === 'string') {
      problems.push({ field: where, message: r });
      continue;
    }
    const clash = written.find((w) => w === path || w.startsWith(`${path}.`));
    if (clash) {
      problems.push({
        field: where,
        message: `${clash} is asked or defaulted, so it is not "not asked"`,
      });
    }
  }
  return problems;
}

/** Like `resolve`, but `N` after a list enters its items (`incidents.N.dateRange`). */
function resolveWithItems(path: string): ResolvedProperty | string {
  const segments = path.split('.');
  let cls: ClassRef = CaseFacts;
  let rest: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    if (segments[i] !== 'N') {
      rest.push(segments[i]);
      continue;
    }
    const list = resolve(cls, rest.join('.'));
    if (typeof list === 'string') return list;
    if (!list.isList || !list.nested)
      return `${rest.join('.')} is not a list of objects, so it has no N`;
    cls = list.nested;
    rest = [];
  }
  return rest.length === 0 ? 'a path cannot end with N' : resolve(cls, rest.join('.'));
}

/**
 * Walks every leaf of CaseFacts (and into the items of lists the interview asks as list
 * sections): each must be written by a question, set by a default, or excused in `notAsked`.
 * A new CaseFacts property therefore fails the interview until someone decides about it.
 */
function unaccounted(def: InterviewDefinition): ErrorDetail[] {
  const lists = new Map(def.sections.flatMap((s) => (s.list ? [[s.list.path, s] as const] : [])));
  const excused = [...Object.keys(def.defaults), ...Object.keys(def.notAsked ?? {})];
  const addressParts = [...propertiesOf(Address).keys()];
  const problems: ErrorDetail[] = [];

  // Only `asked` and `addresses` (relative to the scope) are read here; excuses are absolute.
  const covered = (scope: Coverage, rel: string, abs: string): boolean =>
    scope.asked.has(rel) ||
    scope.addresses.some((a) => addressParts.some((part) => rel === `${a}.${part}`)) ||
    excused.some((e) => abs === e || abs.startsWith(`${e}.`));

  const walk = (cls: ClassRef, rel: string, abs: string, scope: Coverage, top: boolean): void => {
    for (const [name, metas] of propertiesOf(cls)) {
      const r = rel ? `${rel}.${name}` : name;
      const a = abs ? `${abs}.${name}` : name;
      if (covered(scope, r, a)) continue;
      const nested = nestedClass(cls, name);
      const isList = metas.some((m) => m.name === 'isArray');
      const section = top ? lists.get(a) : undefined;
      if (nested && !isList) {
        walk(nested, r, a, scope, top);
      } else if (nested && section) {
        walk(nested, '', `${a}.N`, coverageOf([section]), false);
      } else {
        problems.push({
          field: a,
          message: `no question asks ${a}, no default gives it, and notAsked gives no reason`,
        });
      }
    }
  };
  walk(CaseFacts, '', '', coverageOf(def.sections.filter((s) => !s.list)), true);
  return problems;
}
