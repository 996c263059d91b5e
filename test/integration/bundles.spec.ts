import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { AppError } from '../../src/common/errors/app-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { projectRoot } from '../../src/config/project-root';
import { PacketBuilder } from '../../src/packets/packet-builder';
import { loadPack } from '../../src/packs/pack-loader';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { fixture } from '../support/fixtures';
import { pdfOutline, pdfText } from '../support/pdf-reading';

const converter = new DocxToPdfConverter();
const builder = new PacketBuilder(converter);

describe('audience bundles and the release check', () => {
  let dir: string;
  const packDir = () => join(dir, 'generic-us');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'po-bundles-'));
    cpSync(join(projectRoot(), 'templates', 'generic-us'), packDir(), { recursive: true });
    cpSync(join(projectRoot(), 'templates', 'common'), join(dir, 'common'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function buildError(): Promise<AppError> {
    const pack = loadPack(packDir(), join(dir, 'forms'));
    try {
      await builder.build(pack, parseCaseFacts(fixture('typical')));
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error('expected the release check to block the packet');
  }

  it('builds one bundle per audience, each with only its documents', async () => {
    const pack = loadPack(packDir(), join(dir, 'forms'));
    const packet = await builder.build(pack, parseCaseFacts(fixture('typical')));
    expect(packet.manifest.bundles.map((b) => [b.audience, b.documents, b.leakChecked])).toEqual([
      [
        'court',
        ['petition', 'declaration', 'confidential-information', 'service-information'],
        false,
      ],
      ['petitioner', ['petition', 'declaration', 'next-steps'], false],
      ['respondent', ['petition', 'declaration'], true],
      ['law-enforcement', ['service-information'], true],
    ]);
    if (!converter.available()) return;
    const respondentCopy = packet.files.find((f) => f.name === 'respondent-service-copy.pdf');
    expect(await pdfOutline(respondentCopy!.bytes)).toEqual([
      'Petition for Protective Order',
      'Declaration in Support of Petition for Protective Order',
    ]);
    const text = await pdfText(respondentCopy!.bytes);
    expect(text).toContain('PO Box 846');
    expect(text).not.toContain('Larchmont');
  });

  it('blocks the whole packet when a respondent document prints the residence', async () => {
    const path = join(packDir(), 'petition.docx');
    const zip = new PizZip(readFileSync(path));
    const xml = zip.file('word/document.xml')!.asText();
    zip.file(
      'word/document.xml',
      xml.replace('Petitioner, self-represented', '{petitioner.residence.oneLine}'),
    );
    writeFileSync(path, zip.generate({ type: 'nodebuffer' }));
    const e = await buildError();
    expect(e.code).toBe(ErrorCode.ConfidentialLeak);
    expect(e.message).toMatch(
      /^Release blocked: petition contains the petitioner's .*residential address/,
    );
    expect(JSON.stringify(e)).not.toContain('Larchmont');
  });

  it('blocks the law-enforcement packet when its form prints the residence', async () => {
    const path = join(dir, 'common', 'mappings', 'service-information.json');
    const mapping = JSON.parse(readFileSync(path, 'utf8')) as { fields: Record<string, unknown> };
    const field = Object.keys(mapping.fields).find((k) => /respondentName/i.test(k));
    expect(field).toBeDefined();
    mapping.fields[field!] = { value: 'petitioner.residence.streetLine' };
    writeFileSync(path, JSON.stringify(mapping));
    const e = await buildError();
    expect(e.code).toBe(ErrorCode.ConfidentialLeak);
    expect(e.details[0]).toMatchObject({
      documentId: 'service-information',
      field: 'petitioner.residentialAddress',
    });
  });
});
