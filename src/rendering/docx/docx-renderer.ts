import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../../common/errors/error-code';
import { resolvePath, valueToText } from '../../view-models/resolve-path';

/**
 * Fills a DOCX template from a view model. Templates may only name data: plain dotted tags,
 * `{#x}...{/x}` sections and `{^x}...{/x}` inverted sections. There is no expression parser, so
 * nothing a template or a petitioner types can run code, and a tag without a value is an error
 * that names it instead of a blank on a filed document.
 */

type DxtPart = Docxtemplater.DXT.Part;
type DxtParser = Docxtemplater.DXT.Parser;

/** A tag of a template and the sections (outermost first) it sits in. */
export interface TemplateTag {
  tag: string;
  loopPath: string[];
  kind: 'value' | 'section' | 'inverted';
}

// XML 1.0 forbids C0 controls other than tab, newline and carriage return; carriage returns are
// folded into newlines first so that a Windows line break still becomes a Word line break.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const NEUTRAL_CORE_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
  ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
  ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  '<dc:title>Court document</dc:title><dc:subject></dc:subject><dc:creator></dc:creator>' +
  '<cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy></cp:lastModifiedBy>' +
  '</cp:coreProperties>';

export function renderDocx(template: Buffer, model: object): Buffer {
  const missing: ErrorDetail[] = [];
  const doc = compile(template, { nullGetter: collectMissing(missing) });
  try {
    doc.render(model);
  } catch (error: unknown) {
    throw renderError(error);
  }
  if (missing.length > 0) {
    throw new AppError(
      ErrorCode.RenderFailed,
      `The template has tags with no value: ${[...new Set(missing.map((d) => d.field))].join(', ')}`,
      missing,
    );
  }
  const zip = doc.getZip() as PizZip;
  neutralizeProperties(zip);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Every tag of a template (body, headers and footers) with the sections it sits in, for lint. */
export function listTemplateTags(template: Buffer): TemplateTag[] {
  const doc = compile(template, {}) as unknown as CompiledDocument;
  return Object.values(doc.compiled).flatMap((file) =>
    flattenTags(
      file.postparsed.filter((p) => p.type === 'placeholder'),
      [],
    ),
  );
}

// The compiled parts docxtemplater's own getTags() and InspectModule walk. InspectModule itself
// is not usable here: it requires lodash, which this project does not install.
interface CompiledDocument {
  compiled: Record<string, { postparsed: DxtPart[] }>;
}

/**
 * The tags of a template that would not resolve for this model. A tag inside a list section is
 * checked against the list's first item (an empty list or a false condition hides its tags, so
 * they cannot fail for this case); a tag inside a condition is checked in the enclosing scope.
 */
export function findUnresolvedTags(tags: TemplateTag[], model: object): TemplateTag[] {
  return tags.filter((t) => {
    const scopes = scopesFor(t.loopPath, model);
    if (scopes === undefined) return false;
    const value = lookUp(scopes, t.tag);
    return t.kind === 'value' ? printable(value) === undefined : value === undefined;
  });
}

function compile(template: Buffer, options: Docxtemplater.DXT.ConstructorOptions): Docxtemplater {
  let zip: PizZip;
  try {
    zip = new PizZip(template);
  } catch (error: unknown) {
    throw new AppError(ErrorCode.RenderFailed, 'The template is not a DOCX (ZIP) file', [
      { field: 'template', message: messageOf(error) },
    ]);
  }
  try {
    return new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false,
      parser: scopeChainParser,
      ...options,
    });
  } catch (error: unknown) {
    throw renderError(error);
  }
}

/**
 * Resolves a dotted tag in the innermost scope that has it. Docxtemplater asks once per scope,
 * innermost first, and moves outwards while the answer is undefined; walking the list here as well
 * keeps the rule in one visible place and independent of that behaviour.
 */
function scopeChainParser(tag: string, options?: { tag?: DxtPart }): DxtParser {
  const path = tag.trim();
  const isSection = options?.tag?.module === 'loop';
  return {
    get(scope: unknown, context: Docxtemplater.DXT.ParserContext): unknown {
      const visible = context.scopeList.slice(0, context.num + 1);
      const value = lookUp(visible.length > 0 ? visible : [scope], path);
      return isSection ? value : xmlSafe(printable(value));
    },
  };
}

/**
 * The text a value tag prints, or undefined (an error naming the tag) for a value that has no
 * sensible printed form: an object would print "[object Object]" on a filing.
 */
function printable(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return valueToText(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return valueToText(value);
  return undefined;
}

/** `scopes` outermost first; the innermost scope that has the path wins. */
function lookUp(scopes: unknown[], path: string): unknown {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const value = resolvePath(scopes[i], path);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

// Docxtemplater calls nullGetter outside its error collection, so throwing there would stop at
// the first missing tag; recording and failing after render reports them all at once.
function collectMissing(missing: ErrorDetail[]): Docxtemplater.DXT.Options['nullGetter'] {
  return (part: DxtPart, scopeManager: Docxtemplater.DXT.ScopeManager): string => {
    const loopPath = [...(scopeManager?.scopePath ?? [])];
    const field = [...loopPath, part.value].join(' > ');
    missing.push({
      field,
      id: 'missing_value',
      tag: part.value,
      loopPath,
      message: `No value for {${part.value}}`,
    });
    return '';
  };
}

interface DxtErrorShape {
  properties?: {
    id?: string;
    xtag?: string;
    explanation?: string;
    errors?: unknown[];
    rootError?: { message?: string };
  };
  message?: string;
}

function renderError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const shape = error as DxtErrorShape;
  const inner = Array.isArray(shape?.properties?.errors) ? shape.properties.errors : [error];
  const details = inner.map(errorDetail);
  const tags = details.map((d) => d.field).filter(Boolean);
  const summary = tags.length > 0 ? `: ${tags.join(', ')}` : '';
  return new AppError(
    ErrorCode.RenderFailed,
    `The template could not be rendered${summary}`,
    details,
  );
}

function errorDetail(error: unknown): ErrorDetail {
  const shape = error as DxtErrorShape;
  const props = shape?.properties ?? {};
  const message = props.rootError?.message ?? props.explanation ?? shape?.message ?? String(error);
  return { field: props.xtag, id: props.id ?? 'unknown', tag: props.xtag, message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A printed value as text XML can hold. Done per printed tag rather than over a copy of the
 * model: a case's view model is large and a template prints a small part of it.
 */
function xmlSafe(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').replace(XML_ILLEGAL, '') : value;
}

/** Document properties travel with a file; they must not name anyone or say what the case is. */
function neutralizeProperties(zip: PizZip): void {
  if (zip.file('docProps/core.xml')) zip.file('docProps/core.xml', NEUTRAL_CORE_XML);
  const app = zip.file('docProps/app.xml');
  if (app) {
    zip.file(
      'docProps/app.xml',
      app.asText().replace(/<(Company|Manager|HyperlinkBase)>[^<]*<\/\1>/g, '<$1></$1>'),
    );
  }
}

function flattenTags(parts: DxtPart[], loopPath: string[]): TemplateTag[] {
  return parts.flatMap((part): TemplateTag[] => {
    const tag = part.value.trim();
    if (part.module !== 'loop') return [{ tag, loopPath, kind: 'value' }];
    const own: TemplateTag = { tag, loopPath, kind: part.inverted ? 'inverted' : 'section' };
    // An inverted section renders in the scope around it, so it adds nothing to the path.
    const inner = part.inverted ? loopPath : [...loopPath, tag];
    const children = (part.subparsed ?? []).filter((p) => p.type === 'placeholder');
    return [own, ...flattenTags(children, inner)];
  });
}

/**
 * The scopes a tag at this loop path sees for this model, outermost first, or undefined when the
 * path is not rendered for this model (an empty list or a false condition on the way).
 */
function scopesFor(loopPath: string[], model: object): unknown[] | undefined {
  const scopes: unknown[] = [model];
  for (const section of loopPath) {
    const value = lookUp(scopes, section);
    if (Array.isArray(value)) {
      if (value.length === 0) return undefined;
      scopes.push(value[0]);
    } else if (value !== null && typeof value === 'object') {
      scopes.push(value);
    } else if (!value) {
      return undefined;
    }
  }
  return scopes;
}
