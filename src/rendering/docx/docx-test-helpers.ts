import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { buildDocx, paragraph } from '../../../scripts/build-docx-templates';
import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { buildCaseViewModel, CaseViewModel } from '../../view-models/case-view-model';
import { fixture, FixtureName } from '../../../test/support/fixtures';

/** Test-only helpers for the DOCX specs: fixtures as view models, and what a reader would see. */

export const GENERIC_US_DIR = join(__dirname, '..', '..', '..', 'templates', 'generic-us');

export type GenericTemplate = 'petition' | 'declaration';

export function genericTemplate(name: GenericTemplate): Buffer {
  return readFileSync(join(GENERIC_US_DIR, `${name}.docx`));
}

export function fixtureModel(name: FixtureName): CaseViewModel {
  return buildCaseViewModel(parseCaseFacts(fixture(name)));
}

/** A one-part template for renderer specs: the given paragraphs, an empty header and footer. */
export function tinyTemplate(paragraphs: string[]): Buffer {
  const zip = new PizZip(
    buildDocx({ footerTitle: 'Test', bodyLine: 240, body: paragraphs.map((p) => paragraph(p)) }),
  );
  const empty = (root: 'hdr' | 'ftr'): string =>
    `<w:${root} xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:${root}>`;
  zip.file('word/header1.xml', empty('hdr'));
  zip.file('word/footer1.xml', empty('ftr'));
  return zip.generate({ type: 'nodebuffer' });
}

export function partXml(docx: Buffer, part: string): string {
  const file = new PizZip(docx).file(part);
  if (!file) throw new Error(`${part} is not in the document`);
  return file.asText();
}

/** The text a reader sees in a WordprocessingML part: one line per paragraph, tabs as tabs. */
export function visibleText(xml: string): string {
  return xml
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<w:br\/>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:instrText[^>]*>[^<]*<\/w:instrText>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function bodyText(docx: Buffer): string {
  return visibleText(partXml(docx, 'word/document.xml'));
}

export function headerText(docx: Buffer): string {
  return visibleText(partXml(docx, 'word/header1.xml'));
}

const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * Throws unless every XML part of the package parses strictly and docxtemplater can open and
 * render it again. The second render uses delimiters no document contains, so the literal braces
 * of user text are not read as tags. (@xmldom/xmldom comes with docxtemplater; tests only.)
 */
export function assertWellFormedDocx(docx: Buffer): void {
  const zip = new PizZip(docx);
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') throw new Error(message);
    },
  });
  for (const name of Object.keys(zip.files).filter((n) => /\.(xml|rels)$/.test(n))) {
    const xml = zip.file(name)?.asText() ?? '';
    if (XML_ILLEGAL.test(xml)) throw new Error(`${name} holds a character XML forbids`);
    try {
      parser.parseFromString(xml, 'text/xml');
    } catch (error: unknown) {
      throw new Error(`${name} is not well-formed XML: ${String(error)}`);
    }
  }
  new Docxtemplater(new PizZip(docx), {
    delimiters: { start: '\u2983\u2983', end: '\u2984\u2984' },
    paragraphLoop: true,
  }).render({});
}
