import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { LIMITS } from '../../src/case-facts/case-facts.dto';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { AppError } from '../../src/common/errors/app-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { projectRoot } from '../../src/config/project-root';
import { installForms } from '../../src/forms/install-forms';
import { BuiltPacket, PacketBuilder } from '../../src/packets/packet-builder';
import { LoadedPack, loadPack } from '../../src/packs/pack-loader';
import type { PackManifest } from '../../src/packs/pack-manifest';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { COURT_FORMS_DIR, fixture } from '../support/fixtures';
import { pdfFieldValues, pdfText } from '../support/pdf-reading';
import { comparable, Facts, factsWith, HOSTILE_RUNS } from './support/hostile';
import { docxProblems, docxVisibleText } from './support/strict-xml';

/**
 * Random case facts, shaped by the model's own constraints and filled with random Unicode (any
 * code point, and runs of the scripts petitioners write in), always give either a packet whose
 * DOCX files are well-formed XML and whose PDFs load and read back the values, or an error that
 * names a field; never a crash, a hang or a corrupt file. HOSTILE_RUNS cases per pack (a few on
 * every push; HOSTILE_RUNS=500 for a release check).
 */

const builder = new PacketBuilder(new DocxToPdfConverter('/nonexistent/soffice'));
/** A case that takes longer than this is a hang: no real packet comes near it. */
const HANG_MS = 60_000;

const SCRIPTS: Record<string, string> = {
  latin: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  vietnamese: 'ễệẫậắằẳẵặđơưĐƠƯ',
  cyrillic: 'абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГ',
  chinese: '李小龍王芳张伟长安和平建国门',
  korean: '김민지박서준이영희대한민국서울',
  thai: 'กขคงจฉชซญดตถทนบปผพฟมยรลวสหอฮะาิีึืุูเแโใไ่้๊๋ัำ็์',
  arabic: 'ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآى',
  hebrew: 'אבגדהוזחטיכלמנסעפצקרשתךםןףץ',
  devanagari: 'अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह्ािीुूेैोौं',
  digits: '0123456789٠١٢٣٤٥٦٧٨٩',
  punctuation: ' .,;:-()[]«»"\'/!?&<>',
  combining: '\u0301\u0308\u0323\u0300',
  marks: '\u200e\u200f\u200b\u200c\u200d\u00ad',
  template: '{}#/@^$`\\',
};
/** Drawn a character at a time (Symbola), or refused: mixed in now and then. */
const RARE: Record<string, string> = {
  emoji: '👩👍🏽🇺🇸❤\ufe0f\u200d😀🔪',
  unprintable: '🥲🫠አ\ue000',
  hostile: '\u0001\u0007\u000b\ufffe\u202e\u2066\ud800',
};
const SCRIPT_CHARS = Object.fromEntries(
  Object.entries({ ...SCRIPTS, ...RARE }).map(([k, v]) => [k, [...v]]),
) as Record<string, string[]>;

/** Text in one or a few scripts, with spaces, marks and now and then something hostile. */
function scriptText(maxLength: number): fc.Arbitrary<string> {
  const script = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...Object.keys(SCRIPTS)) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(RARE)) },
  );
  const word = script.chain((s) =>
    fc
      .array(fc.constantFrom(...SCRIPT_CHARS[s]), { minLength: 1, maxLength: 12 })
      .map((cs) => cs.join('')),
  );
  return fc
    .array(word, { minLength: 1, maxLength: Math.max(1, Math.floor(maxLength / 6)) })
    .map((words) => words.join(' ').slice(0, maxLength));
}

const TEMPLATE_SYNTAX = [
  '{#x}{/x}',
  '{@raw}',
  "{{constructor.constructor('return process')().exit()}}",
  '${7*7}',
  '{{7*7}}',
  '<w:t>',
  ']]>',
  '&amp;',
  '<script>',
];

function text(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 20, arbitrary: scriptText(maxLength) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: Math.min(maxLength, 80) }),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(maxLength, 80) }),
    },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.constantFrom(...TEMPLATE_SYNTAX), { minLength: 1, maxLength: 5 })
        .map((parts) => parts.join(' ')),
    },
  );
}

const date = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .date({ min: new Date('1930-01-01'), max: new Date(), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('2026-02-30', '02/03/2026', '2026-13-01', '2099-01-01', ''),
  },
);
const zip = fc.oneof(
  { weight: 9, arbitrary: fc.stringMatching(/^\d{5}$/) },
  { weight: 1, arbitrary: fc.constantFrom('02134', '2134', '02134-12') },
);

interface RandomCase {
  facts: Facts;
  /** Dotted paths this case wrote, so an error can be checked to name one of them. */
  written: string[];
  name: string;
  respondent: string;
  narrative: string;
}

/** The minimal fixture with random values written into the fields a petitioner types. */
const randomCase: fc.Arbitrary<RandomCase> = fc
  .record({
    name: text(LIMITS.name),
    respondent: text(LIMITS.name),
    narrative: text(2_000),
    place: text(LIMITS.line),
    county: text(LIMITS.name),
    alias: fc.option(text(LIMITS.name), { nil: undefined }),
    incidentDate: date,
    zip,
  })
  .map((r) => {
    const facts = fixture('minimal');
    const written: [string, unknown][] = [
      ['petitioner.name.full', r.name],
      ['respondent.name.full', r.respondent],
      ['incidents.0.narrative', r.narrative],
      ['incidents.0.place', r.place],
      ['incidents.0.date', r.incidentDate],
      ['court.county', r.county],
      ['petitioner.mailingAddress.postalCode', r.zip],
      ...(r.alias === undefined
        ? []
        : ([['respondent.aliases', [r.alias]]] as [string, unknown][])),
    ];
    for (const [path, value] of written) factsWith(path, value, facts);
    return {
      facts,
      written: written.map(([p]) => p),
      name: r.name,
      respondent: r.respondent,
      narrative: r.narrative,
    };
  });

function withinTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the packet did not finish: a hang')), HANG_MS);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

/** An error that is an answer, not a crash: a known code and every detail naming a field. */
function expectNamedError(e: unknown, codes: ErrorCode[], fields?: string[]): void {
  if (!(e instanceof AppError)) throw e;
  expect(codes).toContain(e.code);
  expect(e.details.length).toBeGreaterThan(0);
  for (const d of e.details) {
    expect(typeof d.field).toBe('string');
    if (fields)
      expect(fields.some((f) => d.field === f || d.field?.startsWith(`${f}.`))).toBe(true);
  }
}

/** What a one-line PDF field keeps of typed text: canonical composition, one line, tabs as spaces. */
function oneLine(value: string): string {
  return comparable(value.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(/\n+/g, ' '));
}

async function expectSoundPacket(packet: BuiltPacket): Promise<void> {
  for (const f of packet.files) {
    if (f.name.endsWith('.docx'))
      expect({ [f.name]: docxProblems(f.bytes) }).toEqual({ [f.name]: {} });
    if (f.name.endsWith('.pdf')) await expect(PDFDocument.load(f.bytes)).resolves.toBeDefined();
  }
}

function fileOf(packet: BuiltPacket, suffix: string): Buffer {
  const found = packet.files.find((f) => f.name.endsWith(suffix));
  if (!found) throw new Error(`no file ending ${suffix}`);
  return found.bytes;
}

const outcomes: Record<string, number> = {};
const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);

describe('random case facts never crash, hang or corrupt a packet', () => {
  let formsDir: string;
  const packs = new Map<string, LoadedPack>();

  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'po-hostile-prop-'));
    const manifest = JSON.parse(
      readFileSync(join(projectRoot(), 'templates', 'ma-209a', 'manifest.json'), 'utf8'),
    ) as PackManifest;
    await installForms({ source: COURT_FORMS_DIR, formsDir, manifests: [manifest] });
    for (const id of ['generic-us', 'ma-209a']) {
      packs.set(id, loadPack(join(projectRoot(), 'templates', id), formsDir));
    }
  }, 120_000);

  afterAll(() => {
    rmSync(formsDir, { recursive: true, force: true });
    if (process.env.HOSTILE_STATS) console.log(outcomes);
  });

  it('generic-us: a sound packet that reads back its values, or an error naming a field', async () => {
    const pack = packs.get('generic-us') as LoadedPack;
    await fc.assert(
      fc.asyncProperty(randomCase, async (c) => {
        let facts;
        try {
          facts = parseCaseFacts(c.facts);
        } catch (e) {
          count('refused');
          expectNamedError(e, [ErrorCode.ValidationFailed], c.written);
          return;
        }
        // Facts that parse are printable: nothing is left for the packet to refuse.
        const packet = await withinTime(builder.build(pack, facts));
        count('built');
        await expectSoundPacket(packet);
        const newline = (s: string) => s.replace(/\r\n?/g, '\n');
        expect(docxVisibleText(fileOf(packet, '01-petition.docx'))).toContain(newline(c.name));
        expect(docxVisibleText(fileOf(packet, '02-declaration.docx'))).toContain(
          newline(c.narrative),
        );
        const fields = await pdfFieldValues(fileOf(packet, '03-confidential-information.pdf'));
        if (fields.petitionerName === 'See attachment') {
          // Too long for the box at the smallest size: the whole name is on the attachment.
          const attachment = await pdfText(
            fileOf(packet, '03-confidential-information-attachment.pdf'),
          );
          expect(attachment).toContain("Confidential information: petitioner's name (continued)");
        } else {
          expect(comparable(fields.petitionerName)).toBe(oneLine(c.name));
        }
      }),
      { numRuns: HOSTILE_RUNS },
    );
  }, 600_000);

  it('ma-209a: narratives drawn on the official affidavit and its attachment, or a named error', async () => {
    const pack = packs.get('ma-209a') as LoadedPack;
    await fc.assert(
      fc.asyncProperty(randomCase, async (c) => {
        let facts;
        try {
          facts = parseCaseFacts(c.facts);
        } catch (e) {
          count('refused');
          expectNamedError(e, [ErrorCode.ValidationFailed], c.written);
          return;
        }
        let packet: BuiltPacket;
        try {
          packet = await withinTime(builder.build(pack, facts));
        } catch (e) {
          count('too long for a field');
          expectNamedError(e, [ErrorCode.ValidationFailed]);
          return;
        }
        count('built');
        await expectSoundPacket(packet);
        for (const f of packet.files.filter((x) => x.name.endsWith('.pdf'))) {
          await expect(pdfText(f.bytes)).resolves.toEqual(expect.any(String));
        }
      }),
      { numRuns: Math.max(2, Math.ceil(HOSTILE_RUNS / 3)) },
    );
  }, 600_000);

  it(`ma-209a: a narrative at the limit (${LIMITS.narrative} characters) in Hebrew reaches the attachment whole`, async () => {
    const pack = packs.get('ma-209a') as LoadedPack;
    const words = 'הוא צעק עליי וזרק את הטלפון 12 פעמים. ';
    const narrative = words
      .repeat(Math.ceil(LIMITS.narrative / words.length))
      .slice(0, LIMITS.narrative);
    const packet = await withinTime(
      builder.build(
        pack,
        parseCaseFacts(factsWith('incidents.0.narrative', narrative, fixture('minimal'))),
      ),
    );
    await expectSoundPacket(packet);
    const attachment = packet.files.find((f) => f.name.includes('affidavit-attachment'));
    expect(attachment).toBeDefined();
    const text = (await pdfText((attachment as { bytes: Buffer }).bytes)).replace(/\s+/g, ' ');
    // Every sentence is there; how poppler lays a right-to-left line out is its own business.
    expect(text.split('הטלפון').length - 1).toBe(narrative.split('הטלפון').length - 1);
  }, 120_000);
});
