import type { MetadataStorage as TypeMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { CaseFacts } from '../../case-facts/case-facts.dto';
import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { FIXTURES, fixture } from '../../../test/support/fixtures';
import {
  BATCH_COLUMNS,
  BATCH_COLUMN_NAMES,
  NUMBERED_ITEMS,
  checkHeader,
  factsToCells,
  spreadsheetColumn,
} from './batch-columns';
import { objectListPaths } from './case-facts-shape';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TypeMetadataStorage;
};

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassRef = Function;

/**
 * Every leaf CaseFacts validates, read here straight from the decorators' metadata, with list
 * items as `N`: the columns are checked against this rather than against themselves.
 */
function leafPaths(cls: ClassRef, prefix = ''): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const names = [...new Set(metas.map((m) => m.propertyName))];
  return names.flatMap((name) => {
    const path = prefix + name;
    const type = defaultMetadataStorage.findTypeMetadata(cls, name);
    if (!type) return [path];
    const isList = metas.some((m) => m.propertyName === name && m.name === 'isArray');
    return leafPaths(type.typeFunction() as ClassRef, isList ? `${path}.N.` : `${path}.`);
  });
}

describe('batch columns', () => {
  const names = new Set(BATCH_COLUMN_NAMES);

  it('have a column for every leaf of CaseFacts, in numbered columns or a JSON list column', () => {
    const leaves = leafPaths(CaseFacts);
    expect(leaves.length).toBeGreaterThan(100);
    // `a.N.b`: the list's JSON column `a` and the numbered `a.1.b`; `a.N.b.N.c`: a list inside an
    // item is written in the JSON cell `a.1.b`.
    const expected = (leaf: string): string[] => {
      const [list, ...rest] = leaf.split('.N.');
      return rest.length === 0 ? [leaf] : [list, `${list}.1.${rest[0]}`];
    };
    const missing = leaves.flatMap(expected).filter((column) => !names.has(column));
    expect(missing).toEqual([]);
  });

  it('number the items of every list of objects up to a chosen maximum', () => {
    const topLevelLists = objectListPaths().filter((p) => !p.includes('.N'));
    expect(Object.keys(NUMBERED_ITEMS).sort()).toEqual(topLevelLists.sort());
    expect(names.has('incidents.10.narrative')).toBe(true);
    expect(names.has('incidents.11.narrative')).toBe(false);
    expect(names.has('protectedPersons.10.name.full')).toBe(true);
    expect(names.has('otherCases.5.court')).toBe(true);
    expect(names.has('respondent.firearms.items.5.kind')).toBe(true);
  });

  it('name scalar leaves by their dotted path and read each kind of cell its own way', () => {
    const kind = (name: string) => BATCH_COLUMNS.find((c) => c.name === name)?.kind;
    expect(kind('petitioner.name.full')).toBe('text');
    expect(kind('petitioner.residentialAddress.street')).toBe('text');
    expect(kind('petitioner.interpreterNeeded')).toBe('boolean');
    expect(kind('petitioner.age')).toBe('number');
    expect(kind('relationship.categories')).toBe('list');
    expect(kind('incidents.1.acts')).toBe('list');
    expect(kind('incidents')).toBe('items');
    expect(kind('incidents.2.medicalCare.received')).toBe('boolean');
  });

  it('are unique, and none is a prototype key', () => {
    expect(names.size).toBe(BATCH_COLUMN_NAMES.length);
    for (const name of BATCH_COLUMN_NAMES) {
      expect(name.split('.')).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(__proto__|constructor|prototype)$/)]),
      );
    }
  });

  it('write every fixture case into cells that use only known columns', () => {
    for (const name of FIXTURES) {
      const cells = factsToCells(parseCaseFacts(fixture(name)));
      expect([...cells.keys()].filter((c) => !names.has(c))).toEqual([]);
    }
    const typical = factsToCells(fixture('typical'));
    expect(typical.get('petitioner.interpreterNeeded')).toBe('no');
    expect(typical.get('incidents.2.dateRange.from')).toBe('2026-08-01');
    expect(typical.get('incidents.1.acts')).toBe('["choked","threatened-to-kill"]');
    expect(typical.get('petitioner.mailingAddress.postalCode')).toBe('02108');
  });

  it('put a list longer than its numbered columns into its JSON column', () => {
    const facts = fixture('minimal');
    const incident = (facts.incidents as unknown[])[0];
    facts.incidents = Array.from({ length: 11 }, () => incident);
    const cells = factsToCells(facts);
    expect(cells.has('incidents.1.narrative')).toBe(false);
    expect(JSON.parse(cells.get('incidents') ?? '')).toHaveLength(11);
  });
});

describe(checkHeader.name, () => {
  it('names every unknown, duplicated, unnamed and refused column in row 1', () => {
    const { problems } = checkHeader([
      'petitioner.name.full',
      'petitioner.nickname',
      'Petitioner.Name.Given',
      'petitioner.name.full',
      '',
      '__proto__',
      'petitioner.constructor.x',
      'incidents.11.date',
      'incidents.0.date',
    ]);
    expect(problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [1, 'petitioner.nickname', 'unknown column "petitioner.nickname" (spreadsheet column B)'],
      [
        1,
        'Petitioner.Name.Given',
        'unknown column "Petitioner.Name.Given" (spreadsheet column C); column names are case-sensitive: did you mean "petitioner.name.given"?',
      ],
      [
        1,
        'petitioner.name.full',
        'column "petitioner.name.full" appears twice (spreadsheet columns A and D); keep one',
      ],
      [1, null, 'spreadsheet column E has no name in the header'],
      [
        1,
        '__proto__',
        'column "__proto__" (spreadsheet column F) is refused: __proto__, constructor and prototype are not allowed in column names',
      ],
      [
        1,
        'petitioner.constructor.x',
        'column "petitioner.constructor.x" (spreadsheet column G) is refused: __proto__, constructor and prototype are not allowed in column names',
      ],
      [
        1,
        'incidents.11.date',
        'unknown column "incidents.11.date" (spreadsheet column H); numbered columns of incidents go up to incidents.10: give more items as a JSON list in the "incidents" column',
      ],
      [
        1,
        'incidents.0.date',
        'unknown column "incidents.0.date" (spreadsheet column I); items are numbered from 1, as in incidents.1',
      ],
    ]);
  });

  it('does not name the cells of a first row that is not a header at all', () => {
    const { problems } = checkHeader(['Maria Lopez', '1990-01-01', 'female']);
    expect(problems).toEqual([
      {
        row: 1,
        column: null,
        message:
          'row 1 must be the header naming the columns, but none of its cells is a known column name; start from the template',
      },
    ]);
  });

  it('letters columns as spreadsheets do', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(spreadsheetColumn)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
