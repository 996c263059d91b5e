import { PDFDocument, PDFFont, PDFPage, rgb } from '@cantoo/pdf-lib';
import {
  cleanText,
  DocumentFonts,
  FontFace,
  FontLibrary,
  runsWidth,
  TextRun,
} from './font-library';
import { setNeutralMetadata } from './neutral-metadata';
import { wrapText } from './text-layout';

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
/** A heading with less room than this below it starts the next page instead of ending this one. */
const MIN_LINES_AFTER_HEADING = 2;
const BLACK = rgb(0, 0, 0);

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

/** Measures and draws runs with the document's embedded faces. */
class RunWriter {
  private readonly embedded = new Map<FontFace, PDFFont>();

  constructor(
    private readonly fonts: DocumentFonts,
    private readonly library: FontLibrary,
  ) {}

  /** Embeds every face the text needs, so measuring can stay synchronous. */
  async prepare(text: string, field: string, bold: boolean): Promise<TextRun[]> {
    const runs = this.library.runsFor(text, field, bold ? this.library.bold : undefined);
    for (const run of runs) {
      if (!this.embedded.has(run.face))
        this.embedded.set(run.face, await this.fonts.embed(run.face));
    }
    return runs;
  }

  fontOf(face: FontFace): PDFFont {
    const font = this.embedded.get(face);
    if (!font) throw new Error('face measured before it was prepared');
    return font;
  }

  /** Runs of text whose faces were prepared before. */
  runs(text: string, field: string, bold: boolean): TextRun[] {
    return this.library.runsFor(text, field, bold ? this.library.bold : undefined);
  }

  draw(page: PDFPage, runs: TextRun[], x: number, y: number, size: number): void {
    let cursor = x;
    for (const run of runs) {
      const font = this.fontOf(run.face);
      page.drawText(run.text, { x: cursor, y, size, font, color: BLACK });
      cursor += runsWidth([run], size);
    }
  }

  async wrap(text: string, field: string, size: number, bold: boolean): Promise<TextRun[][]> {
    await this.prepare(text, field, bold);
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
  const doc = await PDFDocument.create({ updateMetadata: false });
  const library = FontLibrary.shared();
  const writer = new RunWriter(new DocumentFonts(doc, library), library);
  const header = await captionLines(writer, caption);
  const body = await bodyLines(writer, sections);
  const pages = paginate(body, bodyTop(header) - MARGIN.bottom);
  await writer.prepare('Attachment page 0123456789 of', 'footer', false);
  pages.forEach((lines, i) => {
    const page = doc.addPage([PAGE.width, PAGE.height]);
    drawHeader(page, writer, header);
    drawBody(page, writer, lines, bodyTop(header));
    drawFooter(page, writer, i + 1, pages.length);
  });
  setNeutralMetadata(doc, 'Attachment');
  return doc.save();
}

interface Header {
  court: TextRun[][];
  parties: { left: TextRun[]; right: TextRun[] }[];
}

async function captionLines(writer: RunWriter, caption: AttachmentCaption): Promise<Header> {
  const court = await writer.wrap(cleanText(caption.court), 'caption.court', CAPTION_SIZE, true);
  const caseNumber = cleanText(caption.caseNumber ?? '');
  const parties = [
    {
      left: await writer.prepare(
        `Petitioner: ${cleanText(caption.petitioner)}`,
        'caption.petitioner',
        false,
      ),
      right: await writer.prepare(
        caseNumber ? `Case number: ${caseNumber}` : '',
        'caption.caseNumber',
        false,
      ),
    },
    {
      left: await writer.prepare(
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

async function bodyLines(writer: RunWriter, sections: AttachmentSection[]): Promise<Line[]> {
  const lines: Line[] = [];
  for (const [i, section] of sections.entries()) {
    const headingRuns = await writer.wrap(
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
    const textRuns = await writer.wrap(
      cleanText(section.text),
      `sections.${i}.text`,
      BODY_SIZE,
      false,
    );
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

function drawHeader(page: PDFPage, writer: RunWriter, header: Header): void {
  let y = PAGE.height - MARGIN.top;
  for (const runs of header.court) {
    writer.draw(page, runs, MARGIN.left, y, CAPTION_SIZE);
    y -= CAPTION_SIZE * LINE_GAP;
  }
  for (const { left, right } of header.parties) {
    writer.draw(page, left, MARGIN.left, y, CAPTION_SIZE);
    const rightX = PAGE.width - MARGIN.right - runsWidth(right, CAPTION_SIZE);
    writer.draw(page, right, rightX, y, CAPTION_SIZE);
    y -= CAPTION_SIZE * LINE_GAP;
  }
  const rule = ruleY(header);
  page.drawLine({
    start: { x: MARGIN.left, y: rule },
    end: { x: PAGE.width - MARGIN.right, y: rule },
    thickness: 0.75,
    color: BLACK,
  });
}

function drawBody(page: PDFPage, writer: RunWriter, lines: Line[], top: number): void {
  let y = top - BODY_SIZE;
  lines.forEach((line, i) => {
    if (i > 0) y -= line.spaceBefore;
    writer.draw(page, line.runs, MARGIN.left, y, line.size);
    y -= line.advance;
  });
}

function drawFooter(page: PDFPage, writer: RunWriter, n: number, total: number): void {
  const runs = writer.runs(`Attachment page ${n} of ${total}`, 'footer', false);
  const x = (PAGE.width - runsWidth(runs, FOOTER_SIZE)) / 2;
  writer.draw(page, runs, x, MARGIN.bottom / 2, FOOTER_SIZE);
}
