import { PDFDocument, PDFFont, PDFPage, rgb, StandardFonts } from '@cantoo/pdf-lib';
import { setNeutralMetadata } from './neutral-metadata';

/**
 * The generic pack's own fillable forms, drawn in code so they can be rebuilt and reviewed like
 * any other source. Labels are static English in Helvetica; the fields are auto-sized and get
 * their Unicode appearance from the filler. Field names say what slot they are, not where.
 */

const PAGE = { width: 612, height: 792 };
const LEFT = 36;
const WIDTH = PAGE.width - 2 * LEFT;
const LABEL_SIZE = 6.5;
/** Height of a labelled box: the label band on top, the field below it. */
const BOX = 28;
const LABEL_BAND = 9;
const ROW = 20;
const CHECK = 9;
const INK = rgb(0, 0, 0);
const SHADE = rgb(0.88, 0.88, 0.88);

interface Cell {
  name: string;
  label: string;
  width: number;
  multiline?: boolean;
  height?: number;
}

/** Draws a form top-down; `y` is the distance from the top edge of the page. */
class FormSheet {
  private y = 36;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly page: PDFPage,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  static async create(): Promise<FormSheet> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage([PAGE.width, PAGE.height]);
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    return new FormSheet(doc, page, regular, bold);
  }

  private pdfY(top: number): number {
    return PAGE.height - top;
  }

  private rect(x: number, top: number, width: number, height: number, fill?: typeof SHADE): void {
    this.page.drawRectangle({
      x,
      y: this.pdfY(top + height),
      width,
      height,
      borderColor: INK,
      borderWidth: 0.6,
      color: fill,
    });
  }

  private label(text: string, x: number, baselineTop: number, size = LABEL_SIZE, bold = false) {
    this.page.drawText(text, {
      x,
      y: this.pdfY(baselineTop),
      size,
      font: bold ? this.bold : this.regular,
      color: INK,
    });
  }

  /** Title block: a ruled band with the title, a subtitle and the form's purpose. */
  titleBlock(title: string, subtitle: string): void {
    this.rect(LEFT, this.y, WIDTH, 46);
    this.label(title, LEFT + 8, this.y + 20, 14, true);
    this.label(subtitle, LEFT + 8, this.y + 36, 9);
    this.y += 46 + 6;
  }

  sectionBar(title: string): void {
    this.rect(LEFT, this.y, WIDTH, 14, SHADE);
    this.label(title, LEFT + 4, this.y + 10, 8, true);
    this.y += 14;
  }

  /** A row of labelled boxes spanning the page width. */
  row(cells: Cell[]): void {
    const height = Math.max(...cells.map((c) => c.height ?? BOX));
    let x = LEFT;
    for (const cell of cells) {
      this.rect(x, this.y, cell.width, height);
      this.label(cell.label, x + 2.5, this.y + 7);
      this.textField(cell, x + 1.5, this.y + LABEL_BAND, cell.width - 3, height - LABEL_BAND - 1);
      x += cell.width;
    }
    this.y += height;
  }

  /** A table: a shaded header row, then `rows` rows of unlabelled cells. */
  table(columns: { label: string; width: number; field: (row: number) => string }[], rows: number) {
    let x = LEFT;
    for (const col of columns) {
      this.rect(x, this.y, col.width, 12, SHADE);
      this.label(col.label, x + 2.5, this.y + 8.5, 7, true);
      x += col.width;
    }
    this.y += 12;
    for (let r = 1; r <= rows; r++) {
      x = LEFT;
      for (const col of columns) {
        this.rect(x, this.y, col.width, ROW);
        const name = col.field(r);
        if (name)
          this.textField(
            { name, label: '', width: col.width },
            x + 1.5,
            this.y + 1,
            col.width - 3,
            ROW - 2,
          );
        else this.label(String(r), x + col.width / 2 - 2, this.y + 13, 9);
        x += col.width;
      }
      this.y += ROW;
    }
  }

  /** A line of checkboxes with their labels, inside one ruled band. */
  checkboxes(intro: string, boxes: { name: string; label: string }[], height = 18): void {
    this.rect(LEFT, this.y, WIDTH, height);
    let x = LEFT + 6;
    if (intro) {
      this.label(intro, x, this.y + 12, 8.5);
      x += this.regular.widthOfTextAtSize(intro, 8.5) + 10;
    }
    for (const box of boxes) {
      const field = this.doc.getForm().createCheckBox(box.name);
      field.addToPage(this.page, {
        x,
        y: this.pdfY(this.y + 4.5 + CHECK),
        width: CHECK,
        height: CHECK,
        borderWidth: 0.8,
        borderColor: INK,
        textColor: INK,
      });
      this.label(box.label, x + CHECK + 4, this.y + 12, 8.5);
      x += CHECK + 4 + this.regular.widthOfTextAtSize(box.label, 8.5) + 16;
    }
    this.y += height;
  }

  /** Paragraph of static text, wrapped to the page width. */
  note(text: string, size = 8.5, bold = false): void {
    const font = bold ? this.bold : this.regular;
    const words = text.split(' ');
    let line = '';
    const lines: string[] = [];
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) > WIDTH - 12 && line) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
    const height = lines.length * size * 1.3 + 8;
    this.rect(LEFT, this.y, WIDTH, height);
    lines.forEach((l, i) =>
      this.label(l, LEFT + 6, this.y + 4 + size + i * size * 1.3, size, bold),
    );
    this.y += height;
  }

  gap(points: number): void {
    this.y += points;
  }

  footer(text: string): void {
    this.label(text, LEFT, PAGE.height - 24, 7);
  }

  private textField(cell: Cell, x: number, top: number, width: number, height: number): void {
    const field = this.doc.getForm().createTextField(cell.name);
    if (cell.multiline) field.enableMultiline();
    field.addToPage(this.page, {
      x,
      y: this.pdfY(top + height),
      width,
      height,
      borderWidth: 0,
      font: this.regular,
    });
    // 0 = auto: the filler picks the largest size that fits, down to its floor.
    field.setFontSize(0);
  }

  async save(): Promise<Uint8Array> {
    setNeutralMetadata(this.doc, 'Court form');
    // Regenerating appearances here would bake a computed size into /DA, undoing auto-size.
    return this.doc.save({ updateFieldAppearances: false });
  }
}

const PROTECTED_ROWS = 6;

/** Court-only form: where the petitioner really lives and how to reach them safely. */
export async function buildConfidentialInformationForm(): Promise<Uint8Array> {
  const s = await FormSheet.create();
  s.titleBlock(
    'CONFIDENTIAL INFORMATION FOR THE COURT',
    'Not to be served on the respondent. Keep this form out of every copy given to the respondent.',
  );
  s.row([
    { name: 'courtName', label: 'Court', width: 360 },
    { name: 'caseNumber', label: 'Case number', width: 180 },
  ]);
  s.gap(6);
  s.sectionBar('1. PETITIONER (the person asking for protection)');
  s.row([
    { name: 'petitionerName', label: 'Full name', width: 360 },
    { name: 'petitionerDateOfBirth', label: 'Date of birth', width: 180 },
  ]);
  s.row([
    { name: 'petitionerResidenceStreet', label: 'Residential address (street)', width: 360 },
    { name: 'petitionerResidenceUnit', label: 'Apartment or unit', width: 180 },
  ]);
  s.row([
    { name: 'petitionerResidenceCity', label: 'City', width: 270 },
    { name: 'petitionerResidenceState', label: 'State', width: 90 },
    { name: 'petitionerResidencePostalCode', label: 'ZIP code', width: 180 },
  ]);
  s.row([
    { name: 'petitionerSafePhone', label: 'Safe telephone number', width: 270 },
    { name: 'petitionerSafeEmail', label: 'Safe email address', width: 270 },
  ]);
  s.checkboxes('', [
    {
      name: 'petitionerHasSafeMailingAddress',
      label: 'I gave the court a different, safe mailing address for papers and notices',
    },
  ]);
  s.checkboxes('', [
    {
      name: 'petitionerResidenceIsMailingAddress',
      label: 'The court may send papers and notices to the residential address above',
    },
  ]);
  s.gap(6);
  s.sectionBar('2. LANGUAGE');
  s.checkboxes('', [{ name: 'interpreterNeeded', label: 'I need an interpreter in court' }]);
  s.row([{ name: 'interpreterLanguage', label: 'Language', width: WIDTH }]);
  s.gap(6);
  s.sectionBar('3. PROTECTED CHILDREN AND HOUSEHOLD MEMBERS');
  s.table(
    [
      { label: '#', width: 20, field: () => '' },
      { label: 'Full name', width: 190, field: (r) => `protectedPerson${r}Name` },
      { label: 'Date of birth', width: 80, field: (r) => `protectedPerson${r}DateOfBirth` },
      {
        label: 'Relationship to petitioner',
        width: 120,
        field: (r) => `protectedPerson${r}Relationship`,
      },
      { label: 'Lives with', width: 130, field: (r) => `protectedPerson${r}LivesWith` },
    ],
    PROTECTED_ROWS,
  );
  s.gap(6);
  s.row([
    { name: 'signatureName', label: 'Petitioner (typed name)', width: 360 },
    { name: 'signatureDate', label: 'Date', width: 180 },
  ]);
  s.gap(6);
  s.note(
    'This information is for the court and law enforcement only. It is kept confidential and is ' +
      'not given to the respondent or to anyone who is not entitled to it by law.',
  );
  s.footer('Confidential information for the court (generic pack form)');
  return s.save();
}

/** For the officer who serves the respondent: who they are and where to find them. */
export async function buildServiceInformationForm(): Promise<Uint8Array> {
  const s = await FormSheet.create();
  s.titleBlock(
    'INFORMATION FOR SERVICE BY LAW ENFORCEMENT',
    'For the officer serving the respondent. The petitioner will not serve these papers.',
  );
  s.row([
    { name: 'courtName', label: 'Court', width: 360 },
    { name: 'caseNumber', label: 'Case number', width: 180 },
  ]);
  s.row([{ name: 'petitionerName', label: 'Petitioner (protected person)', width: WIDTH }]);
  s.gap(6);
  s.sectionBar('1. RESPONDENT (the person to be served)');
  s.row([
    { name: 'respondentName', label: 'Full name', width: 360 },
    { name: 'respondentDateOfBirth', label: 'Date of birth', width: 100 },
    { name: 'respondentAge', label: 'Age', width: 80 },
  ]);
  s.row([{ name: 'respondentAliases', label: 'Other names used (aliases)', width: WIDTH }]);
  s.row([
    { name: 'respondentGender', label: 'Gender', width: 100 },
    { name: 'respondentRace', label: 'Race', width: 120 },
    { name: 'respondentHeight', label: 'Height', width: 80 },
    { name: 'respondentWeight', label: 'Weight', width: 80 },
    { name: 'respondentHairColor', label: 'Hair color', width: 80 },
    { name: 'respondentEyeColor', label: 'Eye color', width: 80 },
  ]);
  s.row([
    {
      name: 'respondentDistinguishingMarks',
      label: 'Scars, marks, tattoos or other identifying features',
      width: WIDTH,
      multiline: true,
      height: 40,
    },
  ]);
  s.gap(6);
  s.sectionBar('2. WHERE TO FIND THE RESPONDENT');
  s.row([{ name: 'respondentAddressStreet', label: 'Home address (street, unit)', width: WIDTH }]);
  s.row([
    { name: 'respondentAddressCity', label: 'City', width: 270 },
    { name: 'respondentAddressState', label: 'State', width: 90 },
    { name: 'respondentAddressPostalCode', label: 'ZIP code', width: 180 },
  ]);
  s.row([
    { name: 'respondentWorkplaceName', label: 'Workplace', width: 220 },
    { name: 'respondentWorkplaceAddress', label: 'Workplace address', width: 320 },
  ]);
  s.row([
    {
      name: 'respondentVehicle',
      label: 'Vehicle (color, year, make, model, license plate)',
      width: WIDTH,
    },
  ]);
  s.gap(6);
  s.sectionBar('3. FIREARMS');
  s.checkboxes('Does the respondent have or have access to firearms?', [
    { name: 'firearmsYes', label: 'Yes' },
    { name: 'firearmsNo', label: 'No' },
    { name: 'firearmsUnknown', label: "Don't know" },
  ]);
  s.row([
    {
      name: 'firearmsDescription',
      label: 'If yes: kind, number and where they are kept',
      width: WIDTH,
      multiline: true,
      height: 64,
    },
  ]);
  s.gap(6);
  s.sectionBar('4. SERVICE');
  s.note(
    'The petitioner will not serve these papers and must not be asked to. Please serve the ' +
      'respondent personally with the papers in this packet and file proof of service with the ' +
      'court. Officer safety: read section 3 before approaching the respondent.',
    9,
  );
  s.footer('Information for service by law enforcement (generic pack form)');
  return s.save();
}
