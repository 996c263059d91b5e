import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFInvalidObject,
  PDFName,
  PDFObject,
  PDFRef,
  PDFStream,
} from '@cantoo/pdf-lib';
import { listDocumentFields } from './form-fields';

const run = promisify(execFile);

export type Decryptor = 'none' | 'pdf-lib' | 'qpdf';

export interface PreparedForm {
  bytes: Uint8Array;
  decryptedWith: Decryptor;
  fieldCount: number;
}

const ACRO_FORM = PDFName.of('AcroForm');
const XFA = PDFName.of('XFA');
const PERMS = PDFName.of('Perms');
const NEED_APPEARANCES = PDFName.of('NeedAppearances');
const SIG_FLAGS = PDFName.of('SigFlags');

/**
 * Turns an official form as published into one pdf-lib can fill and every viewer shows the same
 * way: unencrypted, AcroForm only (no XFA), no usage-rights signature, appearances drawn by us.
 * Every field of the original is kept; the result is re-read to prove it.
 */
export async function prepareOfficialForm(
  published: Uint8Array,
  label: string,
): Promise<PreparedForm> {
  const { doc, decryptedWith } = await loadDecrypted(published, label);
  const fieldNames = fieldNamesOf(doc);
  removeStaleStructure(doc);
  const acroForm = doc.catalog.lookupMaybe(ACRO_FORM, PDFDict);
  if (!acroForm) throw new Error(`${label} has no AcroForm fields to fill`);
  removeXfa(doc, acroForm);
  // Values are filled with pdf-lib, which draws each field's appearance; a viewer asked to
  // redraw them would replace ours with its own (and the CA forms' Times font with Helvetica).
  acroForm.set(NEED_APPEARANCES, PDFBool.False);
  // The Reader-extensions signature covers the original bytes; any rewrite breaks it and Adobe
  // Reader then warns that "extended features" are disabled.
  doc.catalog.delete(PERMS);
  if (!hasSignatureFields(doc)) acroForm.delete(SIG_FLAGS);
  const bytes = await doc.save({ useObjectStreams: true, updateFieldAppearances: false });
  await verifyPrepared(bytes, fieldNames, label);
  return { bytes, decryptedWith, fieldCount: fieldNames.length };
}

async function loadDecrypted(
  bytes: Uint8Array,
  label: string,
): Promise<{ doc: PDFDocument; decryptedWith: Decryptor }> {
  // preserveXFA: we remove XFA ourselves (and its streams), rather than through a warning.
  const options = { preserveXFA: true, updateMetadata: false };
  const plain = await PDFDocument.load(bytes, { ...options, ignoreEncryption: true });
  if (!plain.context.lookup(plain.context.trailerInfo.Encrypt)) {
    return { doc: plain, decryptedWith: 'none' };
  }
  try {
    // The CA forms have an owner password only: the empty user password opens them.
    const doc = await PDFDocument.load(bytes, { ...options, password: '' });
    doc.getForm().getFields();
    return { doc, decryptedWith: 'pdf-lib' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const decrypted = await decryptWithQpdf(bytes, label, reason);
    return { doc: await PDFDocument.load(decrypted, options), decryptedWith: 'qpdf' };
  }
}

/**
 * Fallback for encryption pdf-lib cannot undo. qpdf is optional: a fresh install has only what
 * npm gives, so its absence is reported with what to do rather than assumed.
 */
async function decryptWithQpdf(
  bytes: Uint8Array,
  label: string,
  reason: string,
): Promise<Uint8Array> {
  if (!(await qpdfAvailable())) {
    throw new Error(
      `${label} is encrypted and pdf-lib could not decrypt it (${reason}). ` +
        'Install qpdf (https://qpdf.sourceforge.io, e.g. "apt-get install qpdf") and install the forms again.',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'form-decrypt-'));
  try {
    const input = join(dir, 'in.pdf');
    const output = join(dir, 'out.pdf');
    await writeFile(input, bytes);
    await run('qpdf', ['--decrypt', input, output]).catch((e: unknown) => {
      // Exit status 3 means "succeeded with warnings": the output is usable.
      if (!(isExecError(e) && e.code === 3)) throw e;
    });
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function qpdfAvailable(): Promise<boolean> {
  try {
    await run('qpdf', ['--version']);
    return true;
  } catch {
    return false;
  }
}

function isExecError(e: unknown): e is { code: number } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number';
}

function fieldNamesOf(doc: PDFDocument): string[] {
  return listDocumentFields(doc).map((f) => f.name);
}

function hasSignatureFields(doc: PDFDocument): boolean {
  return listDocumentFields(doc).some((f) => f.type === 'signature');
}

/**
 * pdf-lib re-writes every object it parsed, including the original's cross-reference streams and,
 * after decrypting, the encryption dictionary (with its binary strings unescaped). Both are stale
 * in the new file: other readers call the dictionary damaged, and pdf-lib itself reads the old
 * cross-reference streams' /Encrypt back as if the file were still encrypted.
 */
function removeStaleStructure(doc: PDFDocument): void {
  if (doc.context.trailerInfo.Encrypt) return;
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFInvalidObject ? isUnparsedXrefStream(object) : isStale(object)) {
      doc.context.delete(ref);
    }
  }
}

function isStale(object: PDFObject): boolean {
  const dict =
    object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined;
  return dict !== undefined && (isEncryptionDictionary(dict) || isStructureStream(dict));
}

/** Cross-reference streams are never encrypted, so the decrypting parser cannot read them. */
function isUnparsedXrefStream(object: PDFInvalidObject): boolean {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  return /\/Type\s*\/XRef\b/.test(head);
}

function isEncryptionDictionary(dict: PDFDict): boolean {
  return (
    dict.get(PDFName.of('Filter')) === PDFName.of('Standard') &&
    dict.has(PDFName.of('O')) &&
    dict.has(PDFName.of('U'))
  );
}

function isStructureStream(dict: PDFDict): boolean {
  const type = dict.get(PDFName.of('Type'));
  return type === PDFName.of('XRef') || type === PDFName.of('ObjStm');
}

/** Removes the XFA entry and the streams it points to, so no viewer renders the XFA layer. */
function removeXfa(doc: PDFDocument, acroForm: PDFDict): void {
  const xfa = acroForm.get(XFA);
  if (xfa === undefined) return;
  for (const ref of xfaStreamRefs(xfa)) doc.context.delete(ref);
  acroForm.delete(XFA);
}

function xfaStreamRefs(xfa: PDFObject): PDFRef[] {
  if (xfa instanceof PDFRef) return [xfa];
  if (!(xfa instanceof PDFArray)) return [];
  // An XFA array alternates packet names and stream references.
  return xfa.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
}

/** Re-reads the prepared file: it must open without a password and hold exactly the same fields. */
async function verifyPrepared(bytes: Uint8Array, expected: string[], label: string): Promise<void> {
  const doc = await PDFDocument.load(bytes, { preserveXFA: true, updateMetadata: false });
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) {
    throw new Error(`${label}: the prepared file is still encrypted`);
  }
  const acroForm = doc.catalog.lookupMaybe(ACRO_FORM, PDFDict);
  if (acroForm?.has(XFA) || doc.catalog.has(PERMS)) {
    throw new Error(`${label}: the prepared file still has XFA or a usage-rights signature`);
  }
  const actual = new Set(fieldNamesOf(doc));
  const lost = expected.filter((name) => !actual.has(name));
  if (lost.length > 0 || actual.size !== expected.length) {
    throw new Error(
      `${label}: preparing the form changed its fields (${expected.length} before, ${actual.size} after` +
        `${lost.length > 0 ? `; lost ${lost.slice(0, 5).join(', ')}` : ''})`,
    );
  }
}
