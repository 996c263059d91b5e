import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { CaseFacts } from '../../src/case-facts/case-facts.dto';
import { AppError } from '../../src/common/errors/app-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { projectRoot } from '../../src/config/project-root';
import * as leakCheck from '../../src/confidentiality/leak-check';
import { installForms } from '../../src/forms/install-forms';
import { PacketBuilder } from '../../src/packets/packet-builder';
import { loadPack } from '../../src/packs/pack-loader';
import type { PackManifest } from '../../src/packs/pack-manifest';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { writeAttachmentPages } from '../../src/rendering/pdf/attachment-pages';
import { COURT_FORMS_DIR, fixture } from '../support/fixtures';

/**
 * The California packet's release check reads the respondent's and the officer's files from
 * their own objects (and each official form's text once): these tests hold that it still blocks
 * a confidential value wherever the packet could print it, as reading every page with pdf.js did.
 */

/** The next-steps DOCX as a one-page PDF, so bundles are merged without LibreOffice. */
class StubConverter extends DocxToPdfConverter {
  private readonly pdf = Buffer.from(
    writeAttachmentPages({ court: 'Court', petitioner: 'P', respondent: 'R' }, [
      { heading: 'What happens next', text: 'Go to the hearing.' },
    ]).bytes,
  );

  override available(): boolean {
    return true;
  }

  override convert(files: { name: string; bytes: Buffer }[]): Promise<Buffer[]> {
    return Promise.resolve(files.map(() => this.pdf));
  }
}

const builder = new PacketBuilder(new StubConverter());

describe("the California packet's release check", () => {
  let dir: string;
  const packDir = () => join(dir, 'ca-dv');
  const formsDir = () => join(dir, 'forms');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'po-release-proof-'));
    const manifest = JSON.parse(
      readFileSync(join(projectRoot(), 'templates', 'ca-dv', 'manifest.json'), 'utf8'),
    ) as PackManifest;
    await installForms({ source: COURT_FORMS_DIR, formsDir: formsDir(), manifests: [manifest] });
  }, 120_000);

  beforeEach(() => {
    cpSync(join(projectRoot(), 'templates', 'ca-dv'), packDir(), { recursive: true });
    cpSync(join(projectRoot(), 'templates', 'common'), join(dir, 'common'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const maximal = (): CaseFacts => parseCaseFacts(fixture('maximal'));

  async function blocked(facts: CaseFacts = maximal()): Promise<AppError> {
    const pack = loadPack(packDir(), formsDir());
    const error: unknown = await builder.build(pack, facts).catch((e: unknown) => e);
    if (!(error instanceof AppError)) throw new Error('expected the release check to block');
    expect(error.code).toBe(ErrorCode.ConfidentialLeak);
    expect(JSON.stringify(error)).not.toMatch(/Fruitvale|555-0199|Judicial Council/i);
    return error;
  }

  /** `file` of every finding, for the field the value belongs to. */
  const filesWith = (error: AppError, field: string) =>
    [...new Set(error.details.filter((d) => d.field === field).map((d) => String(d.file)))].sort();

  /** Maps one more field of a form to a path of the view model. */
  function mapField(document: string, fieldPattern: RegExp, path: string): void {
    const file = join(packDir(), 'mappings', `${document}.json`);
    const mapping = JSON.parse(readFileSync(file, 'utf8')) as { fields: Record<string, unknown> };
    const field = Object.keys(mapping.fields).find((k) => fieldPattern.test(k));
    if (!field) throw new Error(`${document} has no field like ${String(fieldPattern)}`);
    mapping.fields[field] = { value: path };
    writeFileSync(file, JSON.stringify(mapping));
  }

  it('reads every respondent and officer file from its own objects, and releases them', async () => {
    const checked: [string, string][] = [];
    const spy = jest.spyOn(leakCheck, 'assertNoLeaks').mockImplementation(async (files, values) => {
      for (const file of files) checked.push([file.name, leakCheck.howChecked(file)]);
      const findings = await leakCheck.checkForLeaks(files, values);
      expect(findings).toEqual([]);
    });
    try {
      const packet = await builder.build(loadPack(packDir(), formsDir()), maximal());
      expect(packet.manifest.bundles.filter((b) => b.leakChecked).map((b) => b.audience)).toEqual([
        'respondent',
        'law-enforcement',
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(checked).toEqual([
      ['01-dv-100.pdf', 'proven'],
      ['01-dv-100-attachment.pdf', 'proven'],
      ['02-dv-109.pdf', 'proven'],
      ['respondent-service-copy.pdf', 'proven'],
      ['03-clets-001.pdf', 'proven'],
      ['law-enforcement-packet.pdf', 'proven'],
    ]);
  });

  it('blocks the service copy when DV-109 prints the residence in a field', async () => {
    mapField('dv-109', /List1\[0\]\.Li1\[0\]\.YourName_tf/, 'petitioner.residence.streetLine');
    const error = await blocked();
    expect(error.message).toMatch(/^Release blocked: dv-109 contains the petitioner's residential/);
    expect(filesWith(error, 'petitioner.residentialAddress')).toEqual([
      '02-dv-109.pdf',
      'respondent-service-copy.pdf',
    ]);
  });

  it('blocks the service copy when a narrative carrying the residence continues on an attachment', async () => {
    const facts = maximal();
    // The maximal case's narrative that does not fit DV-100 item 5f and continues on a page.
    const incident = facts.incidents.find((i) => i.narrative.includes('handgun in his waistband'));
    if (!incident) throw new Error('maximal has the incident');
    incident.narrative = `${incident.narrative} Since then I stay at 2291 Fruitvale Ave. #12B.`;
    const error = await blocked(facts);
    expect(filesWith(error, 'petitioner.residentialAddress')).toEqual([
      '01-dv-100-attachment.pdf',
      'respondent-service-copy.pdf',
    ]);
  });

  it("blocks the officer's packet when CLETS-001 prints the residence", async () => {
    mapField('clets-001', /employertf/, 'petitioner.residence.streetLine');
    const error = await blocked();
    expect(filesWith(error, 'petitioner.residentialAddress')).toEqual([
      '03-clets-001.pdf',
      'law-enforcement-packet.pdf',
    ]);
  });

  it('blocks every file made from a form whose own printed text holds the value', async () => {
    // Every California form's footer prints "Judicial Council of California": a residence
    // spelled the same is found in the forms' own text, which the check reads once per form.
    const facts = maximal();
    const residence = facts.petitioner.residentialAddress;
    if (!residence) throw new Error('maximal has a residence');
    residence.street = 'Judicial Council of California';
    residence.unit = undefined;
    const error = await blocked(facts);
    expect(filesWith(error, 'petitioner.residentialAddress')).toEqual([
      '01-dv-100.pdf',
      '02-dv-109.pdf',
      'respondent-service-copy.pdf',
    ]);
  });
});
