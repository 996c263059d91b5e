import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFInvalidObject,
  PDFName,
  PDFObject,
  PDFStream,
} from '@cantoo/pdf-lib';
import { describeBytes, isPdf } from './file-types';
import { UploadProblem, entryProblem } from './upload-problems';

/**
 * What a PDF form in an uploaded pack must not carry. Field-level scripts (number formats, date
 * pickers) are what real court forms use and are left alone; code that runs by itself when the
 * file is opened, and actions that start other programs, are refused.
 */

const run = promisify(execFile);

const NAME = {
  S: PDFName.of('S'),
  JS: PDFName.of('JS'),
  JavaScript: PDFName.of('JavaScript'),
  Launch: PDFName.of('Launch'),
  OpenAction: PDFName.of('OpenAction'),
  AA: PDFName.of('AA'),
  Names: PDFName.of('Names'),
  EmbeddedFiles: PDFName.of('EmbeddedFiles'),
  Next: PDFName.of('Next'),
  O: PDFName.of('O'),
} as const;

/** `/Launch` however it is spelled in the raw bytes, for objects no parser could read. */
const RAW_LAUNCH = /\/L(?:a|#61)(?:u|#75)(?:n|#6e)(?:c|#63)(?:h|#68)(?![A-Za-z0-9#])/i;

type Opened = { doc: PDFDocument } | { refusal: string };

/**
 * Checks one PDF the manifest declares as a form. Returns the problems; none means it is a PDF
 * that opens without a password, runs nothing on open, launches nothing and has form fields.
 */
export async function checkPdfForm(file: string, bytes: Buffer): Promise<UploadProblem[]> {
  if (!isPdf(bytes)) {
    return [entryProblem(file, `is declared a PDF form but ${describeBytes(bytes)}`)];
  }
  const opened = await openPdf(bytes);
  if ('refusal' in opened) return [entryProblem(file, opened.refusal)];
  const problems = [
    ...activeContent(opened.doc),
    ...(RAW_LAUNCH.test(bytes.toString('latin1')) ? [LAUNCH] : []),
  ];
  const fields = fieldCount(opened.doc);
  if (fields === undefined) problems.push('its form fields cannot be read');
  else if (fields === 0) {
    problems.push('it is declared a pdf-form but has no fillable (AcroForm) fields');
  }
  return [...new Set(problems)].map((m) => entryProblem(file, m));
}

const LAUNCH = 'it has a Launch action, which can start another program; not accepted';

/**
 * Opens the file, decrypting it when it is encrypted with an owner password only (as the
 * California forms are: anyone may open them, editing is what the password guards). A file that
 * needs a password to open cannot be checked or filled.
 */
async function openPdf(bytes: Buffer): Promise<Opened> {
  const options = { updateMetadata: false, preserveXFA: true };
  let plain: PDFDocument;
  try {
    plain = await PDFDocument.load(bytes, { ...options, ignoreEncryption: true });
  } catch {
    return { refusal: 'it is not a readable PDF' };
  }
  if (!plain.context.lookup(plain.context.trailerInfo.Encrypt)) return { doc: plain };
  try {
    return { doc: await PDFDocument.load(bytes, { ...options, password: '' }) };
  } catch (error) {
    if (error instanceof Error && /needs password/i.test(error.message)) return NEEDS_PASSWORD;
  }
  return openWithQpdf(bytes, options);
}

const NEEDS_PASSWORD = {
  refusal:
    'it is encrypted with a password needed to open it; upload the form without that password',
};

/** pdf-lib cannot undo every kind of encryption; qpdf can, when it is installed. */
async function openWithQpdf(
  bytes: Buffer,
  options: { updateMetadata: boolean; preserveXFA: boolean },
): Promise<Opened> {
  const dir = await mkdtemp(join(tmpdir(), 'pack-pdf-'));
  try {
    const input = join(dir, 'in.pdf');
    const output = join(dir, 'out.pdf');
    await writeFile(input, bytes);
    // --requires-password: exit 0 when a password is needed, 3 when encrypted without one.
    const needs = await run('qpdf', ['--requires-password', input]).then(
      () => 0,
      (e: unknown) => exitCode(e),
    );
    if (needs === 0) return NEEDS_PASSWORD;
    if (needs !== 3) {
      return {
        refusal:
          needs === undefined
            ? 'it is encrypted in a way that needs qpdf to open, and qpdf is not installed'
            : 'it is encrypted and cannot be opened',
      };
    }
    await run('qpdf', ['--decrypt', input, output]).catch((e: unknown) => {
      // 3: succeeded with warnings; the output is usable.
      if (exitCode(e) !== 3) throw e;
    });
    return { doc: await PDFDocument.load(await readFile(output), options) };
  } catch {
    return { refusal: 'it is encrypted and cannot be opened' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function exitCode(e: unknown): number | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

/** Code that runs when the document or a page opens, Launch actions anywhere, unreadable objects. */
function activeContent(doc: PDFDocument): string[] {
  const problems: string[] = [];
  const catalog = doc.catalog;
  const open = catalog.lookup(NAME.OpenAction);
  if (open instanceof PDFDict && actionChainRunsScript(doc, open)) {
    problems.push('it runs JavaScript when opened (/OpenAction); not accepted');
  }
  if (catalog.has(NAME.AA)) {
    problems.push(
      'it has document actions (/AA) that run on open, close, save or print; not accepted',
    );
  }
  if (catalog.lookupMaybe(NAME.Names, PDFDict)?.has(NAME.JavaScript)) {
    problems.push(
      'it has document-level JavaScript (/Names /JavaScript), which runs when opened; not accepted',
    );
  }
  if (catalog.lookupMaybe(NAME.Names, PDFDict)?.has(NAME.EmbeddedFiles)) {
    // Filled copies of the form go into every packet, attachments and all.
    problems.push('it carries attached files (/EmbeddedFiles); not accepted');
  }
  doc.getPages().forEach((page, i) => {
    const actions = page.node.lookupMaybe(NAME.AA, PDFDict);
    const onOpen = actions?.lookup(NAME.O);
    if (onOpen instanceof PDFDict && actionChainRunsScript(doc, onOpen)) {
      problems.push(`page ${i + 1} runs JavaScript when it is opened; not accepted`);
    }
  });
  let unreadable = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFInvalidObject) {
      if (!isCrossReferenceStream(object)) unreadable++;
      continue;
    }
    if (holdsLaunchAction(object)) problems.push(LAUNCH);
  }
  if (unreadable > 0) {
    problems.push(`${unreadable} of its objects cannot be read, so it cannot be checked`);
  }
  return problems;
}

function isJavaScriptAction(action: PDFDict): boolean {
  return action.get(NAME.S) === NAME.JavaScript || action.has(NAME.JS);
}

/** An action and those it chains to with /Next (a dictionary or an array of them). */
function actionChainRunsScript(doc: PDFDocument, first: PDFDict): boolean {
  const seen = new Set<PDFDict>();
  const queue: PDFDict[] = [first];
  while (queue.length > 0) {
    const action = queue.shift() as PDFDict;
    if (seen.has(action)) continue;
    seen.add(action);
    if (isJavaScriptAction(action)) return true;
    const next = action.lookup(NAME.Next);
    if (next instanceof PDFDict) queue.push(next);
    if (next instanceof PDFArray) {
      for (const item of next.asArray()) {
        const resolved = doc.context.lookup(item);
        if (resolved instanceof PDFDict) queue.push(resolved);
      }
    }
  }
  return false;
}

/** Walks one object's direct values (references are walked as objects of their own). */
function holdsLaunchAction(root: PDFObject): boolean {
  const stack: PDFObject[] = [root];
  while (stack.length > 0) {
    const value = stack.pop() as PDFObject;
    const dict = value instanceof PDFStream ? value.dict : value;
    if (dict instanceof PDFDict) {
      if (dict.get(NAME.S) === NAME.Launch) return true;
      stack.push(...dict.values());
    } else if (dict instanceof PDFArray) {
      stack.push(...dict.asArray());
    }
  }
  return false;
}

/** Cross-reference streams are never encrypted, so the decrypting parser leaves them unread. */
function isCrossReferenceStream(object: PDFInvalidObject): boolean {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return /\/Type\s*\/XRef\b/.test(Buffer.from(bytes.subarray(0, 2048)).toString('latin1'));
}

function fieldCount(doc: PDFDocument): number | undefined {
  try {
    return doc.getForm().getFields().length;
  } catch {
    return undefined;
  }
}
