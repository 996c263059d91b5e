import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { projectRoot } from '../../src/config/project-root';
import { listFormFields } from '../../src/forms/form-fields';
import { installForms } from '../../src/forms/install-forms';
import { conditionPaths, evaluateCondition } from '../../src/packs/condition';
import type { FieldRule, FieldValue, FormMapping } from '../../src/packs/form-mapping';
import { lintPack, lookup } from '../../src/packs/pack-lint';
import { loadPack } from '../../src/packs/pack-loader';
import { Audience, PackDocument, PackManifest } from '../../src/packs/pack-manifest';
import { checkFormMapping, checkManifest } from '../../src/packs/pack-manifest.schema';
import { resolveFormMapping } from '../../src/packs/resolve-form-mapping';
import { fillForm } from '../../src/rendering/pdf/pdf-form-filler';
import { buildCaseViewModel, CaseViewModel } from '../../src/view-models/case-view-model';
import { hasPath } from '../../src/view-models/resolve-path';
import { COURT_FORMS_DIR, FIXTURES, fixture, FixtureName } from '../support/fixtures';
import { pdfFieldStates, pdfText } from '../support/pdf-reading';

/**
 * The Massachusetts (G.L. c. 209A) and Michigan (CC 375) packs: every field of each official
 * form is mapped or deliberately ignored, every path a mapping reads exists in the view model of
 * every fixture, and the forms fill from a typical case as a clerk's software reads them back.
 */

const TEMPLATES = join(projectRoot(), 'templates');

/** The file in ../shared/court-forms (and fields/<file>.txt) each document is filled from. */
const SOURCE_FILES: Record<string, Record<string, string>> = {
  'ma-209a': {
    'complaint-page1': 'MA_209A_complaint_page1.pdf',
    'complaint-page2': 'MA_209A_complaint_page2.pdf',
    affidavit: 'MA_209A_affidavit.pdf',
  },
  'mi-ppo': {
    'cc-375': 'MI_CC-375_petition-for-ppo-domestic.pdf',
  },
};

/** Boxes answering one question: at most one may be ticked (the AcroForm does not enforce it). */
const EXCLUSIVE_GROUPS: Record<string, string[][]> = {
  'complaint-page1': [
    ['defendant_gender_male', 'defendant_gender_female'],
    ['plaintiff_is_major_yes', 'plaintiff_is_major_no'],
    ['plaintiff_has_minor_children_no', 'plaintiff_has_minor_children_yes'],
    ['plaintiff_and_defendant_other_case_yes', 'plaintiff_and_defendant_other_case_no'],
  ],
  'complaint-page2': [
    ['have_had_custody_cases_yes', 'have_had_custody_cases_no'],
    ['have_had_paternity_cases_yes', 'have_had_paternity_cases_no'],
  ],
  affidavit: [],
  'cc-375': [
    ['pending_actions_between_parties_yes', 'pending_actions_between_parties_no'],
    ['orders_judgments_re_parties_yes', 'orders_judgments_re_parties_no'],
    ['respondent_carries_firearm_for_work_known', 'respondent_carries_firearm_for_work_unknown'],
  ],
};

/** Which rule kinds fit a field type (types as listed in fields/<file>.txt). */
const RULE_FOR_TYPE: Record<string, string[]> = {
  text: ['value', 'ignore'],
  checkbox: ['checked', 'ignore'],
  radio: ['choice', 'ignore'],
  dropdown: ['choice', 'ignore'],
  button: ['ignore'],
  signature: ['ignore'],
};

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function loadManifest(packId: string): PackManifest {
  const raw = readJson(join(TEMPLATES, packId, 'manifest.json'));
  expect(checkManifest(raw)).toEqual([]);
  return raw as PackManifest;
}

function loadMapping(packId: string, doc: PackDocument): FormMapping {
  const raw = readJson(join(TEMPLATES, packId, doc.mapping ?? 'no-mapping'));
  expect(checkFormMapping(raw)).toEqual([]);
  return raw as FormMapping;
}

/** `name<TAB>type` for every field of a court form, as listed beside it. */
function listedFields(file: string): { name: string; type: string }[] {
  return readFileSync(join(COURT_FORMS_DIR, 'fields', `${file}.txt`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [name, type] = line.split('\t');
      return { name, type };
    });
}

function rulePaths(rule: FieldRule): string[] {
  if ('value' in rule) return [rule.value];
  if ('checked' in rule) return conditionPaths(rule.checked);
  if ('choice' in rule) return [rule.choice];
  return [];
}

function ruleKind(rule: FieldRule): string {
  return ['value', 'checked', 'choice', 'ignore'].find((k) => k in rule) ?? 'none';
}

/** A path that indexes a list row (`children.3.fullName`), which a case may rightly not fill. */
function isRowPath(path: string): boolean {
  return /(^|\.)\d+(\.|$)/.test(path);
}

/** The same path with every list index set to 0. */
function firstRowOf(path: string): string {
  return path.replace(/(^|\.)\d+(?=\.|$)/g, '$10');
}

const models = new Map<FixtureName, CaseViewModel>();
function viewModel(name: FixtureName): CaseViewModel {
  let model = models.get(name);
  if (!model) {
    model = buildCaseViewModel(parseCaseFacts(fixture(name)));
    models.set(name, model);
  }
  return model;
}

function checkedFields(values: FieldValue[]): string[] {
  return values.filter((v) => v.kind === 'checkbox' && v.checked).map((v) => v.field);
}

function textOf(values: FieldValue[], field: string): string | undefined {
  const value = values.find((v) => v.field === field);
  return value?.kind === 'text' ? value.text : undefined;
}

const PACK_IDS = Object.keys(SOURCE_FILES);

describe.each(PACK_IDS)('%s pack', (packId) => {
  const manifest = loadManifest(packId);

  it('lists exactly its official forms, each with the checksum of the published file', () => {
    const official = manifest.documents.filter((d) => d.form !== undefined);
    expect(official.map((d) => d.id)).toEqual(Object.keys(SOURCE_FILES[packId]));
    for (const doc of official) {
      const bytes = readFileSync(join(COURT_FORMS_DIR, SOURCE_FILES[packId][doc.id]));
      expect(doc.form?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(doc.form?.publishedAt).toMatch(/^https:\/\//);
      expect(doc.audiences).toEqual([Audience.Court, Audience.Petitioner, Audience.Respondent]);
    }
  });

  it('reads only view-model paths that exist in every fixture (document conditions)', () => {
    for (const doc of manifest.documents) {
      if (!doc.when) continue;
      for (const name of FIXTURES) {
        const missing = conditionPaths(doc.when).filter((p) => !hasPath(viewModel(name), p));
        expect({ document: doc.id, fixture: name, missing }).toEqual({
          document: doc.id,
          fixture: name,
          missing: [],
        });
      }
    }
  });

  describe.each(Object.keys(SOURCE_FILES[packId]))('%s', (docId) => {
    const doc = manifest.documents.find((d) => d.id === docId) as PackDocument;
    const mapping = loadMapping(packId, doc);
    const file = SOURCE_FILES[packId][docId];
    const listed = listedFields(file);

    it('maps or ignores every field of the form, and names no field the form lacks', async () => {
      const names = listed.map((f) => f.name).sort();
      // The field list beside the form is the form's own: read the PDF to be sure.
      const inPdf = await listFormFields(readFileSync(join(COURT_FORMS_DIR, file)));
      expect(inPdf.map((f) => f.name).sort()).toEqual(names);
      expect(Object.keys(mapping.fields).sort()).toEqual(names);
    });

    it('uses a rule that fits each field type (signatures are ignored)', () => {
      const misfits = listed
        .filter((f) => !RULE_FOR_TYPE[f.type].includes(ruleKind(mapping.fields[f.name])))
        .map((f) => `${f.name}: ${f.type} has a ${ruleKind(mapping.fields[f.name])} rule`);
      expect(misfits).toEqual([]);
    });

    it('gives a reason for every field it leaves blank', () => {
      const bare = Object.entries(mapping.fields)
        .filter(([, rule]) => 'ignore' in rule && rule.ignore.trim().length < 10)
        .map(([field]) => field);
      expect(bare).toEqual([]);
    });

    it('reads only paths the view model has, in every fixture', () => {
      const paths = [...new Set(Object.values(mapping.fields).flatMap(rulePaths))];
      for (const name of FIXTURES) {
        const model = viewModel(name);
        // A fixed path must exist; a list row may run past the end of a short list.
        const missing = paths.filter((p) =>
          isRowPath(p) ? lookup(model, p) === 'missing' : !hasPath(model, p),
        );
        expect({ fixture: name, missing }).toEqual({ fixture: name, missing: [] });
        expect(() => resolveFormMapping(mapping, model)).not.toThrow();
      }
      // ...and every row path has the shape of a real row in some fixture.
      const unknownRows = paths
        .filter(isRowPath)
        .filter((p) => !FIXTURES.some((name) => hasPath(viewModel(name), firstRowOf(p))));
      expect(unknownRows).toEqual([]);
    });

    it("never reads the petitioner's residence: the respondent is served this form", () => {
      const paths = Object.values(mapping.fields).flatMap(rulePaths);
      expect(paths.filter((p) => p.startsWith('petitioner.residence'))).toEqual([]);
    });

    it('ticks at most one box of each exclusive group, in every fixture', () => {
      const groups = EXCLUSIVE_GROUPS[docId];
      groups.flat().forEach((f) => expect(mapping.fields[f]).toBeDefined());
      const violations = FIXTURES.flatMap((name) => {
        const checked = new Set(checkedFields(resolveFormMapping(mapping, viewModel(name))));
        return groups
          .map((group) => group.filter((f) => checked.has(f)))
          .filter((ticked) => ticked.length > 1)
          .map((ticked) => ({ fixture: name, ticked }));
      });
      expect(violations).toEqual([]);
    });
  });
});

describe('Massachusetts 209A pack (ma-209a)', () => {
  const manifest = loadManifest('ma-209a');
  const doc = (id: string): PackDocument =>
    manifest.documents.find((d) => d.id === id) as PackDocument;
  const values = (id: string, name: FixtureName): FieldValue[] =>
    resolveFormMapping(loadMapping('ma-209a', doc(id)), viewModel(name));

  it('includes complaint page 2 for a case with children, and not for one without', () => {
    const when = doc('complaint-page2').when;
    expect(when).toBeDefined();
    const included = FIXTURES.filter((name) =>
      when ? evaluateCondition(when, viewModel(name)) : true,
    );
    expect(included).toEqual(['typical', 'maximal']);
    expect(doc('complaint-page1').when).toBeUndefined();
    expect(doc('affidavit').when).toBeUndefined();
  });

  it('ticks the relationship and order boxes of page 1 from the typical case', () => {
    const checked = checkedFields(values('complaint-page1', 'typical'));
    expect(checked).toEqual(
      expect.arrayContaining([
        'defendant_gender_male',
        'plaintiff_is_major_yes',
        'defendant_is_major',
        'defendant_and_plaintiff_relationship_married_to_each_other',
        'defendant_and_plaintiff_are_parents_of_child',
        'defendant_and_plaintiff_used_to_live_together',
        'plaintiff_has_minor_children_yes',
        'plaintiff_and_defendant_other_case_yes',
        'order_defendant_stop_abuse_yes',
        'order_defendant_no_contact_unless_court_authorized_yes',
        'order_defendant_remain_away_plaintiff_residence_yes',
        'order_defendant_remain_away_plaintiff_workplace_yes',
        'order_impound_plaintiff_address_residential_yes',
        'order_impound_plaintiff_address_work_yes',
        'order_page_two_relief_yes',
      ]),
    );
    expect(checked).not.toContain('defendant_and_plaintiff_are_dating_or_dated');
    expect(checked).not.toContain(
      'defendant_and_plaintiff_relationship_formerly_married_to_each_other',
    );
  });

  it('asks to impound the address exactly when the mailing address is a substitute', () => {
    for (const name of FIXTURES) {
      const model = viewModel(name);
      const checked = checkedFields(values('complaint-page1', name));
      expect(checked.includes('order_impound_plaintiff_address_residential_yes')).toBe(
        model.petitioner.hasSafeMailingAddress,
      );
    }
    // The minimal case gives a P.O. box and asks only for orders about the petitioner.
    const minimal = checkedFields(values('complaint-page1', 'minimal'));
    expect(minimal).toEqual(
      expect.arrayContaining([
        'defendant_and_plaintiff_are_dating_or_dated',
        'plaintiff_has_minor_children_no',
        'plaintiff_and_defendant_other_case_no',
      ]),
    );
    expect(minimal).not.toContain('order_page_two_relief_yes');
  });

  it('writes every incident into the affidavit, with its own overflow wording', () => {
    const model = viewModel('typical');
    const rule = loadMapping('ma-209a', doc('affidavit')).fields.affidavit_body;
    expect(rule).toMatchObject({ value: 'statementOfFacts' });
    expect('value' in rule && rule.overflow?.label).toBe('See attached affidavit addendum');
    const body = textOf(values('affidavit', 'typical'), 'affidavit_body') ?? '';
    for (const incident of model.incidents) expect(body).toContain(incident.narrative);
    expect(textOf(values('affidavit', 'typical'), 'incident_date')).toBe(
      model.mostRecentIncident.dateForm,
    );
  });

  it('lists the children on page 2 and leaves the unused rows blank', () => {
    const model = viewModel('typical');
    const page2 = values('complaint-page2', 'typical');
    expect(textOf(page2, 'wants_custody_of1_name_full')).toBe(model.children[0].fullName);
    expect(textOf(page2, 'wants_custody_of2_age')).toBe(model.children[1].age);
    expect(textOf(page2, 'wants_no_contact_for2_name_full')).toBe(model.children[1].fullName);
    expect(textOf(page2, 'wants_custody_of3_name_full')).toBe('');
    expect(checkedFields(page2)).toEqual(
      expect.arrayContaining([
        'requests_custody_yes',
        'have_had_custody_cases_no',
        'keep_away_from_schools_daycares',
        'wants_other_order_yes',
        'wants_child_support_yes',
      ]),
    );
  });
});

describe('Michigan PPO pack (mi-ppo)', () => {
  const manifest = loadManifest('mi-ppo');
  const cc375 = manifest.documents[0];

  it('gives the court the mailing address for papers, never the residence', () => {
    for (const name of FIXTURES) {
      const model = viewModel(name);
      const values = resolveFormMapping(loadMapping('mi-ppo', cc375), model);
      const address = textOf(values, 'users1_address_block') ?? '';
      expect(address).toBe(model.petitioner.mailing.oneLineWithCareOf);
      const allText = values.flatMap((v) => (v.kind === 'text' ? [v.text] : [])).join('\n');
      if (model.petitioner.residence.present) {
        expect(allText).not.toContain(model.petitioner.residence.street);
      }
    }
  });

  it('sends the statement of facts to an attachment with the wording the form uses', () => {
    const rule = loadMapping('mi-ppo', cc375).fields.ppo_explanation_see_attached;
    expect(rule).toEqual({
      value: 'statementOfFacts',
      overflow: {
        label: 'See attached',
        heading: 'CC 375, item 4: I need a personal protection order because (continued)',
      },
    });
  });

  it('ticks the relationship boxes from each fixture', () => {
    const relationshipBoxes = (name: FixtureName): string[] =>
      checkedFields(resolveFormMapping(loadMapping('mi-ppo', cc375), viewModel(name))).filter((f) =>
        f.startsWith('petitioner_respondent_'),
      );
    expect(relationshipBoxes('minimal')).toEqual(['petitioner_respondent_dating']);
    expect(relationshipBoxes('typical')).toEqual([
      'petitioner_respondent_married',
      'petitioner_respondent_have_child',
      'petitioner_respondent_share_household',
    ]);
    expect(relationshipBoxes('maximal')).toEqual([
      'petitioner_respondent_prev_married',
      'petitioner_respondent_have_child',
      'petitioner_respondent_share_household',
    ]);
  });
});

describe('filling the official forms', () => {
  let formsDir: string;
  const manifests = PACK_IDS.map(loadManifest);

  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'state-packs-forms-'));
    const report = await installForms({ source: COURT_FORMS_DIR, formsDir, manifests });
    expect(report.failed).toEqual([]);
  });

  afterAll(() => rmSync(formsDir, { recursive: true, force: true }));

  it.each(PACK_IDS)('loads %s as the service does, and its lint finds nothing', async (packId) => {
    const pack = loadPack(join(TEMPLATES, packId), formsDir);
    expect(pack.missingForms).toEqual([]);
    const samples = FIXTURES.map((name) => parseCaseFacts(fixture(name)));
    expect(await lintPack(pack, samples)).toEqual([]);
  });

  async function fill(packId: string, docId: string, name: FixtureName = 'typical') {
    const manifest = manifests.find((m) => m.id === packId) as PackManifest;
    const doc = manifest.documents.find((d) => d.id === docId) as PackDocument;
    const model = viewModel(name);
    const values = resolveFormMapping(loadMapping(packId, doc), model);
    const template = readFileSync(join(formsDir, packId, doc.file));
    const result = await fillForm(template, values, { flatten: false });
    return { model, ...result };
  }

  it('fills 209A page 1: the plaintiff named, the right relationship boxes on', async () => {
    const { model, bytes } = await fill('ma-209a', 'complaint-page1');
    const fields = await pdfFieldStates(bytes);
    expect(fields.user_name_full.value).toBe(model.petitioner.fullName);
    expect(fields.defendant.value).toBe(model.respondent.fullName);
    const box = (name: string): [string, string[]] => [
      fields[name].value,
      fields[name].appearanceStates,
    ];
    const on: [string, string[]] = ['/Yes', ['/Yes']];
    const off: [string, string[]] = ['/Off', ['/Off']];
    expect(box('defendant_and_plaintiff_relationship_married_to_each_other')).toEqual(on);
    expect(box('defendant_and_plaintiff_are_parents_of_child')).toEqual(on);
    expect(box('defendant_and_plaintiff_used_to_live_together')).toEqual(on);
    expect(box('defendant_and_plaintiff_relationship_formerly_married_to_each_other')).toEqual(off);
    expect(box('defendant_and_plaintiff_are_dating_or_dated')).toEqual(off);
    expect(box('order_impound_plaintiff_address_residential_yes')).toEqual(on);
    const page1 = await pdfText(bytes, { first: 1, last: 1 });
    expect(page1).toContain(model.petitioner.fullName);
    expect(page1).toContain(model.respondent.fullName);
  });

  it('fills CC 375: the petitioner named, mailing address, relationship boxes on, facts attached', async () => {
    const { model, bytes, overflows } = await fill('mi-ppo', 'cc-375');
    const fields = await pdfFieldStates(bytes);
    expect(fields.users1_name__1.value).toBe(model.petitioner.fullName);
    expect(fields.users1_address_block.value).toBe(model.petitioner.mailing.oneLineWithCareOf);
    const box = (name: string): string => fields[name].value;
    expect(box('petitioner_respondent_married')).toBe('/On');
    expect(box('petitioner_respondent_have_child')).toBe('/On');
    expect(box('petitioner_respondent_share_household')).toBe('/On');
    expect(box('petitioner_respondent_prev_married')).toBe('/Off');
    expect(box('petitioner_respondent_dating')).toBe('/Off');
    expect(fields.petitioner_respondent_married.appearanceStates).toEqual(['/On']);
    // The statement of facts never fits one line: the field says so and the text moves on.
    expect(fields.ppo_explanation_see_attached.value).toBe('See attached');
    expect(overflows.map((o) => o.field)).toContain('ppo_explanation_see_attached');
    const facts = overflows.find((o) => o.field === 'ppo_explanation_see_attached');
    expect(facts?.text).toBe(model.statementOfFacts);
    const page1 = await pdfText(bytes, { first: 1, last: 1 });
    expect(page1).toContain(model.petitioner.fullName);
    expect(page1).not.toContain(model.petitioner.residence.street);
  });

  const cases = PACK_IDS.flatMap((packId) =>
    Object.keys(SOURCE_FILES[packId]).flatMap((docId) =>
      FIXTURES.map((name): [string, string, FixtureName] => [packId, docId, name]),
    ),
  );

  it.each(cases)('fills %s %s for the %s case; only long text overflows', async (p, d, n) => {
    const { overflows } = await fill(p, d, n);
    const mapping = loadMapping(
      p,
      manifests.find((m) => m.id === p)?.documents.find((x) => x.id === d) as PackDocument,
    );
    // Text that does not fit is an error unless the field has an overflow rule: none was raised.
    for (const o of overflows) expect(mapping.fields[o.field]).toHaveProperty('overflow');
  });
});

describe('ma-209a complaint: the kinds of abuse the defendant committed', () => {
  const ticked = (name: FixtureName): string[] => {
    const manifest = loadManifest('ma-209a');
    const page1 = manifest.documents.find((d) => d.id === 'complaint-page1') as PackDocument;
    const model = buildCaseViewModel(parseCaseFacts(fixture(name)));
    return resolveFormMapping(loadMapping('ma-209a', page1), model)
      .filter((v) => v.kind === 'checkbox' && v.checked && v.field.startsWith('defendant_abuse_'))
      .map((v) => v.field)
      .sort();
  };

  it('ticks harm caused, harm attempted and fear for choking and threats to kill', () => {
    expect(ticked('typical')).toEqual([
      'defendant_abuse_attempted_physical_harm',
      'defendant_abuse_caused_fear_of_serious_physical_harm',
      'defendant_abuse_caused_physical_harm',
    ]);
  });

  it('ticks sexual assault only when the petitioner described it', () => {
    expect(ticked('maximal')).not.toContain('defendant_abuse_caused_sexual_assault');
    const input = fixture('minimal');
    (input.incidents as { acts: string[] }[])[0].acts = ['sexual-assault'];
    const model = buildCaseViewModel(parseCaseFacts(input));
    expect(model.abuse.forcedSexualRelations).toBe(true);
  });
});
