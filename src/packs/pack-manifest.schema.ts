import { ErrorDetail } from '../common/errors/error-code';
import { isObject } from '../common/validation/data-files';
import { Audience, Condition, DocumentKind, PackManifest } from './pack-manifest';
import type { FieldRule, FormMapping } from './form-mapping';

/**
 * Structural validation of pack data (manifests, conditions, mappings). Packs are data written
 * by people, so each problem is reported with where it is, and all of them at once.
 */

type Problems = ErrorDetail[];

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const SAFE_RELATIVE = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/;

function str(o: Record<string, unknown>, key: string, where: string, p: Problems): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') {
    p.push({ field: `${where}.${key}`, message: `${key} must be a non-empty string` });
    return '';
  }
  return v;
}

function unknownKeys(
  o: Record<string, unknown>,
  allowed: string[],
  where: string,
  p: Problems,
): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) p.push({ field: `${where}.${k}`, message: `unknown key "${k}"` });
  }
}

export function checkCondition(c: unknown, where: string, p: Problems): void {
  if (!isObject(c)) {
    p.push({ field: where, message: 'a condition must be an object' });
    return;
  }
  if ('all' in c || 'any' in c) {
    const key = 'all' in c ? 'all' : 'any';
    const list = c[key];
    if (!Array.isArray(list) || list.length === 0) {
      p.push({
        field: `${where}.${key}`,
        message: `${key} must be a non-empty list of conditions`,
      });
      return;
    }
    list.forEach((sub, i) => checkCondition(sub, `${where}.${key}.${i}`, p));
    return;
  }
  if ('not' in c) {
    checkCondition(c.not, `${where}.not`, p);
    return;
  }
  if (typeof c.path !== 'string' || c.path === '') {
    p.push({ field: `${where}.path`, message: 'a condition needs a path (or all/any/not)' });
    return;
  }
  const tests = ['equals', 'in', 'includes', 'truthy', 'nonEmpty'].filter((k) => k in c);
  if (tests.length !== 1) {
    p.push({
      field: where,
      message: 'a condition needs exactly one of equals, in, includes, truthy, nonEmpty',
    });
  }
  unknownKeys(c, ['path', 'equals', 'in', 'includes', 'truthy', 'nonEmpty'], where, p);
}

function checkDocument(d: unknown, where: string, p: Problems): void {
  if (!isObject(d)) {
    p.push({ field: where, message: 'a document must be an object' });
    return;
  }
  unknownKeys(d, ['id', 'title', 'kind', 'file', 'when', 'audiences', 'mapping', 'form'], where, p);
  const id = str(d, 'id', where, p);
  if (id && !ID.test(id)) p.push({ field: `${where}.id`, message: 'id must be kebab-case' });
  str(d, 'title', where, p);
  const kind = d.kind;
  if (kind !== DocumentKind.Docx && kind !== DocumentKind.PdfForm) {
    p.push({ field: `${where}.kind`, message: 'kind must be "docx" or "pdf-form"' });
  }
  const file = str(d, 'file', where, p);
  if (file && !SAFE_RELATIVE.test(file)) {
    p.push({ field: `${where}.file`, message: 'file must be a relative path inside the pack' });
  }
  if (d.when !== undefined) checkCondition(d.when, `${where}.when`, p);
  const audiences = d.audiences;
  const known = Object.values(Audience) as string[];
  if (!Array.isArray(audiences) || audiences.length === 0) {
    p.push({ field: `${where}.audiences`, message: 'audiences must list who receives it' });
  } else {
    audiences
      .filter((a) => typeof a !== 'string' || !known.includes(a))
      .forEach((a) =>
        p.push({
          field: `${where}.audiences`,
          message: `unknown audience ${JSON.stringify(a)}; use ${known.join(', ')}`,
        }),
      );
  }
  if (kind === DocumentKind.PdfForm) {
    const mapping = str(d, 'mapping', where, p);
    if (mapping && !SAFE_RELATIVE.test(mapping)) {
      p.push({
        field: `${where}.mapping`,
        message: 'mapping must be a relative path inside the pack',
      });
    }
  }
  if (d.form !== undefined) {
    if (!isObject(d.form)) {
      p.push({ field: `${where}.form`, message: 'form must be an object' });
    } else {
      for (const k of ['number', 'title', 'revision', 'publishedAt'])
        str(d.form, k, `${where}.form`, p);
      const sha = d.form.sha256;
      if (typeof sha !== 'string' || !SHA256.test(sha)) {
        p.push({
          field: `${where}.form.sha256`,
          message: 'sha256 must be 64 lowercase hex digits',
        });
      }
      unknownKeys(
        d.form,
        ['number', 'title', 'revision', 'publishedAt', 'sha256'],
        `${where}.form`,
        p,
      );
    }
  }
}

/** Validates a parsed manifest.json; returns the problems (empty when valid). */
export function checkManifest(m: unknown): Problems {
  const p: Problems = [];
  if (!isObject(m)) return [{ field: 'manifest', message: 'the manifest must be a JSON object' }];
  unknownKeys(
    m,
    ['id', 'title', 'version', 'jurisdiction', 'language', 'documents'],
    'manifest',
    p,
  );
  const id = str(m, 'id', 'manifest', p);
  if (id && !ID.test(id)) p.push({ field: 'manifest.id', message: 'id must be kebab-case' });
  str(m, 'title', 'manifest', p);
  str(m, 'version', 'manifest', p);
  str(m, 'language', 'manifest', p);
  if (!isObject(m.jurisdiction)) {
    p.push({ field: 'manifest.jurisdiction', message: 'jurisdiction must be { state, name }' });
  } else {
    str(m.jurisdiction, 'state', 'manifest.jurisdiction', p);
    str(m.jurisdiction, 'name', 'manifest.jurisdiction', p);
  }
  if (!Array.isArray(m.documents) || m.documents.length === 0) {
    p.push({ field: 'manifest.documents', message: 'documents must be a non-empty list' });
    return p;
  }
  const ids = new Set<string>();
  m.documents.forEach((d, i) => {
    const where = `documents.${isObject(d) && typeof d.id === 'string' ? d.id : i}`;
    checkDocument(d, where, p);
    if (isObject(d) && typeof d.id === 'string') {
      if (ids.has(d.id)) p.push({ field: where, message: `duplicate document id "${d.id}"` });
      ids.add(d.id);
    }
  });
  return p;
}

export function isManifest(m: unknown): m is PackManifest {
  return checkManifest(m).length === 0;
}

function checkRule(rule: unknown, where: string, p: Problems): void {
  if (!isObject(rule)) {
    p.push({ field: where, message: 'a field rule must be an object' });
    return;
  }
  const kinds = ['value', 'checked', 'choice', 'ignore'].filter((k) => k in rule);
  if (kinds.length !== 1) {
    p.push({
      field: where,
      message: 'a field rule needs exactly one of value, checked, choice, ignore',
    });
    return;
  }
  const r = rule as Partial<Record<keyof FieldRule | string, unknown>>;
  switch (kinds[0]) {
    case 'value':
      if (typeof r.value !== 'string' || r.value === '') {
        p.push({ field: `${where}.value`, message: 'value must be a view-model path' });
      }
      if (r.overflow !== undefined) {
        const o = r.overflow;
        if (!isObject(o) || typeof o.label !== 'string' || typeof o.heading !== 'string') {
          p.push({ field: `${where}.overflow`, message: 'overflow must be { label, heading }' });
        }
      }
      unknownKeys(rule, ['value', 'overflow'], where, p);
      break;
    case 'checked':
      checkCondition(r.checked, `${where}.checked`, p);
      unknownKeys(rule, ['checked'], where, p);
      break;
    case 'choice':
      if (typeof r.choice !== 'string') {
        p.push({ field: `${where}.choice`, message: 'choice must be a view-model path' });
      }
      if (!isObject(r.options)) {
        p.push({ field: `${where}.options`, message: 'options must map values to option names' });
      }
      unknownKeys(rule, ['choice', 'options'], where, p);
      break;
    default:
      if (typeof r.ignore !== 'string' || r.ignore.trim() === '') {
        p.push({ field: `${where}.ignore`, message: 'say why the field is left blank' });
      }
      unknownKeys(rule, ['ignore'], where, p);
  }
}

/** Validates a parsed mapping file; returns the problems (empty when valid). */
export function checkFormMapping(m: unknown): Problems {
  const p: Problems = [];
  if (!isObject(m) || !isObject(m.fields)) {
    return [{ field: 'mapping', message: 'a mapping must be { "fields": { ... } }' }];
  }
  for (const [name, rule] of Object.entries(m.fields)) checkRule(rule, `fields.${name}`, p);
  return p;
}

export function isFormMapping(m: unknown): m is FormMapping {
  return checkFormMapping(m).length === 0;
}

export type { Condition };
