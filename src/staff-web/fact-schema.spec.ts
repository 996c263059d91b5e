import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseFacts, Court, Incident, MailingAddress } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { formValueOf, readLeaf, withLeaf } from './fact-edit';
import { LeafSpec, describePath, leafAt, propertiesOf } from './fact-schema';

function typical(): CaseFacts {
  const file = join(__dirname, '..', '..', 'test', 'fixtures', 'cases', 'typical.json');
  return parseCaseFacts(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

function leafKinds(cls: Parameters<typeof propertiesOf>[0]): Record<string, string> {
  return Object.fromEntries(
    propertiesOf(cls).map((p) => [
      p.name,
      p.nested ?? `${p.leaf.kind}${p.leaf.optional ? '?' : ''}`,
    ]),
  );
}

describe('the shape of CaseFacts, read from its decorators', () => {
  it('knows each property of a class, in order, with the input it takes', () => {
    expect(leafKinds(Court)).toEqual({
      state: 'text',
      county: 'text',
      name: 'text',
      address: 'text?',
      caseNumber: 'text?',
    });
    expect(leafKinds(Incident)).toMatchObject({
      date: 'date?',
      dateRange: 'object',
      dateIsApproximate: 'boolean?',
      acts: 'enumList',
      weapons: 'textList?',
      medicalCare: 'object',
      narrative: 'longText',
    });
  });

  it('puts a base class’s properties first, and reads an enum’s values', () => {
    const names = propertiesOf(MailingAddress).map((p) => p.name);
    expect(names).toEqual(['street', 'unit', 'city', 'state', 'postalCode', 'kind', 'careOf']);
    const kind = propertiesOf(MailingAddress).find((p) => p.name === 'kind');
    expect(kind && !kind.nested ? kind.leaf.options : []).toContain('po-box');
  });

  it('finds a leaf by its path, given or not, and nothing else', () => {
    const facts = typical();
    expect(leafAt(facts, 'court.caseNumber')).toMatchObject({
      value: undefined,
      description: 'Court – Case number',
      confidential: false,
    });
    expect(leafAt(facts, 'incidents.1.police.reportNumber')).toBeUndefined(); // no police object
    expect(leafAt(facts, 'incidents.0.police.reportNumber')).toMatchObject({
      value: 'QPD-26-118842',
      description: 'Incident 1 – Police – Report number',
    });
    expect(leafAt(facts, 'petitioner.safePhone')?.confidential).toBe(true);
    for (const path of [
      'court',
      'incidents.0',
      'incidents.9.place',
      'court.nope',
      'court.constructor',
      '__proto__.x',
      'court.name.length',
      '',
    ]) {
      expect([path, leafAt(facts, path)]).toEqual([path, undefined]);
    }
  });

  it('says a path in words', () => {
    expect(describePath('protectedPersons.1.name.full')).toBe(
      'Protected person 2 – Name – Full name',
    );
    expect(describePath('respondent.firearms.items.0.kind')).toBe(
      'Respondent – Firearms – Firearm 1 – Kind',
    );
  });
});

describe('one fact as a form takes and gives it', () => {
  const spec = (kind: LeafSpec['kind'], optional = false, options: string[] = []): LeafSpec => ({
    kind,
    optional,
    options,
  });

  it('reads each kind of input into the stored value', () => {
    expect(readLeaf(spec('text'), 'Name', ['  Quincy  '])).toEqual({
      ok: true,
      value: 'Quincy',
      remove: false,
    });
    expect(readLeaf(spec('longText'), 'Narrative', ['one\r\ntwo'])).toMatchObject({
      value: 'one\ntwo',
    });
    expect(readLeaf(spec('integer'), 'Count', ['12'])).toMatchObject({ value: 12 });
    expect(readLeaf(spec('boolean'), 'Called', ['no'])).toMatchObject({ value: false });
    expect(readLeaf(spec('enumList', false, ['a', 'b', 'c']), 'Acts', ['c', 'a'])).toMatchObject({
      value: ['a', 'c'],
    });
    expect(readLeaf(spec('textList', true), 'Weapons', ['knife\n\n bat '])).toMatchObject({
      value: ['knife', 'bat'],
    });
  });

  it('removes an optional fact left empty and refuses an empty required one', () => {
    expect(readLeaf(spec('text', true), 'Case number', [''])).toEqual({
      ok: true,
      value: undefined,
      remove: true,
    });
    expect(readLeaf(spec('boolean', true), 'Approximate', ['none'])).toMatchObject({
      remove: true,
    });
    expect(readLeaf(spec('text'), 'Name', ['   '])).toEqual({
      ok: false,
      error: 'Name cannot be left empty',
    });
    expect(readLeaf(spec('integer'), 'Count', ['twelve'])).toMatchObject({ ok: false });
    expect(readLeaf(spec('enum', false, ['yes', 'no']), 'Has', ['maybe'])).toMatchObject({
      ok: false,
    });
  });

  it('sets and removes one fact in a copy, and shows stored values as the form does', () => {
    const facts = typical();
    const changed = withLeaf(facts, 'court.caseNumber', { value: '26-PO-1', remove: false });
    expect(changed.court.caseNumber).toBe('26-PO-1');
    expect(facts.court.caseNumber).toBeUndefined();
    const removed = withLeaf(facts, 'court.address', { value: undefined, remove: true });
    expect('address' in removed.court).toBe(false);

    const acts = leafAt(facts, 'incidents.0.acts');
    expect(acts && formValueOf(acts)).toEqual(['choked', 'threatened-to-kill']);
    const called = leafAt(facts, 'incidents.0.police.called');
    expect(called && formValueOf(called)).toBe('yes');
  });
});
