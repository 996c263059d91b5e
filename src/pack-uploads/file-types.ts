import { ZIP_MAGIC } from './zip-reader';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
/** Microsoft's compound file (OLE): old .doc files, VBA projects, embedded objects. */
export const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC);
}

export function isZip(bytes: Buffer): boolean {
  return bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC);
}

export function isOle(bytes: Buffer): boolean {
  return bytes.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC);
}

/** What a file's first bytes say it is, for a message about a file that is not what it claims. */
export function describeBytes(bytes: Buffer): string {
  if (bytes.length === 0) return 'it is empty';
  if (isPdf(bytes)) return 'its bytes are a PDF';
  if (isZip(bytes)) return 'its bytes are a ZIP archive (such as a DOCX)';
  if (isOle(bytes)) return 'its bytes are an old Office (OLE) file, such as a .doc';
  const head = bytes.subarray(0, 64).toString('latin1').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'its bytes look like JSON';
  if (head.startsWith('<')) return 'its bytes look like XML or HTML';
  return 'its bytes are of an unknown type';
}

/** JSON text as a pack holds it: UTF-8, a byte-order mark tolerated. */
export function parseJsonBytes(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
