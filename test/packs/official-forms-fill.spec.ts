import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from '@cantoo/pdf-lib';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { CaseFacts } from '../../src/case-facts/case-facts.dto';
import { sha256 } from '../../src/common/sha256';
import { projectRoot } from '../../src/config/project-root';
import { InstalledPackRecord, installForms } from '../../src/forms/install-forms';
import { evaluateCondition } from '../../src/packs/condition';
import { lintPack } from '../../src/packs/pack-lint';
import { LoadedPack, loadPack } from '../../src/packs/pack-loader';
import { PackManifest } from '../../src/packs/pack-manifest';
import { resolveFormMapping } from '../../src/packs/resolve-form-mapping';
import { cleanText } from '../../src/rendering/pdf/font-library';
import { renderAttachmentPages } from '../../src/rendering/pdf/attachment-pages';
import { fillForm } from '../../src/rendering/pdf/pdf-form-filler';
import { buildCaseViewModel, CaseViewModel } from '../../src/view-models/case-view-model';
import { COURT_FORMS_DIR, FIXTURES, fixture, FixtureName } from '../support/fixtures';
import { PdfFieldValue, pdfFieldStates, pdfText } from '../support/pdf-reading';

/**
 * The three state packs filled from the official court forms, read back the way a clerk's
 * software would (qpdf for field values, poppler for text and pixels), never with pdf-lib.
 */

const run = promisify(execFile);
const PACK_IDS = ['ca-dv', 'ma-209a', 'mi-ppo'] as const;
type PackId = (typeof PACK_IDS)[number];
type PerFixture<T> = Record<FixtureName, T>;

/** Boxes the clerk looks at together: exactly the listed ones ticked, every other one clear. */
interface BoxGroup {
  what: string;
  boxes: string[];
  on: PerFixture<string[]>;
}

/** A long text that must go to the attachment: the field shows the label instead. */
interface Narrative {
  field: string;
  label: string;
  heading: string;
  text: (m: CaseViewModel) => string;
  /** Too long for its box even at the minimum size in the maximal case. */
  overflowsInMaximal: boolean;
}

/** What a clerk checks on one form. Field lists are empty where the form has no such field. */
interface FormCheck {
  petitioner: string[];
  respondent: string[];
  caseNumber: string[];
  /** Fields for the first children, in order, checked against the typical case. */
  children: string[];
  groups: BoxGroup[];
  /** Overflowing in the maximal case. */
  narratives: Narrative[];
}

const none: PerFixture<string[]> = { minimal: [], typical: [], maximal: [] };
const same = (fields: string[]): PerFixture<string[]> => ({
  minimal: fields,
  typical: fields,
  maximal: fields,
});

const dv = (f: string) => `DV-100[0].${f}`;
const dvCase = [
  dv('Page1[0].rightCaption[0].CaseNumber[0]'),
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((p) =>
    dv(`Page${p}[0].PxCaption[0].CaseNumber[0]`),
  ),
];
const rel = (li: string, box = 'CheckBox2') => dv(`Page2[0].List3[0].${li}[0].${box}[0]`);
const p4 = (f: string) => dv(`Page4[0].List6[0].${f}`);
const p5 = (f: string) => dv(`Page5[0].List7[0].${f}`);
const dvNarrative = (
  item: string,
  field: string,
  text: Narrative['text'],
  overflowsInMaximal: boolean,
): Narrative => ({
  field,
  overflowsInMaximal,
  label: `See Attachment ${item}`,
  heading: `DV-100, item ${item} (continued)`,
  text,
});

const CHECKS: Record<PackId, Record<string, FormCheck>> = {
  'ca-dv': {
    'dv-100': {
      petitioner: [dv('Page1[0].List1[0].Li1[0].YourName_tf[0]')],
      respondent: [dv('Page1[0].List2[0].Li1[0].TextField[0]')],
      caseNumber: dvCase,
      children: [rel('Li1', 'TextField'), rel('Li1', 'TextField1')],
      groups: [
        {
          what: "respondent's gender",
          boxes: [0, 1, 2].map((i) => dv(`Page1[0].List2[0].Li4[0].gender2d_cb[${i}]`)),
          on: {
            minimal: [],
            typical: [dv('Page1[0].List2[0].Li4[0].gender2d_cb[0]')],
            maximal: [dv('Page1[0].List2[0].Li4[0].gender2d_cb[0]')],
          },
        },
        {
          what: 'relationship (item 3)',
          boxes: ['Li1', 'Li2', 'Li3', 'Li4', 'Li5', 'Li7']
            .map((li) => rel(li))
            .concat(rel('Li6', 'CheckBox1')),
          on: {
            minimal: [rel('Li4')],
            typical: [rel('Li1'), rel('Li2'), rel('Li7')],
            maximal: [rel('Li1'), rel('Li3'), rel('Li7')],
          },
        },
        // Item 6 is the second most recent incident (typical and maximal: 14 Sep 2026, witnessed,
        // injured, police called); item 7 the third (August 2026: none of those). Blank when absent.
        {
          what: 'item 6b witnesses',
          boxes: [1, 2].map((i) => p4(`li2[0].YesNo6b_cb[${i}]`)),
          on: {
            minimal: [],
            typical: [p4('li2[0].YesNo6b_cb[2]')],
            maximal: [p4('li2[0].YesNo6b_cb[2]')],
          },
        },
        {
          what: 'item 6c weapons',
          boxes: [0, 1].map((i) => p4(`Li3[0].YesNo6c_cb[${i}]`)),
          on: {
            minimal: [],
            typical: [p4('Li3[0].YesNo6c_cb[0]')],
            maximal: [p4('Li3[0].YesNo6c_cb[0]')],
          },
        },
        {
          what: 'item 6d harm',
          boxes: [0, 1].map((i) => p4(`Li4[0].YesNo6d_cb[${i}]`)),
          on: {
            minimal: [],
            typical: [p4('Li4[0].YesNo6d_cb[1]')],
            maximal: [p4('Li4[0].YesNo6d_cb[1]')],
          },
        },
        {
          what: 'item 6e police',
          boxes: [1, 2].map((i) => p4(`Li5[0].YesNo6e_cb[${i}]`)),
          on: {
            minimal: [],
            typical: [p4('Li5[0].YesNo6e_cb[2]')],
            maximal: [p4('Li5[0].YesNo6e_cb[2]')],
          },
        },
        {
          what: 'item 7b-7e',
          boxes: [
            p5('Li2[0].YesNo7b_cb[1]'),
            p5('Li2[0].YesNo7b_cb[2]'),
            p5('Li3[0].YesNo7c_cb[0]'),
            p5('Li3[0].YesNo7c_cb[1]'),
            p5('Li4[0].YesNo7d_cb[0]'),
            p5('Li4[0].YesNo7d_cb[1]'),
            p5('Li5[0].YesNo7e_cb[1]'),
            p5('Li5[0].YesNo7e_cb[2]'),
          ],
          on: {
            minimal: [],
            typical: [
              p5('Li2[0].YesNo7b_cb[1]'),
              p5('Li3[0].YesNo7c_cb[0]'),
              p5('Li4[0].YesNo7d_cb[0]'),
              p5('Li5[0].YesNo7e_cb[1]'),
            ],
            maximal: [
              p5('Li2[0].YesNo7b_cb[1]'),
              p5('Li3[0].YesNo7c_cb[0]'),
              p5('Li4[0].YesNo7d_cb[0]'),
              p5('Li5[0].YesNo7e_cb[1]'),
            ],
          },
        },
        {
          what: 'more space needed for abuse (a fourth incident)',
          boxes: [p5('MultilineCheckBox[0]')],
          on: { ...none, maximal: [p5('MultilineCheckBox[0]')] },
        },
      ],
      narratives: [
        dvNarrative(
          '5f',
          dv('Page3[0].List5[0].Li6[0].TextField[0]'),
          (m) => m.mostRecentIncident.narrative,
          true,
        ),
        dvNarrative(
          '6f',
          p4('Li6[0].TextField[0]'),
          (m) => m.otherIncidents[0]?.narrative ?? '',
          false,
        ),
        dvNarrative(
          '7f',
          p5('Li6[0].TextField[0]'),
          (m) => m.otherIncidents[1]?.narrative ?? '',
          false,
        ),
      ],
    },
    'dv-109': {
      petitioner: ['DV-109[0].Page1[0].List1[0].Li1[0].YourName_tf[0]'],
      respondent: ['DV-109[0].Page1[0].List2[0].Li1[0].YourName_tf[0]'],
      caseNumber: [
        'DV-109[0].Page1[0].P1RightCaption[0].CaseNo[0].CaseNumber_ft[0]',
        'DV-109[0].Page2[0].P2Header[0].CaseNumber_ft[0]',
        'DV-109[0].Page3[0].P3Header[0].CaseNumber_ft[0]',
      ],
      children: [],
      groups: [],
      narratives: [],
    },
    'clets-001': {
      petitioner: ['CLETS-001[0].Page1[0].List2[0].Li1[0].yournametf[0]'],
      respondent: ['CLETS-001[0].Page1[0].List1[0].Li1[0].nametf[0]'],
      caseNumber: ['CLETS-001[0].Page1[0].RightCaption[0].CaseNumber_ft[0]'],
      children: [],
      groups: [
        {
          what: "petitioner's gender",
          boxes: [0, 1, 2].map((i) => `CLETS-001[0].Page1[0].List3[0].Li1[0].Item3genderME[${i}]`),
          on: same(['CLETS-001[0].Page1[0].List3[0].Li1[0].Item3genderME[1]']),
        },
      ],
      narratives: [],
    },
  },
  'ma-209a': {
    'complaint-page1': {
      petitioner: ['user_name_full'],
      respondent: ['defendant'],
      caseNumber: ['docket_number'],
      children: [],
      groups: [
        {
          what: "defendant's gender",
          boxes: ['defendant_gender_male', 'defendant_gender_female'],
          on: {
            minimal: [],
            typical: ['defendant_gender_male'],
            maximal: ['defendant_gender_male'],
          },
        },
        {
          what: 'relationship',
          boxes: [
            'defendant_and_plaintiff_relationship_married_to_each_other',
            'defendant_and_plaintiff_relationship_formerly_married_to_each_other',
            'defendant_and_plaintiff_relationship_not_married_but_are_related',
            'defendant_and_plaintiff_are_parents_of_child',
            'defendant_and_plaintiff_are_not_related_but_live_together',
            'defendant_and_plaintiff_used_to_live_together',
            'defendant_and_plaintiff_are_dating_or_dated',
          ],
          on: {
            minimal: ['defendant_and_plaintiff_are_dating_or_dated'],
            typical: [
              'defendant_and_plaintiff_relationship_married_to_each_other',
              'defendant_and_plaintiff_are_parents_of_child',
              'defendant_and_plaintiff_used_to_live_together',
            ],
            maximal: [
              'defendant_and_plaintiff_relationship_formerly_married_to_each_other',
              'defendant_and_plaintiff_are_parents_of_child',
              'defendant_and_plaintiff_used_to_live_together',
            ],
          },
        },
        {
          what: 'minor children',
          boxes: ['plaintiff_has_minor_children_no', 'plaintiff_has_minor_children_yes'],
          on: {
            minimal: ['plaintiff_has_minor_children_no'],
            typical: ['plaintiff_has_minor_children_yes'],
            maximal: ['plaintiff_has_minor_children_yes'],
          },
        },
      ],
      narratives: [],
    },
    'complaint-page2': {
      petitioner: [],
      respondent: [],
      caseNumber: ['docket_number'],
      children: ['wants_no_contact_for1_name_full', 'wants_no_contact_for2_name_full'],
      groups: [],
      narratives: [],
    },
    affidavit: {
      petitioner: [],
      respondent: [],
      caseNumber: [],
      children: [],
      groups: [],
      narratives: [
        {
          field: 'affidavit_body',
          label: 'See attached affidavit addendum',
          heading: 'Affidavit, Complaint for Protection from Abuse (G.L. c. 209A) (continued)',
          text: (m) => m.statementOfFacts,
          overflowsInMaximal: true,
        },
      ],
    },
  },
  'mi-ppo': {
    'cc-375': {
      petitioner: ['users1_name__1'],
      // This CC 375 (as relabelled by Michigan Legal Help) has no respondent-name or case-number field.
      respondent: [],
      caseNumber: [],
      children: [],
      groups: [
        {
          what: 'relationship',
          boxes: [
            'petitioner_respondent_married',
            'petitioner_respondent_prev_married',
            'petitioner_respondent_have_child',
            'petitioner_respondent_dating',
            'petitioner_respondent_share_household',
          ],
          on: {
            minimal: ['petitioner_respondent_dating'],
            typical: [
              'petitioner_respondent_married',
              'petitioner_respondent_have_child',
              'petitioner_respondent_share_household',
            ],
            maximal: [
              'petitioner_respondent_prev_married',
              'petitioner_respondent_have_child',
              'petitioner_respondent_share_household',
            ],
          },
        },
      ],
      narratives: [
        {
          field: 'ppo_explanation_see_attached',
          label: 'See attached',
          heading: 'CC 375, item 4: I need a personal protection order because (continued)',
          text: (m) => m.statementOfFacts,
          overflowsInMaximal: true,
        },
      ],
    },
  },
};

interface FilledForm {
  live: Uint8Array;
  attachment?: Uint8Array;
  fields: Record<string, PdfFieldValue>;
}

interface Built {
  model: CaseViewModel;
  forms: Map<string, FilledForm>;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What the reader finds: the filler drops stray control characters (the maximal case has some). */
const expected = (text: string) => squash(cleanText(text));

/** Attachment text without the caption repeated on every page, which interrupts the narrative. */
function withoutCaptions(text: string, m: CaseViewModel): string {
  const caption = [
    m.court.name,
    `Petitioner: ${m.petitioner.fullName}`,
    `Case number: ${m.court.caseNumber}`,
    `Respondent: ${m.respondent.fullName}`,
  ];
  let out = squash(text).replace(/Attachment page \d+ of \d+/g, ' ');
  for (const part of caption) out = out.split(part).join(' ');
  return squash(out);
}
const facts = (name: FixtureName): CaseFacts => parseCaseFacts(fixture(name));
const captionOf = (m: CaseViewModel) => ({
  court: m.court.name,
  caseNumber: m.court.caseNumber || undefined,
  petitioner: m.petitioner.fullName,
  respondent: m.respondent.fullName,
});
const key = (pack: PackId, name: FixtureName) => `${pack}/${name}`;

function isOn(field: PdfFieldValue | undefined): boolean {
  return field !== undefined && field.value !== '' && field.value !== '/Off';
}

describe('official court forms filled from the fixtures (ca-dv, ma-209a, mi-ppo)', () => {
  let formsDir: string;
  let workDir: string;
  const packs = new Map<PackId, LoadedPack>();
  const built = new Map<string, Built>();
  let dv100FillMs = 0;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'official-forms-'));
    formsDir = join(workDir, 'forms');
    const manifests = PACK_IDS.map(
      (id) =>
        JSON.parse(
          readFileSync(join(projectRoot(), 'templates', id, 'manifest.json'), 'utf8'),
        ) as PackManifest,
    );
    const report = await installForms({ source: COURT_FORMS_DIR, formsDir, manifests });
    expect(report.failed).toEqual([]);
    for (const id of PACK_IDS) {
      const pack = loadPack(join(projectRoot(), 'templates', id), formsDir);
      expect(pack.missingForms).toEqual([]);
      packs.set(id, pack);
    }

    // Resolve and fill each form as PacketBuilder does, but without its release checks, which
    // are another part's concern and change independently of the filling tested here.
    const jobs = PACK_IDS.flatMap((id) => FIXTURES.map((name) => ({ id, name })));
    await Promise.all(
      jobs.map(async ({ id, name }) => {
        const pack = packs.get(id) as LoadedPack;
        const model = buildCaseViewModel(facts(name));
        const forms = new Map<string, FilledForm>();
        for (const doc of pack.documents) {
          if (doc.def.form === undefined) continue; // pack-made and DOCX documents are tested elsewhere
          if (doc.def.when !== undefined && !evaluateCondition(doc.def.when, model)) continue;
          const values = resolveFormMapping(doc.mapping ?? { fields: {} }, model);
          const live = await fillForm(doc.bytes as Buffer, values, { flatten: false });
          const attachment =
            live.overflows.length > 0
              ? await renderAttachmentPages(captionOf(model), live.overflows)
              : undefined;
          forms.set(doc.def.id, {
            live: live.bytes,
            attachment,
            fields: await pdfFieldStates(live.bytes),
          });
        }
        built.set(key(id, name), { model, forms });
      }),
    );

    // One DV-100 fill on its own, for the report: the packet builder fills each form twice.
    const dv100 = packs.get('ca-dv')?.documents.find((d) => d.def.id === 'dv-100');
    const values = resolveFormMapping(
      dv100?.mapping ?? { fields: {} },
      buildCaseViewModel(facts('maximal')),
    );
    const started = performance.now();
    await fillForm(dv100?.bytes as Buffer, values, { flatten: false });
    dv100FillMs = performance.now() - started;
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  const cases = PACK_IDS.flatMap((id) =>
    Object.keys(CHECKS[id]).flatMap((doc) => FIXTURES.map((name) => [id, doc, name] as const)),
  );

  describe.each(cases)('%s %s, %s case', (id, doc, name) => {
    const check = CHECKS[id][doc];
    const filled = (): FilledForm | undefined => built.get(key(id, name))?.forms.get(doc);
    const model = (): CaseViewModel => (built.get(key(id, name)) as Built).model;

    it('is in the packet (complaint page 2 only when there are children or custody orders)', () => {
      const expected = !(doc === 'complaint-page2' && name === 'minimal');
      expect(filled() !== undefined).toBe(expected);
    });

    it("has the petitioner's and respondent's names and the case number in their fields", () => {
      const form = filled();
      if (!form) return;
      const m = model();
      for (const f of check.petitioner)
        expect([f, form.fields[f]?.value]).toEqual([f, m.petitioner.fullName]);
      for (const f of check.respondent)
        expect([f, form.fields[f]?.value]).toEqual([f, m.respondent.fullName]);
      for (const f of check.caseNumber)
        expect([f, form.fields[f]?.value ?? '']).toEqual([f, m.court.caseNumber]);
    });

    it('ticks exactly the right boxes of each group, on-state and appearance agreeing', () => {
      const form = filled();
      if (!form) return;
      for (const group of check.groups) {
        const ticked = group.boxes.filter((b) => isOn(form.fields[b]));
        expect({ group: group.what, ticked }).toEqual({
          group: group.what,
          ticked: group.on[name],
        });
        for (const b of group.boxes) {
          const state = form.fields[b];
          expect(state).toBeDefined();
          expect([b, state.appearanceStates]).toEqual([b, [isOn(state) ? state.value : '/Off']]);
        }
      }
    });

    it('names the children in the typical case', () => {
      const form = filled();
      if (!form || name !== 'typical') return;
      const names = check.children.map((f) => form.fields[f]?.value);
      expect(names).toEqual(['Liam Walsh', 'Emma Walsh'].slice(0, check.children.length));
    });

    it('shows each narrative whole, or its label with the whole text on a headed attachment', async () => {
      const form = filled();
      if (!form) return;
      const m = model();
      const attachment = form.attachment ? withoutCaptions(await pdfText(form.attachment), m) : '';
      for (const n of check.narratives) {
        const value = form.fields[n.field]?.value;
        if (n.overflowsInMaximal && name === 'maximal')
          expect([n.field, value]).toEqual([n.field, n.label]);
        if (value !== n.label) {
          expect(squash(value ?? '')).toBe(expected(n.text(m)));
          continue;
        }
        expect(attachment).toContain(n.heading);
        expect(attachment).toContain(expected(n.text(m)));
      }
    });
  });

  it('renders DV-100 page 1 (maximal) with the petitioner named where poppler reads it', async () => {
    const form = built.get(key('ca-dv', 'maximal'))?.forms.get('dv-100') as FilledForm;
    const pdf = join(workDir, 'dv-100-maximal.pdf');
    writeFileSync(pdf, form.live);
    const prefix = join(workDir, 'dv-100-page1');
    await run('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', '-singlefile', pdf, prefix]);
    const png = readFileSync(`${prefix}.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // A blank 8.5x11 page at 60 dpi compresses to a few kB; the form's text makes it far larger.
    expect(statSync(`${prefix}.png`).size).toBeGreaterThan(30_000);
    expect(await pdfText(form.live, { first: 1, last: 1 })).toContain('Nguyễn Thị Hằng');
  });

  it('fills the DV-100 in under 5 seconds', () => {
    console.log(`DV-100 fill (maximal, live): ${dv100FillMs.toFixed(0)} ms`);
    expect(dv100FillMs).toBeLessThan(5000);
  });

  describe('lint', () => {
    const samples = () => FIXTURES.map(facts);

    it.each(PACK_IDS)('finds no errors in %s over the three fixtures', async (id) => {
      const findings = await lintPack(packs.get(id) as LoadedPack, samples());
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    });

    it('reports a field added to the installed DV-109 as neither mapped nor ignored', async () => {
      const dir = join(workDir, 'forms-with-new-field');
      mkdirSync(join(dir, 'ca-dv'), { recursive: true });
      for (const file of ['dv-100.pdf', 'clets-001.pdf']) {
        copyFileSync(join(formsDir, 'ca-dv', file), join(dir, 'ca-dv', file));
      }
      const doc = await PDFDocument.load(readFileSync(join(formsDir, 'ca-dv', 'dv-109.pdf')));
      const field = doc.getForm().createTextField('NewItem[0]');
      field.addToPage(doc.getPage(0), { x: 72, y: 72, width: 200, height: 20 });
      const bytes = await doc.save();
      writeFileSync(join(dir, 'ca-dv', 'dv-109.pdf'), bytes);
      // loadPack trusts a prepared form only when its checksum matches installed.json.
      const recordPath = join(formsDir, 'ca-dv', 'installed.json');
      const record = JSON.parse(readFileSync(recordPath, 'utf8')) as InstalledPackRecord;
      record.forms['dv-109'].preparedSha256 = sha256(bytes);
      writeFileSync(join(dir, 'ca-dv', 'installed.json'), JSON.stringify(record));

      const pack = loadPack(join(projectRoot(), 'templates', 'ca-dv'), dir);
      expect(pack.missingForms).toEqual([]);
      const errors = (await lintPack(pack, samples())).filter((f) => f.severity === 'error');
      expect(errors).toEqual([
        expect.objectContaining({ document: 'dv-109', subject: 'NewItem[0]' }),
      ]);
      expect(errors[0].message).toContain('"NewItem[0]"');
      expect(errors[0].message).toContain('neither mapped nor ignored');
    });
  });
});
