import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';

/**
 * Builds the generic-us pack's DOCX templates (petition and declaration) from WordprocessingML
 * written here, so the pack owes nothing to anyone else's documents and a change to the wording
 * is a reviewable diff. Tags are the view model's dotted paths (see case-view-model.ts); the
 * templates compute nothing, they only name values and test booleans.
 *
 *   npx tsc -p tsconfig.build.json && node dist/scripts/build-docx-templates.js
 */

// ---------------------------------------------------------------------------------------------
// WordprocessingML building blocks

const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const FONT = 'Times New Roman';
// Times New Roman has no ballot boxes; naming a symbol font keeps Word from guessing.
const BOX_FONT = 'Segoe UI Symbol';
const PAGE_WIDTH_TWIPS = 9360; // 8.5 in page less two 1 in margins

export interface RunOptions {
  bold?: boolean;
  italic?: boolean;
  caps?: boolean;
  underline?: boolean;
  sizeHalfPoints?: number;
  font?: string;
}

export interface ParagraphOptions {
  style?: string;
  align?: 'left' | 'center' | 'right' | 'both';
  keepNext?: boolean;
  indentLeft?: number;
  spaceBefore?: number;
  spaceAfter?: number;
  tabs?: { pos: number; align: 'left' | 'right' | 'center' }[];
}

/** Literal text for XML; tags such as `{court.name}` contain nothing that needs escaping. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Word rejects properties out of schema order, so each builder writes them in that order.
function runProperties(o: RunOptions): string {
  const props = [
    o.font ? `<w:rFonts w:ascii="${o.font}" w:hAnsi="${o.font}" w:cs="${o.font}"/>` : '',
    o.bold ? '<w:b/>' : '',
    o.italic ? '<w:i/>' : '',
    o.caps ? '<w:caps/>' : '',
    o.sizeHalfPoints
      ? `<w:sz w:val="${o.sizeHalfPoints}"/><w:szCs w:val="${o.sizeHalfPoints}"/>`
      : '',
    o.underline ? '<w:u w:val="single"/>' : '',
  ].join('');
  return props ? `<w:rPr>${props}</w:rPr>` : '';
}

/** One run; `\t` becomes a Word tab so tab stops line things up. */
export function run(text: string, o: RunOptions = {}): string {
  const pieces = text
    .split('\t')
    .map((s) => (s ? `<w:t xml:space="preserve">${escapeXml(s)}</w:t>` : ''))
    .join('<w:tab/>');
  return `<w:r>${runProperties(o)}${pieces}</w:r>`;
}

type Inline = string | string[];

function inlineXml(content: Inline): string {
  return Array.isArray(content) ? content.join('') : run(content);
}

function paragraphProperties(o: ParagraphOptions): string {
  const tabs = o.tabs?.length
    ? `<w:tabs>${o.tabs.map((t) => `<w:tab w:val="${t.align}" w:pos="${t.pos}"/>`).join('')}</w:tabs>`
    : '';
  const spacing =
    o.spaceBefore !== undefined || o.spaceAfter !== undefined
      ? `<w:spacing w:before="${o.spaceBefore ?? 0}" w:after="${o.spaceAfter ?? 0}"/>`
      : '';
  const props = [
    o.style ? `<w:pStyle w:val="${o.style}"/>` : '',
    o.keepNext ? '<w:keepNext/>' : '',
    tabs,
    spacing,
    o.indentLeft !== undefined ? `<w:ind w:left="${o.indentLeft}"/>` : '',
    o.align ? `<w:jc w:val="${o.align}"/>` : '',
  ].join('');
  return props ? `<w:pPr>${props}</w:pPr>` : '';
}

export function paragraph(content: Inline, o: ParagraphOptions = {}): string {
  return `<w:p>${paragraphProperties(o)}${inlineXml(content)}</w:p>`;
}

/**
 * Paragraphs shown only when `tag` is truthy (or, inverted, falsy). Each marker sits alone in its
 * paragraph so that docxtemplater's paragraphLoop drops the markers' paragraphs from the output.
 */
export function when(tag: string, body: string[]): string[] {
  return [paragraph(`{#${tag}}`), ...body, paragraph(`{/${tag}}`)];
}

export function unless(tag: string, body: string[]): string[] {
  return [paragraph(`{^${tag}}`), ...body, paragraph(`{/${tag}}`)];
}

/** Text shown inside a sentence only when `tag` is truthy. */
export function ifText(tag: string, text: string): string {
  return `{#${tag}}${text}{/${tag}}`;
}

/** A value, or a blank line to write on when the case has none (a case number not yet given). */
export function valueOrBlank(tag: string, blank = '____________________'): string {
  return `{#${tag}}{${tag}}{/${tag}}{^${tag}}${blank}{/${tag}}`;
}

/** ☒ when the view-model boolean is true, ☐ when it is false. */
export function checkbox(tag: string): string {
  return run(`{#${tag}}☒{/${tag}}{^${tag}}☐{/${tag}}`, { font: BOX_FONT });
}

const BORDER_ORDER = ['top', 'left', 'bottom', 'right'] as const;

interface Cell {
  width: number;
  content: string[];
  borders?: (typeof BORDER_ORDER)[number][];
}

function cellXml(c: Cell): string {
  const sides = BORDER_ORDER.filter((b) => c.borders?.includes(b));
  const borders = sides.length
    ? `<w:tcBorders>${sides.map((b) => `<w:${b} w:val="single" w:sz="8" w:space="0" w:color="000000"/>`).join('')}</w:tcBorders>`
    : '';
  const body = c.content.length > 0 ? c.content.join('') : paragraph([]);
  return `<w:tc><w:tcPr><w:tcW w:w="${c.width}" w:type="dxa"/>${borders}</w:tcPr>${body}</w:tc>`;
}

function row(cells: Cell[], header = false): string {
  const trPr = header
    ? '<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>'
    : '<w:trPr><w:cantSplit/></w:trPr>';
  return `<w:tr>${trPr}${cells.map(cellXml).join('')}</w:tr>`;
}

function tableXml(widths: number[], rows: string[], style: 'Grid' | 'Plain', indent = 0): string {
  const borders =
    style === 'Grid'
      ? '<w:tblBorders>' +
        ['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
          .map((b) => `<w:${b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
          .join('') +
        '</w:tblBorders>'
      : '';
  const total = widths.reduce((a, b) => a + b, 0);
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${total}" w:type="dxa"/>` +
    (indent ? `<w:tblInd w:w="${indent}" w:type="dxa"/>` : '') +
    `${borders}<w:tblLayout w:type="fixed"/>` +
    '<w:tblCellMar><w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>' +
    `<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>` +
    rows.join('') +
    '</w:tbl>'
  );
}

function cellText(text: string, bold = false): string {
  return paragraph([run(text, { bold })], { style: 'TableText' });
}

/**
 * A bordered table with a header row and one data row repeated for each item of `loopTag`:
 * the loop opens in the first cell and closes in the last, which docxtemplater expands per row.
 */
export function listTable(
  loopTag: string,
  columns: { header: string; width: number; value: string }[],
): string {
  const widths = columns.map((c) => c.width);
  const header = row(
    columns.map((c) => ({ width: c.width, content: [cellText(c.header, true)] })),
    true,
  );
  const last = columns.length - 1;
  const data = row(
    columns.map((c, i) => {
      const open = i === 0 ? `{#${loopTag}}` : '';
      const close = i === last ? `{/${loopTag}}` : '';
      return { width: c.width, content: [cellText(`${open}${c.value}${close}`)] };
    }),
  );
  return tableXml(widths, [header, data], 'Grid');
}

/** Label/value rows; a row with a `when` tag disappears when that value is empty. */
export function detailTable(rows: { label: string; value: string; when?: string }[]): string {
  const widths = [2600, PAGE_WIDTH_TWIPS - 720 - 2600];
  const xml = rows.map((r) => {
    const open = r.when ? `{#${r.when}}` : '';
    const close = r.when ? `{/${r.when}}` : '';
    return row([
      { width: widths[0], content: [cellText(`${open}${r.label}`, true)] },
      { width: widths[1], content: [cellText(`${r.value}${close}`)] },
    ]);
  });
  // Indented to sit under the numbered paragraph it belongs to.
  return tableXml(widths, xml, 'Grid', 720);
}

function field(instruction: string, placeholder: string, o: RunOptions = {}): string {
  const rPr = runProperties(o);
  return (
    `<w:r>${rPr}<w:fldChar w:fldCharType="begin"/></w:r>` +
    `<w:r>${rPr}<w:instrText xml:space="preserve"> ${instruction} </w:instrText></w:r>` +
    `<w:r>${rPr}<w:fldChar w:fldCharType="separate"/></w:r>` +
    `<w:r>${rPr}<w:t>${placeholder}</w:t></w:r>` +
    `<w:r>${rPr}<w:fldChar w:fldCharType="end"/></w:r>`
  );
}

// ---------------------------------------------------------------------------------------------
// Package parts

export interface DocumentSpec {
  /** Printed in the footer of every page, as court rules ask for pleadings. */
  footerTitle: string;
  /** Line spacing of body text in 240ths of a line: 360 is 1.5 lines, 480 is double. */
  bodyLine: number;
  body: string[];
}

export function contentTypesXml(): string {
  const main = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
  return (
    XML_DECL +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/word/document.xml" ContentType="${main}.document.main+xml"/>` +
    `<Override PartName="/word/styles.xml" ContentType="${main}.styles+xml"/>` +
    `<Override PartName="/word/settings.xml" ContentType="${main}.settings+xml"/>` +
    `<Override PartName="/word/numbering.xml" ContentType="${main}.numbering+xml"/>` +
    `<Override PartName="/word/header1.xml" ContentType="${main}.header+xml"/>` +
    `<Override PartName="/word/footer1.xml" ContentType="${main}.footer+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    '</Types>'
  );
}

export function packageRelsXml(): string {
  const base = 'http://schemas.openxmlformats.org';
  return (
    XML_DECL +
    `<Relationships xmlns="${base}/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${base}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
    `<Relationship Id="rId2" Type="${base}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${base}/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
    '</Relationships>'
  );
}

export function documentRelsXml(): string {
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return (
    XML_DECL +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${rel}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId2" Type="${rel}/settings" Target="settings.xml"/>` +
    `<Relationship Id="rId3" Type="${rel}/numbering" Target="numbering.xml"/>` +
    `<Relationship Id="rId4" Type="${rel}/header" Target="header1.xml"/>` +
    `<Relationship Id="rId5" Type="${rel}/footer" Target="footer1.xml"/>` +
    '</Relationships>'
  );
}

function paragraphStyle(
  id: string,
  name: string,
  pPr: string,
  rPr = '',
  basedOn = 'Normal',
): string {
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${id}"><w:name w:val="${name}"/>` +
    `<w:basedOn w:val="${basedOn}"/><w:qFormat/><w:pPr>${pPr}</w:pPr>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}</w:style>`
  );
}

export function stylesXml(bodyLine: number): string {
  const body = `<w:spacing w:before="0" w:after="0" w:line="${bodyLine}" w:lineRule="auto"/>`;
  return (
    XML_DECL +
    `<w:styles ${W_NS}>` +
    '<w:docDefaults><w:rPrDefault><w:rPr>' +
    `<w:rFonts w:ascii="${FONT}" w:hAnsi="${FONT}" w:cs="${FONT}" w:eastAsia="${FONT}"/>` +
    '<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>' +
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>' +
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>' +
    '</w:pPr></w:pPrDefault></w:docDefaults>' +
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>' +
    '<w:pPr><w:widowControl/></w:pPr></w:style>' +
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>' +
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>' +
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>' +
    '</w:tblCellMar></w:tblPr></w:style>' +
    paragraphStyle(
      'CourtName',
      'Court Name',
      '<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>',
      '<w:b/><w:caps/>',
    ) +
    paragraphStyle('Caption', 'Caption Text', '<w:spacing w:before="0" w:after="0"/>') +
    paragraphStyle(
      'DocumentTitle',
      'Document Title',
      '<w:spacing w:before="120" w:after="120"/>',
      '<w:b/><w:caps/>',
    ) +
    paragraphStyle(
      'SectionHeading',
      'Section Heading',
      '<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:jc w:val="center"/>',
      '<w:b/><w:caps/>',
    ) +
    paragraphStyle(
      'BodyText',
      'Body Text',
      `${body}<w:ind w:firstLine="720"/><w:jc w:val="both"/>`,
    ) +
    paragraphStyle(
      'Numbered',
      'Numbered Paragraph',
      `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>${body}<w:jc w:val="both"/>`,
    ) +
    paragraphStyle(
      'Indented',
      'Indented Text',
      `${body}<w:ind w:left="720"/><w:jc w:val="both"/>`,
    ) +
    paragraphStyle(
      'Checklist',
      'Checklist Item',
      '<w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/><w:ind w:left="1080" w:hanging="360"/>',
    ) +
    paragraphStyle(
      'TableText',
      'Table Text',
      '<w:spacing w:before="40" w:after="40"/>',
      '<w:sz w:val="22"/><w:szCs w:val="22"/>',
    ) +
    paragraphStyle(
      'Signature',
      'Signature Block',
      '<w:keepNext/><w:keepLines/><w:ind w:left="4680"/>',
    ) +
    paragraphStyle(
      'Header',
      'Header',
      '<w:tabs><w:tab w:val="right" w:pos="9360"/></w:tabs>',
      '<w:sz w:val="20"/><w:szCs w:val="20"/>',
    ) +
    paragraphStyle(
      'Footer',
      'Footer',
      '<w:jc w:val="center"/>',
      '<w:sz w:val="20"/><w:szCs w:val="20"/>',
    ) +
    '</w:styles>'
  );
}

/** Allegations number themselves, so a paragraph a condition removes leaves no gap. */
export function numberingXml(): string {
  return (
    XML_DECL +
    `<w:numbering ${W_NS}>` +
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>' +
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>' +
    '<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="1440"/></w:tabs>' +
    '<w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl></w:abstractNum>' +
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' +
    '</w:numbering>'
  );
}

export function settingsXml(): string {
  return (
    XML_DECL +
    `<w:settings ${W_NS}><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>` +
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
    '</w:settings>'
  );
}

/** The short caption on every page, so a loose page can be put back in the right file. */
export function headerXml(): string {
  return (
    XML_DECL +
    `<w:hdr ${W_NS}>` +
    paragraph(
      `{petitioner.fullName} v. {respondent.fullName}\tCase No. ${valueOrBlank('court.caseNumber', '__________')}`,
      { style: 'Header' },
    ) +
    '</w:hdr>'
  );
}

export function footerXml(title: string): string {
  return (
    XML_DECL +
    `<w:ftr ${W_NS}>` +
    paragraph([run(title, { caps: true })], { style: 'Footer' }) +
    paragraph([run('Page '), field('PAGE', '1'), run(' of '), field('NUMPAGES', '1')], {
      style: 'Footer',
    }) +
    '</w:ftr>'
  );
}

/** Document properties say nothing about the case; the renderer enforces the same on output. */
export function corePropertiesXml(): string {
  return (
    XML_DECL +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<dc:title>Court document</dc:title><dc:subject></dc:subject><dc:creator></dc:creator>' +
    '<cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy></cp:lastModifiedBy>' +
    '</cp:coreProperties>'
  );
}

export function appPropertiesXml(): string {
  return (
    XML_DECL +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">' +
    '</Properties>'
  );
}

export function documentXml(body: string[]): string {
  const sectPr =
    '<w:sectPr><w:headerReference w:type="default" r:id="rId4"/><w:footerReference w:type="default" r:id="rId5"/>' +
    '<w:pgSz w:w="12240" w:h="15840"/>' +
    '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>' +
    '</w:sectPr>';
  return XML_DECL + `<w:document ${W_NS}><w:body>${body.join('')}${sectPr}</w:body></w:document>`;
}

/** Every part of a template package, by path inside the ZIP. */
export function templateParts(spec: DocumentSpec): Record<string, string> {
  return {
    '[Content_Types].xml': contentTypesXml(),
    '_rels/.rels': packageRelsXml(),
    'docProps/core.xml': corePropertiesXml(),
    'docProps/app.xml': appPropertiesXml(),
    'word/document.xml': documentXml(spec.body),
    'word/_rels/document.xml.rels': documentRelsXml(),
    'word/styles.xml': stylesXml(spec.bodyLine),
    'word/numbering.xml': numberingXml(),
    'word/settings.xml': settingsXml(),
    'word/header1.xml': headerXml(),
    'word/footer1.xml': footerXml(spec.footerTitle),
  };
}

// A fixed timestamp makes a rebuild byte-for-byte identical, so only real changes show in a diff.
const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

export function buildDocx(spec: DocumentSpec): Buffer {
  const zip = new PizZip();
  for (const [path, xml] of Object.entries(templateParts(spec)))
    zip.file(path, xml, { date: FIXED_DATE });
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

// ---------------------------------------------------------------------------------------------
// Shared pleading parts

const numbered = (content: Inline): string => paragraph(content, { style: 'Numbered' });
/** A numbered paragraph that introduces a table: it must not end a page without it. */
const leadIn = (content: Inline): string =>
  paragraph(content, { style: 'Numbered', keepNext: true });
const indented = (content: Inline): string => paragraph(content, { style: 'Indented' });
const heading = (text: string): string => paragraph(text, { style: 'SectionHeading' });
const signatureLine = (content: Inline): string => paragraph(content, { style: 'Signature' });
const blank = (keepNext = false): string => paragraph([], { keepNext });

/** Who is filing, top left of page one: the attorney, or the petitioner at the mailing address. */
export function filerBlock(): string[] {
  const caption = (content: Inline): string => paragraph(content, { style: 'Caption' });
  return [
    ...when('attorney.present', [
      caption(`{attorney.name}${ifText('attorney.barNumber', ' (Bar No. {attorney.barNumber})')}`),
      ...when('attorney.firm', [caption('{attorney.firm}')]),
      ...when('attorney.phone', [caption('Telephone: {attorney.phone}')]),
      ...when('attorney.email', [caption('Email: {attorney.email}')]),
      caption('Attorney for Petitioner'),
    ]),
    ...unless('attorney.present', [
      caption('{petitioner.fullName}'),
      ...when('petitioner.mailing.careOf', [caption('c/o {petitioner.mailing.careOf}')]),
      caption('{petitioner.mailing.streetLine}'),
      caption('{petitioner.mailing.cityStateZip}'),
      caption('Petitioner, self-represented'),
    ]),
    blank(),
  ];
}

/** Court name, then the two-column caption: parties on the left, case number and title boxed right. */
export function captionBlock(titleRuns: string[]): string[] {
  const left = 4680;
  const right = PAGE_WIDTH_TWIPS - left;
  const c = (content: Inline, o: ParagraphOptions = {}): string =>
    paragraph(content, { style: 'Caption', ...o });
  const parties: Cell = {
    width: left,
    borders: ['right', 'bottom'],
    content: [
      c([run('{petitioner.fullName},', { bold: true })]),
      c('\t\tPetitioner,'),
      blank(),
      c('\tv.'),
      blank(),
      c([run('{respondent.fullName},', { bold: true })]),
      c('\t\tRespondent.', { spaceAfter: 120 }),
    ],
  };
  const box: Cell = {
    width: right,
    borders: ['top', 'right', 'bottom'],
    content: [
      c(`Case No.: ${valueOrBlank('court.caseNumber')}`, { indentLeft: 144, spaceBefore: 60 }),
      blank(),
      paragraph(titleRuns, { style: 'DocumentTitle', indentLeft: 144 }),
    ],
  };
  return [
    ...filerBlock(),
    paragraph('{court.name}', { style: 'CourtName' }),
    paragraph('{court.county} County', { style: 'CourtName', spaceAfter: 240 }),
    tableXml([left, right], [row([parties, box])], 'Plain'),
    blank(),
  ];
}

/** "Executed on ... at ...", then a line to sign on and the typed name. */
function signatureBlock(role: string): string[] {
  return [
    paragraph('Executed on {signature.dateLong}, at {signature.place}.', {
      style: 'BodyText',
      keepNext: true,
    }),
    blank(true),
    blank(true),
    signatureLine('________________________________'),
    signatureLine('{signature.typedName}'),
    signatureLine(role),
  ];
}

function perjuryStatement(): string {
  return paragraph(
    'I declare under penalty of perjury under the laws of the State of {court.stateName} that the foregoing is true and correct.',
    { style: 'BodyText', keepNext: true },
  );
}

function attorneyBlock(): string[] {
  return when('attorney.present', [
    blank(),
    signatureLine('Respectfully submitted,'),
    blank(true),
    blank(true),
    signatureLine('________________________________'),
    signatureLine(
      `{attorney.name}${ifText('attorney.barNumber', ', Bar No. {attorney.barNumber}')}`,
    ),
    ...when('attorney.firm', [signatureLine('{attorney.firm}')]),
    signatureLine('Attorney for Petitioner'),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Petition

function petitionParties(): string[] {
  return [
    heading('Parties'),
    numbered(
      '{petitioner.fullName} is the Petitioner. The Petitioner’s mailing address for court papers in this case is ' +
        `${ifText('petitioner.mailing.careOf', 'c/o {petitioner.mailing.careOf}, ')}{petitioner.mailing.oneLine}.` +
        ifText(
          'petitioner.otherNames',
          ' The Petitioner has also been known as {petitioner.otherNames}.',
        ) +
        ifText(
          'petitioner.interpreterNeeded',
          ' The Petitioner needs an interpreter in {petitioner.interpreterLanguage}.',
        ),
    ),
    leadIn(
      '{respondent.fullName} is the Respondent. ' +
        `${ifText('respondent.address.present', 'The Respondent’s address is {respondent.address.oneLine}.')}` +
        `${'{^respondent.address.present}'}The Petitioner does not know the Respondent’s address.{/respondent.address.present}` +
        ' The Respondent is described as follows:',
    ),
    detailTable([
      { label: 'Name', value: '{respondent.fullName}' },
      { label: 'Also known as', value: '{respondent.aliases}', when: 'respondent.aliases' },
      {
        label: 'Date of birth',
        value: '{respondent.dateOfBirthLong}',
        when: 'respondent.dateOfBirthLong',
      },
      { label: 'Age', value: '{respondent.age}', when: 'respondent.age' },
      { label: 'Gender', value: '{respondent.genderLabel}', when: 'respondent.genderLabel' },
      { label: 'Race', value: '{respondent.race}', when: 'respondent.race' },
      { label: 'Height', value: '{respondent.height}', when: 'respondent.height' },
      { label: 'Weight', value: '{respondent.weight}', when: 'respondent.weight' },
      { label: 'Hair', value: '{respondent.hairColor}', when: 'respondent.hairColor' },
      { label: 'Eyes', value: '{respondent.eyeColor}', when: 'respondent.eyeColor' },
      {
        label: 'Marks or tattoos',
        value: '{respondent.distinguishingMarks}',
        when: 'respondent.distinguishingMarks',
      },
      {
        label: 'Workplace',
        value: `{respondent.workplaceName}${ifText('respondent.workplace.present', ', {respondent.workplace.oneLine}')}`,
        when: 'respondent.workplaceName',
      },
      {
        label: 'Vehicle',
        value: '{respondent.vehicle.description}',
        when: 'respondent.vehicle.present',
      },
    ]),
    blank(),
    numbered(
      `{relationship.statement}${ifText('relationship.hasDescription', ' {relationship.description}')}`,
    ),
  ];
}

function petitionProtectedPersons(): string[] {
  return [
    ...when('hasProtectedPersons', [
      leadIn(
        'The Petitioner asks that the order also protect these children and members of the household:',
      ),
      listTable('protectedPersons', [
        { header: 'Name', width: 2560, value: '{fullName}' },
        {
          header: 'Date of birth / age',
          width: 1700,
          value: `{dateOfBirth}${ifText('age', ' (age {age})')}`,
        },
        { header: 'Relationship to Petitioner', width: 1700, value: '{relationshipToPetitioner}' },
        { header: 'Relationship to Respondent', width: 1700, value: '{relationshipToRespondent}' },
        { header: 'Lives with', width: 1700, value: '{livesWithLabel}' },
      ]),
      blank(),
    ]),
    ...unless('hasProtectedPersons', [
      numbered('The Petitioner does not ask that the order protect anyone else.'),
    ]),
  ];
}

function petitionIncidents(): string[] {
  return [
    heading('Abuse'),
    numbered(
      'The Respondent abused the Petitioner as summarized below. Each incident is described in full, in ' +
        'the Petitioner’s own words, in the Declaration of {petitioner.fullName} filed with this petition.',
    ),
    ...when('incidents', [
      indented([
        run('({number}) '),
        run('{when}', { bold: true }),
        run(
          `: ${ifText('hasActs', 'the Respondent {acts}.')}${ifText('hasOtherActs', ' {otherActs}')} Place: {place}.`,
        ),
        run(ifText('hasWeapons', ' Weapon: {weapons}.')),
        run(ifText('policeCalled', ' {police}')),
      ]),
    ]),
    numbered(
      ifText(
        'respondent.firearms.yes',
        'The Respondent has or can get firearms' +
          ifText('respondent.firearms.description', ': {respondent.firearms.description}') +
          '.',
      ) +
        ifText(
          'respondent.firearms.no',
          'To the Petitioner’s knowledge, the Respondent does not have firearms.',
        ) +
        ifText(
          'respondent.firearms.unknown',
          'The Petitioner does not know whether the Respondent has firearms.',
        ),
    ),
  ];
}

function petitionOtherCases(): string[] {
  return [
    ...when('hasOtherCases', [
      leadIn(
        'The Petitioner and the Respondent are or have been parties to these other court cases:',
      ),
      listTable('otherCases', [
        { header: 'Kind of case', width: 2200, value: '{kindLabel}' },
        { header: 'Court', width: 3000, value: '{court}' },
        { header: 'Case number', width: 1560, value: '{caseNumber}' },
        { header: 'Year', width: 800, value: '{year}' },
        {
          header: 'Order in effect',
          width: 1800,
          value: '{#orderInEffect}Yes{/orderInEffect}{^orderInEffect}No{/orderInEffect}',
        },
      ]),
      blank(),
    ]),
    ...unless('hasOtherCases', [
      numbered(
        'The Petitioner knows of no other court case between the Petitioner and the Respondent.',
      ),
    ]),
  ];
}

function reliefItem(tag: string, label: string, text: string): string {
  return paragraph([checkbox(tag), run('\t'), run(label, { bold: true }), run(` ${text}`)], {
    style: 'Checklist',
  });
}

function petitionRelief(): string[] {
  const others = ifText('hasProtectedPersons', ' or the protected persons');
  return [
    heading('Relief Requested'),
    numbered(
      'The Petitioner asks the Court to make the orders checked below (☒) against the Respondent:',
    ),
    reliefItem(
      'orders.personalConduct',
      'Personal conduct.',
      `Not to harass, attack, strike, threaten, assault, stalk, or disturb the peace of the Petitioner${others}.`,
    ),
    reliefItem(
      'orders.noContact',
      'No contact.',
      `Not to contact the Petitioner${others} in any way, directly or through another person, except as the Court allows.`,
    ),
    reliefItem(
      'orders.stayAway.requested',
      'Stay away.',
      `To stay at least ${valueOrBlank('orders.stayAway.distanceYards', '_____')} yards away from the Petitioner${others}` +
        `${ifText('orders.stayAway.places', ', and from {orders.stayAway.places}')}.`,
    ),
    reliefItem(
      'orders.moveOut.requested',
      'Move out.',
      `To move out of the home the parties share${ifText('orders.moveOut.details', ' ({orders.moveOut.details})')}.`,
    ),
    reliefItem(
      'orders.custody.requested',
      'Temporary custody.',
      `Temporary custody of the minor children to the Petitioner${ifText('orders.custody.details', ': {orders.custody.details}')}`,
    ),
    reliefItem(
      'orders.visitation.requested',
      'Visitation.',
      `Orders for the Respondent’s visitation with the children${ifText('orders.visitation.details', ': {orders.visitation.details}')}`,
    ),
    reliefItem(
      'orders.firearmSurrender',
      'Firearms.',
      'To surrender all firearms and ammunition, and not to buy, own, or possess any while the order is in effect.',
    ),
    reliefItem(
      'orders.pets.requested',
      'Animals.',
      'To give the Petitioner sole care and control of ' +
        `${valueOrBlank('orders.pets.list', 'the animals named in the declaration')}` +
        ', and to stay away from them.',
    ),
    reliefItem(
      'orders.property.requested',
      'Property.',
      `To give the Petitioner the use of property${ifText('orders.property.details', ': {orders.property.details}')}`,
    ),
    paragraph(
      [
        checkbox('orders.support.any'),
        run('\t'),
        run('Support.', { bold: true }),
        run(' To pay '),
        checkbox('orders.support.child'),
        run(' child support  '),
        checkbox('orders.support.spousal'),
        run(' spousal support, in amounts the Court sets.'),
      ],
      { style: 'Checklist' },
    ),
    reliefItem(
      'orders.hasOther',
      'Other.',
      valueOrBlank('orders.other', '________________________________'),
    ),
    paragraph(
      `The Petitioner also asks for any other order the Court finds necessary to protect the Petitioner${others}.`,
      { style: 'BodyText' },
    ),
  ];
}

export function petitionBody(): string[] {
  return [
    ...captionBlock([run('Petition for Protective Order', { bold: true, caps: true })]),
    ...petitionParties(),
    ...petitionProtectedPersons(),
    ...petitionIncidents(),
    ...petitionOtherCases(),
    ...petitionRelief(),
    heading('Verification'),
    perjuryStatement(),
    ...signatureBlock('Petitioner'),
    ...attorneyBlock(),
  ];
}

// ---------------------------------------------------------------------------------------------
// Declaration

function incidentParagraphs(): string[] {
  const detail = (tag: string, text: string): string[] => when(tag, [indented(text)]);
  return when('incidents', [
    numbered([
      run('{when}', { bold: true }),
      run(
        `, ${ifText('hasActs', 'the Respondent {acts}.')}${ifText('hasOtherActs', ' {otherActs}')}`,
      ),
      run(' This happened at this place: {place}.'),
    ]),
    indented('{narrative}'),
    ...detail('hasWeapons', 'Weapons used: {weapons}.'),
    ...detail('hasInjuries', 'My injuries: {injuries}'),
    ...detail('receivedMedicalCare', '{medicalCare}'),
    ...detail('policeCalled', '{police}'),
    ...detail('hasWitnesses', 'Witnesses: {witnesses}.'),
    ...detail('hasChildrenPresent', 'Children present: {childrenPresent}.'),
  ]);
}

export function declarationBody(): string[] {
  return [
    ...captionBlock([
      run('Declaration of {petitioner.fullName} in Support of Petition for Protective Order', {
        bold: true,
        caps: true,
      }),
    ]),
    paragraph('I, {petitioner.fullName}, declare:', { style: 'BodyText' }),
    numbered(
      'I am the Petitioner in this case. I know the facts in this declaration personally, and if called as a ' +
        'witness I could and would testify to them.',
    ),
    numbered(
      `{relationship.statement}${ifText('relationship.hasDescription', ' {relationship.description}')}`,
    ),
    numbered(
      'I ask the Court for a protective order because of what the Respondent did, told here in the order it happened.',
    ),
    ...incidentParagraphs(),
    ...when('respondent.firearms.yes', [
      numbered(
        'The Respondent has or can get firearms' +
          ifText('respondent.firearms.description', ': {respondent.firearms.description}') +
          '.',
      ),
    ]),
    perjuryStatement(),
    ...signatureBlock('Declarant'),
  ];
}

/**
 * The petitioner's own sheet, in plain words: where to file, that officers serve the papers for
 * free, what happens at the hearing, and that the petitioner never delivers anything to the
 * respondent. Only the petitioner's copy carries it.
 */
export function nextStepsBody(): string[] {
  const step = (title: string, text: string): string[] => [
    paragraph([run(title, { bold: true })], { style: 'BodyText', keepNext: true }),
    paragraph(text, { style: 'BodyText' }),
  ];
  return [
    paragraph([run('What happens next', { bold: true, caps: true })], { style: 'DocumentTitle' }),
    paragraph(
      'These are your papers asking the court for a protective order against {respondent.fullName}. ' +
        'Keep this sheet and your copy of the papers somewhere the respondent cannot find them.',
      { style: 'BodyText' },
    ),
    ...step(
      '1. File your papers with the court',
      'Take the papers to the clerk of {court.name}' +
        ifText('court.address', ', {court.address}') +
        '. Sign where the papers ask for your signature, in front of the clerk if the court asks you to. ' +
        'There is no fee to ask for a protective order. Ask the clerk when the judge will look at your request.',
    ),
    ...step(
      '2. The judge may make a temporary order',
      'The judge can make a temporary order the same day or the next court day, without the respondent ' +
        'being there. The clerk will give you the date of the hearing. Keep a copy of any order with you at all times.',
    ),
    ...step(
      '3. The respondent must be served, and not by you',
      'The respondent has to get a copy of the papers before the hearing. The sheriff or the police serve ' +
        'protective-order papers for free. Give them the law-enforcement papers from this packet. You never ' +
        'have to hand papers to the respondent yourself, and you should not. Do not contact the respondent.',
    ),
    ...step(
      '4. Go to the hearing',
      'Go to court on the hearing date on your notice. Bring your copy of the papers and anything that shows ' +
        'what happened: photos, messages, medical records, police reports' +
        ifText(
          'mostRecentIncident.policeReportNumber',
          ' (report {mostRecentIncident.policeReportNumber})',
        ) +
        ', and people who saw it. If you need an interpreter, ask the clerk before the hearing. ' +
        'If you do not go, the temporary order can end.',
    ),
    ...step(
      'If the respondent does not obey the order',
      'Call 911. Show the officer your copy of the order. Breaking a protective order is a crime.',
    ),
    ...step(
      'Help is free and confidential',
      'National Domestic Violence Hotline: 1-800-799-7233, or text START to 88788. ' +
        'A local legal aid office can help you at the hearing.',
    ),
  ];
}

// ---------------------------------------------------------------------------------------------

export const TEMPLATES: Record<'petition' | 'declaration' | 'next-steps', () => DocumentSpec> = {
  petition: () => ({
    footerTitle: 'Petition for Protective Order',
    bodyLine: 360,
    body: petitionBody(),
  }),
  declaration: () => ({
    footerTitle: 'Declaration in Support of Petition for Protective Order',
    bodyLine: 480,
    body: declarationBody(),
  }),
  'next-steps': () => ({
    footerTitle: 'What happens next',
    bodyLine: 300,
    body: nextStepsBody(),
  }),
};

/** Where each template is kept under templates/: a pack, or `common` when every pack uses it. */
export const TEMPLATE_FOLDERS: Record<keyof typeof TEMPLATES, string> = {
  petition: 'generic-us',
  declaration: 'generic-us',
  'next-steps': 'common',
};

export function main(templatesDir = join(__dirname, '..', '..', 'templates')): void {
  for (const [name, spec] of Object.entries(TEMPLATES)) {
    const dir = join(templatesDir, TEMPLATE_FOLDERS[name as keyof typeof TEMPLATES]);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.docx`);
    writeFileSync(file, buildDocx(spec()));
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (require.main === module) main();
