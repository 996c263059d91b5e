import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { sha256 } from '../common/sha256';
import { prepareOfficialForm } from '../forms/prepare-official-form';
import { LintFinding, lintPack } from '../packs/pack-lint';
import { LoadedPack, PackLoadError, loadPackFromFiles } from '../packs/pack-loader';
import { DocumentKind, PackManifest } from '../packs/pack-manifest';
import { checkManifest } from '../packs/pack-manifest.schema';
import { checkDocx } from './docx-check';
import { describeBytes, isPdf, isZip, parseJsonBytes } from './file-types';
import { checkPdfForm } from './pdf-check';
import { SampleCase, bundledSamples } from './sample-cases';
import { PackRefused, UploadProblem, archiveProblem, entryProblem, shown } from './upload-problems';
import { InflateBudget, ZipLimits, readZip } from './zip-reader';

/**
 * The door an organisation's pack comes in by. In order: the archive's shape (before anything is
 * inflated), inflation under counted limits, the manifest, that every file is used and is what
 * the manifest says it is (DOCX without macros, entities or external links; PDF forms that run
 * nothing on open and have fields), then the same load and lint as a bundled pack. Any problem
 * refuses the whole pack, with every problem listed.
 */

export const MANIFEST_FILE = 'manifest.json';
/** A pack may bring its own sample cases: linted with, and the first one previewed. */
export const SAMPLE_FILE = /^samples\/[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;
/** Packets store the version in 32 characters; it also names the upload to staff. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}$/;

type Role = 'manifest' | 'docx' | 'pdf-form' | 'mapping' | 'sample';

export interface CheckedPack {
  manifest: PackManifest;
  /** Every file the pack uses, by the manifest's paths; PDF forms as prepared for filling. */
  files: Map<string, Buffer>;
  samples: SampleCase[];
  /** Loaded from `files`, for a caller that goes on to render. */
  pack: LoadedPack;
}

export async function checkPackArchive(body: Buffer, limits: ZipLimits): Promise<CheckedPack> {
  if (!isZip(body)) {
    throw new PackRefused([
      archiveProblem(`the upload is not a ZIP archive: ${describeBytes(body)}`),
    ]);
  }
  const entries = await readZip(
    body,
    limits,
    new InflateBudget(limits.maxUncompressedBytes),
    (entry, message) => (entry === null ? archiveProblem(message) : entryProblem(entry, message)),
  );
  const { files, entryOf } = packFolder(entries);
  const manifest = readManifest(files, entryOf);
  const roles = rolesOf(manifest, files);
  const problems = [...manifestRules(manifest), ...roles.problems];
  for (const path of files.keys()) {
    if (!roles.byPath.has(path)) {
      problems.push(
        entryProblem(entryOf(path), 'is not used by the manifest; remove it from the archive'),
      );
    }
  }
  const docxBudget = new InflateBudget(limits.maxUncompressedBytes);
  const samples: SampleCase[] = [];
  for (const [path, role] of roles.byPath) {
    const bytes = files.get(path);
    if (!bytes) continue;
    const entry = entryOf(path);
    if (role === 'docx') problems.push(...(await checkDocx(entry, bytes, limits, docxBudget)));
    if (role === 'pdf-form') problems.push(...(await checkPdfForm(entry, bytes)));
    if (role === 'mapping') problems.push(...jsonProblems(entry, bytes));
    if (role === 'sample') problems.push(...sampleProblems(entry, path, bytes, samples));
  }
  problems.push(...officialFormProblems(manifest, files, entryOf));
  if (problems.length > 0) throw new PackRefused(problems);
  const used = new Map([...roles.byPath.keys()].map((p) => [p, files.get(p) as Buffer]));
  await prepareForms(manifest, used, entryOf);
  const pack = loadUploaded(used);
  await lint(pack, samples);
  return { manifest, files: used, samples, pack };
}

/** Zipping a folder puts everything under its name: one top folder holding the manifest is the pack. */
function packFolder(entries: Map<string, Buffer>): {
  files: Map<string, Buffer>;
  entryOf: (path: string) => string;
} {
  const names = [...entries.keys()];
  const top = names[0]?.split('/')[0];
  const prefix =
    !entries.has(MANIFEST_FILE) && top && entries.has(`${top}/${MANIFEST_FILE}`) ? `${top}/` : '';
  if (!prefix || !names.every((n) => n.startsWith(prefix))) {
    return { files: entries, entryOf: (p) => p };
  }
  return {
    files: new Map(names.map((n) => [n.slice(prefix.length), entries.get(n) as Buffer])),
    entryOf: (p) => `${prefix}${p}`,
  };
}

function readManifest(files: Map<string, Buffer>, entryOf: (p: string) => string): PackManifest {
  const bytes = files.get(MANIFEST_FILE);
  if (!bytes) {
    throw new PackRefused([
      archiveProblem('the archive has no manifest.json at its top (or in its one top folder)'),
    ]);
  }
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) {
    throw new PackRefused([entryProblem(entryOf(MANIFEST_FILE), 'is not valid JSON (UTF-8)')]);
  }
  const problems = checkManifest(parsed.value).map((p) =>
    manifestProblem(p.field ?? 'manifest', p.message),
  );
  if (problems.length > 0) throw new PackRefused(problems);
  return parsed.value as PackManifest;
}

function manifestProblem(field: string, message: string): UploadProblem {
  return { field, file: MANIFEST_FILE, message: `${MANIFEST_FILE}: ${field}: ${message}` };
}

/** Rules an uploaded manifest meets beyond a bundled one's: its file names say what the files are. */
function manifestRules(manifest: PackManifest): UploadProblem[] {
  const problems: UploadProblem[] = [];
  if (!VERSION.test(manifest.version)) {
    problems.push(
      manifestProblem(
        'manifest.version',
        'version must be 1 to 32 letters, digits, ".", "-", "_" or "+", starting with a letter or digit',
      ),
    );
  }
  for (const doc of manifest.documents) {
    const where = `documents.${doc.id}`;
    const file = doc.file.toLowerCase();
    if (/\.(docm|dotm)$/.test(file)) {
      problems.push(manifestProblem(`${where}.file`, 'macro-enabled Word files are not accepted'));
    } else if (doc.kind === DocumentKind.Docx && !file.endsWith('.docx')) {
      problems.push(manifestProblem(`${where}.file`, 'a docx document must be a .docx file'));
    } else if (doc.kind === DocumentKind.PdfForm && !file.endsWith('.pdf')) {
      problems.push(manifestProblem(`${where}.file`, 'a pdf-form document must be a .pdf file'));
    }
    if (doc.mapping && !doc.mapping.toLowerCase().endsWith('.json')) {
      problems.push(manifestProblem(`${where}.mapping`, 'a mapping must be a .json file'));
    }
  }
  return problems;
}

/** What the manifest says each file is; a file named twice must be named as the same thing. */
function rolesOf(
  manifest: PackManifest,
  files: Map<string, Buffer>,
): { byPath: Map<string, Role>; problems: UploadProblem[] } {
  const byPath = new Map<string, Role>([[MANIFEST_FILE, 'manifest']]);
  const problems: UploadProblem[] = [];
  const claim = (path: string, role: Role, field: string) => {
    const earlier = byPath.get(path);
    if (earlier && earlier !== role) {
      problems.push(manifestProblem(field, `${path} is already used as ${earlier}, not ${role}`));
    } else if (!files.has(path)) {
      problems.push(manifestProblem(field, `the archive has no file ${shown(path)}`));
    }
    byPath.set(path, earlier ?? role);
  };
  for (const doc of manifest.documents) {
    claim(
      doc.file,
      doc.kind === DocumentKind.Docx ? 'docx' : 'pdf-form',
      `documents.${doc.id}.file`,
    );
    if (doc.mapping) claim(doc.mapping, 'mapping', `documents.${doc.id}.mapping`);
  }
  for (const path of files.keys())
    if (SAMPLE_FILE.test(path) && !byPath.has(path)) byPath.set(path, 'sample');
  return { byPath, problems };
}

function jsonProblems(entry: string, bytes: Buffer): UploadProblem[] {
  if (parseJsonBytes(bytes).ok) return [];
  return [
    entryProblem(
      entry,
      `is declared a JSON mapping but ${isPdf(bytes) || isZip(bytes) ? describeBytes(bytes) : 'it is not valid JSON (UTF-8)'}`,
    ),
  ];
}

function sampleProblems(
  entry: string,
  path: string,
  bytes: Buffer,
  samples: SampleCase[],
): UploadProblem[] {
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return [entryProblem(entry, 'is not valid JSON (UTF-8)')];
  try {
    samples.push({ name: path, facts: parseCaseFacts(parsed.value) });
    return [];
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e.details.map((d) =>
      entryProblem(
        entry,
        `is not a valid sample case: ${d.field ?? 'facts'}: ${d.message}`,
        `${shown(entry)} ${d.field ?? ''}`.trim(),
      ),
    );
  }
}

/** An official form names the checksum of the court's published file: the upload must be it. */
function officialFormProblems(
  manifest: PackManifest,
  files: Map<string, Buffer>,
  entryOf: (p: string) => string,
): UploadProblem[] {
  return manifest.documents.flatMap((doc) => {
    const bytes = files.get(doc.file);
    if (!doc.form || !bytes || sha256(bytes) === doc.form.sha256) return [];
    return [
      entryProblem(
        entryOf(doc.file),
        `is not the published ${doc.form.number} the manifest names: its SHA-256 is ${sha256(bytes)}, the manifest's form.sha256 is ${doc.form.sha256}`,
      ),
    ];
  });
}

/**
 * PDF forms are stored as the installer prepares official forms: decrypted (owner password
 * only, as checked), without XFA or a usage-rights signature, fields kept.
 */
async function prepareForms(
  manifest: PackManifest,
  files: Map<string, Buffer>,
  entryOf: (p: string) => string,
): Promise<void> {
  const problems: UploadProblem[] = [];
  const paths = new Set(
    manifest.documents.filter((d) => d.kind === DocumentKind.PdfForm).map((d) => d.file),
  );
  for (const path of paths) {
    try {
      const prepared = await prepareOfficialForm(files.get(path) as Buffer, shown(entryOf(path)));
      files.set(path, Buffer.from(prepared.bytes));
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      problems.push(entryProblem(entryOf(path), `cannot be prepared for filling: ${reason}`));
    }
  }
  if (problems.length > 0) throw new PackRefused(problems);
}

function loadUploaded(files: Map<string, Buffer>): LoadedPack {
  try {
    return loadPackFromFiles('upload', 'upload', files);
  } catch (e) {
    if (!(e instanceof PackLoadError)) throw e;
    throw new PackRefused(e.details.map((d) => manifestProblem(d.field ?? 'manifest', d.message)));
  }
}

/** Exactly the lint `npm run cli -- lint` runs on a bundled pack, with the pack's own samples too. */
async function lint(pack: LoadedPack, own: SampleCase[]): Promise<void> {
  const samples = [...bundledSamples(), ...own].map((s) => s.facts);
  if (samples.length === 0) {
    throw new PackRefused([
      archiveProblem('there is no sample case to lint the pack with: add samples/*.json'),
    ]);
  }
  const fileOf = new Map(pack.documents.map((d) => [d.def.id, d.def.file]));
  let findings: LintFinding[];
  try {
    findings = await lintPack(pack, samples);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new PackRefused([archiveProblem(`the pack could not be rendered: ${reason}`)]);
  }
  const problems = findings
    .filter((f) => f.severity === 'error')
    .map((f): UploadProblem => {
      const file = fileOf.get(f.document) ?? f.document;
      return {
        field: `documents.${f.document}${f.subject ? ` ${f.subject}` : ''}`,
        file: shown(file),
        document: f.document,
        ...(f.subject ? { subject: f.subject } : {}),
        message: `${shown(file)} (${f.document})${f.subject ? ` [${f.subject}]` : ''}: ${f.message}`,
      };
    });
  if (problems.length > 0) throw new PackRefused(problems);
}
