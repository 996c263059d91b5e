import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { FIXTURES, fixture } from '../../../test/support/fixtures';
import {
  DEFAULT_LIMITS,
  cellsOf,
  csvText,
  edit,
  expectNoEcho,
  parseCsvText,
  parseJsonlText,
  problemLines,
} from './batch-test-helpers';
import { parseBatch } from './parse-batch';

const SECRET = 'Zx9-SECRET-VALUE';

describe('parseBatch, CSV', () => {
  describe('reads valid cases', () => {
    it.each(FIXTURES)('%s: exactly the case the API would accept from the same facts', (name) => {
      const result = parseCsvText(csvText([cellsOf(name)]));
      expect(result.problems).toEqual([]);
      expect(result.rows).toHaveLength(1);
      expect(result.rows[0].rowNumber).toBe(2);
      expect(result.rows[0].facts).toEqual(parseCaseFacts(fixture(name)));
    });

    it('numbers rows as a spreadsheet does: header row 1, cases from row 2, blank rows counted', () => {
      const row = cellsOf('minimal');
      const text = csvText([row, row]).replace(/\r\n(?=[^\r\n]*\r\n$)/, '\r\n\r\n,,,\r\n');
      const result = parseCsvText(text);
      expect(result.problems).toEqual([]);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([2, 5]);
    });

    it('reads a file with a byte-order mark and semicolons, as European spreadsheets save it', () => {
      const row = edit(cellsOf('typical'), {
        'incidents.1.place': 'kitchen; then the hall, near the door',
      });
      const text = `\uFEFF${csvText([row], { delimiter: ';' })}`;
      expect(text.split('\r\n')[0]).toContain('petitioner.name.full;petitioner.name.given;');
      const result = parseCsvText(text);
      expect(result.problems).toEqual([]);
      expect(result.columns[0]).toBe('petitioner.name.full');
      expect(result.rows[0].facts.incidents[0].place).toBe('kitchen; then the hall, near the door');
    });

    it('keeps a quoted narrative with line breaks and quotes byte for byte, and the next row its number', () => {
      const narrative =
        'First line.\r\nSecond line, with a comma and "quotes".\n\nFourth line after a blank one.\r  indented\ttab ';
      const first = edit(cellsOf('minimal'), { 'incidents.1.narrative': narrative });
      const result = parseCsvText(csvText([first, cellsOf('typical')]));
      expect(result.problems).toEqual([]);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
      const got = result.rows[0].facts.incidents[0].narrative;
      expect(Buffer.from(got, 'utf8').equals(Buffer.from(narrative, 'utf8'))).toBe(true);
    });

    it('keeps names in any script, spacing and Unicode form exactly as typed', () => {
      const names = {
        'petitioner.name.full': 'Nguyễn Thị Minh Khai',
        'respondent.name.full': 'فاطمة الزهراء',
        'petitioner.name.given': '  Zoë 👩🏽‍💻  ',
        // "é" written as e + combining accent must not be composed into one character.
        'petitioner.name.family': 'Rame\u0301rez',
      };
      const result = parseCsvText(csvText([edit(cellsOf('minimal'), names)]));
      expect(result.problems).toEqual([]);
      const { petitioner, respondent } = result.rows[0].facts;
      expect(petitioner.name.full).toBe('Nguyễn Thị Minh Khai');
      expect(respondent.name.full).toBe('فاطمة الزهراء');
      expect(petitioner.name.given).toBe('  Zoë 👩🏽‍💻  ');
      expect(petitioner.name.family).toBe('Rame\u0301rez');
      expect(petitioner.name.family).toHaveLength(8);
    });

    it('stores formula-like text literally: on input it is the petitioner’s text, not a formula', () => {
      const row = edit(cellsOf('minimal'), {
        'petitioner.name.full': '=1+1',
        'respondent.name.full': '=HYPERLINK("http://example.org","click")',
        'petitioner.name.given': "'@SUM(A1)",
        'incidents.1.place': '-5 Main St',
      });
      const result = parseCsvText(csvText([row]));
      expect(result.problems).toEqual([]);
      const facts = result.rows[0].facts;
      expect(facts.petitioner.name.full).toBe('=1+1');
      expect(facts.respondent.name.full).toBe('=HYPERLINK("http://example.org","click")');
      expect(facts.petitioner.name.given).toBe("'@SUM(A1)");
      expect(facts.incidents[0].place).toBe('-5 Main St');
    });

    it('reads yes/no in any case and numbers as numbers; an empty cell is not given', () => {
      const row = edit(cellsOf('typical'), {
        'petitioner.interpreterNeeded': 'YES',
        'petitioner.interpreterLanguage': 'Portuguese',
        'requestedOrders.noContact': 'False',
        'requestedOrders.personalConduct': '1',
        'requestedOrders.firearmSurrender': 'no',
        'requestedOrders.stayAway.distanceYards': '250',
        'petitioner.safePhone': '',
        'petitioner.name.middle': '',
      });
      const result = parseCsvText(csvText([row]));
      expect(result.problems).toEqual([]);
      const facts = result.rows[0].facts;
      expect(facts.petitioner.interpreterNeeded).toBe(true);
      expect(facts.requestedOrders.noContact).toBe(false);
      expect(facts.requestedOrders.personalConduct).toBe(true);
      expect(facts.requestedOrders.firearmSurrender).toBe(false);
      expect(facts.requestedOrders.stayAway.distanceYards).toBe(250);
      expect(facts.petitioner.safePhone).toBeUndefined();
      expect(facts.petitioner.name.middle).toBeUndefined();
    });

    it('takes a list of objects as a JSON list in its own column instead of numbered columns', () => {
      const typical = fixture('typical');
      const row = cellsOf('typical');
      for (const column of [...row.keys()]) {
        if (column.startsWith('incidents.')) row.delete(column);
      }
      row.set('incidents', JSON.stringify(typical.incidents));
      const result = parseCsvText(csvText([row]));
      expect(result.problems).toEqual([]);
      expect(result.rows[0].facts).toEqual(parseCaseFacts(typical));
    });

    it('closes gaps between numbered items, keeping their order', () => {
      const row = cellsOf('minimal');
      for (const [column, value] of [...row]) {
        if (column.startsWith('incidents.1.')) {
          row.delete(column);
          row.set(column.replace('incidents.1.', 'incidents.3.'), value);
        }
      }
      const result = parseCsvText(csvText([row]));
      expect(result.problems).toEqual([]);
      expect(result.rows[0].facts.incidents).toHaveLength(1);
    });

    it('reads a row with no protected people and no other cases as having none', () => {
      const result = parseCsvText(csvText([cellsOf('minimal')]));
      expect(result.rows[0].facts.protectedPersons).toEqual([]);
      expect(result.rows[0].facts.otherCases).toEqual([]);
    });
  });

  describe('reports every problem of every row', () => {
    it('three cases, rows 2 and 4 bad: one valid row and all problems of both bad rows', () => {
      const good = cellsOf('typical');
      const bad2 = edit(cellsOf('minimal'), {
        'petitioner.interpreterNeeded': 'maybe',
        'incidents.1.narrative': '',
        'court.state': 'California',
      });
      const bad4 = edit(cellsOf('minimal'), {
        'incidents.1.date': '2023-02-30',
        'petitioner.gender': 'Female',
        'requestedOrders.stayAway.distanceYards': 'a hundred',
        'petitioner.name.full': '',
        'incidents.1.acts': '["pushed","shoved"]',
      });
      const result = parseCsvText(csvText([bad2, good, bad4]));
      expect(result.rows.map((r) => r.rowNumber)).toEqual([3]);
      expect(problemLines(result.problems)).toEqual([
        '2 petitioner.interpreterNeeded: petitioner.interpreterNeeded must be yes or no (true/false and 1/0 are read too)',
        '2 incidents.1.narrative: incidents.1.narrative is required',
        '2 court.state: court.state must be a two-letter code such as CA',
        '4 requestedOrders.stayAway.distanceYards: requestedOrders.stayAway.distanceYards must be a number, written in digits',
        '4 petitioner.name.full: petitioner.name.full is required',
        '4 petitioner.gender: petitioner.gender must be one of the following values: female, male, nonbinary, undisclosed',
        '4 incidents.1.date: incidents.1.date must be a date that exists, written YYYY-MM-DD, and not in the future',
        '4 incidents.1.acts: each value in acts must be one of the following values: hit, slapped, punched, kicked, pushed, choked, bit, pulled-hair, threw-object, sexual-assault, threatened-to-kill, threatened-to-harm, threatened-with-weapon, stalked, harassed, destroyed-property, prevented-calling-for-help, held-against-will, harmed-animal, monitored-or-tracked',
      ]);
    });

    it('names the numbered column a failing item came from, after gaps are closed', () => {
      const row = cellsOf('minimal');
      for (const [column, value] of [...row]) {
        if (column.startsWith('incidents.1.')) {
          row.delete(column);
          row.set(column.replace('incidents.1.', 'incidents.4.'), value);
        }
      }
      row.set('incidents.4.dateIsApproximate', 'sort of');
      row.delete('incidents.4.place');
      const result = parseCsvText(csvText([row]));
      expect(problemLines(result.problems)).toEqual([
        '2 incidents.4.dateIsApproximate: incidents.4.dateIsApproximate must be yes or no (true/false and 1/0 are read too)',
        '2 incidents.4.place: incidents.4.place is required',
      ]);
    });

    it('names the item and field inside a JSON list cell', () => {
      const incidents = fixture('typical').incidents as Record<string, unknown>[];
      delete incidents[1].narrative;
      incidents[2].acts = ['hit', 'tickled'];
      incidents[2].mood = 'angry';
      const row = edit(cellsOf('minimal'), { incidents: JSON.stringify(incidents) });
      for (const column of [...row.keys()]) {
        if (column.startsWith('incidents.')) row.delete(column);
      }
      const result = parseCsvText(csvText([row]));
      expect(problemLines(result.problems)).toEqual([
        '2 incidents: incidents.2.narrative is required',
        '2 incidents: incidents.3.mood is not a known field',
        '2 incidents: incidents.3.acts: each value in acts must be one of the following values: hit, slapped, punched, kicked, pushed, choked, bit, pulled-hair, threw-object, sexual-assault, threatened-to-kill, threatened-to-harm, threatened-with-weapon, stalked, harassed, destroyed-property, prevented-calling-for-help, held-against-will, harmed-animal, monitored-or-tracked',
      ]);
    });

    it('names a required part whose columns are all empty, and a required column left out', () => {
      const row = edit(cellsOf('minimal'), {
        'respondent.firearms.has': undefined,
        'signature.date': undefined,
      });
      const result = parseCsvText(csvText([row]));
      expect(problemLines(result.problems)).toEqual([
        '2 respondent.firearms: respondent.firearms is required: its columns (respondent.firearms.…) are all empty',
        '2 signature.date: signature.date is required',
      ]);
    });

    it('refuses a list given both as JSON and in numbered columns', () => {
      const row = edit(cellsOf('minimal'), {
        incidents: JSON.stringify(fixture('minimal').incidents),
      });
      const result = parseCsvText(csvText([row]));
      expect(problemLines(result.problems)).toEqual([
        '2 incidents: incidents is given twice: as a JSON list in the "incidents" column and in the numbered incidents.N columns; use one of them',
      ]);
    });

    it('refuses JSON cells that are not JSON, not a list, too deep, or hold prototype keys', () => {
      const row = edit(cellsOf('minimal'), {
        'relationship.categories': 'dating',
        'petitioner.otherNames': '{"name":"x"}',
        'incidents.1.weapons': `${'['.repeat(40)}${']'.repeat(40)}`,
        'incidents.1.witnesses': '[{"__proto__":{"polluted":true}}]',
        otherCases: '[{"kind":"other","court":"x","constructor":{"prototype":1}}]',
      });
      const result = parseCsvText(csvText([row]));
      expect(problemLines(result.problems)).toEqual([
        '2 petitioner.otherNames: petitioner.otherNames must be a JSON list such as ["first", "second"]',
        '2 relationship.categories: relationship.categories is not valid JSON: write it as a JSON list such as ["first", "second"]',
        '2 incidents.1.weapons: incidents.1.weapons nests deeper than 32 levels',
        '2 incidents.1.witnesses: incidents.1.witnesses holds the field name "__proto__", which is refused',
        '2 otherCases: otherCases holds the field name "constructor", which is refused',
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a row whose cell count differs from the header', () => {
      const text = csvText([cellsOf('minimal')]);
      const lines = text.split('\r\n');
      const result = parseCsvText(`${lines[0]}\r\n${lines[1]},extra\r\n${lines[1]}\r\n`);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([3]);
      expect(result.problems).toEqual([
        {
          row: 2,
          column: null,
          message: expect.stringMatching(/^the row has \d+ cells but the header has \d+ columns/),
        },
      ]);
    });

    it('never quotes a cell in a problem', () => {
      const row = edit(cellsOf('minimal'), {
        'petitioner.interpreterNeeded': SECRET,
        'petitioner.age': SECRET,
        'petitioner.gender': SECRET,
        'petitioner.dateOfBirth': SECRET,
        'petitioner.mailingAddress.postalCode': SECRET,
        'relationship.categories': SECRET,
        'incidents.1.acts': `["${SECRET}"]`,
        'incidents.1.narrative': SECRET.repeat(2000),
      });
      const result = parseCsvText(csvText([row]), { ...DEFAULT_LIMITS, maxCellBytes: 20_000 });
      expect(result.problems.length).toBeGreaterThanOrEqual(7);
      expectNoEcho(result.problems, SECRET);
    });
  });

  describe('refuses a broken file', () => {
    it('an unclosed quote: names the row and column, keeps the rows before it', () => {
      const text = csvText([cellsOf('minimal'), cellsOf('typical')]);
      const lines = text.split('\r\n');
      const header = lines[0].split(',');
      // The last cell, so that no later quote in the row closes it.
      const row = `${lines[2].slice(0, lines[2].lastIndexOf(','))},"${SECRET}`;
      const result = parseCsvText(`${lines[0]}\r\n${lines[1]}\r\n${row}\r\n`);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
      expect(result.problems).toEqual([
        {
          row: 3,
          column: header[header.length - 1],
          message: expect.stringContaining('opens a quote that is never closed'),
        },
      ]);
      expectNoEcho(result.problems, SECRET);
    });

    it('a quote inside an unquoted cell, and text after a closing quote', () => {
      const text = csvText([cellsOf('minimal')]);
      const [head, row] = text.split('\r\n');
      const at = head.split(',').indexOf('petitioner.name.full');
      const withCell = (cell: string) => {
        const cells = row.split(',');
        cells[at] = cell;
        return `${head}\r\n${row}\r\n${cells.join(',')}\r\n`;
      };
      const opening = parseCsvText(withCell('Jen "JJ" Walsh'));
      expect(opening.problems).toEqual([
        {
          row: 3,
          column: 'petitioner.name.full',
          message: expect.stringContaining('has a quote inside it but does not start with one'),
        },
      ]);
      const closing = parseCsvText(withCell('"Jen" Walsh'));
      expect(closing.problems).toEqual([
        {
          row: 3,
          column: 'petitioner.name.full',
          message: expect.stringContaining('has text after its closing quote'),
        },
      ]);
      expect(opening.rows.map((r) => r.rowNumber)).toEqual([2]);
    });

    it('bytes that are not UTF-8: the whole file, with the offset and line', () => {
      const text = csvText([cellsOf('minimal'), cellsOf('minimal')]);
      const bytes = Buffer.from(text, 'utf8');
      const secondRow = bytes.indexOf('\r\n', bytes.indexOf('\r\n') + 2) + 2;
      const latin1 = Buffer.concat([
        bytes.subarray(0, secondRow),
        Buffer.from('Jos\xe9', 'latin1'),
        bytes.subarray(secondRow),
      ]);
      const result = parseBatch(latin1, 'csv', DEFAULT_LIMITS);
      expect(result.rows).toEqual([]);
      expect(result.problems).toEqual([
        {
          row: null,
          column: null,
          message: `the file is not UTF-8 text: the bytes at offset ${secondRow + 3} (line 3) are not valid UTF-8; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")`,
        },
      ]);
    });

    it.each([
      ['a truncated sequence', [0xe2, 0x82]],
      ['an overlong encoding', [0xc0, 0xaf]],
      ['a surrogate', [0xed, 0xa0, 0x80]],
      ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ])('%s is not UTF-8', (_what, seq) => {
      const bytes = Buffer.concat([Buffer.from('petitioner.name.full\r\nab'), Buffer.from(seq)]);
      const result = parseBatch(bytes, 'csv', DEFAULT_LIMITS);
      expect(result.problems[0].message).toContain('at offset 24 (line 2)');
    });

    it('UTF-16 text, as "Unicode text" exports are', () => {
      const bytes = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('petitioner.name.full', 'utf16le'),
      ]);
      expect(parseBatch(bytes, 'csv', DEFAULT_LIMITS).problems).toEqual([
        {
          row: null,
          column: null,
          message:
            'the file is UTF-16 text; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")',
        },
      ]);
    });

    it('a header with unknown, duplicated and prototype columns: all named, no row read', () => {
      const row = edit(cellsOf('minimal'), {
        'petitioner.shoeSize': '9',
        constructor: 'x',
        'petitioner.__proto__.polluted': 'yes',
      });
      const text = csvText([row]);
      const [head, ...rest] = text.split('\r\n');
      const result = parseCsvText([`${head},court.name`, ...rest].join('\r\n'));
      expect(result.rows).toEqual([]);
      expect(result.problems.map((p) => [p.row, p.column])).toEqual([
        [1, 'petitioner.shoeSize'],
        [1, 'constructor'],
        [1, 'petitioner.__proto__.polluted'],
        [1, 'court.name'],
      ]);
      expect(result.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^unknown column "petitioner.shoeSize" \(spreadsheet column [A-Z]+\)$/,
        ),
        expect.stringContaining('is refused'),
        expect.stringContaining('is refused'),
        expect.stringMatching(/^column "court.name" appears twice/),
      ]);
    });

    it('a 10 MB cell: refused quickly, naming the row, the column and the limit', () => {
      const huge = 'x'.repeat(10 * 1024 * 1024);
      const row = edit(cellsOf('minimal'), { 'incidents.1.narrative': huge });
      const text = csvText([cellsOf('minimal'), row]);
      const started = Date.now();
      const result = parseCsvText(text);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
      expect(result.problems).toEqual([
        {
          row: 3,
          column: 'incidents.1.narrative',
          message: 'incidents.1.narrative is longer than the limit of 65536 bytes for one cell',
        },
      ]);
    });

    it('a cell limit counted in UTF-8 bytes, so the longest narrative fits in any script', () => {
      const narrative = '語'.repeat(20_000);
      expect(Buffer.byteLength(narrative)).toBe(60_000);
      const row = edit(cellsOf('minimal'), { 'incidents.1.narrative': narrative });
      expect(parseCsvText(csvText([row])).problems).toEqual([]);
      const over = parseCsvText(csvText([row]), { ...DEFAULT_LIMITS, maxCellBytes: 59_999 });
      expect(problemLines(over.problems)).toEqual([
        '2 incidents.1.narrative: incidents.1.narrative is longer than the limit of 59999 bytes for one cell',
      ]);
    });

    it('more cases than the row limit (blank rows not counted)', () => {
      const row = cellsOf('minimal');
      const limits = { ...DEFAULT_LIMITS, maxRows: 3 };
      expect(parseCsvText(`${csvText([row, row, row])}\r\n,,\r\n`, limits).rows).toHaveLength(3);
      const result = parseCsvText(csvText([row, row, row, row]), limits);
      expect(result).toEqual({
        rows: [],
        columns: [],
        problems: [
          {
            row: null,
            column: null,
            message:
              'the file holds more than 3 cases, the most one batch may hold; split it into smaller files',
          },
        ],
      });
    });

    it('a file over the size limit, before reading any of it', () => {
      const text = csvText([cellsOf('minimal')]);
      const result = parseCsvText(text, { ...DEFAULT_LIMITS, maxBytes: 100 });
      expect(result.problems).toEqual([
        {
          row: null,
          column: null,
          message: `the file is ${Buffer.byteLength(text)} bytes, more than the limit of 100 bytes; split it into smaller files`,
        },
      ]);
    });

    it('a first row that is a case rather than a header: nothing of it is handed back', () => {
      const lines = csvText([cellsOf('minimal')]).split('\r\n');
      const result = parseCsvText(`${lines[1]}\r\n${lines[1]}\r\n`);
      expect(result).toEqual({
        rows: [],
        columns: [],
        problems: [
          {
            row: 1,
            column: null,
            message:
              'row 1 must be the header naming the columns, but none of its cells is a known column name; start from the template',
          },
        ],
      });
    });

    it('an empty file, and a header without cases', () => {
      expect(problemLines(parseCsvText('').problems)).toEqual(['- -: the file is empty']);
      expect(problemLines(parseCsvText('petitioner.name.full\r\n').problems)).toEqual([
        '- -: the file has no cases',
      ]);
    });
  });
});

describe('parseBatch, JSON Lines', () => {
  const line = (facts: unknown) => JSON.stringify(facts);

  it('reads one case per line, numbering rows by line and skipping blank lines', () => {
    const text = [line(fixture('minimal')), '', line(fixture('maximal')), '  '].join('\n');
    const result = parseJsonlText(`\uFEFF${text}\r\n`);
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => r.rowNumber)).toEqual([1, 3]);
    expect(result.rows[1].facts).toEqual(parseCaseFacts(fixture('maximal')));
    expect(result.columns).toEqual([]);
  });

  it('reports every problem of every line, with fields numbered from 1 as in CSV columns', () => {
    const bad = fixture('typical');
    (bad.incidents as Record<string, unknown>[])[1].narrative = 42;
    (bad.petitioner as Record<string, unknown>).shoeSize = 9;
    const deep: Record<string, unknown> = { ...fixture('minimal') };
    let nest: unknown = 'x';
    for (let i = 0; i < 40; i++) nest = [nest];
    deep.extra = nest;
    const proto = `{"petitioner":{"__proto__":{"polluted":true}},"incidents":[{"constructor":1}]}`;
    const text = [
      line(bad),
      '{"petitioner": ',
      '[1, 2]',
      '"a case"',
      line(deep),
      proto,
      line(fixture('minimal')),
    ].join('\n');
    const result = parseJsonlText(text);
    expect(result.rows.map((r) => r.rowNumber)).toEqual([7]);
    expect(problemLines(result.problems)).toEqual([
      '1 petitioner.shoeSize: petitioner.shoeSize is not a known field',
      '1 incidents.2.narrative: incidents.2.narrative must be a string',
      '2 -: the line is not valid JSON',
      '3 -: each line must be one case as a JSON object ({ ... })',
      '4 -: each line must be one case as a JSON object ({ ... })',
      '5 -: the case nests deeper than 32 levels',
      '6 petitioner.__proto__: petitioner.__proto__ is refused: __proto__, constructor and prototype are not allowed as field names',
      '6 incidents.1.constructor: incidents.1.constructor is refused: __proto__, constructor and prototype are not allowed as field names',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a string over the cell limit, naming its field', () => {
    const facts = fixture('minimal');
    (facts.incidents as Record<string, unknown>[])[0].narrative = SECRET.repeat(1_000_000);
    const started = Date.now();
    const result = parseJsonlText(`${line(fixture('minimal'))}\n${line(facts)}\n`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.rows.map((r) => r.rowNumber)).toEqual([1]);
    expect(problemLines(result.problems)).toEqual([
      '2 incidents.1.narrative: incidents.1.narrative is longer than the limit of 65536 bytes for one value',
    ]);
  });

  it('refuses more lines than the row limit, and a file of blank lines', () => {
    const text = [1, 2, 3].map(() => line(fixture('minimal'))).join('\n');
    expect(problemLines(parseJsonlText(text, { ...DEFAULT_LIMITS, maxRows: 2 }).problems)).toEqual([
      '- -: the file holds more than 2 cases, the most one batch may hold; split it into smaller files',
    ]);
    expect(problemLines(parseJsonlText('\n\n').problems)).toEqual(['- -: the file has no cases']);
  });

  it('never quotes a value in a problem', () => {
    const facts = fixture('minimal');
    const petitioner = facts.petitioner as Record<string, unknown>;
    petitioner.gender = SECRET;
    petitioner.dateOfBirth = SECRET;
    petitioner.language = 7;
    (facts.respondent as Record<string, unknown>)[`${SECRET} lives at 1 Elm St`] = true;
    const result = parseJsonlText(`${line(facts)}\n{"x": "${SECRET}"\n`);
    expect(result.problems.length).toBeGreaterThanOrEqual(4);
    expect(problemLines(result.problems)).toContain(
      '1 respondent.[unreadable name]: respondent.[unreadable name] is not a known field',
    );
    expectNoEcho(result.problems, SECRET);
  });
});
