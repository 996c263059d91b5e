import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { LIMITS } from '../../src/case-facts/case-facts.dto';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { AppError } from '../../src/common/errors/app-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { projectRoot } from '../../src/config/project-root';
import { BuiltPacket, PacketBuilder } from '../../src/packets/packet-builder';
import { loadPack } from '../../src/packs/pack-loader';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { fixture } from '../support/fixtures';
import { pdfFieldValues, pdfText } from '../support/pdf-reading';
import {
  comparable,
  drawnLine,
  drawnWords,
  Facts,
  factsWith,
  LITERAL_NAMES,
  REFUSED_CHARACTERS,
  refusedMessage,
  UNPRINTABLE_NAMES,
  unprintableMessage,
} from './support/hostile';
import { docxProblems, docxVisibleText } from './support/strict-xml';

/**
 * Bad and unusual input through the one path every surface shares (CaseFacts, view model, DOCX
 * and PDF rendering), without a server: each case either comes out exactly as typed, in the DOCX
 * XML and in the PDF's field value and text, or is refused with an error naming the field.
 */

const builder = new PacketBuilder(new DocxToPdfConverter('/nonexistent/soffice'));
const pack = loadPack(join(projectRoot(), 'templates', 'generic-us'), '/nonexistent');

const PETITION = '01-petition.docx';
const DECLARATION = '02-declaration.docx';
const CONFIDENTIAL = '03-confidential-information.pdf';
const SERVICE = '04-service-information.pdf';

function file(packet: BuiltPacket, name: string): Buffer {
  const found = packet.files.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in ${packet.files.map((f) => f.name).join(', ')}`);
  return found.bytes;
}

async function build(facts: Facts): Promise<BuiltPacket> {
  return builder.build(pack, parseCaseFacts(facts));
}

/** Every DOCX of the packet is well-formed XML, part by part, and every PDF loads. */
async function expectSoundFiles(packet: BuiltPacket): Promise<void> {
  for (const f of packet.files) {
    if (f.name.endsWith('.docx'))
      expect({ [f.name]: docxProblems(f.bytes) }).toEqual({ [f.name]: {} });
    if (f.name.endsWith('.pdf')) await expect(PDFDocument.load(f.bytes)).resolves.toBeDefined();
  }
}

/** The AppError `work` throws (or rejects with); fails the test when it is anything else. */
async function appErrorOf(work: () => unknown): Promise<AppError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

describe('bad input through the packet builder (generic-us, no server)', () => {
  describe.each(Object.entries(LITERAL_NAMES))('a name: %s', (_label, name) => {
    let packet: BuiltPacket;
    const narrative = `Before ${name} after.`;

    beforeAll(async () => {
      const facts = factsWith('petitioner.name.full', name);
      factsWith('respondent.name.full', name, facts);
      factsWith('incidents.0.narrative', narrative, facts);
      packet = await build(facts);
    });

    it('gives well-formed DOCX files and PDFs that load', () => expectSoundFiles(packet));

    it('is in the DOCX text exactly as typed, template syntax and markup included', () => {
      expect(docxVisibleText(file(packet, PETITION))).toContain(name);
      expect(docxVisibleText(file(packet, DECLARATION))).toContain(narrative);
    });

    it('is the PDF form field value, in canonical composition (NFC)', async () => {
      expect((await pdfFieldValues(file(packet, CONFIDENTIAL))).petitionerName).toBe(
        name.normalize('NFC'),
      );
      expect((await pdfFieldValues(file(packet, SERVICE))).respondentName).toBe(
        name.normalize('NFC'),
      );
    });

    // Three names read back differently from how they are drawn and stored; each is checked
    // below with exactly what a reader gets back.
    const readsBack = ![
      LITERAL_NAMES.devanagari,
      LITERAL_NAMES['zero-width space and joiner'],
      LITERAL_NAMES['emoji ZWJ family'],
    ].includes(name);
    if (readsBack) {
      it('reads back from the PDF page text, bidi and zero-width marks aside', async () => {
        const text = comparable(await pdfText(file(packet, CONFIDENTIAL)));
        expect(text).toContain(comparable(name));
      });
    }
  });

  describe('right-to-left text is drawn in the order it is read, never reversed', () => {
    // Left to right as drawn: right-to-left words show their letters backwards here, numbers and
    // Latin words forwards, and the words sit where a reader of the line expects them.
    const DRAWN: [string, string][] = [
      ['محمد حامد', 'دماح دمحم'],
      ['דוד כהן', 'ןהכ דוד'],
      ['\u200fדוד כהן\u200f', 'ןהכ דוד'],
      ['שרה לוי-כהן', 'ןהכ-יול הרש'],
      ['محمد 12', '12 دمحم'],
      ['דוד 3 כהן 45', '45 ןהכ 3 דוד'],
      ['محمد ١٢٣ حامد', 'دماح ١٢٣ دمحم'],
      ['Ana محمد حامد Smith', 'Ana دماح دمحم Smith'],
      ['محمد Ana', 'Ana دمحم'],
      ['(محمد) and (דוד)', '(דוד) and (دمحم)'],
    ];

    it.each(DRAWN)('%s is drawn as %s and keeps its value', async (logical, drawn) => {
      const packet = await build(factsWith('petitioner.name.full', logical));
      const pdf = file(packet, CONFIDENTIAL);
      expect(drawnLine(await drawnWords(pdf), /[\u0590-\u06ff]/)).toBe(drawn);
      expect((await pdfFieldValues(pdf)).petitionerName).toBe(logical);
    });

    it.each([
      ['محمد حامد'],
      ['דוד כהן'],
      ['\u200fדוד כהן\u200f'],
      ['Ana\u200e محمد'],
      ['Ana 李 Олег محمد'],
    ])('%s reads back from the page text in logical order', async (logical) => {
      const packet = await build(factsWith('petitioner.name.full', logical));
      const line = comparable(await pdfText(file(packet, CONFIDENTIAL)))
        .split('\n')
        .find((l) => /[\u0590-\u06ff]/.test(l));
      expect(line?.trim()).toBe(comparable(logical));
    });
  });

  describe('what PDF text extraction cannot give back (the field value stays exact)', () => {
    // Noto Sans Arabic draws dotted letters as a dotless letter plus a dot mark, and a PDF maps
    // each glyph to one text: ز, ة and final ي read back as ر, ه and ی. The drawing and the
    // field value are right; copying from the page is not. (/ActualText spans would fix it.)
    it('Arabic letters drawn as a base and dots read back as the base letter', async () => {
      const name = 'فاطمة الزهراء علي';
      const pdf = file(await build(factsWith('petitioner.name.full', name)), CONFIDENTIAL);
      expect((await pdfFieldValues(pdf)).petitionerName).toBe(name);
      expect(await pdfText(pdf)).toContain('فاطمه الرهراء علی');
    });

    // Poppler gives every zero-width character it meets as a space.
    it('zero-width characters read back as spaces', async () => {
      const name = LITERAL_NAMES['zero-width space and joiner'];
      const pdf = file(await build(factsWith('petitioner.name.full', name)), CONFIDENTIAL);
      expect((await pdfFieldValues(pdf)).petitionerName).toBe(name);
      expect(await pdfText(pdf)).toContain('Ana Maria Lu z');
    });

    // Indic clusters are drawn in visual order (the reph of र्म after मा), and read as drawn.
    it('a Devanagari reph reads back where it is drawn', async () => {
      const name = LITERAL_NAMES.devanagari;
      const pdf = file(await build(factsWith('petitioner.name.full', name)), CONFIDENTIAL);
      expect((await pdfFieldValues(pdf)).petitionerName).toBe(name);
      expect(await pdfText(pdf)).toContain('अनीता शमार्');
    });

    // Symbola draws each person of a family; the joiners between them are zero-width glyphs.
    it('an emoji family reads back as its people, a space for each joiner', async () => {
      const name = LITERAL_NAMES['emoji ZWJ family'];
      const pdf = file(await build(factsWith('petitioner.name.full', name)), CONFIDENTIAL);
      expect((await pdfFieldValues(pdf)).petitionerName).toBe(name);
      expect(await pdfText(pdf)).toContain('Ana 👩 👩 👧');
    });

    // The font draws SARA AM as NIKHAHIT (stacked with the tone mark) and SARA AA: the page
    // text holds the two parts, which is the vowel's compatibility decomposition (NFKC).
    it('Thai SARA AM reads back as its two parts', async () => {
      const name = 'น้ำฝน ทองคำ';
      const pdf = file(await build(factsWith('petitioner.name.full', name)), CONFIDENTIAL);
      expect((await pdfFieldValues(pdf)).petitionerName).toBe(name);
      expect(await pdfText(pdf)).toContain(name.normalize('NFKC'));
    });
  });

  describe.each(Object.entries(REFUSED_CHARACTERS))(
    'a character no document can carry: %s',
    (_label, refused) => {
      const { text } = refused;
      it.each([
        ['petitioner.name.full', text],
        ['incidents.0.narrative', `It happened. ${text}`],
        ['respondent.aliases', ['Joe', text]],
      ])('is refused in %s, naming the field and the character', async (path, value) => {
        const err = await appErrorOf(() => parseCaseFacts(factsWith(path, value)));
        expect(err.code).toBe(ErrorCode.ValidationFailed);
        expect(err.details).toEqual([
          {
            field: path,
            rule: 'writableText',
            message: refusedMessage(path, refused),
          },
        ]);
      });
    },
  );

  describe.each(Object.entries(UNPRINTABLE_NAMES))(
    'a character none of our fonts draws: %s',
    (_label, unprintable) => {
      it.each([
        ['petitioner.name.full', unprintable.name],
        ['incidents.0.narrative', `It happened. ${unprintable.name}`],
        ['respondent.aliases', ['Joe', unprintable.name]],
      ])('is refused in %s, naming the field and the character', async (path, value) => {
        const err = await appErrorOf(() => parseCaseFacts(factsWith(path, value)));
        expect(err.code).toBe(ErrorCode.ValidationFailed);
        expect(err.details).toEqual([
          { field: path, rule: 'printableText', message: unprintableMessage(path, unprintable) },
        ]);
      });
    },
  );

  describe('narratives', () => {
    const narrativeOf = (facts: Facts): string =>
      (parseCaseFacts(facts).incidents[0] as { narrative: string }).narrative;

    it(`at the limit (${LIMITS.narrative} characters) comes out whole`, async () => {
      const words = 'He shouted and threw the phone at the wall. ';
      const text = words
        .repeat(Math.ceil(LIMITS.narrative / words.length))
        .slice(0, LIMITS.narrative);
      const packet = await build(factsWith('incidents.0.narrative', text));
      await expectSoundFiles(packet);
      expect(docxVisibleText(file(packet, DECLARATION))).toContain(text.trimEnd());
    });

    it('one character past the limit is refused, naming the field', async () => {
      const err = await appErrorOf(() =>
        narrativeOf(factsWith('incidents.0.narrative', 'x'.repeat(LIMITS.narrative + 1))),
      );
      expect(err.details).toEqual([
        {
          field: 'incidents.0.narrative',
          rule: 'maxLength',
          message: `incidents.0.narrative must be shorter than or equal to ${LIMITS.narrative} characters`,
        },
      ]);
    });

    it('a 1 MB word without spaces is refused the same way', async () => {
      const err = await appErrorOf(() =>
        narrativeOf(factsWith('incidents.0.narrative', 'x'.repeat(1024 * 1024))),
      );
      expect(err.details.map((d) => [d.field, d.rule])).toEqual([
        ['incidents.0.narrative', 'maxLength'],
      ]);
    });

    it('a word as long as the limit comes out whole', async () => {
      const text = 'ab'.repeat(LIMITS.narrative / 2);
      const packet = await build(factsWith('incidents.0.narrative', text));
      await expectSoundFiles(packet);
      expect(docxVisibleText(file(packet, DECLARATION))).toContain(text);
    });

    it('10,000 line breaks come out as 10,000 line breaks', async () => {
      const text = 'x\n'.repeat(LIMITS.narrative / 2);
      const packet = await build(factsWith('incidents.0.narrative', text));
      await expectSoundFiles(packet);
      expect(docxVisibleText(file(packet, DECLARATION))).toContain('x\n'.repeat(9_999) + 'x');
    });

    it('Windows line breaks become line breaks, nothing else changes', async () => {
      const packet = await build(factsWith('incidents.0.narrative', 'first line\r\nsecond line'));
      expect(docxVisibleText(file(packet, DECLARATION))).toContain('first line\nsecond line');
    });
  });

  describe('dates', () => {
    it.each([['2026-02-30'], ['02/03/2026'], ['2026-13-01'], ['2026-00-10'], ['20260301'], ['']])(
      'an incident date of "%s" is refused, naming the field',
      async (date) => {
        const err = await appErrorOf(() => parseCaseFacts(factsWith('incidents.0.date', date)));
        expect(err.details).toEqual([
          {
            field: 'incidents.0.date',
            rule: 'isCalendarDate',
            message:
              'incidents.0.date must be a date that exists, written YYYY-MM-DD, and not in the future',
          },
        ]);
      },
    );

    it('a future incident date is refused the same way', async () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const err = await appErrorOf(() => parseCaseFacts(factsWith('incidents.0.date', tomorrow)));
      expect(err.details.map((d) => [d.field, d.rule])).toEqual([
        ['incidents.0.date', 'isCalendarDate'],
      ]);
    });

    it('a leap day that exists is accepted', () => {
      expect(parseCaseFacts(factsWith('incidents.0.date', '2024-02-29')).incidents[0].date).toBe(
        '2024-02-29',
      );
    });

    it('a child born before the petitioner is refused, naming the list', async () => {
      const facts = fixture('typical');
      (facts.petitioner as Record<string, unknown>).dateOfBirth = '1990-05-01';
      const child = (facts.protectedPersons as Record<string, unknown>[]).find(
        (p) => p.kind === 'child',
      ) as Record<string, unknown>;
      child.dateOfBirth = '1985-01-01';
      const err = await appErrorOf(() => parseCaseFacts(facts));
      expect(err.details).toEqual([
        {
          field: 'protectedPersons',
          rule: 'childNotOlderThanParent',
          message: 'a child cannot be born before the petitioner',
        },
      ]);
    });
  });

  describe('ZIP codes', () => {
    it('02134 stays 02134, leading zero and all, in the PDF value and text', async () => {
      const facts = factsWith('petitioner.residentialAddress', {
        street: '12 Elm Street',
        city: 'Boston',
        state: 'MA',
        postalCode: '02134',
      });
      const pdf = file(await build(facts), CONFIDENTIAL);
      expect((await pdfFieldValues(pdf)).petitionerResidencePostalCode).toBe('02134');
      expect(await pdfText(pdf)).toMatch(/\b02134\b/);
    });

    it.each([[2134], ['2134'], ['02134-12'], ['O2134']])(
      'a ZIP code of %j is refused, naming the field',
      async (zip) => {
        const err = await appErrorOf(() =>
          parseCaseFacts(factsWith('petitioner.mailingAddress.postalCode', zip)),
        );
        expect(err.details).toEqual([
          {
            field: 'petitioner.mailingAddress.postalCode',
            rule: 'matches',
            message:
              'petitioner.mailingAddress.postalCode must be a ZIP code such as 02108 or 02108-1234',
          },
        ]);
      },
    );
  });
});
