import PizZip from 'pizzip';
import './pdfjs-environment';
// The modern build, not the legacy one: the legacy build's polyfills replace Array#push,
// JSON.parse and Function#toString with slower versions for the whole process, every request
// and fill included; Node 20 has everything the modern build needs.
import { getDocument, VerbosityLevel } from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

/** One readable piece of a file and where in the file a person would see it. */
export interface ExtractedText {
  /** e.g. "page 2 text", "field petitionerName", "word/header1.xml", "file name". */
  where: string;
  text: string;
}

export interface FileToRead {
  name: string;
  bytes: Uint8Array;
}

/** Files inside files (PDF attachments, ZIP entries, embedded DOCX) are read this deep. */
const MAX_NESTING = 3;

/**
 * Everything a reader of the file could see, part by part: more rather than less (hidden text,
 * tracked deletions, metadata and defaults are included), because anything the check does not
 * read is something it cannot block. A file it cannot read is an error, never "nothing found".
 */
export async function extractVisibleText(file: FileToRead): Promise<ExtractedText[]> {
  return [{ where: 'file name', text: file.name }, ...(await extractContents(file, 0))];
}

async function extractContents(file: FileToRead, depth: number): Promise<ExtractedText[]> {
  if (depth > MAX_NESTING) throw unreadable('files nested too deeply');
  // ZIP first: a ZIP that stores a PDF uncompressed also has "%PDF-" in its first kilobyte.
  if (isZip(file.bytes)) return extractZip(file.bytes, depth);
  if (isPdf(file.bytes)) return extractPdf(file.bytes, depth);
  const text = decodeUtf8Text(file.bytes);
  if (text !== undefined) return [{ where: 'file text', text }];
  throw unreadable('unsupported file type');
}

function unreadable(reason: string): AppError {
  return new AppError(
    ErrorCode.RenderFailed,
    `A file could not be read to check it for confidential values (${reason})`,
  );
}

function isPdf(bytes: Uint8Array): boolean {
  // Readers accept the header anywhere in the first kilobyte, so the check does too.
  return latin1(bytes.subarray(0, 1024)).includes('%PDF-');
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Text only if the bytes are valid UTF-8 without NULs: binary read as text would prove nothing. */
function decodeUtf8Text(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// PDF

async function extractPdf(bytes: Uint8Array, depth: number): Promise<ExtractedText[]> {
  const task = getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given; the caller keeps theirs.
    data: new Uint8Array(bytes),
    // Never compile code from the file (CVE-2024-4367 in pdf.js before 4.2.67).
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const pdf = await task.promise.catch(() => {
      throw unreadable('not a readable PDF');
    });
    return [
      ...(await pdfPages(pdf)),
      ...(await pdfFields(pdf)),
      ...(await pdfOutline(pdf)),
      ...(await pdfMetadata(pdf)),
      ...(await pdfAttachments(pdf, depth)),
    ];
  } finally {
    await task.destroy();
  }
}

async function pdfPages(pdf: PDFDocumentProxy): Promise<ExtractedText[]> {
  const found: ExtractedText[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const page = await pdf.getPage(n);
    found.push({ where: `page ${n} text`, text: await pageText(page) });
    for (const text of await annotationTexts(page)) found.push({ where: 'annotation', text });
    page.cleanup();
  }
  return found;
}

type PDFPageProxy = Awaited<ReturnType<PDFDocumentProxy['getPage']>>;

/**
 * Items are joined with nothing between them: pdf.js emits spaces itself, and a word the PDF drew
 * in pieces ("Larch" + "mont") must come back whole. Invisible text is included on purpose: it
 * is still copied, searched and read aloud.
 */
async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  return content.items
    .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
    .join('');
}

/** Annotation data keys that hold text a reader sees (pop-up notes, authors, links, widgets). */
const ANNOTATION_TEXT_KEYS = [
  'contentsObj',
  'titleObj',
  'richText',
  'textContent',
  'url',
  'unsafeUrl',
  'alternativeText',
  'fieldValue',
  'overlaidText',
] as const;

async function annotationTexts(page: PDFPageProxy): Promise<string[]> {
  const annotations: unknown[] = await page.getAnnotations({ intent: 'any' });
  return annotations
    .map((annotation) => stringsUnder(annotation, ANNOTATION_TEXT_KEYS).join('\n'))
    .filter((text) => text !== '');
}

/** Field value, default value, checkbox export names and choice-list options. */
const FIELD_TEXT_KEYS = ['value', 'defaultValue', 'exportValues', 'items'] as const;

async function pdfFields(pdf: PDFDocumentProxy): Promise<ExtractedText[]> {
  const fields = (await pdf.getFieldObjects()) ?? {};
  return Object.entries(fields).map(([name, widgets]) => ({
    where: `field ${name}`,
    text: unique(widgets.flatMap((widget) => stringsUnder(widget, FIELD_TEXT_KEYS))).join('\n'),
  }));
}

async function pdfOutline(pdf: PDFDocumentProxy): Promise<ExtractedText[]> {
  const texts: string[] = [];
  const visit = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes) {
      texts.push(...stringsUnder(node, ['title', 'url', 'unsafeUrl']));
      if (isRecord(node)) visit(node.items);
    }
  };
  visit(await pdf.getOutline());
  return texts.map((text) => ({ where: 'bookmark', text }));
}

/** Every string in the Info dictionary (Title, Author, ... and custom keys), and the XMP packet. */
async function pdfMetadata(pdf: PDFDocumentProxy): Promise<ExtractedText[]> {
  const { info, metadata } = await pdf.getMetadata();
  const found: ExtractedText[] = [];
  const visit = (record: unknown): void => {
    if (!isRecord(record)) return;
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'string') found.push({ where: `metadata ${key}`, text: value });
      else visit(value);
    }
  };
  visit(info);
  const xmp: unknown = metadata?.getRaw();
  if (typeof xmp === 'string') found.push({ where: 'XMP', text: xmlText(xmp) });
  return found;
}

async function pdfAttachments(pdf: PDFDocumentProxy, depth: number): Promise<ExtractedText[]> {
  const attachments: unknown = await pdf.getAttachments();
  if (!isRecord(attachments)) return [];
  const found: ExtractedText[] = [];
  let n = 0;
  for (const attachment of Object.values(attachments)) {
    n += 1;
    if (!isRecord(attachment) || !(attachment.content instanceof Uint8Array)) continue;
    const name = typeof attachment.filename === 'string' ? attachment.filename : '';
    const prefix = `attachment ${n}`;
    found.push({ where: `${prefix} file name`, text: name });
    const inner = await extractContents({ name, bytes: attachment.content }, depth + 1);
    found.push(...inner.map((part) => ({ where: `${prefix}: ${part.where}`, text: part.text })));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// DOCX and other ZIP files

/** Images cannot be read without OCR; they are skipped rather than blocking every logo. */
const SKIPPED_EXTENSIONS = /\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|ico|webp|odttf|ttf|otf|bin)$/i;

async function extractZip(bytes: Uint8Array, depth: number): Promise<ExtractedText[]> {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch {
    throw unreadable('not a readable ZIP file');
  }
  const found: ExtractedText[] = [];
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    found.push(...(await extractZipEntry(entry.name, entry.asUint8Array(), depth)));
  }
  return found;
}

async function extractZipEntry(
  name: string,
  bytes: Uint8Array,
  depth: number,
): Promise<ExtractedText[]> {
  if (/\.rels$/i.test(name)) return [{ where: name, text: relationshipTargets(utf8(bytes)) }];
  if (/^word\/.*\.xml$/i.test(name)) return [{ where: name, text: wordXmlText(utf8(bytes)) }];
  if (/\.(xml|svg|vml)$/i.test(name)) return [{ where: name, text: xmlText(utf8(bytes)) }];
  if (SKIPPED_EXTENSIONS.test(name)) return [];
  const inner = await extractContents({ name, bytes }, depth + 1);
  return inner.map((part) => ({ where: `${name}: ${part.where}`, text: part.text }));
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** Hyperlink targets ("mailto:...") show on hover and are followed on click. */
function relationshipTargets(xml: string): string {
  return [...xml.matchAll(/\bTarget="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? '')).join('\n');
}

/** Elements whose content Word displays (or shows in review: deleted text, field codes). */
const WORD_TEXT_ELEMENTS = new Set([
  'w:t',
  'w:delText',
  'w:instrText',
  'w:delInstrText',
  'm:t',
  'a:t',
]);
const WORD_PARAGRAPH_ENDS = new Set(['w:p', 'a:p']);
const WORD_SPACES = new Set(['w:tab', 'w:ptab', 'w:br', 'w:cr']);
/** Attributes a reader sees: image alt text and titles, simple-field instructions. */
const WORD_VISIBLE_ATTRIBUTES = /\s(?:descr|title|alt|o:title|w:instr)="([^"]*)"/g;

/**
 * The text of a Word XML part, a line per paragraph. Runs are joined with nothing between them,
 * because Word splits a word into runs at any formatting or revision boundary
 * (`<w:t>77 Larch</w:t>...<w:t>mont</w:t>` is "77 Larchmont" on the page).
 */
export function wordXmlText(xml: string): string {
  const lines: string[] = [];
  let line = '';
  let inText = 0;
  for (const token of xmlTokens(xml)) {
    if (token.kind === 'text') {
      if (inText > 0) line += token.text;
      continue;
    }
    for (const m of token.raw.matchAll(WORD_VISIBLE_ATTRIBUTES)) {
      lines.push(decodeEntities(m[1] ?? ''));
    }
    if (WORD_TEXT_ELEMENTS.has(token.name) && !token.selfClosing) {
      inText += token.closing ? -1 : 1;
      inText = Math.max(inText, 0);
    } else if (WORD_SPACES.has(token.name)) {
      line += ' ';
    } else if (WORD_PARAGRAPH_ENDS.has(token.name) && token.closing) {
      lines.push(line);
      line = '';
    }
  }
  lines.push(line);
  return lines.filter((l) => l.trim() !== '').join('\n');
}

/** Every text node and attribute value of an XML document, a line each (metadata parts, XMP). */
function xmlText(xml: string): string {
  const lines: string[] = [];
  for (const token of xmlTokens(xml)) {
    if (token.kind === 'text') lines.push(token.text);
    else
      for (const m of token.raw.matchAll(/="([^"]*)"|='([^']*)'/g)) {
        lines.push(decodeEntities(m[1] ?? m[2] ?? ''));
      }
  }
  return lines.filter((l) => l.trim() !== '').join('\n');
}

type XmlToken =
  | { kind: 'text'; text: string }
  | { kind: 'tag'; name: string; closing: boolean; selfClosing: boolean; raw: string };

/** A tokeniser, not a parser: enough for the well-formed XML that Office and pdf.js produce. */
function* xmlTokens(xml: string): Generator<XmlToken> {
  const pattern = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<[?!][^>]*>|<[^>]*>|[^<]+/g;
  for (const match of xml.matchAll(pattern)) {
    const raw = match[0];
    if (match[1] !== undefined) yield { kind: 'text', text: match[1] };
    else if (!raw.startsWith('<')) yield { kind: 'text', text: decodeEntities(raw) };
    else if (/^<[?!]/.test(raw)) continue;
    else yield tagToken(raw);
  }
}

function tagToken(raw: string): XmlToken {
  const name = /^<\/?\s*([^\s/>]+)/.exec(raw)?.[1] ?? '';
  return { kind: 'tag', name, closing: raw.startsWith('</'), selfClosing: raw.endsWith('/>'), raw };
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? parseInt(entity.slice(2), 16)
          : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

// ---------------------------------------------------------------------------------------------
// helpers for pdf.js's loosely typed results

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strings found under the given keys, looking through nested arrays and objects. */
function stringsUnder(value: unknown, keys: readonly string[]): string[] {
  if (!isRecord(value)) return [];
  return keys.flatMap((key) => allStrings(value[key], 0));
}

function allStrings(value: unknown, depth: number): string[] {
  if (depth > 5) return [];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap((item) => allStrings(item, depth + 1));
  if (isRecord(value)) return Object.values(value).flatMap((item) => allStrings(item, depth + 1));
  return [];
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
