import { csvLine, spreadsheetSafe } from './csv-cell';

describe('spreadsheetSafe', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")'])(
    'prefixes %j with a quote',
    (cell) => {
      expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['', 'plain', 'a=b', '1-2', 'x@y', ' =1', "'=1", '2026-03-02T09:00:00.000Z', '::1'])(
    'leaves %j alone',
    (cell) => {
      expect(spreadsheetSafe(cell)).toBe(cell);
    },
  );

  it('is idempotent', () => {
    for (const cell of ['=1', '-x', 'plain', '@a']) {
      expect(spreadsheetSafe(spreadsheetSafe(cell))).toBe(spreadsheetSafe(cell));
    }
  });
});

describe('csvLine', () => {
  it('joins plain cells with commas and ends with CRLF', () => {
    expect(csvLine(['a', 'b', ''])).toBe('a,b,\r\n');
    expect(csvLine([])).toBe('\r\n');
  });

  it('quotes cells holding a comma, a quote or a line break, doubling quotes', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'cr\rhere'])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\rhere"\r\n',
    );
  });

  it('makes every cell spreadsheet-safe before quoting it', () => {
    expect(csvLine(['=1+1', '-2', '@x,y', '=A1"'])).toBe(`'=1+1,'-2,"'@x,y","'=A1"""\r\n`);
  });

  it('does not prefix twice a cell the caller already made safe', () => {
    expect(csvLine([spreadsheetSafe('=1')])).toBe("'=1\r\n");
  });
});
