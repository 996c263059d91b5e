import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { isObject, readJson } from '../common/validation/data-files';
import { COMMON_DIR } from '../packs/pack-loader';
import { checkCondition } from '../packs/pack-manifest.schema';
import { GLOSSARY_FILE, checkGlossary } from './glossary';
import {
  Glossary,
  InterviewDefinition,
  LANGUAGES,
  ListSpec,
  Localized,
  QUESTION_KINDS,
  Question,
  TEXT_FORMATS,
  Screen,
  Section,
} from './interview-definition';
import { PLACEHOLDER, lintInterview, textsIn } from './interview-lint';

/**
 * Reads and validates an interview. Definitions are written by people, so every problem is
 * collected and named by file, screen and question, and a bad interview stops start-up.
 */

type Problems = ErrorDetail[];

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A section file beside `interview.json`, or `common/<file>` for one of the shared sections. */
const SECTION_FILE = /^(common\/)?[a-z0-9][a-z0-9-]{0,63}\.json$/;
const COMMON_PREFIX = `${COMMON_DIR}/`;

const PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const CHOICE_KINDS = ['singleChoice', 'multipleChoice'];

export const INTERVIEW_DIR = 'interview';
export const INTERVIEW_FILE = 'interview.json';

export class InterviewLoadError extends AppError {
  constructor(where: string, problems: ErrorDetail[]) {
    const list = problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ');
    super(ErrorCode.PackInvalid, `Interview "${where}" is invalid: ${list}`, problems);
  }
}

/** A pack's own interview folder when it has one, otherwise the one every pack shares. */
export function interviewDir(packsDir: string, packId: string): string {
  const own = join(packsDir, packId, INTERVIEW_DIR);
  return existsSync(join(own, INTERVIEW_FILE)) ? own : join(packsDir, COMMON_DIR, INTERVIEW_DIR);
}

/**
 * The pack's interview, with the shared sections it names from `templates/common/interview/`.
 * A pack's interview that fixes the court's state must fix the pack's own state.
 */
export function loadInterviewForPack(packsDir: string, packId: string): InterviewDefinition {
  const dir = interviewDir(packsDir, packId);
  const common = join(packsDir, COMMON_DIR, INTERVIEW_DIR);
  const problems: Problems = [];
  const manifest = readJson(join(packsDir, packId, 'manifest.json'), 'manifest.json', problems);
  const jurisdiction = isObject(manifest) ? manifest.jurisdiction : undefined;
  const packState = isObject(jurisdiction) ? jurisdiction.state : undefined;
  const definition = loadInterview(dir, common);
  const fixed = definition.defaults['court.state'];
  if (fixed !== undefined && packState !== undefined && fixed !== packState) {
    problems.push({
      field: `${INTERVIEW_FILE} defaults court.state`,
      message: `is "${String(fixed)}", but pack ${packId} is for ${String(packState)}`,
    });
  }
  if (problems.length > 0) throw new InterviewLoadError(dir, problems);
  return definition;
}

/**
 * Loads, checks the structure of, and lints the interview in `dir`; throws naming every problem.
 * `common/<file>` sections and the glossary come from `commonDir`, by default the shared folder
 * beside the pack's (`templates/common/interview` for `templates/<pack>/interview`).
 */
export function loadInterview(
  dir: string,
  commonDir: string = join(dirname(dirname(dir)), COMMON_DIR, INTERVIEW_DIR),
): InterviewDefinition {
  const problems: Problems = [];
  const raw = readJson(join(dir, INTERVIEW_FILE), INTERVIEW_FILE, problems);
  const definition =
    raw === undefined ? undefined : buildDefinition({ dir, commonDir }, raw, problems);
  if (definition && problems.length === 0) problems.push(...lintInterview(definition));
  if (!definition || problems.length > 0) throw new InterviewLoadError(dir, problems);
  return definition;
}

interface Folders {
  dir: string;
  commonDir: string;
}

function buildDefinition(
  folders: Folders,
  raw: unknown,
  problems: Problems,
): InterviewDefinition | undefined {
  if (!isObject(raw)) {
    problems.push({ field: INTERVIEW_FILE, message: 'must be a JSON object' });
    return undefined;
  }
  const where = INTERVIEW_FILE;
  const keys = ['id', 'version', 'title', 'sections', 'defaults', 'notAsked'];
  unknownKeys(raw, keys, where, problems);
  checkId(raw.id, `${where} id`, problems);
  if (typeof raw.version !== 'string' || raw.version === '') {
    problems.push({ field: `${where} version`, message: 'version must be a non-empty string' });
  }
  checkLocalized(raw.title, `${where} title`, problems);
  if (raw.defaults !== undefined && !isObject(raw.defaults)) {
    problems.push({ field: `${where} defaults`, message: 'defaults must be an object' });
  }
  if (isObject(raw.defaults)) checkPlaceholders(raw.defaults, `${where} defaults`, problems);
  if (raw.notAsked !== undefined) checkNotAsked(raw.notAsked, `${where} notAsked`, problems);
  const files = Array.isArray(raw.sections) ? raw.sections : [];
  if (files.length === 0) {
    problems.push({ field: `${where} sections`, message: 'sections must list section files' });
  }
  const sections = files.flatMap((file: unknown) => loadSection(folders, file, problems));
  checkUniqueIds(sections, problems);
  const glossary = loadGlossary(folders, problems);
  return {
    id: String(raw.id),
    version: String(raw.version),
    title: raw.title as Localized,
    sections,
    defaults: isObject(raw.defaults) ? raw.defaults : {},
    ...(isObject(raw.notAsked) ? { notAsked: raw.notAsked as Record<string, string> } : {}),
    ...(glossary ? { glossary } : {}),
  };
}

function loadSection(folders: Folders, file: unknown, problems: Problems): Section[] {
  if (typeof file !== 'string' || !SECTION_FILE.test(file)) {
    problems.push({
      field: `${INTERVIEW_FILE} sections`,
      message: `"${String(file)}" is not a section file name such as petitioner.json or common/court.json`,
    });
    return [];
  }
  const path = file.startsWith(COMMON_PREFIX)
    ? join(folders.commonDir, file.slice(COMMON_PREFIX.length))
    : join(folders.dir, file);
  const raw = readJson(path, file, problems);
  if (raw === undefined) return [];
  return checkSection(raw, basename(file), problems) ? [raw] : [];
}

/** The interview's own glossary if it has one, otherwise the shared one; none is allowed. */
function loadGlossary(folders: Folders, problems: Problems): Glossary | undefined {
  const own = join(folders.dir, GLOSSARY_FILE);
  const path = existsSync(own) ? own : join(folders.commonDir, GLOSSARY_FILE);
  if (!existsSync(path)) return undefined;
  const raw = readJson(path, GLOSSARY_FILE, problems);
  return raw !== undefined && checkGlossary(raw, GLOSSARY_FILE, problems) ? raw : undefined;
}

/** Placeholders must be well formed here; lint checks that the paths they name are asked. */
function checkPlaceholders(defaults: Record<string, unknown>, where: string, p: Problems): void {
  for (const [path, value] of Object.entries(defaults)) {
    for (const text of textsIn(value)) {
      const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
      const bad = names.filter((n) => !PATH.test(n));
      const stray = text.replace(PLACEHOLDER, '').search(/[{}]/) >= 0;
      if (bad.length > 0 || stray) {
        p.push({
          field: `${where} ${path}`,
          message: `"${text}": a placeholder is a CaseFacts path in braces, like {court.county}`,
        });
      }
    }
  }
}

function checkNotAsked(v: unknown, where: string, p: Problems): void {
  if (!isObject(v)) {
    p.push({ field: where, message: 'notAsked must map CaseFacts paths to reasons' });
    return;
  }
  for (const [path, reason] of Object.entries(v)) {
    if (!PATH.test(path)) {
      p.push({ field: `${where} ${path}`, message: 'must be a dotted CaseFacts path' });
    }
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      // The reason is the point: it tells the next reader why the fact is not collected.
      p.push({ field: `${where} ${path}`, message: 'give the reason this fact is not asked' });
    }
  }
}

function checkSection(s: unknown, file: string, p: Problems): s is Section {
  const before = p.length;
  if (!isObject(s)) {
    p.push({ field: file, message: 'a section must be a JSON object' });
    return false;
  }
  unknownKeys(s, ['id', 'title', 'showIf', 'list', 'screens'], file, p);
  checkId(s.id, `${file} id`, p);
  if (typeof s.id === 'string' && `${s.id}.json` !== file) {
    // Messages name a section by its file, so the two must agree.
    p.push({ field: `${file} id`, message: `id must be "${file.replace(/\.json$/, '')}"` });
  }
  checkLocalized(s.title, `${file} title`, p);
  if (s.showIf !== undefined) checkCondition(s.showIf, `${file} showIf`, p);
  if (s.list !== undefined) checkList(s.list, s.screens, file, p);
  if (!Array.isArray(s.screens) || s.screens.length === 0) {
    p.push({ field: `${file} screens`, message: 'a section needs at least one screen' });
  } else {
    s.screens.forEach((screen, i) => checkScreen(screen, `${file} screen ${i + 1}`, p));
  }
  return p.length === before;
}

function checkList(list: unknown, screens: unknown, file: string, p: Problems): void {
  const where = `${file} list`;
  if (!isObject(list)) {
    p.push({ field: where, message: 'list must be an object' });
    return;
  }
  const keys: (keyof ListSpec)[] = [
    'path',
    'min',
    'max',
    'itemName',
    'addPrompt',
    'summaryQuestion',
  ];
  unknownKeys(list, keys, where, p);
  if (typeof list.path !== 'string' || !PATH.test(list.path)) {
    p.push({ field: `${where} path`, message: 'path must be a dotted CaseFacts path' });
  }
  const min = list.min;
  const max = list.max;
  if (!isCount(min) || !isCount(max) || min > max || max === 0) {
    p.push({ field: `${where} min/max`, message: 'min and max must be counts with min <= max' });
  }
  checkLocalized(list.itemName, `${where} itemName`, p);
  checkLocalized(list.addPrompt, `${where} addPrompt`, p);
  const ids = Array.isArray(screens)
    ? screens.flatMap((s: unknown) =>
        isObject(s) && Array.isArray(s.questions)
          ? s.questions.map((q: unknown) => (isObject(q) ? q.id : undefined))
          : [],
      )
    : [];
  if (!ids.includes(list.summaryQuestion)) {
    p.push({
      field: `${where} summaryQuestion`,
      message: `summaryQuestion must name a question of this section`,
    });
  }
}

function checkScreen(s: unknown, where: string, p: Problems): void {
  if (!isObject(s)) {
    p.push({ field: where, message: 'a screen must be an object' });
    return;
  }
  const named = typeof s.id === 'string' ? `${where} (${s.id})` : where;
  unknownKeys(s, ['id', 'title', 'intro', 'showIf', 'questions'], named, p);
  checkId(s.id, `${named} id`, p);
  checkLocalized(s.title, `${named} title`, p);
  if (s.intro !== undefined) checkLocalized(s.intro, `${named} intro`, p);
  if (s.showIf !== undefined) checkCondition(s.showIf, `${named} showIf`, p);
  if (!Array.isArray(s.questions) || s.questions.length === 0) {
    p.push({ field: `${named} questions`, message: 'a screen needs at least one question' });
    return;
  }
  s.questions.forEach((q, i) => checkQuestion(q, `${named} question ${i + 1}`, p));
}

const QUESTION_KEYS: (keyof Question)[] = [
  'id',
  'kind',
  'path',
  'label',
  'help',
  'required',
  'showIf',
  'options',
  'maxLength',
  'min',
  'max',
  'notFuture',
  'format',
  'lines',
];

function checkQuestion(q: unknown, where: string, p: Problems): void {
  if (!isObject(q)) {
    p.push({ field: where, message: 'a question must be an object' });
    return;
  }
  const named = typeof q.id === 'string' ? `${where} (${q.id})` : where;
  unknownKeys(q, QUESTION_KEYS, named, p);
  checkId(q.id, `${named} id`, p);
  if (!QUESTION_KINDS.includes(q.kind as never)) {
    p.push({ field: `${named} kind`, message: `kind must be one of ${QUESTION_KINDS.join(', ')}` });
  }
  if (typeof q.path !== 'string' || !PATH.test(q.path)) {
    p.push({ field: `${named} path`, message: 'path must be a dotted CaseFacts path' });
  }
  checkLocalized(q.label, `${named} label`, p);
  if (q.help !== undefined) checkLocalized(q.help, `${named} help`, p);
  if (q.required !== undefined && typeof q.required !== 'boolean') {
    p.push({ field: `${named} required`, message: 'required must be true or false' });
  }
  if (q.showIf !== undefined) checkCondition(q.showIf, `${named} showIf`, p);
  for (const key of ['maxLength', 'min', 'max'] as const) {
    if (q[key] !== undefined && typeof q[key] !== 'number') {
      p.push({ field: `${named} ${key}`, message: `${key} must be a number` });
    }
  }
  if (q.format !== undefined && (q.kind !== 'text' || !TEXT_FORMATS.includes(q.format as never))) {
    p.push({
      field: `${named} format`,
      message: `format is for text questions and one of ${TEXT_FORMATS.join(', ')}`,
    });
  }
  if (q.lines !== undefined && (q.lines !== true || q.kind !== 'longText')) {
    p.push({ field: `${named} lines`, message: 'lines is true or absent, for longText questions' });
  }
  checkOptions(q, named, p);
}

function checkOptions(q: Record<string, unknown>, where: string, p: Problems): void {
  const isChoice = CHOICE_KINDS.includes(String(q.kind));
  if (!isChoice) {
    if (q.options !== undefined) {
      p.push({ field: `${where} options`, message: 'only choice questions have options' });
    }
    return;
  }
  if (!Array.isArray(q.options) || q.options.length === 0) {
    p.push({ field: `${where} options`, message: 'a choice question needs options' });
    return;
  }
  q.options.forEach((o: unknown, i) => {
    const at = `${where} option ${i + 1}`;
    if (!isObject(o) || typeof o.value !== 'string' || o.value === '') {
      p.push({ field: at, message: 'an option needs a string value' });
      return;
    }
    unknownKeys(o, ['value', 'label', 'help'], at, p);
    checkLocalized(o.label, `${at} label`, p);
    if (o.help !== undefined) checkLocalized(o.help, `${at} help`, p);
  });
}

/** Ids name answers in the API and in web forms, so they are unique across the interview. */
function checkUniqueIds(sections: Section[], p: Problems): void {
  const seen = new Set<string>();
  const report = (kind: string, id: string, where: string): void => {
    const key = `${kind}:${id}`;
    if (seen.has(key)) p.push({ field: where, message: `${kind} id "${id}" is used twice` });
    seen.add(key);
  };
  for (const section of sections) {
    report('section', section.id, `section ${section.id}`);
    for (const screen of section.screens) {
      report('screen', screen.id, `section ${section.id} screen ${screen.id}`);
      for (const q of screen.questions) {
        report('question', q.id, `section ${section.id} screen ${screen.id} question ${q.id}`);
      }
    }
  }
}

function checkLocalized(v: unknown, where: string, p: Problems): void {
  if (!isObject(v)) {
    p.push({ field: where, message: `must give text in ${LANGUAGES.join(' and ')}` });
    return;
  }
  for (const lang of LANGUAGES) {
    const text = v[lang];
    if (typeof text !== 'string' || text.trim() === '') {
      p.push({ field: `${where}.${lang}`, message: `missing the ${lang} text` });
    }
  }
  unknownKeys(v, [...LANGUAGES], where, p);
}

function checkId(v: unknown, where: string, p: Problems): void {
  if (typeof v !== 'string' || !ID.test(v)) {
    p.push({ field: where, message: 'must be an id of lowercase letters, digits and dashes' });
  }
}

function unknownKeys(o: Record<string, unknown>, allowed: string[], where: string, p: Problems) {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) p.push({ field: where, message: `unknown key "${k}"` });
  }
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Where a screen or question sits, for messages: `incidents.json screen incident-when question date`. */
export function locate(section: Section, screen?: Screen, question?: Question): string {
  return [
    `${section.id}.json`,
    screen ? `screen ${screen.id}` : '',
    question ? `question ${question.id}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
