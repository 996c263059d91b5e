import { CaseFacts } from '../case-facts/case-facts.dto';
import { AppError } from '../common/errors/app-error';
import { listFormFields } from '../forms/form-fields';
import { renderDocx } from '../rendering/docx/docx-renderer';
import { CaseViewModel, buildCaseViewModel } from '../view-models/case-view-model';
import { conditionPaths } from './condition';
import type { FieldRule, FormMapping } from './form-mapping';
import { LoadedDocument, LoadedPack } from './pack-loader';
import { DocumentKind } from './pack-manifest';

export interface LintFinding {
  pack: string;
  document: string;
  severity: 'error' | 'warning';
  /** The form field or template tag concerned. */
  subject?: string;
  message: string;
}

/**
 * Proves a pack complete: every field of every form is mapped or deliberately ignored, every
 * mapping names a field that exists, and every path and tag has a value for each sample case.
 */
export async function lintPack(pack: LoadedPack, samples: CaseFacts[]): Promise<LintFinding[]> {
  const models = samples.map(buildCaseViewModel);
  const findings: LintFinding[] = pack.missingForms.map((f) => ({
    pack: pack.manifest.id,
    document: f.documentId,
    severity: 'warning',
    message: `${f.formNumber} is not installed, so its fields cannot be checked`,
  }));
  for (const doc of pack.documents) {
    if (!doc.bytes) continue;
    const at = (severity: LintFinding['severity'], message: string, subject?: string) =>
      findings.push({ pack: pack.manifest.id, document: doc.def.id, severity, subject, message });
    if (doc.def.kind === DocumentKind.Docx) {
      lintDocx(doc, models, at);
    } else {
      await lintForm(doc, models, at);
    }
  }
  return findings;
}

type Report = (severity: LintFinding['severity'], message: string, subject?: string) => void;

function lintDocx(doc: LoadedDocument, models: CaseViewModel[], report: Report): void {
  const seen = new Set<string>();
  for (const model of models) {
    try {
      renderDocx(doc.bytes as Buffer, model);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      for (const d of e.details.length ? e.details : [{ message: e.message }]) {
        const key = `${d.field ?? ''}|${d.message}`;
        if (!seen.has(key)) report('error', d.message, d.field);
        seen.add(key);
      }
    }
  }
}

async function lintForm(doc: LoadedDocument, models: CaseViewModel[], report: Report) {
  const mapping: FormMapping = doc.mapping ?? { fields: {} };
  const fields = await listFormFields(doc.bytes as Buffer);
  const names = new Set(fields.map((f) => f.name));
  for (const f of fields) {
    if (!(f.name in mapping.fields)) {
      report('error', `form field "${f.name}" (${f.type}) is neither mapped nor ignored`, f.name);
    }
  }
  for (const [field, rule] of Object.entries(mapping.fields)) {
    if (!names.has(field))
      report('error', `mapping names field "${field}", which the form does not have`, field);
    for (const path of rulePaths(rule)) {
      const missingIn = models.filter((m) => lookup(m, path) === 'missing').length;
      if (missingIn > 0) report('error', `path "${path}" has no value in the view model`, field);
    }
  }
}

function rulePaths(rule: FieldRule): string[] {
  if ('value' in rule) return [rule.value];
  if ('choice' in rule) return [rule.choice];
  if ('checked' in rule) return conditionPaths(rule.checked);
  return [];
}

/**
 * `missing` when a path names nothing; `absent` when it indexes past the end of a list this
 * case happens not to fill (`children.2.fullName` for a case with one child), which is fine.
 */
export function lookup(model: unknown, path: string): 'found' | 'absent' | 'missing' {
  let current: unknown = model;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return 'missing';
      if (Number(segment) >= current.length) return 'absent';
      current = current[Number(segment)];
    } else if (current !== null && typeof current === 'object') {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return 'missing';
      current = (current as Record<string, unknown>)[segment];
    } else {
      return 'missing';
    }
  }
  return current === undefined ? 'missing' : 'found';
}
