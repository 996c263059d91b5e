import {
  cellsOf,
  csvText,
  edit,
  parseCsvText,
  problemLines,
} from '../../src/batches/input/batch-test-helpers';
import { LITERAL_NAMES, UNPRINTABLE_NAMES, unprintableMessage } from './support/hostile';

/**
 * A batch file with names the court forms' fonts can and cannot print: the printable ones are
 * read as typed, the others refused by row and column before any packet is made.
 */
describe('batch rows with names in any script', () => {
  it('reads Korean, Thai and emoji names exactly as typed', () => {
    const row = edit(cellsOf('minimal'), {
      'petitioner.name.full': LITERAL_NAMES.korean,
      'respondent.name.full': LITERAL_NAMES.thai,
      'incidents.1.narrative': `He wrote ${LITERAL_NAMES['emoji ZWJ family']}.`,
    });
    const result = parseCsvText(csvText([row]));
    expect(result.problems).toEqual([]);
    const facts = result.rows[0].facts;
    expect(facts.petitioner.name.full).toBe(LITERAL_NAMES.korean);
    expect(facts.respondent.name.full).toBe(LITERAL_NAMES.thai);
    expect(facts.incidents[0].narrative).toBe(`He wrote ${LITERAL_NAMES['emoji ZWJ family']}.`);
  });

  it.each(Object.entries(UNPRINTABLE_NAMES))(
    'refuses %s by row and column, and keeps the other rows',
    (_l, unprintable) => {
      const bad = edit(cellsOf('minimal'), { 'respondent.name.full': unprintable.name });
      const result = parseCsvText(csvText([cellsOf('minimal'), bad]));
      expect(problemLines(result.problems)).toEqual([
        `3 respondent.name.full: ${unprintableMessage('respondent.name.full', unprintable)}`,
      ]);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
    },
  );
});
