import fc from 'fast-check';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { fixture } from '../../test/support/fixtures';
import { buildDocx, paragraph } from './confidentiality-test-helpers';
import { checkForLeaks } from './leak-check';
import { confidentialValues } from './sensitivity';

/** Letters per script; streets are built the way each script's addresses are written. */
const LETTERS = {
  latin: [...'abcdefghijklmnopqrstuvwxyzáéíóúñçãõüöäøåłżźćńśęąßĳ'],
  cyrillic: [...'абвгдеёжзийклмнопрстуфхцчшщыэюяії'],
  chinese: [...'北京上海朝阳建国中山人民解放和平长安东西南新华光明'],
  arabic: [...'ابتثجحخدذرزسشصضطظعغفقكلمنهوي'],
} as const;
type Script = keyof typeof LETTERS;
const SCRIPTS = Object.keys(LETTERS) as Script[];

/** Filler words without digits, so no filler can spell a street, which always has a number. */
const FILLER = [
  'the',
  'court',
  'hearing',
  'order',
  'Street',
  'Avenue',
  'Apt',
  'Unit',
  'North',
  'Oakland',
  'CA',
  'суд',
  'приказ',
  'улица',
  '法院',
  '命令',
  '保护令',
  'المحكمة',
  'أمر',
  'شارع',
  'Hằng',
  'Ñandú',
  '—',
  '(',
  '),',
];

interface PlantedAddress {
  street: string;
  unit: string | undefined;
  city: string;
}

function word(script: Script, min = 3, max = 10): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...LETTERS[script]), minLength: min, maxLength: max });
}

function street(script: Script): fc.Arbitrary<string> {
  const number = fc.integer({ min: 1, max: 99_999 });
  switch (script) {
    case 'latin':
      return fc
        .tuple(
          number,
          word('latin'),
          fc.constantFrom('Street', 'St.', 'Avenue', 'Road', 'Camino', 'Rue'),
        )
        .map(([n, name, suffix]) => `${n} ${capitalise(name)} ${suffix}`);
    case 'cyrillic':
      return fc
        .tuple(number, word('cyrillic'))
        .map(([n, name]) => `улица ${capitalise(name)}, д. ${n}`);
    case 'chinese':
      return fc.tuple(number, word('chinese', 2, 5)).map(([n, name]) => `${name}路${n}号`);
    case 'arabic':
      return fc.tuple(number, word('arabic')).map(([n, name]) => `شارع ${name} ${n}`);
  }
}

function unit(script: Script): fc.Arbitrary<string | undefined> {
  const label = { latin: 'Apt', cyrillic: 'кв.', chinese: '室', arabic: 'شقة' }[script];
  return fc.option(
    fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('', 'A', 'B'))
      .map(([n, l]) => `${label} ${n}${l}`),
    { nil: undefined },
  );
}

const address: fc.Arbitrary<PlantedAddress> = fc
  .constantFrom(...SCRIPTS)
  .chain((script) => fc.record({ street: street(script), unit: unit(script), city: word(script) }));

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function factsWith(planted: PlantedAddress): CaseFacts {
  const facts = parseCaseFacts(fixture('typical'));
  facts.petitioner.residentialAddress = {
    street: planted.street,
    unit: planted.unit,
    city: planted.city,
    state: 'CA',
    postalCode: '94601',
  };
  return facts;
}

/** How the address may be written in a document: alone, with its unit, or whole. */
function writtenForms(a: PlantedAddress): string[] {
  const withUnit = a.unit === undefined ? a.street : `${a.street} ${a.unit}`;
  return [a.street, withUnit, `${withUnit}, ${a.city}, CA 94601`, a.street.toUpperCase()];
}

const fillerText = fc.array(fc.constantFrom(...FILLER), { minLength: 0, maxLength: 12 });
const fillerParagraphs = fc.array(fillerText, { minLength: 1, maxLength: 6 });

/** Cuts a paragraph's text into runs at the given positions, as Word does. */
function cutIntoRuns(text: string, cuts: number[]): string[] {
  const chars = [...text];
  const points = [...new Set(cuts.map((c) => c % (chars.length + 1)))].sort((x, y) => x - y);
  const runs: string[] = [];
  let from = 0;
  for (const point of [...points, chars.length]) {
    runs.push(chars.slice(from, point).join(''));
    from = point;
  }
  return runs.filter((run) => run !== '');
}

describe('checkForLeaks (property)', () => {
  it('always finds a residential address planted anywhere in a DOCX body, in any script', async () => {
    await fc.assert(
      fc.asyncProperty(
        address,
        fillerParagraphs,
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (planted, paragraphs, formIndex, paragraphIndex, wordIndex, cuts) => {
          const forms = writtenForms(planted);
          const written = forms[formIndex % forms.length] ?? planted.street;
          const texts = paragraphs.map((words) => [...words]);
          const target = texts[paragraphIndex % texts.length] ?? [];
          target.splice(wordIndex % (target.length + 1), 0, written);
          const body = texts.map((words) => paragraph(cutIntoRuns(words.join(' '), cuts)));
          const findings = await checkForLeaks(
            [{ name: 'declaration.docx', bytes: buildDocx({ body }), documentId: 'D1' }],
            confidentialValues(factsWith(planted)),
          );
          expect(findings).toContainEqual({
            documentId: 'D1',
            file: 'declaration.docx',
            where: 'word/document.xml',
            field: 'petitioner.residentialAddress',
          });
          const serialised = JSON.stringify(findings);
          expect(serialised).not.toContain(planted.street);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('finds nothing in unrelated text that does not contain the address', async () => {
    await fc.assert(
      fc.asyncProperty(
        address,
        fillerParagraphs,
        fc.array(fc.nat(), { maxLength: 8 }),
        async (planted, paragraphs, cuts) => {
          const body = paragraphs.map((words) => paragraph(cutIntoRuns(words.join(' '), cuts)));
          const findings = await checkForLeaks(
            [{ name: 'declaration.docx', bytes: buildDocx({ body }), documentId: 'D1' }],
            confidentialValues(factsWith(planted)),
          );
          expect(findings).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
