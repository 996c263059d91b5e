import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { sha256 } from '../common/sha256';
import type { OfficialForm, PackDocument, PackManifest } from '../packs/pack-manifest';
import { Decryptor, prepareOfficialForm } from './prepare-official-form';

/** What the operator runs to install a pack's official forms. */
export const INSTALL_FORMS_COMMAND = 'npm run cli -- install-forms --from <folder-or-url>';

/** Larger than any court form; stops a wrong URL or folder from filling memory. */
const MAX_FORM_BYTES = 50 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 60_000;
const INSTALLED_FILE = 'installed.json';

export interface InstallFormsOptions {
  /** A folder holding the forms (any file names) or an http(s) URL they are published under. */
  source: string;
  /** Where prepared forms are stored: `<formsDir>/<pack-id>/<document.file>`. */
  formsDir: string;
  manifests: PackManifest[];
}

export interface InstalledFormRecord {
  documentId: string;
  formNumber: string;
  revision: string;
  file: string;
  /** SHA-256 of the file as published (equals the manifest's). */
  sourceSha256: string;
  /** The operator's file name or the URL it came from, to trace an installation. */
  sourceName: string;
  /** SHA-256 of the prepared file, so a changed or damaged installation is noticed. */
  preparedSha256: string;
  decryptedWith: Decryptor;
  fieldCount: number;
  installedAt: string;
}

export interface InstallFailure {
  packId: string;
  documentId: string;
  formNumber: string;
  message: string;
}

export interface InstallReport {
  installed: (InstalledFormRecord & { packId: string; path: string })[];
  failed: InstallFailure[];
}

/** `<formsDir>/<pack-id>/installed.json`. */
export interface InstalledPackRecord {
  packId: string;
  packVersion: string;
  forms: Record<string, InstalledFormRecord>;
}

interface FormToInstall {
  manifest: PackManifest;
  document: PackDocument;
  form: OfficialForm;
}

interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Installs every official form the packs use: finds it in the source, proves it is the file the
 * pack was written against (SHA-256), prepares it for filling and stores it atomically.
 * Each form succeeds or fails on its own; failures are reported, never half-written.
 */
export async function installForms(options: InstallFormsOptions): Promise<InstallReport> {
  const forms = officialForms(options.manifests);
  const source = isUrl(options.source)
    ? urlSource(options.source)
    : await folderSource(options.source);
  const report: InstallReport = { installed: [], failed: [] };
  for (const item of forms) {
    try {
      const record = await installOne(item, source, options.formsDir);
      report.installed.push({
        ...record,
        packId: item.manifest.id,
        path: join(options.formsDir, item.manifest.id, item.document.file),
      });
    } catch (error) {
      report.failed.push({
        packId: item.manifest.id,
        documentId: item.document.id,
        formNumber: item.form.number,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return report;
}

/** Every official form of every pack, in manifest order. */
export function officialForms(manifests: PackManifest[]): FormToInstall[] {
  return manifests.flatMap((manifest) =>
    manifest.documents
      .filter((d): d is PackDocument & { form: OfficialForm } => d.form !== undefined)
      .map((document) => ({ manifest, document, form: document.form })),
  );
}

/**
 * The court's own file name (`DV-100` → `dv100.pdf`), which is how courts.ca.gov and most
 * courts name their PDFs; used to fetch from a URL and as a hint to the operator.
 */
export function publishedFileName(form: OfficialForm): string {
  return `${normalizeForMatch(form.number)}.pdf`;
}

async function installOne(
  item: FormToInstall,
  source: FormSource,
  formsDir: string,
): Promise<InstalledFormRecord> {
  const found = await source.find(item.form);
  const label = `${item.form.number} (${item.form.title})`;
  assertChecksum(item.form, found);
  const prepared = await prepareOfficialForm(found.bytes, label);
  const packDir = join(formsDir, item.manifest.id);
  await mkdir(packDir, { recursive: true });
  await writeAtomically(join(packDir, item.document.file), prepared.bytes);
  const record: InstalledFormRecord = {
    documentId: item.document.id,
    formNumber: item.form.number,
    revision: item.form.revision,
    file: item.document.file,
    sourceSha256: item.form.sha256,
    sourceName: found.name,
    preparedSha256: sha256(prepared.bytes),
    decryptedWith: prepared.decryptedWith,
    fieldCount: prepared.fieldCount,
    installedAt: new Date().toISOString(),
  };
  await recordInstallation(packDir, item.manifest, record);
  return record;
}

function assertChecksum(form: OfficialForm, found: SourceFile): void {
  const actual = sha256(found.bytes);
  if (actual === form.sha256) return;
  throw new Error(
    `${form.number} (${form.title}, ${form.revision}): "${found.name}" is not the published form ` +
      `the pack was written for: expected SHA-256 ${form.sha256}, got ${actual}. ` +
      `Download the ${form.revision} revision again from ${form.publishedAt}.`,
  );
}

interface FormSource {
  find(form: OfficialForm): Promise<SourceFile>;
}

/**
 * A folder: every file is hashed, so the operator's file names do not matter. When no file has
 * the checksum, a file whose name looks like the form is returned so the checksum error names it.
 */
async function folderSource(folder: string): Promise<FormSource> {
  const files = await readFolder(folder);
  const bySha = new Map(files.map((f) => [sha256(f.bytes), f]));
  return {
    async find(form) {
      const exact = bySha.get(form.sha256);
      if (exact) return exact;
      const lookalike = files.find((f) =>
        normalizeForMatch(f.name).includes(normalizeForMatch(form.number)),
      );
      if (lookalike) return lookalike;
      throw new Error(
        `${form.number} (${form.title}, ${form.revision}) is not in ${folder}: no file has SHA-256 ` +
          `${form.sha256}. Download it from ${form.publishedAt} (usually named ${publishedFileName(form)}).`,
      );
    },
  };
}

async function readFolder(folder: string): Promise<SourceFile[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((e: unknown) => {
    throw new AppError(
      ErrorCode.ValidationFailed,
      `Cannot read the forms folder ${folder}: ${errorText(e)}`,
    );
  });
  const files: SourceFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(folder, entry.name);
    if ((await stat(path)).size > MAX_FORM_BYTES) continue;
    files.push({ name: entry.name, bytes: await readFile(path) });
  }
  return files;
}

/** A URL base: each form is fetched as `<base>/<published file name>`. */
function urlSource(base: string): FormSource {
  const root = base.replace(/\/+$/, '');
  return {
    async find(form) {
      const url = `${root}/${publishedFileName(form)}`;
      return { name: url, bytes: await fetchBytes(url, form) };
    },
  };
}

async function fetchBytes(url: string, form: OfficialForm): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: 'follow',
    });
  } catch (e) {
    throw new Error(`${form.number}: could not fetch ${url}: ${errorText(e)}`);
  }
  if (!response.ok) throw new Error(`${form.number}: ${url} answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_FORM_BYTES)
    throw new Error(`${form.number}: ${url} is too large (${declared} bytes)`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_FORM_BYTES) throw new Error(`${form.number}: ${url} is too large`);
  return bytes;
}

async function recordInstallation(
  packDir: string,
  manifest: PackManifest,
  record: InstalledFormRecord,
): Promise<void> {
  const existing = readInstalledRecord(packDir);
  const next: InstalledPackRecord = {
    packId: manifest.id,
    packVersion: manifest.version,
    forms: { ...(existing?.forms ?? {}), [record.documentId]: record },
  };
  await writeAtomically(
    join(packDir, INSTALLED_FILE),
    Buffer.from(`${JSON.stringify(next, null, 2)}\n`),
  );
}

function readInstalledRecord(packDir: string): InstalledPackRecord | undefined {
  const path = join(packDir, INSTALLED_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return isInstalledPackRecord(parsed) ? parsed : undefined;
  } catch {
    // A damaged record means "not installed": reinstalling rewrites it.
    return undefined;
  }
}

function isInstalledPackRecord(v: unknown): v is InstalledPackRecord {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { packId?: unknown }).packId === 'string' &&
    typeof (v as { forms?: unknown }).forms === 'object' &&
    (v as { forms?: unknown }).forms !== null
  );
}

/** Write to a temporary file in the same folder, flush, then rename: readers never see half a form. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(path, '..', `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export interface MissingForm {
  documentId: string;
  formNumber: string;
  title: string;
  publishedAt: string;
  expectedFileHint: string;
}

export interface FormsStatus {
  installed: boolean;
  missing: MissingForm[];
}

/**
 * Which official forms of a pack are ready to fill. A form counts as installed only when its
 * prepared file exists, was installed from the checksum the manifest names now (a new revision
 * in the pack means reinstalling) and still has the checksum recorded at installation.
 */
export function formsStatus(manifest: PackManifest, formsDir: string): FormsStatus {
  const packDir = join(formsDir, manifest.id);
  const record = readInstalledRecord(packDir);
  const missing = officialForms([manifest])
    .filter(({ document, form }) => !isInstalled(packDir, record, document, form))
    .map(({ document, form }) => ({
      documentId: document.id,
      formNumber: form.number,
      title: form.title,
      publishedAt: form.publishedAt,
      expectedFileHint: publishedFileName(form),
    }));
  return { installed: missing.length === 0, missing };
}

function isInstalled(
  packDir: string,
  record: InstalledPackRecord | undefined,
  document: PackDocument,
  form: OfficialForm,
): boolean {
  const entry = record?.forms[document.id];
  if (!entry || entry.sourceSha256 !== form.sha256 || entry.file !== document.file) return false;
  const path = join(packDir, document.file);
  return existsSync(path) && sha256(readFileSync(path)) === entry.preparedSha256;
}

/** Says exactly which forms are missing, where the court publishes them and how to install them. */
export function missingFormsMessage(manifest: PackManifest, status: FormsStatus): string {
  if (status.installed) return `All official forms of pack "${manifest.id}" are installed.`;
  const lines = status.missing.map(
    (m) =>
      `  - ${m.formNumber} ${m.title}: download from ${m.publishedAt} (usually named ${m.expectedFileHint})`,
  );
  return [
    `Pack "${manifest.id}" (${manifest.title}) cannot be generated: ${status.missing.length} official ` +
      `court form${status.missing.length === 1 ? ' is' : 's are'} not installed:`,
    ...lines,
    `Put the downloaded files in one folder (any file names) and run:`,
    `  ${INSTALL_FORMS_COMMAND}`,
  ].join('\n');
}

/** The error a request gets when it needs forms that are not installed (HTTP 409). */
export function formsNotInstalledError(manifest: PackManifest, status: FormsStatus): AppError {
  return new AppError(
    ErrorCode.FormsNotInstalled,
    missingFormsMessage(manifest, status),
    status.missing.map((m) => ({
      field: `documents.${m.documentId}`,
      message: `${m.formNumber} is not installed`,
      formNumber: m.formNumber,
      publishedAt: m.publishedAt,
      expectedFileHint: m.expectedFileHint,
    })),
  );
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function normalizeForMatch(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
