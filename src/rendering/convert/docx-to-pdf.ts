import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

export interface DocxFile {
  /** Shown in errors only; never used on disk (it may name a person). */
  name: string;
  bytes: Buffer;
}

/** LibreOffice's first start in a fresh profile takes a few seconds; each document adds about one. */
const BASE_TIMEOUT_MS = 60_000;
const PER_FILE_TIMEOUT_MS = 10_000;
const CANDIDATES = ['soffice', 'libreoffice'];
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * DOCX to PDF with LibreOffice, one headless run per batch. Each run gets its own profile
 * folder: concurrent runs sharing the default profile lock each other out, and a profile
 * keeps recent-document lists we must not leave behind.
 */
export class DocxToPdfConverter {
  private readonly binary: string | undefined;

  constructor(configuredPath?: string, env: NodeJS.ProcessEnv = process.env) {
    this.binary = findOffice(configuredPath ?? env.SOFFICE_PATH, env.PATH ?? '');
  }

  available(): boolean {
    return this.binary !== undefined;
  }

  /** Why conversion is or is not possible, for health reports and logs. */
  message(): string {
    return this.binary
      ? `LibreOffice found at ${this.binary}`
      : 'LibreOffice not found: install libreoffice-writer-nogui, or set SOFFICE_PATH';
  }

  /** PDFs in the order of `files`. */
  async convert(files: DocxFile[]): Promise<Buffer[]> {
    if (files.length === 0) return [];
    const binary = this.binary;
    if (!binary) throw new AppError(ErrorCode.ConverterUnavailable, this.message());
    assertDocx(files);
    const work = await mkdtemp(join(tmpdir(), 'docx-pdf-'));
    try {
      const inputs = await writeInputs(work, files);
      await runOffice(binary, work, inputs, BASE_TIMEOUT_MS + PER_FILE_TIMEOUT_MS * files.length);
      return await readOutputs(work, files);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

/** A DOCX is a ZIP. LibreOffice would import anything else as plain text and "succeed". */
function assertDocx(files: DocxFile[]): void {
  const bad = files.filter((f) => !f.bytes.subarray(0, 4).equals(ZIP_MAGIC));
  if (bad.length > 0) {
    throw new AppError(
      ErrorCode.RenderFailed,
      `Not a DOCX file: ${bad.map((f) => f.name).join(', ')}`,
      bad.map((f) => ({ field: f.name, message: 'is not a DOCX (ZIP) file' })),
    );
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOffice(configured: string | undefined, searchPath: string): string | undefined {
  if (configured) {
    if (isAbsolute(configured)) return isExecutable(configured) ? configured : undefined;
    return onPath(configured, searchPath);
  }
  for (const name of CANDIDATES) {
    const found = onPath(name, searchPath);
    if (found) return found;
  }
  return undefined;
}

function onPath(name: string, searchPath: string): string | undefined {
  return searchPath
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

/** Numbered names on disk: user-supplied names may identify someone or escape the folder. */
async function writeInputs(work: string, files: DocxFile[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file, i) => {
      const path = join(work, `document-${i}.docx`);
      await writeFile(path, file.bytes);
      return path;
    }),
  );
}

function runOffice(binary: string, work: string, inputs: string[], timeout: number): Promise<void> {
  const profile = pathToFileURL(join(work, 'profile')).href;
  const args = [
    `-env:UserInstallation=${profile}`,
    '--headless',
    '--norestore',
    '--nolockcheck',
    '--convert-to',
    'pdf',
    '--outdir',
    join(work, 'out'),
    ...inputs,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { timeout, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, cwd: work },
      (error) => {
        if (!error) return resolve();
        const timedOut = error.killed === true || error.signal === 'SIGKILL';
        reject(
          new AppError(
            ErrorCode.RenderFailed,
            timedOut
              ? `LibreOffice did not finish within ${Math.round(timeout / 1000)} s`
              : 'LibreOffice could not convert the documents',
          ),
        );
      },
    );
  });
}

async function readOutputs(work: string, files: DocxFile[]): Promise<Buffer[]> {
  return Promise.all(
    files.map(async (file, i) => {
      try {
        return await readFile(join(work, 'out', `document-${i}.pdf`));
      } catch {
        throw new AppError(ErrorCode.RenderFailed, `LibreOffice produced no PDF for ${file.name}`, [
          { field: file.name, message: 'was not converted to PDF' },
        ]);
      }
    }),
  );
}
