import { join } from 'node:path';
import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { projectRoot } from '../../config/project-root';
import { LoadedPack, loadPacks } from '../../packs/pack-loader';
import { spreadsheetSafe } from '../../common/csv-cell';
import { BATCH_COLUMN_NAMES, factsToCells } from './batch-columns';
import { exampleFacts, templateCsv } from './batch-template';
import { parseCsvText } from './batch-test-helpers';

// Official forms are not installed here: the template needs only the manifests.
const packs: LoadedPack[] = loadPacks(join(projectRoot(), 'templates'), '/nonexistent');

describe(templateCsv.name, () => {
  it('is made for every bundled pack', () => {
    expect(packs.map((p) => p.manifest.id)).toEqual(
      expect.arrayContaining(['ca-dv', 'generic-us', 'ma-209a', 'mi-ppo']),
    );
  });

  describe.each(packs.map((p) => [p.manifest.id, p] as const))('for %s', (_id, pack) => {
    const csv = templateCsv(pack);

    it('reads back as exactly one valid case: the example', () => {
      const result = parseCsvText(csv);
      expect(result.problems).toEqual([]);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
      expect(result.rows[0].facts).toEqual(parseCaseFacts(exampleFacts(pack)));
      expect(result.columns).toEqual(BATCH_COLUMN_NAMES);
    });

    it('starts with a UTF-8 byte-order mark and a header naming every column', () => {
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const [header, row, end] = csv.slice(1).split('\r\n');
      expect(header.split(',')).toEqual(BATCH_COLUMN_NAMES);
      expect(row.length).toBeGreaterThan(0);
      expect(end).toBe('');
    });

    it('has an example none of whose cells needs escaping, so it reads back unchanged', () => {
      const cells = [...factsToCells(exampleFacts(pack)).values()];
      expect(cells.filter((c) => spreadsheetSafe(c) !== c)).toEqual([]);
    });
  });

  it('files a state pack’s example in its state, and keeps the generic one generic', () => {
    const state = (id: string) => {
      const pack = packs.find((p) => p.manifest.id === id) as LoadedPack;
      return parseCsvText(templateCsv(pack)).rows[0].facts.court.state;
    };
    expect(state('ca-dv')).toBe('CA');
    expect(state('ma-209a')).toBe('MA');
    expect(state('mi-ppo')).toBe('MI');
    expect(state('generic-us')).toBe('OR');
  });
});
