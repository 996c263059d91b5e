import { join } from 'node:path';
import PizZip from 'pizzip';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { projectRoot } from '../../src/config/project-root';
import { BuiltPacket, PacketBuilder } from '../../src/packets/packet-builder';
import { lintPack } from '../../src/packs/pack-lint';
import { LoadedPack, loadPack } from '../../src/packs/pack-loader';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { visibleText } from '../../src/rendering/docx/docx-test-helpers';
import { FIXTURES, fixture } from '../support/fixtures';
import { pdfFieldValues, pdfInfo, pdfText } from '../support/pdf-reading';

const converter = new DocxToPdfConverter();
const pack: LoadedPack = loadPack(join(projectRoot(), 'templates', 'generic-us'), '/nonexistent');

function file(packet: BuiltPacket, name: string): Buffer {
  const f = packet.files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in packet: ${packet.files.map((x) => x.name).join(', ')}`);
  return f.bytes;
}

/** What a reader sees in the body, headers and footers. */
function docxText(bytes: Buffer): string {
  const zip = new PizZip(bytes);
  return Object.keys(zip.files)
    .filter((n) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(n))
    .map((n) => visibleText(zip.file(n)?.asText() ?? ''))
    .join('\n');
}

describe('the bundled generic-us pack', () => {
  it('lints clean for every fixture case', async () => {
    const samples = FIXTURES.map((n) => parseCaseFacts(fixture(n)));
    expect(await lintPack(pack, samples)).toEqual([]);
  });

  describe('a packet for the maximal case', () => {
    let packet: BuiltPacket;

    beforeAll(async () => {
      packet = await new PacketBuilder(converter).build(pack, parseCaseFacts(fixture('maximal')));
    }, 120_000);

    it('holds each document, the merged PDF and a manifest with template checksums', () => {
      expect(packet.files.map((f) => f.name)).toEqual(
        expect.arrayContaining([
          '01-petition.docx',
          '02-declaration.docx',
          '03-confidential-information.pdf',
          '04-service-information.pdf',
          'manifest.json',
        ]),
      );
      const manifest = JSON.parse(file(packet, 'manifest.json').toString('utf8'));
      expect(manifest.pack).toEqual({ id: 'generic-us', version: pack.manifest.version });
      for (const d of manifest.documents) expect(d.template.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('writes non-Latin names into the DOCX and the PDF form', async () => {
      expect(docxText(file(packet, '01-petition.docx'))).toContain('Nguyễn Thị Hằng');
      expect(docxText(file(packet, '01-petition.docx'))).toContain('李小龍');
      const service = file(packet, '04-service-information.pdf');
      expect(Object.values(await pdfFieldValues(service))).toContain('李小龍');
      expect(await pdfText(service)).toContain('李小龍');
    });

    it('keeps template syntax typed by the petitioner as literal text', () => {
      const text = docxText(file(packet, '02-declaration.docx'));
      expect(text).toContain('{#x}{/x}');
      expect(text).toContain("{{constructor.constructor('return process')().exit()}}");
      expect(text).toContain('<w:t>bold</w:t> & ]]>');
      expect(text).not.toMatch(/[\u0001\u0007]/);
    });

    it('gives the merged PDF neutral metadata and both names on page 1', async () => {
      if (!converter.available()) return void console.warn('LibreOffice missing: merge not tested');
      const merged = file(packet, 'packet.pdf');
      const page1 = await pdfText(merged, { first: 1, last: 1 });
      expect(page1).toContain('Nguyễn Thị Hằng');
      expect(page1).toContain('李小龍');
      const info = await pdfInfo(merged);
      expect(JSON.stringify(info)).not.toMatch(/Nguy|李|domestic|violence|abuse/i);
    });
  });

  it('still delivers every document when LibreOffice is missing, and says why there is no merge', async () => {
    const without = new DocxToPdfConverter('/nonexistent/soffice');
    const packet = await new PacketBuilder(without).build(pack, parseCaseFacts(fixture('minimal')));
    const names = packet.files.map((f) => f.name);
    expect(names).not.toContain('packet.pdf');
    expect(names).toEqual(
      expect.arrayContaining(['01-petition.docx', '03-confidential-information.pdf']),
    );
    expect(packet.manifest.merged).toBeNull();
    expect(packet.manifest.warnings).toEqual([
      expect.stringContaining('LibreOffice is not installed'),
    ]);
  });
});
