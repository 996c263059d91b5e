import fc from 'fast-check';
import { compactForMatch, digitsView, normalizeForMatch, PART_BREAK } from './normalize';

describe('normalizeForMatch', () => {
  it.each([
    ['77 Larchmont Street', '77 Larchmont St.'],
    ['77 Larchmont Avenue', '77 LARCHMONT AVE'],
    ['12 North Elm Road', '12 N. Elm Rd'],
    ['5 West Oak Boulevard', '5 W Oak Blvd'],
    ['9 East Pine Drive', '9 E Pine Dr.'],
    ['3 South Birch Lane', '3 S Birch Ln'],
    ['4 Maple Court', '4 Maple Ct'],
    ['8 Ash Place', '8 Ash Pl'],
    ['Apartment 3', 'Apt. 3'],
    ['Apt 3', '#3'],
    ['Unit 12B', '# 12b'],
    ['Apt #3', 'Unit 3'],
    ['Suite 400', 'Ste. 400'],
    ['Post Office Box 846', 'P.O. Box 846'],
    ['PO Box 846', 'p o box 846'],
    ['７７ Ｌａｒｃｈｍｏｎｔ', '77 Larchmont'],
    ['٧٧ شارع', '77 شارع'],
    ['Straße', 'STRASSE'],
    ['Hằng Nguyễn', 'Hang Nguyen'],
    ['77 Larchmont St., Apt. 3!', '77 larchmont st apt 3'],
    ['  77\t\nLarchmont   St  ', '77 Larchmont St'],
    ['Lar\u00adch\u200bmont', 'Larchmont'],
    ['Apt. # 3', 'unit 3'],
    ['Apartment Unit 3', 'unit 3'],
  ])('treats %p and %p alike', (a, b) => {
    expect(normalizeForMatch(a)).toBe(normalizeForMatch(b));
  });

  it('folds case and drops punctuation', () => {
    expect(normalizeForMatch('SAFE.Mail@Example.ORG')).toBe('safe mail example org');
  });

  it('keeps different streets different', () => {
    expect(normalizeForMatch('77 Larchmont St')).not.toBe(normalizeForMatch('78 Larchmont St'));
    expect(normalizeForMatch('Apt 3')).not.toBe(normalizeForMatch('Ste 3'));
  });

  it('compacts away spaces so words run together still compare equal', () => {
    expect(compactForMatch('77Larch mont Street')).toBe(compactForMatch('77 Larchmont St'));
  });
});

describe('digitsView', () => {
  it.each([
    '(510) 555-0199',
    '510.555.0199',
    '5105550199',
    '+1 510 555 0199',
    '５１０－５５５－０１９９',
  ])('reads %p as the same digits', (phone) => {
    expect(digitsView(phone)).toContain('5105550199');
  });

  it('ends a run at anything that is not phone punctuation', () => {
    expect(digitsView('case 12, page 3 of 5105550199')).toBe('12 3 5105550199');
    expect(digitsView('510x555y0199')).toBe('510 555 0199');
  });
});

describe('ASCII text', () => {
  // A zero-width space is removed by the general path and sends any text down it.
  const general = (text: string) => `${text}\u200b`;

  it('normalises as the general path does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 80 }), (text) => {
        expect(normalizeForMatch(text)).toBe(normalizeForMatch(general(text)));
        expect(digitsView(text)).toBe(digitsView(general(text)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('text of mixed lines', () => {
  const line = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }).map((l) => l.replace(/\n/g, ' ')),
  );

  it('normalises each line as the general path would', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        // A zero-width space (removed) sends every line down the general path.
        const general = lines.map((l) => `\u200b${l}`).join('\n');
        expect(normalizeForMatch(lines.join('\n'))).toBe(normalizeForMatch(general));
        expect(digitsView(lines.join('\n'))).toBe(digitsView(general));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('texts joined by PART_BREAK', () => {
  // Words every rewrite acts on, so that rewrites meet the break from either side.
  const WORDS = [
    'Street',
    'St.',
    'saint',
    'Avenue',
    'apt',
    'Apartment',
    'unit',
    '#',
    'po',
    'box',
    'p',
    'o',
    'b',
    'P.O.',
    'north',
    '\n',
    '-',
    'ß',
    'Hằng',
    '٧',
    '١٢',
    '\u00ad',
    '\u200b',
    '南京',
    '(510)',
    '555-0199',
    '５',
    '\t',
    'ﬁ',
    'ς',
    'e\u0301',
    '\u0301',
    'ـ',
    ' ',
    '',
  ];
  const text = fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.constantFrom(...WORDS),
          fc.string({ maxLength: 4 }),
          fc.string({ unit: 'grapheme', maxLength: 4 }),
        ),
        { maxLength: 10 },
      ),
      fc.constantFrom(' ', '', '\n', ','),
    )
    // Without the break's own character, so that the joined result can be split at it.
    .map(([words, between]) => words.join(between).replace(/\uffff/g, ''));

  it('normalise to each text normalised in turn, so no match runs from one into the next', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (texts) => {
        const joined = texts.join(PART_BREAK);
        const each = texts.map((t) => normalizeForMatch(t));
        const spaced = normalizeForMatch(joined);
        expect(spaced.split('\uffff').map((s) => s.trim())).toEqual(each);
        expect(spaced.replace(/ /g, '')).toBe(each.map((t) => t.replace(/ /g, '')).join('\uffff'));
        const runs = texts.map((t) => digitsView(t)).filter((d) => d !== '');
        expect(digitsView(joined)).toBe(runs.join(' '));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('words that are names of object properties', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])('keeps %p as it is', (word) => {
    expect(normalizeForMatch(`12 ${word} Street`)).toBe(`12 ${word.toLowerCase()} st`);
  });
});
