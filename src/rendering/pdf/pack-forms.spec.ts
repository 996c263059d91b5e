import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { projectRoot } from '../../config/project-root';
import type { FormMapping } from '../../packs/form-mapping';
import { resolveFormMapping } from '../../packs/resolve-form-mapping';
import { buildCaseViewModel } from '../../view-models/case-view-model';
import { FIXTURES, fixture } from '../../../test/support/fixtures';
import { pdfFieldValues, pdfInfo, pdfText } from '../../../test/support/pdf-reading';
import { buildConfidentialInformationForm, buildServiceInformationForm } from './pack-forms';
import { fillForm } from './pdf-form-filler';

const TEMPLATES = join(projectRoot(), 'templates');
/** Each pack-made form with the folder (a pack, or `common` for shared ones) that holds it. */
const FORMS = [
  ['confidential-information', buildConfidentialInformationForm, 'generic-us'],
  ['service-information', buildServiceInformationForm, 'common'],
] as const;
const folderOf = (id: string): string => join(TEMPLATES, FORMS.find((f) => f[0] === id)![2]);

const mappingOf = (id: string): FormMapping =>
  JSON.parse(readFileSync(join(folderOf(id), 'mappings', `${id}.json`), 'utf8')) as FormMapping;

describe.each(FORMS)('pack form %s', (id, build) => {
  let form: Uint8Array;
  beforeAll(async () => {
    form = await build();
  });

  it('is one Letter page with neutral metadata', async () => {
    const info = await pdfInfo(form);
    expect(info.Pages).toBe('1');
    expect(info['Page size']).toMatch(/^612 x 792/);
    expect(info.Title).toBe('Court form');
    expect(info.Producer).toBeUndefined();
  });

  it('matches the file in the pack (rebuild with scripts/build-pack-forms.ts)', () => {
    const stored = readFileSync(join(folderOf(id), 'forms', `${id}.pdf`));
    expect(Buffer.from(form).equals(stored)).toBe(true);
  });

  it('has a mapping rule for every field, and a field for every rule', async () => {
    const doc = await PDFDocument.load(form);
    const fields = doc
      .getForm()
      .getFields()
      .map((f) => f.getName())
      .sort();
    expect(Object.keys(mappingOf(id).fields).sort()).toEqual(fields);
    for (const name of fields) expect(name).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it.each(FIXTURES)('fills from the %s case without error', async (name) => {
    const model = buildCaseViewModel(parseCaseFacts(fixture(name)));
    const values = resolveFormMapping(mappingOf(id), model);
    const { bytes } = await fillForm(form, values, { flatten: false });
    const filled = await pdfFieldValues(bytes);
    const text = await pdfText((await fillForm(form, values, { flatten: true })).bytes);
    const who =
      id === 'service-information' ? model.respondent.fullName : model.petitioner.fullName;
    expect(Object.values(filled)).toContain(who);
    expect(text.replace(/\s+/g, ' ')).toContain(who);
  });
});
