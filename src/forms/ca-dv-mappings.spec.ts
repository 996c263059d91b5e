import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COURT_FORMS_DIR, FIXTURES, fixture, FixtureName } from '../../test/support/fixtures';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { projectRoot } from '../config/project-root';
import { conditionPaths } from '../packs/condition';
import type { FieldRule, FieldValue, FormMapping } from '../packs/form-mapping';
import { Audience, PackDocument, PackManifest } from '../packs/pack-manifest';
import { checkFormMapping, checkManifest } from '../packs/pack-manifest.schema';
import { resolveFormMapping } from '../packs/resolve-form-mapping';
import { fillForm } from '../rendering/pdf/pdf-form-filler';
import { buildCaseViewModel, CaseViewModel } from '../view-models/case-view-model';
import { hasPath, resolvePath } from '../view-models/resolve-path';
import { FormFieldInfo, FormFieldType, listFormFields } from './form-fields';
import { installForms } from './install-forms';

const PACK_DIR = join(projectRoot(), 'templates', 'ca-dv');

const SOURCE_FILES: Record<string, string> = {
  'dv-100': 'CA_DV-100_request-for-dv-restraining-order.pdf',
  'dv-109': 'CA_DV-109_notice-of-court-hearing.pdf',
  'clets-001': 'CA_CLETS-001_confidential-info-for-law-enforcement.pdf',
};

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function loadManifest(): PackManifest {
  const raw = readJson(join(PACK_DIR, 'manifest.json'));
  expect(checkManifest(raw)).toEqual([]);
  return raw as PackManifest;
}

function loadMapping(doc: PackDocument): FormMapping {
  const raw = readJson(join(PACK_DIR, doc.mapping ?? ''));
  expect(checkFormMapping(raw)).toEqual([]);
  return raw as FormMapping;
}

/** Every view-model path a rule reads. */
function rulePaths(rule: FieldRule): string[] {
  if ('value' in rule) return [rule.value];
  if ('checked' in rule) return conditionPaths(rule.checked);
  if ('choice' in rule) return [rule.choice];
  return [];
}

/**
 * A path exists, or runs past the end of a list (`children.1.fullName` when there is one child):
 * forms have fixed rows, and a row with nobody in it is rightly blank.
 */
function existsOrEmptyRow(model: unknown, path: string): boolean {
  let current: unknown = model;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment) && Number(segment) >= current.length)
      return true;
    current = resolvePath(current, segment);
    if (current === undefined) return false;
  }
  return true;
}

/** The same path with every list index set to 0: what a row's path must look like in a full list. */
function firstRowOf(path: string): string {
  return path.replace(/\.\d+(?=\.|$)/g, '.0');
}

function viewModel(name: FixtureName): CaseViewModel {
  return buildCaseViewModel(parseCaseFacts(fixture(name)));
}

const RULE_FOR_TYPE: Record<FormFieldType, string[]> = {
  text: ['value', 'ignore'],
  checkbox: ['checked', 'ignore'],
  radio: ['choice', 'ignore'],
  dropdown: ['choice', 'ignore'],
  button: ['ignore'],
  signature: ['ignore'],
};

function ruleKind(rule: FieldRule): string {
  return ['value', 'checked', 'choice', 'ignore'].find((k) => k in rule) ?? 'none';
}

/** Boxes that answer one question: at most one may be ticked (the AcroForm does not enforce it). */
const EXCLUSIVE_GROUPS: Record<string, string[][]> = {
  'dv-100': [
    [
      'Page1[0].List2[0].Li4[0].gender2d_cb[0]',
      'Page1[0].List2[0].Li4[0].gender2d_cb[1]',
      'Page1[0].List2[0].Li4[0].gender2d_cb[2]',
    ],
    ['Page2[0].List4[0].Li1[0].YesNo4a_cb[0]', 'Page2[0].List4[0].Li1[0].YesNo4a_cb[1]'],
    ['Page2[0].List4[0].Li2[0].YesNo4b_cb[0]', 'Page2[0].List4[0].Li2[0].YesNo4b_cb[1]'],
    ['Page3[0].List5[0].Li2[0].YesNo5b_cb[1]', 'Page3[0].List5[0].Li2[0].YesNo5b_cb[2]'],
    ['Page3[0].List5[0].Li3[0].YesNo5c_cb[0]', 'Page3[0].List5[0].Li3[0].YesNo5c_cb[1]'],
    ['Page3[0].List5[0].Li4[0].YesNo5d_cb[0]', 'Page3[0].List5[0].Li4[0].YesNo5d_cb[1]'],
    ['Page3[0].List5[0].Li5[0].YesNo5e_cb[1]', 'Page3[0].List5[0].Li5[0].YesNo5e_cb[2]'],
    ['Page6[0].List8[0].Li1[0].YesNo8a1_cb[0]', 'Page6[0].List8[0].Li2[0].YesNo8a2_cb[0]'],
    ...[1, 2, 3, 4].map((n) =>
      [0, 1].map((i) => `Page6[0].List8[0].Li2[0].List[0].li1[0].YesNo8b1${n}_cb[${i}]`),
    ),
    [
      'Page6[0].List9[0].Li1[0].YesNo9abc_cb[0]',
      'Page6[0].List9[0].LI2[0].YesNo9abc_cb[0]',
      'Page6[0].List9[0].li3[0].YesNo9abc_cb[0]',
    ],
    ['Page7[0].List12[0].Li2[0].CheckBox12b1[0]', 'Page7[0].List12[0].Li2[0].CheckBox12b2[0]'],
    [
      'Page7[0].List12[0].Li3[0].YesNo12c_cb[0]',
      'Page7[0].List12[0].Li3[0].YesSub[0].YesNo12c_cb[0]',
    ],
  ].map((group) => group.map((f) => `DV-100[0].${f}`)),
  'dv-109': [],
  'clets-001': [
    [
      'List1[0].Li1[0].item1firearmME[0]',
      'List1[0].Li1[0].item1firearmME[1]',
      'List1[0].Li1[0].item1firearmME[2]',
    ],
    [
      'List3[0].Li1[0].Item3genderME[0]',
      'List3[0].Li1[0].Item3genderME[1]',
      'List3[0].Li1[0].Item3genderME[2]',
    ],
    ['List3[0].Li1[0].item3EnglishME[0]', 'List3[0].Li1[0].item3EnglishME[1]'],
  ].map((group) => group.map((f) => `CLETS-001[0].Page1[0].${f}`)),
};

function checkedFields(values: FieldValue[]): Set<string> {
  return new Set(values.filter((v) => v.kind === 'checkbox' && v.checked).map((v) => v.field));
}

describe('California pack (ca-dv) mappings', () => {
  const manifest = loadManifest();
  const documents = manifest.documents.filter((d) => d.form !== undefined);
  let formsDir: string;
  const fieldsOf = new Map<string, FormFieldInfo[]>();

  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'ca-dv-forms-'));
    const report = await installForms({ source: COURT_FORMS_DIR, formsDir, manifests: [manifest] });
    expect(report.failed).toEqual([]);
    for (const doc of documents) {
      fieldsOf.set(doc.id, await listFormFields(readFileSync(join(formsDir, 'ca-dv', doc.file))));
    }
  });

  afterAll(() => rmSync(formsDir, { recursive: true, force: true }));

  it('lists the three official forms with audiences that keep CLETS-001 from the respondent', () => {
    expect(documents.map((d) => [d.id, d.form?.number, d.form?.revision, d.audiences])).toEqual([
      ['dv-100', 'DV-100', 'January 1, 2025', ['court', 'petitioner', 'respondent']],
      ['dv-109', 'DV-109', 'January 1, 2025', ['court', 'petitioner', 'respondent']],
      ['clets-001', 'CLETS-001', 'January 1, 2025', ['court', 'law-enforcement']],
    ]);
  });

  it('reads the installed forms with every field and its on-values', () => {
    const dv100 = fieldsOf.get('dv-100') ?? [];
    const count = (type: FormFieldType): number => dv100.filter((f) => f.type === type).length;
    expect([dv100.length, count('text'), count('checkbox'), count('button')]).toEqual([
      335, 163, 158, 14,
    ]);
    const gender = dv100.filter((f) => f.name.includes('gender2d_cb'));
    expect(gender.map((f) => f.onValues)).toEqual([['1'], ['3'], ['5']]);
    expect(dv100.filter((f) => f.multiline).length).toBe(17);
    expect(fieldsOf.get('dv-109')).toHaveLength(43);
    expect(fieldsOf.get('clets-001')).toHaveLength(53);
  });

  describe.each(Object.keys(SOURCE_FILES))('%s', (id) => {
    const doc = documents.find((d) => d.id === id) as PackDocument;
    const mapping = loadMapping(doc);

    it('maps or ignores every field of the form, and names no field the form lacks', () => {
      const formFields = (fieldsOf.get(id) ?? []).map((f) => f.name).sort();
      const listed = readFileSync(
        join(COURT_FORMS_DIR, 'fields', `${SOURCE_FILES[id]}.txt`),
        'utf8',
      )
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort();
      expect(formFields).toEqual(listed);
      expect(Object.keys(mapping.fields).sort()).toEqual(formFields);
    });

    it('uses a rule that fits each field type (push buttons and signatures are ignored)', () => {
      const misfits = (fieldsOf.get(id) ?? [])
        .filter((f) => !RULE_FOR_TYPE[f.type].includes(ruleKind(mapping.fields[f.name])))
        .map((f) => `${f.name}: ${f.type} has a ${ruleKind(mapping.fields[f.name])} rule`);
      expect(misfits).toEqual([]);
    });

    it("never reads the petitioner's residence when the respondent receives the form", () => {
      if (!doc.audiences.includes(Audience.Respondent)) return;
      const paths = Object.values(mapping.fields).flatMap(rulePaths);
      expect(paths.filter((p) => p.startsWith('petitioner.residence'))).toEqual([]);
    });

    it('reads only paths the view model has, in every fixture', () => {
      for (const name of FIXTURES) {
        const model = viewModel(name);
        const missing = Object.values(mapping.fields)
          .flatMap(rulePaths)
          .filter((p) => !existsOrEmptyRow(model, p));
        expect({ fixture: name, missing }).toEqual({ fixture: name, missing: [] });
        expect(() => resolveFormMapping(mapping, model)).not.toThrow();
      }
    });

    it('reads list rows whose shape exists in at least one fixture', () => {
      const models = FIXTURES.map(viewModel);
      const unknown = Object.values(mapping.fields)
        .flatMap(rulePaths)
        .filter((p) => !models.some((m) => hasPath(m, firstRowOf(p))));
      expect(unknown).toEqual([]);
    });

    it('ticks at most one box of each exclusive group, in every fixture', () => {
      const groups = EXCLUSIVE_GROUPS[id];
      groups.flat().forEach((f) => expect(mapping.fields[f]).toBeDefined());
      const violations = FIXTURES.flatMap((name) => {
        const checked = checkedFields(resolveFormMapping(mapping, viewModel(name)));
        return groups
          .map((group) => group.filter((f) => checked.has(f)))
          .filter((ticked) => ticked.length > 1)
          .map((ticked) => ({ fixture: name, ticked }));
      });
      expect(violations).toEqual([]);
    });
  });

  it('fills DV-100 with the mailing address, never the residence (maximal case)', () => {
    const model = viewModel('maximal');
    const values = resolveFormMapping(loadMapping(documents[0]), model);
    const text = values.flatMap((v) => (v.kind === 'text' ? [v.text] : [])).join('\n');
    expect(text).toContain(model.petitioner.mailing.streetLine);
    expect(text).not.toContain(model.petitioner.residence.street);
  });

  it("ticks the respondent's gender box and shows the petitioner on page 1 of DV-100 (maximal case)", async () => {
    const model = viewModel('maximal');
    const values = resolveFormMapping(loadMapping(documents[0]), model);
    const template = readFileSync(join(formsDir, 'ca-dv', 'dv-100.pdf'));
    const { bytes } = await fillForm(template, values, { flatten: false });
    const out = join(formsDir, 'dv-100-filled.pdf');
    writeFileSync(out, bytes);
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', out, '-']).toString(
      'utf8',
    );
    // pdftotext may emit decomposed accents (e + combining mark): compare composed forms.
    expect(page1.normalize('NFC')).toContain(model.petitioner.fullName.normalize('NFC'));
    const json = JSON.parse(
      execFileSync('qpdf', ['--json', '--json-key=acroform', out], {
        maxBuffer: 256 * 1024 * 1024,
      }).toString('utf8'),
    ) as {
      acroform: {
        fields: { fullname: string; value: unknown; annotation: { appearancestate: string } }[];
      };
    };
    const gender = json.acroform.fields
      .filter((f) => f.fullname.includes('gender2d_cb'))
      .map((f) => [f.fullname.replace(/.*\./, ''), f.value, f.annotation.appearancestate]);
    // The respondent in the maximal case is male: box [0], whose on-state is /1.
    expect(gender).toEqual([
      ['gender2d_cb[0]', '/1', '/1'],
      ['gender2d_cb[1]', '/Off', '/Off'],
      ['gender2d_cb[2]', '/Off', '/Off'],
    ]);
  });
});
