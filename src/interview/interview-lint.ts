import type { MetadataStorage as TypeMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { ValidationTypes, getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { Address, CaseFacts } from '../case-facts/case-facts.dto';
import { ErrorDetail } from '../common/errors/error-code';
import { conditionPaths } from '../packs/condition';
import type { Condition } from '../packs/pack-manifest';
import { InterviewDefinition, Question, QuestionKind, Section } from './interview-definition';

/**
 * Proves an interview fits CaseFacts, from the validation metadata CaseFacts is checked with, so
 * the proof follows the model when it changes: every path a question writes or a condition reads
 * exists, every answer kind suits its property, every choice is a value of the property's enum,
 * and every property `parseCaseFacts` insists on is asked somewhere or has a default.
 */

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassRef = Function;

/**
 * class-transformer keeps the `@Type` registry (which class a nested property holds) in a module
 * it does not export from its entry point or type; this is the same instance `plainToInstance` uses.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TypeMetadataStorage;
};

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
  singleChoice: ['isEnum'],
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
  const validators = KIND_VALIDATORS[q.kind];
  if (!r.metas.some((m) => validators.includes(m.name ?? ''))) {
    return [{ field: where, message: `path ${q.path} does not take a ${q.kind} answer` }];
  }
  return lintOptions(q, r, where);
}

function lintOptions(q: Question, r: ResolvedProperty, where: string): ErrorDetail[] {
  const isEnum = r.metas.find((m) => m.name === 'isEnum');
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

function propertiesOf(cls: ClassRef): Map<string, ValidationMetadata[]> {
  const all = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const byName = new Map<string, ValidationMetadata[]>();
  for (const m of all) byName.set(m.propertyName, [...(byName.get(m.propertyName) ?? []), m]);
  return byName;
}

function nestedClass(cls: ClassRef, property: string): ClassRef | undefined {
  const type = defaultMetadataStorage.findTypeMetadata(cls, property);
  return type ? (type.typeFunction() as ClassRef) : undefined;
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
  asked: Set<string>;
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
