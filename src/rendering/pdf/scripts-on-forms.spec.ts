import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../config/project-root';
import { installForms } from '../../forms/install-forms';
import type { PackManifest } from '../../packs/pack-manifest';
import { COURT_FORMS_DIR } from '../../../test/support/fixtures';
import { pdfFieldValues, pdfText } from '../../../test/support/pdf-reading';
import { renderAttachmentPages } from './attachment-pages';
import { fillForm } from './pdf-form-filler';

/**
 * Korean and Thai names on the first page of the official DV-100, read back by poppler as a
 * clerk's software would: the characters of each name in order, on the lines the form gives them.
 */

const KOREAN = '김민지';
const THAI = 'สมชาย ใจดี';
const PETITIONER = 'DV-100[0].Page1[0].List1[0].Li1[0].YourName_tf[0]';
const RESPONDENT = 'DV-100[0].Page1[0].List2[0].Li1[0].TextField[0]';

describe('Hangul and Thai on the DV-100', () => {
  let formsDir: string;
  let dv100: Uint8Array;

  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'po-scripts-'));
    const manifest = JSON.parse(
      readFileSync(join(projectRoot(), 'templates', 'ca-dv', 'manifest.json'), 'utf8'),
    ) as PackManifest;
    const report = await installForms({ source: COURT_FORMS_DIR, formsDir, manifests: [manifest] });
    const installed = report.installed.find((f) => f.path.endsWith('dv-100.pdf'));
    if (!installed) throw new Error(`DV-100 not installed: ${JSON.stringify(report.failed)}`);
    dv100 = new Uint8Array(readFileSync(installed.path));
  }, 120_000);

  afterAll(() => rmSync(formsDir, { recursive: true, force: true }));

  it.each([
    ['as filed (fields kept)', false],
    ['flattened', true],
  ])('page 1 reads back both names in order, %s', async (_l, flatten) => {
    const { bytes } = await fillForm(
      dv100,
      [
        { field: PETITIONER, kind: 'text', text: KOREAN },
        { field: RESPONDENT, kind: 'text', text: THAI },
      ],
      { flatten },
    );
    const lines = (await pdfText(bytes, { first: 1, last: 1 })).split('\n');
    const korean = lines.findIndex((l) => l.includes(KOREAN));
    const thai = lines.findIndex((l) => l.includes(THAI));
    expect(korean).toBeGreaterThanOrEqual(0);
    // Item 1 (the person asking) is above item 2 (the person to be restrained).
    expect(thai).toBeGreaterThan(korean);
    if (!flatten) {
      expect(await pdfFieldValues(bytes)).toMatchObject({
        [PETITIONER]: KOREAN,
        [RESPONDENT]: THAI,
      });
    }
  });

  it('embeds Noto Sans CJK KR as a CFF subset and Noto Sans Thai as a TrueType one', async () => {
    const { bytes } = await fillForm(
      dv100,
      [
        { field: PETITIONER, kind: 'text', text: KOREAN },
        { field: RESPONDENT, kind: 'text', text: THAI },
      ],
      { flatten: true },
    );
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKkr-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansThai-Regular/);
    expect(raw).toContain('/Subtype /CIDFontType0C');
    expect(raw).toContain('/Subtype /CIDFontType0 ');
  });
});

describe('Hangul, Thai and emoji on attachment pages', () => {
  it('continues a narrative in each script, read back in order', async () => {
    const narrative = `${KOREAN}: 서울특별시. ${THAI}: กรุงเทพมหานคร. Then 😡 and 🔪, and Ana 👍🏽.`;
    const bytes = await renderAttachmentPages(
      { court: 'Court', caseNumber: '26-DV-1', petitioner: KOREAN, respondent: THAI },
      [{ heading: 'DV-100, item 7 (continued)', text: narrative }],
    );
    const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
    expect(text).toContain(narrative);
    expect(text).toContain(`Petitioner: ${KOREAN}`);
    expect(text).toContain(`Respondent: ${THAI}`);
  });
});
