import { describeBytes, isOle, isZip } from './file-types';
import { PackRefused, UploadProblem, entryProblem, shown } from './upload-problems';
import { InflateBudget, ProblemReporter, ZipLimits, readZip } from './zip-reader';

/**
 * What a DOCX template must not carry: anything that makes Word, LibreOffice (which converts
 * every DOCX we render) or an XML parser reach outside the document or run code. Template tags
 * are plain text, so a legitimate template needs none of it.
 */

const CONTENT_TYPES = '[content_types].xml';
const MAIN_DOCUMENT = 'word/document.xml';
/** Field codes that pull content from files, URLs or other programs when a document is updated. */
const FETCHING_FIELDS = /\b(INCLUDETEXT|INCLUDEPICTURE|INCLUDE|DDEAUTO|DDE|LINK|IMPORT)\b/i;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

type Part = { name: string; lower: string; bytes: Buffer };

export async function checkDocx(
  file: string,
  bytes: Buffer,
  limits: ZipLimits,
  budget: InflateBudget,
): Promise<UploadProblem[]> {
  if (!isZip(bytes)) return [entryProblem(file, `is declared a DOCX but ${describeBytes(bytes)}`)];
  const report: ProblemReporter = (part, message) =>
    part === null
      ? entryProblem(file, `is not a usable DOCX: ${message}`)
      : entryProblem(file, `part ${shown(part)}: ${message}`, `${shown(file)}:${shown(part)}`);
  let files: Map<string, Buffer>;
  try {
    files = await readZip(bytes, limits, budget, report);
  } catch (e) {
    if (e instanceof PackRefused) return e.problems;
    throw e;
  }
  const parts: Part[] = [...files].map(([name, data]) => ({
    name,
    lower: name.toLowerCase(),
    bytes: data,
  }));
  const problems: UploadProblem[] = [];
  const at = (part: Part | null, message: string) =>
    problems.push(report(part?.name ?? null, message));
  for (const required of [CONTENT_TYPES, MAIN_DOCUMENT]) {
    if (!parts.some((p) => p.lower === required)) {
      at(null, `it has no ${required === CONTENT_TYPES ? '[Content_Types].xml' : required}`);
    }
  }
  const contentTypes = parts.find((p) => p.lower === CONTENT_TYPES);
  const declared = contentTypes ? declaredContentTypes(contentTypes) : undefined;
  if (contentTypes && declared === undefined) at(contentTypes, 'it is not readable XML text');
  for (const type of declared?.all ?? []) {
    if (/macroEnabled|vbaProject|activeX/i.test(type)) {
      at(contentTypes ?? null, `it declares macro or ActiveX content (${shown(type)})`);
    }
  }
  for (const part of parts) {
    for (const message of binaryPartProblems(part)) at(part, message);
    if (!isXmlPart(part, declared)) continue;
    const text = xmlText(part.bytes);
    if (text === undefined) {
      at(part, 'it is not UTF-8 or UTF-16 text');
      continue;
    }
    if (/<!DOCTYPE/i.test(text)) at(part, 'it has a DOCTYPE declaration, which is not accepted');
    if (/<!ENTITY/i.test(text)) at(part, 'it declares XML entities, which is not accepted');
    if (part.lower.endsWith('.rels')) {
      for (const message of relationshipProblems(part.name, text)) at(part, message);
    }
    if (part.lower.startsWith('word/')) {
      const field = fetchingField(text);
      if (field) at(part, `it has a ${field} field, which loads content from outside the document`);
    }
  }
  return problems;
}

function binaryPartProblems(part: Part): string[] {
  const base = part.lower.split('/').pop() ?? '';
  if (base === 'vbaproject.bin' || base === 'vbadata.xml') {
    return ['it is a VBA macro project; macros are not accepted'];
  }
  if (part.lower.startsWith('word/activex/')) return ['it is an ActiveX control'];
  if (part.lower.startsWith('word/') && base.endsWith('.bin') && isOle(part.bytes)) {
    return part.bytes.includes(Buffer.from('_VBA_PROJECT', 'utf16le'))
      ? ['it is a VBA macro project; macros are not accepted']
      : ['it is an embedded OLE object, which can carry a program'];
  }
  return [];
}

interface DeclaredTypes {
  all: string[];
  /** Extensions (lower case, no dot) and part names (lower case, no leading slash) typed as XML. */
  xmlExtensions: Set<string>;
  xmlParts: Set<string>;
}

function declaredContentTypes(part: Part): DeclaredTypes | undefined {
  const text = xmlText(part.bytes);
  if (text === undefined) return undefined;
  const result: DeclaredTypes = { all: [], xmlExtensions: new Set(), xmlParts: new Set() };
  for (const el of elements(text, 'Default')) {
    const type = el.ContentType ?? '';
    result.all.push(type);
    if (/xml/i.test(type) && el.Extension) result.xmlExtensions.add(el.Extension.toLowerCase());
  }
  for (const el of elements(text, 'Override')) {
    const type = el.ContentType ?? '';
    result.all.push(type);
    if (/xml/i.test(type) && el.PartName) {
      result.xmlParts.add(el.PartName.replace(/^\//, '').toLowerCase());
    }
  }
  return result;
}

/** Every part Word would parse as XML: by name, or because the content types say so. */
function isXmlPart(part: Part, declared: DeclaredTypes | undefined): boolean {
  const ext = part.lower.includes('.') ? (part.lower.split('.').pop() ?? '') : '';
  return (
    ext === 'xml' ||
    ext === 'rels' ||
    (declared?.xmlExtensions.has(ext) ?? false) ||
    (declared?.xmlParts.has(part.lower) ?? false)
  );
}

/** Decoded by byte-order mark, so a UTF-16 part cannot hide a DOCTYPE from a byte search. */
export function xmlText(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    if (bytes.length % 2 !== 0) return undefined;
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  }
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Attributes of every `<name ...>` element (any namespace prefix), entities decoded. */
function elements(xml: string, name: string): Record<string, string>[] {
  const tag = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}\\b([^>]*)>`, 'g');
  const attribute = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  const found: Record<string, string>[] = [];
  for (const match of xml.matchAll(tag)) {
    const attrs: Record<string, string> = {};
    for (const a of (match[1] ?? '').matchAll(attribute)) {
      const key = a[1].replace(/^[^:]*:/, '');
      attrs[key] = decodeEntities(a[2] ?? a[3] ?? '');
    }
    found.push(attrs);
  }
  return found;
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? '';
  });
}

/**
 * A relationship may only point at another part of the same package: an external target is
 * fetched by Word or LibreOffice (templates, images, OLE links) when the document is opened.
 */
function relationshipProblems(relsName: string, xml: string): string[] {
  const problems: string[] = [];
  const base = relationshipBase(relsName);
  for (const rel of elements(xml, 'Relationship')) {
    const id = shown(rel.Id ?? '?');
    const target = rel.Target ?? '';
    if ((rel.TargetMode ?? '').trim().toLowerCase() === 'external') {
      problems.push(`relationship ${id} points outside the document (TargetMode="External")`);
    } else if (!staysInPackage(base, target)) {
      problems.push(`relationship ${id} points outside the package (${shown(target)})`);
    }
    if (/vbaProject/i.test(rel.Type ?? '')) {
      problems.push(`relationship ${id} attaches a VBA macro project`);
    }
    // An altChunk is another document (HTML, RTF, MHT) the word processor imports on opening.
    if (/aFChunk$/i.test(rel.Type ?? '')) {
      problems.push(`relationship ${id} imports another document (altChunk)`);
    }
  }
  return problems;
}

/** `word/_rels/document.xml.rels` describes `word/document.xml`, so targets start in `word/`. */
function relationshipBase(relsName: string): string[] {
  const segments = relsName.split('/');
  segments.pop();
  if (segments[segments.length - 1]?.toLowerCase() === '_rels') segments.pop();
  return segments;
}

function staysInPackage(base: string[], target: string): boolean {
  if (
    target === '' ||
    URI_SCHEME.test(target) ||
    target.includes('\\') ||
    target.startsWith('//')
  ) {
    return false;
  }
  let path: string;
  try {
    path = decodeURIComponent(target.split(/[?#]/, 1)[0] ?? '');
  } catch {
    return false;
  }
  if (path.includes('\\') || URI_SCHEME.test(path)) return false;
  const segments = path.startsWith('/') ? [] : [...base];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return false;
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return true;
}

/** The first field instruction that fetches content, whether simple or split over runs. */
function fetchingField(xml: string): string | undefined {
  const instructions = [
    ...[...xml.matchAll(/<(?:\w+:)?instrText\b[^>]*>([^<]*)</g)].map((m) => m[1] ?? ''),
  ];
  const simple = elements(xml, 'fldSimple').map((a) => a.instr ?? '');
  for (const text of [...simple, instructions.join('')]) {
    const match = FETCHING_FIELDS.exec(decodeEntities(text));
    if (match) return match[1].toUpperCase();
  }
  return undefined;
}
