import { Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { OfficeUnavailableError, WarmOffice, WarmOfficeOptions } from './warm-office';

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
/** After a warm office failed to start, batches go cold this long before it is tried again. */
const WARM_RETRY_MS = 5 * 60_000;

export type OfficeMode = 'warm' | 'cold';

export interface DocxToPdfOptions {
  /**
   * `warm`: one LibreOffice kept running between calls (see WarmOffice), cold runs when it cannot
   * run here. `cold` (the default for a converter made directly, which nothing would close):
   * one LibreOffice start per call.
   */
  mode?: OfficeMode;
  warm?: Omit<WarmOfficeOptions, 'soffice' | 'tmpDir'>;
  /** Where the private work folders are made; the system's temp folder if absent. */
  tmpDir?: string;
}

/**
 * DOCX to PDF with LibreOffice: through a warm office kept running, or one headless run per
 * batch. Each office gets its own profile folder: concurrent runs sharing the default profile
 * lock each other out, and a profile keeps recent-document lists we must not leave behind.
 */
export class DocxToPdfConverter {
  private readonly binary: string | undefined;
  private warm: WarmOffice | undefined;
  private warmRetryAt = 0;
  private warmProblem: string | undefined;
  private readonly tmpDir: string | undefined;

  constructor(
    configuredPath?: string,
    env: NodeJS.ProcessEnv = process.env,
    options: DocxToPdfOptions = {},
  ) {
    this.binary = findOffice(configuredPath ?? env.SOFFICE_PATH, env.PATH ?? '');
    this.tmpDir = options.tmpDir;
    if (this.binary && options.mode === 'warm') {
      this.warm = new WarmOffice({ ...options.warm, soffice: this.binary, tmpDir: options.tmpDir });
    }
  }

  available(): boolean {
    return this.binary !== undefined;
  }

  /** Why conversion is or is not possible, for health reports and logs. */
  message(): string {
    if (!this.binary) {
      return 'LibreOffice not found: install libreoffice-writer-nogui, or set SOFFICE_PATH';
    }
    const found = `LibreOffice found at ${this.binary}`;
    if (this.warmProblem) {
      return `${found}; warm converter unavailable (${this.warmProblem}): one LibreOffice start per batch`;
    }
    return this.warm ? `${found}; warm converter` : found;
  }

  /** The warm office, when this converter uses one (for tests and measurements). */
  warmOffice(): WarmOffice | undefined {
    return this.warm;
  }

  /** PDFs in the order of `files`. */
  async convert(files: DocxFile[]): Promise<Buffer[]> {
    if (files.length === 0) return [];
    const binary = this.binary;
    if (!binary) throw new AppError(ErrorCode.ConverterUnavailable, this.message());
    assertDocx(files);
    const work = await mkdtemp(join(this.tmpDir ?? tmpdir(), 'docx-pdf-'));
    try {
      const inputs = await writeInputs(work, files);
      const warm = this.warm && Date.now() >= this.warmRetryAt ? this.warm : undefined;
      if (!warm || !(await this.convertWarm(warm, work, inputs, files))) {
        await runOffice(binary, work, inputs, BASE_TIMEOUT_MS + PER_FILE_TIMEOUT_MS * files.length);
      }
      return await readOutputs(work, files);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Stops the warm office; later batches run cold. */
  async close(): Promise<void> {
    const warm = this.warm;
    this.warm = undefined;
    await warm?.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** False when the warm office cannot run here: the caller converts the batch cold. */
  private async convertWarm(
    warm: WarmOffice,
    work: string,
    inputs: string[],
    files: DocxFile[],
  ): Promise<boolean> {
    await mkdir(join(work, 'out'));
    for (const [i, input] of inputs.entries()) {
      try {
        await warm.convert(input, join(work, 'out', `document-${i}.pdf`));
      } catch (e) {
        if (e instanceof OfficeUnavailableError) {
          this.warmUnavailable(warm, e);
          return false;
        }
        if (e instanceof AppError && e.code === ErrorCode.RenderFailed) {
          const name = files[i].name;
          throw new AppError(ErrorCode.RenderFailed, `${e.message}: ${name}`, [
            { field: name, message: 'was not converted to PDF' },
          ]);
        }
        throw e;
      }
    }
    if (this.warmRetryAt !== 0) {
      this.warmRetryAt = 0;
      this.warmProblem = undefined;
    }
    return true;
  }

  private warmUnavailable(warm: WarmOffice, error: OfficeUnavailableError): void {
    // Closed by close(): nothing to report.
    if (warm !== this.warm) return;
    if (error.permanent) {
      this.warm = undefined;
      void warm.close();
      this.warmProblem = error.message;
    } else {
      this.warmRetryAt = Date.now() + WARM_RETRY_MS;
      this.warmProblem = `${error.message}; tried again in ${WARM_RETRY_MS / 60_000} minutes`;
    }
    new Logger('DocxToPdf').warn(this.message());
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
