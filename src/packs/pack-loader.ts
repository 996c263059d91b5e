import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { readJson } from '../common/validation/data-files';
import { sha256 } from '../common/sha256';
import { MissingForm, formsNotInstalledError, formsStatus } from '../forms/install-forms';
import type { FormMapping } from './form-mapping';
import { DocumentKind, PackDocument, PackManifest } from './pack-manifest';
import { checkFormMapping, checkManifest } from './pack-manifest.schema';

export interface LoadedDocument {
  def: PackDocument;
  /** The template or prepared form, read once at load; undefined when an official form is missing. */
  bytes?: Buffer;
  sha256?: string;
  mapping?: FormMapping;
}

export interface LoadedPack {
  manifest: PackManifest;
  dir: string;
  documents: LoadedDocument[];
  /** Official forms the operator has not installed yet: the pack cannot generate until they are. */
  missingForms: MissingForm[];
}

/** Thrown at start-up for a pack that cannot be used at all; names the pack and every problem. */
export class PackLoadError extends AppError {
  constructor(packDir: string, problems: ErrorDetail[]) {
    const list = problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ');
    super(ErrorCode.PackInvalid, `Pack "${packDir}" is invalid: ${list}`, problems);
  }
}

/**
 * A file a pack names: inside the pack's own folder, or under `common/` for documents every pack
 * shares (the next-steps sheet, the service information sheet), kept once beside the packs.
 */
export function packFilePath(packDir: string, file: string): string {
  return file.startsWith(`${COMMON_DIR}/`) ? join(dirname(packDir), file) : join(packDir, file);
}

export const COMMON_DIR = 'common';

/** Where an official form's prepared copy is kept once installed. */
export function installedFormPath(formsDir: string, packId: string, file: string): string {
  return join(formsDir, packId, file);
}

function loadDocument(
  def: PackDocument,
  manifest: PackManifest,
  dir: string,
  formsDir: string,
  problems: ErrorDetail[],
  missing: MissingForm[],
): LoadedDocument {
  if (missing.some((m) => m.documentId === def.id)) return loadMapping({ def }, dir, problems);
  const where = `documents.${def.id}`;
  const doc: LoadedDocument = { def };
  const path = def.form
    ? installedFormPath(formsDir, manifest.id, def.file)
    : packFilePath(dir, def.file);
  if (existsSync(path)) {
    doc.bytes = readFileSync(path);
    doc.sha256 = sha256(doc.bytes);
  } else {
    problems.push({ field: `${where}.file`, message: `file not found: ${def.file}` });
  }
  return loadMapping(doc, dir, problems);
}

function loadMapping(doc: LoadedDocument, dir: string, problems: ErrorDetail[]): LoadedDocument {
  const def = doc.def;
  const where = `documents.${def.id}`;
  if (def.kind === DocumentKind.PdfForm && def.mapping) {
    const mapping = readJson(packFilePath(dir, def.mapping), `${where}.mapping`, problems);
    const mappingProblems = mapping === undefined ? [] : checkFormMapping(mapping);
    problems.push(
      ...mappingProblems.map((p) => ({
        ...p,
        field: `${where}.mapping ${def.mapping} ${p.field}`,
      })),
    );
    if (mappingProblems.length === 0 && mapping !== undefined) doc.mapping = mapping as FormMapping;
  }
  return doc;
}

/** Loads and validates one pack folder. */
export function loadPack(dir: string, formsDir: string): LoadedPack {
  const problems: ErrorDetail[] = [];
  const raw = readJson(join(dir, 'manifest.json'), 'manifest.json', problems);
  if (raw !== undefined) problems.push(...checkManifest(raw));
  if (problems.length > 0) throw new PackLoadError(dir, problems);
  const manifest = raw as PackManifest;
  // Official forms count as installed only when their prepared copy matches what was installed.
  const missingForms = formsStatus(manifest, formsDir).missing;
  const documents = manifest.documents.map((def) =>
    loadDocument(def, manifest, dir, formsDir, problems, missingForms),
  );
  if (problems.length > 0) throw new PackLoadError(dir, problems);
  return { manifest, dir, documents, missingForms };
}

/**
 * A pack whose files are held in memory rather than in a folder (an organisation's upload, read
 * back from storage): the same manifest and mapping checks as loadPack. The uploader supplies
 * every file, official court forms included, so no form is ever missing; `files` is keyed by the
 * paths the manifest uses, and `label` names the pack in errors.
 */
export function loadPackFromFiles(
  label: string,
  dir: string,
  files: ReadonlyMap<string, Buffer>,
): LoadedPack {
  const problems: ErrorDetail[] = [];
  const json = (path: string, where: string): unknown => {
    const bytes = files.get(path);
    if (!bytes) {
      problems.push({ field: where, message: `cannot read ${where}: file not found: ${path}` });
      return undefined;
    }
    try {
      return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      problems.push({ field: where, message: `cannot read ${where}: ${reason}` });
      return undefined;
    }
  };
  const raw = json('manifest.json', 'manifest.json');
  if (raw !== undefined) problems.push(...checkManifest(raw));
  if (problems.length > 0) throw new PackLoadError(label, problems);
  const manifest = raw as PackManifest;
  const documents = manifest.documents.map((def): LoadedDocument => {
    const where = `documents.${def.id}`;
    const doc: LoadedDocument = { def };
    const bytes = files.get(def.file);
    if (bytes) {
      doc.bytes = bytes;
      doc.sha256 = sha256(bytes);
    } else {
      problems.push({ field: `${where}.file`, message: `file not found: ${def.file}` });
    }
    if (def.kind === DocumentKind.PdfForm && def.mapping) {
      const mapping = json(def.mapping, `${where}.mapping`);
      const mappingProblems = mapping === undefined ? [] : checkFormMapping(mapping);
      problems.push(
        ...mappingProblems.map((p) => ({
          ...p,
          field: `${where}.mapping ${def.mapping} ${p.field}`,
        })),
      );
      if (mappingProblems.length === 0 && mapping !== undefined) {
        doc.mapping = mapping as FormMapping;
      }
    }
    return doc;
  });
  if (problems.length > 0) throw new PackLoadError(label, problems);
  return { manifest, dir, documents, missingForms: [] };
}

/** Every folder with a manifest.json under the packs folder, sorted by id. */
export function loadPacks(packsDir: string, formsDir: string): LoadedPack[] {
  const packs = readdirSync(packsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(packsDir, e.name, 'manifest.json')))
    .map((e) => loadPack(join(packsDir, e.name), formsDir));
  const ids = new Set<string>();
  for (const p of packs) {
    if (ids.has(p.manifest.id)) {
      throw new PackLoadError(p.dir, [
        { field: 'manifest.id', message: `duplicate pack id "${p.manifest.id}"` },
      ]);
    }
    ids.add(p.manifest.id);
  }
  return packs.sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
}

/** The error a request gets for a pack whose official forms are not (or no longer) installed. */
export function packNotReadyError(pack: LoadedPack): AppError {
  return formsNotInstalledError(pack.manifest, { installed: false, missing: pack.missingForms });
}
