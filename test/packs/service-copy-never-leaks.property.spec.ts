import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { projectRoot } from '../../src/config/project-root';
import { installForms } from '../../src/forms/install-forms';
import { PacketBuilder } from '../../src/packets/packet-builder';
import { LoadedPack, loadPack } from '../../src/packs/pack-loader';
import { Audience, PackManifest } from '../../src/packs/pack-manifest';
import { DocxToPdfConverter } from '../../src/rendering/convert/docx-to-pdf';
import { COURT_FORMS_DIR, fixture } from '../support/fixtures';

/**
 * Whatever the petitioner's confidential values are, in whatever script, no pack puts them on a
 * page the respondent or an officer receives: every build passes its release check. Runs a few
 * cases per pack on every push; PROPERTY_RUNS=200 for a release check.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 4);
const PACK_IDS = ['generic-us', 'ca-dv', 'ma-209a', 'mi-ppo'];
// Without LibreOffice the release check still reads every file of each bundle, and runs faster.
const builder = new PacketBuilder(new DocxToPdfConverter('/nonexistent/soffice'));

const WORDS: Record<string, string[]> = {
  latin: ['Larkspur', 'Quillfeather', 'Øresund', 'Ñandú', 'Brightwater', 'Évora'],
  vietnamese: ['Nguyễn Trãi', 'Hàng Bạc', 'Lý Thường Kiệt'],
  cyrillic: ['Шевченка', 'Грушевського', 'Садова'],
  chinese: ['长安', '建国门', '和平'],
  arabic: ['الزهراء', 'النخيل'],
};
const word = fc.constantFrom(...Object.values(WORDS).flat());
const street = fc
  .tuple(fc.integer({ min: 1000, max: 99999 }), word, fc.constantFrom('Street', 'Avenue', 'Lane'))
  .map(([n, w, kind]) => `${n} ${w} ${kind}`);
const phone = fc
  .tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 2000000, max: 9999999 }))
  .map(([area, rest]) => `(${area}) ${String(rest).slice(0, 3)}-${String(rest).slice(3)}`);
const email = fc
  .tuple(fc.stringMatching(/^[a-z]{6,12}$/), fc.stringMatching(/^[a-z]{5,10}$/))
  .map(([user, domain]) => `${user}@${domain}.org`);

describe('no pack lets a confidential value reach the respondent or an officer', () => {
  let formsDir: string;
  const packs = new Map<string, LoadedPack>();

  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'po-leak-prop-'));
    const manifests = PACK_IDS.map(
      (id) =>
        JSON.parse(
          readFileSync(join(projectRoot(), 'templates', id, 'manifest.json'), 'utf8'),
        ) as PackManifest,
    );
    await installForms({ source: COURT_FORMS_DIR, formsDir, manifests });
    for (const id of PACK_IDS)
      packs.set(id, loadPack(join(projectRoot(), 'templates', id), formsDir));
  }, 120_000);

  afterAll(() => rmSync(formsDir, { recursive: true, force: true }));

  it.each(PACK_IDS)(
    '%s: every build passes the release check',
    async (packId) => {
      const pack = packs.get(packId) as LoadedPack;
      await fc.assert(
        fc.asyncProperty(
          street,
          fc.integer({ min: 100, max: 9999 }),
          phone,
          email,
          async (s, unit, p, e) => {
            const input = fixture('typical');
            const petitioner = input.petitioner as Record<string, unknown>;
            petitioner.residentialAddress = {
              street: s,
              unit: `Apt ${unit}`,
              city: 'Quincy',
              state: 'MA',
              postalCode: '02169',
            };
            petitioner.safePhone = p;
            petitioner.safeEmail = e;
            const packet = await builder.build(pack, parseCaseFacts(input));
            const checked = packet.manifest.bundles
              .filter((b) => b.leakChecked)
              .map((b) => b.audience);
            expect(checked).toEqual([Audience.Respondent, Audience.LawEnforcement]);
          },
        ),
        { numRuns: RUNS },
      );
    },
    300_000,
  );
});
