import { createHash } from 'node:crypto';
import { cleanText, FontLibrary, runsWidth, TextRun } from './font-library';
import { BodyObject, layOutBody, num, ref, streamObject, textObject } from './pdf-syntax';
import { xrefSection } from './pdf-xref';
import { SubsetFonts } from './subset-fonts';
import { wrapText } from './text-layout';
import { lazySha256, WrittenPdf } from './written-pdf';

export interface AttachmentCaption {
  court: string;
  caseNumber?: string;
  petitioner: string;
  respondent: string;
}

export interface AttachmentSection {
  /** e.g. "DV-100, item 7 (continued)". */
  heading: string;
  text: string;
}

const PAGE = { width: 612, height: 792 }; // US Letter
const MARGIN = { left: 54, right: 54, top: 50, bottom: 54 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const CAPTION_SIZE = 10;
const HEADING_SIZE = 11;
const BODY_SIZE = 11;
const FOOTER_SIZE = 9;
const LINE_GAP = 1.35;
const RULE_WIDTH = 0.75;
/** A heading with less room than this below it starts the next page instead of ending this one. */
const MIN_LINES_AFTER_HEADING = 2;
/** Content streams shorter than this stay uncompressed: deflating them costs more than it saves. */
const COMPRESS_OVER = 2048;
const HEADER = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

/** One line to draw, already wrapped and split into runs of one face each. */
interface Line {
  runs: TextRun[];
  size: number;
  bold: boolean;
  /** Space this line takes, baseline to baseline. */
  advance: number;
  /** Extra space before the line (between sections). */
  spaceBefore: number;
}

/** Runs placed on a page: what a page draws, before fonts number the glyphs. */
interface Placed {
  runs: TextRun[];
  x: number;
  y: number;
  size: number;
}

/** Measures text with the shared fonts and shaping, as the form fills do. */
class RunWriter {
  constructor(private readonly library: FontLibrary) {}

  /** Runs of one line in drawing order (see FontLibrary.lineRuns), for measuring or drawing. */
  runs(text: string, field: string, bold: boolean): TextRun[] {
    return this.library.lineRuns(text, field, bold ? this.library.bold : undefined);
  }

  wrap(text: string, field: string, size: number, bold: boolean): TextRun[][] {
    const measure = (t: string) => runsWidth(this.runs(t, field, bold), size);
    return wrapText(text, CONTENT_WIDTH, measure).map((line) => this.runs(line, field, bold));
  }
}

/**
 * Continuation pages for text that did not fit its form field: Letter size, the case caption on
 * every page, each section under its heading, numbered "Attachment page N of M".
 */
export async function renderAttachmentPages(
  caption: AttachmentCaption,
  sections: AttachmentSection[],
): Promise<Uint8Array> {
  return Promise.resolve(writeAttachmentPages(caption, sections).bytes);
}

/**
 * The attachment pages as written: drawn with the Noto faces, shaped and subset as the form
 * fills draw their fields (Type0 fonts with a ToUnicode map), and kept as objects for bundles.
 */
export function writeAttachmentPages(
  caption: AttachmentCaption,
  sections: AttachmentSection[],
): WrittenPdf {
  const library = FontLibrary.shared();
  const writer = new RunWriter(library);
  const header = captionLines(writer, caption);
  const body = bodyLines(writer, sections);
  const pages = paginate(body, bodyTop(header) - MARGIN.bottom);
  const placed = pages.map((lines, i) => [
    ...placeHeader(header),
    ...placeBody(lines, bodyTop(header)),
    placeFooter(writer, i + 1, pages.length),
  ]);
  return writeFile(placed, ruleY(header));
}

interface Header {
  court: TextRun[][];
  parties: { left: TextRun[]; right: TextRun[] }[];
}

function captionLines(writer: RunWriter, caption: AttachmentCaption): Header {
  const court = writer.wrap(cleanText(caption.court), 'caption.court', CAPTION_SIZE, true);
  const caseNumber = cleanText(caption.caseNumber ?? '');
  const parties = [
    {
      left: writer.runs(
        `Petitioner: ${cleanText(caption.petitioner)}`,
        'caption.petitioner',
        false,
      ),
      right: writer.runs(
        caseNumber ? `Case number: ${caseNumber}` : '',
        'caption.caseNumber',
        false,
      ),
    },
    {
      left: writer.runs(
        `Respondent: ${cleanText(caption.respondent)}`,
        'caption.respondent',
        false,
      ),
      right: [],
    },
  ];
  return { court, parties };
}

/** Where the rule under the caption sits. */
function ruleY(header: Header): number {
  const lines = header.court.length + header.parties.length;
  return PAGE.height - MARGIN.top - lines * CAPTION_SIZE * LINE_GAP + CAPTION_SIZE * 0.6;
}

/** Top of the body text area, below the caption and its rule. */
function bodyTop(header: Header): number {
  return ruleY(header) - 12;
}

function bodyLines(writer: RunWriter, sections: AttachmentSection[]): Line[] {
  const lines: Line[] = [];
  for (const [i, section] of sections.entries()) {
    const headingRuns = writer.wrap(
      cleanText(section.heading),
      `sections.${i}.heading`,
      HEADING_SIZE,
      true,
    );
    headingRuns.forEach((runs, j) =>
      lines.push({
        runs,
        size: HEADING_SIZE,
        bold: true,
        advance: HEADING_SIZE * LINE_GAP,
        spaceBefore: i > 0 && j === 0 ? BODY_SIZE : 0,
      }),
    );
    const textRuns = writer.wrap(cleanText(section.text), `sections.${i}.text`, BODY_SIZE, false);
    for (const runs of textRuns) {
      lines.push({
        runs,
        size: BODY_SIZE,
        bold: false,
        advance: BODY_SIZE * LINE_GAP,
        spaceBefore: 0,
      });
    }
  }
  return lines;
}

/** Fills pages top to bottom; a heading never ends a page with its text on the next. */
function paginate(lines: Line[], available: number): Line[][] {
  const pages: Line[][] = [];
  let page: Line[] = [];
  let used = 0;
  lines.forEach((line, i) => {
    const gap = page.length > 0 ? line.spaceBefore : 0;
    const endsHeading = line.bold && lines[i + 1] !== undefined && !lines[i + 1].bold;
    const reserve = endsHeading ? MIN_LINES_AFTER_HEADING * BODY_SIZE * LINE_GAP : 0;
    if (page.length > 0 && used + gap + line.advance + reserve > available) {
      pages.push(page);
      page = [];
      used = 0;
    }
    used += (page.length > 0 ? line.spaceBefore : 0) + line.advance;
    page.push(line);
  });
  pages.push(page);
  return pages;
}

function placeHeader(header: Header): Placed[] {
  const placed: Placed[] = [];
  let y = PAGE.height - MARGIN.top;
  for (const runs of header.court) {
    placed.push({ runs, x: MARGIN.left, y, size: CAPTION_SIZE });
    y -= CAPTION_SIZE * LINE_GAP;
  }
  for (const { left, right } of header.parties) {
    placed.push({ runs: left, x: MARGIN.left, y, size: CAPTION_SIZE });
    const rightX = PAGE.width - MARGIN.right - runsWidth(right, CAPTION_SIZE);
    placed.push({ runs: right, x: rightX, y, size: CAPTION_SIZE });
    y -= CAPTION_SIZE * LINE_GAP;
  }
  return placed;
}

function placeBody(lines: Line[], top: number): Placed[] {
  const placed: Placed[] = [];
  let y = top - BODY_SIZE;
  lines.forEach((line, i) => {
    if (i > 0) y -= line.spaceBefore;
    placed.push({ runs: line.runs, x: MARGIN.left, y, size: line.size });
    y -= line.advance;
  });
  return placed;
}

function placeFooter(writer: RunWriter, n: number, total: number): Placed {
  const runs = writer.runs(`Attachment page ${n} of ${total}`, 'footer', false);
  const x = (PAGE.width - runsWidth(runs, FOOTER_SIZE)) / 2;
  return { runs, x, y: MARGIN.bottom / 2, size: FOOTER_SIZE };
}

/**
 * The file: one Type0 subset per face for all pages (glyphs recorded first, so the subsets hold
 * exactly what is drawn), a content stream per page, and a neutral Info dictionary.
 */
function writeFile(pages: Placed[][], rule: number): WrittenPdf {
  const fonts = new SubsetFonts();
  for (const placed of pages) {
    for (const { runs } of placed) {
      for (const run of runs) {
        const glyphs = run.face.shaper.shape(run.text).glyphs;
        if (glyphs.length > 0) fonts.use(run.face, glyphs);
      }
    }
  }
  let next = 1;
  const allocate = () => next++;
  const [catalog, pageTree, info] = [allocate(), allocate(), allocate()];
  const objects: BodyObject[] = [
    textObject(catalog, `<< /Type /Catalog /Pages ${ref(pageTree)} >>`),
    textObject(info, '<< /Title (Attachment) >>'),
  ];
  objects.push(...fonts.write(allocate));
  const fontEntries = fonts
    .placedFonts()
    .map((f) => `/${f.resource} ${ref(f.objectNumber)}`)
    .join(' ');
  const pageNumbers: number[] = [];
  for (const placed of pages) {
    const [pageNumber, contentNumber] = [allocate(), allocate()];
    pageNumbers.push(pageNumber);
    const content = Buffer.from(pageContent(placed, rule, fonts), 'latin1');
    objects.push(
      textObject(
        pageNumber,
        `<< /Type /Page /Parent ${ref(pageTree)} /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
          `/Resources << /Font << ${fontEntries} >> >> /Contents ${ref(contentNumber)} >>`,
      ),
      streamObject(contentNumber, '', content, content.length > COMPRESS_OVER),
    );
  }
  objects.push(
    textObject(
      pageTree,
      `<< /Type /Pages /Kids [${pageNumbers.map(ref).join(' ')}] /Count ${pageNumbers.length} >>`,
    ),
  );
  const bytes = layOutBody(HEADER, objects, (offsets, bodyEnd) =>
    xrefSection('table', offsets, bodyEnd, next, {
      root: ref(catalog),
      info: ref(info),
      freeHead: true,
    }),
  );
  return {
    bytes,
    statics: [],
    part: { pages: pageNumbers, pageTree, omitted: [catalog, info], objects, size: next },
    sha256: lazySha256(() => createHash('sha256').update(bytes).digest('hex')),
  };
}

/** The page's text, runs at their places in their faces, and the rule under the caption. */
function pageContent(placed: Placed[], rule: number, fonts: SubsetFonts): string {
  const ops = [
    'q',
    `0 G ${num(RULE_WIDTH)} w`,
    `${num(MARGIN.left)} ${num(rule)} m ${num(PAGE.width - MARGIN.right)} ${num(rule)} l S`,
    'Q',
    'BT',
    '0 g',
  ];
  for (const { runs, x, y, size } of placed) {
    let cursor = x;
    for (const run of runs) {
      const glyphs = run.face.shaper.shape(run.text).glyphs;
      if (glyphs.length > 0) {
        ops.push(
          `/${fonts.placedFont(run.face).resource} ${num(size)} Tf`,
          `1 0 0 1 ${num(cursor)} ${num(y)} Tm`,
          `${fonts.encode(run.face, glyphs)} Tj`,
        );
      }
      cursor += runsWidth([run], size);
    }
  }
  ops.push('ET');
  return ops.join('\n');
}
