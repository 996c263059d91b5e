import { DOMParser, Node as XmlNode } from '@xmldom/xmldom';
import PizZip from 'pizzip';

/**
 * XML 1.0 well-formedness as the specification states it, for the parts of a DOCX: bytes that
 * are UTF-8, only characters the Char production allows, balanced tags, quoted attributes
 * without `<`, every `&` a reference to a predefined entity or a character, no `]]>` in text,
 * one root element. @xmldom/xmldom (docxtemplater's own parser) checks the tree as a second
 * opinion, but it accepts control characters, U+FFFE, unpaired surrogates, a bare `&` and
 * `]]>` in text, which is why the first check is here.
 */

const ILLEGAL_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_:\p{L}][-A-Za-z0-9._:\p{L}\p{N}\p{M}]*/u;
const REFERENCE = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function checkReferences(text: string, where: string, problems: string[]): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    const ref = REFERENCE.exec(text.slice(i, i + 12));
    if (!ref) {
      problems.push(`${where}: "&" that is not an entity reference`);
      continue;
    }
    const numeric = /^&#(x?)([0-9A-Fa-f]+);$/.exec(ref[0]);
    if (numeric) {
      const cp = parseInt(numeric[2], numeric[1] ? 16 : 10);
      const char = cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFF';
      if (ILLEGAL_CHAR.test(char)) problems.push(`${where}: reference to an illegal character`);
    }
  }
}

/** Every well-formedness problem of one XML document (empty when it is well-formed). */
export function xmlProblems(bytes: Uint8Array): string[] {
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return ['not UTF-8'];
  }
  const problems: string[] = [];
  const illegal = ILLEGAL_CHAR.exec(xml);
  if (illegal) problems.push(`illegal character ${codePoint(illegal[0])}`);
  const stack: string[] = [];
  let roots = 0;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < xml.length && problems.length < 20) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const text = xml.slice(i, end < 0 ? xml.length : end);
      if (stack.length === 0 && text.trim() !== '') problems.push('text outside the root element');
      if (text.includes(']]>')) problems.push('"]]>" in text');
      checkReferences(text, 'text', problems);
      i = end < 0 ? xml.length : end;
      continue;
    }
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) return [...problems, 'unclosed processing instruction'];
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) return [...problems, 'unclosed comment'];
      if (xml.slice(i + 4, end).includes('--')) problems.push('"--" inside a comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) problems.push('CDATA outside the root element');
      const end = xml.indexOf(']]>', i);
      if (end < 0) return [...problems, 'unclosed CDATA section'];
      i = end + 3;
    } else if (xml.startsWith('<!', i)) {
      return [...problems, 'a declaration a DOCX part never has'];
    } else if (xml.startsWith('</', i)) {
      const name = NAME.exec(xml.slice(i + 2));
      const close = name ? xml.slice(i + 2 + name[0].length).match(/^\s*>/) : null;
      if (!name || !close) return [...problems, 'malformed end tag'];
      const open = stack.pop();
      if (open !== name[0]) problems.push(`end tag </${name[0]}> closes <${open ?? 'nothing'}>`);
      i += 2 + name[0].length + close[0].length;
    } else {
      const name = NAME.exec(xml.slice(i + 1));
      if (!name) return [...problems, 'malformed start tag'];
      if (stack.length === 0 && ++roots > 1) problems.push('more than one root element');
      let j = i + 1 + name[0].length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(j))?.[0] ?? '';
        j += ws.length;
        if (xml.startsWith('/>', j)) {
          j += 2;
          break;
        }
        if (xml[j] === '>') {
          stack.push(name[0]);
          j += 1;
          break;
        }
        const attr = ws === '' ? null : NAME.exec(xml.slice(j));
        if (!attr) return [...problems, `malformed attribute in <${name[0]}>`];
        if (seen.has(attr[0])) problems.push(`attribute ${attr[0]} twice`);
        seen.add(attr[0]);
        j += attr[0].length;
        const eq = /^\s*=\s*(["'])/.exec(xml.slice(j));
        if (!eq) return [...problems, `attribute ${attr[0]} without a quoted value`];
        j += eq[0].length;
        const end = xml.indexOf(eq[1], j);
        if (end < 0) return [...problems, `unterminated attribute ${attr[0]}`];
        const value = xml.slice(j, end);
        if (value.includes('<')) problems.push(`"<" in attribute ${attr[0]}`);
        checkReferences(value, `attribute ${attr[0]}`, problems);
        j = end + 1;
      }
      i = j;
    }
  }
  if (stack.length > 0) problems.push(`unclosed <${stack[stack.length - 1]}>`);
  if (roots === 0) problems.push('no root element');
  if (problems.length === 0) {
    try {
      new DOMParser({
        onError: (level: string, message: string) => {
          if (level !== 'warning') throw new Error(message);
        },
      }).parseFromString(xml, 'text/xml');
    } catch (e) {
      problems.push(`xmldom: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return problems;
}

/** Every XML part of a DOCX (XML and relationship files) with its problems; empty when sound. */
export function docxProblems(docx: Uint8Array): Record<string, string[]> {
  let zip: PizZip;
  try {
    zip = new PizZip(docx);
  } catch {
    return { '(zip)': ['not a ZIP file'] };
  }
  const found: Record<string, string[]> = {};
  const parts = Object.keys(zip.files).filter((n) => /\.(xml|rels)$/.test(n));
  if (!parts.includes('word/document.xml')) found['word/document.xml'] = ['missing'];
  for (const name of parts) {
    const problems = xmlProblems(zip.file(name)?.asUint8Array() ?? new Uint8Array());
    if (problems.length > 0) found[name] = problems;
  }
  return found;
}

/**
 * The text a reader sees in a WordprocessingML part, read with a real XML parser (so every
 * escape is undone exactly once): `w:t` text, `w:br` as a line break, `w:tab` as a tab, each
 * paragraph ending in a line break.
 */
export function wordText(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  let out = '';
  const walk = (node: XmlNode): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      const name = child.nodeName;
      if (name === 'w:t') out += child.textContent ?? '';
      else if (name === 'w:br' || name === 'w:cr') out += '\n';
      else if (name === 'w:tab') out += '\t';
      else if (name === 'w:instrText' || name === 'w:delText') continue;
      else walk(child);
      if (name === 'w:p') out += '\n';
    }
  };
  walk(doc);
  return out;
}

/** What a reader sees in the body, headers and footers of a DOCX. */
export function docxVisibleText(docx: Uint8Array): string {
  const zip = new PizZip(docx);
  return Object.keys(zip.files)
    .filter((n) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(n))
    .sort()
    .map((n) => wordText(zip.file(n)?.asText() ?? ''))
    .join('\n');
}
