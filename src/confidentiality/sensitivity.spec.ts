import { CaseFacts } from '../case-facts/case-facts.dto';
import { MailingAddressKind } from '../case-facts/case-facts.enums';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { fixture } from '../../test/support/fixtures';
import { confidentialValues, fieldLabel, Sensitivity, sensitivityOf } from './sensitivity';

function facts(name: 'minimal' | 'typical' | 'maximal'): CaseFacts {
  return parseCaseFacts(fixture(name));
}

describe('sensitivityOf', () => {
  it.each([
    ['petitioner.residentialAddress', Sensitivity.CourtConfidential],
    ['petitioner.residentialAddress.street', Sensitivity.CourtConfidential],
    ['petitioner.safePhone', Sensitivity.CourtConfidential],
    ['petitioner.safeEmail', Sensitivity.CourtConfidential],
    ['respondent.address.street', Sensitivity.LawEnforcementOnly],
    ['respondent.vehicle.licensePlate', Sensitivity.LawEnforcementOnly],
    ['respondent.dateOfBirth', Sensitivity.LawEnforcementOnly],
    ['petitioner.mailingAddress.street', Sensitivity.Public],
    ['petitioner.safePhoneExtra', Sensitivity.Public],
    ['incidents.2.place', Sensitivity.Public],
    ['respondent.name.full', Sensitivity.Public],
  ])('%s is %s', (path, expected) => {
    expect(sensitivityOf(path)).toBe(expected);
  });
});

describe('confidentialValues', () => {
  it('lists the residence (street, unit, whole), the phone (all and last 7 digits) and email', () => {
    const values = confidentialValues(facts('maximal'));
    expect(values.map((v) => v.field)).toEqual([
      'petitioner.residentialAddress',
      'petitioner.safePhone',
      'petitioner.safeEmail',
    ]);
    const [address, phone, email] = values;
    expect(address?.parts).toEqual(
      expect.arrayContaining([
        '2291 Fruitvale Avenue',
        'Unit 12B',
        '2291 Fruitvale Avenue Unit 12B',
        '2291 Fruitvale Avenue, Unit 12B, Oakland, CA 94601',
      ]),
    );
    expect(address?.parts).not.toContain('Oakland');
    expect(phone).toMatchObject({ parts: ['5105550199', '5550199'], match: 'digits' });
    expect(email?.parts).toEqual(['safe.mail@example.org']);
  });

  it('does not search for a bare unit number alone, which would match page numbers', () => {
    const values = confidentialValues(facts('typical'));
    const address = values.find((v) => v.field === 'petitioner.residentialAddress');
    expect(address?.parts).toContain('Apt 3');
    const bare = facts('typical');
    if (bare.petitioner.residentialAddress) bare.petitioner.residentialAddress.unit = '3';
    const bareParts = confidentialValues(bare)[0]?.parts ?? [];
    expect(bareParts).not.toContain('3');
    expect(bareParts).toContain('77 Larchmont Street 3');
  });

  it('drops a US country code for the national number', () => {
    const f = facts('typical');
    f.petitioner.safePhone = '+1 617 555 0144';
    const phone = confidentialValues(f).find((v) => v.field === 'petitioner.safePhone');
    expect(phone?.parts).toEqual(['16175550144', '6175550144', '5550144']);
  });

  it('blocks nothing for a residence the petitioner chose as their mailing address', () => {
    const f = facts('maximal');
    const residence = f.petitioner.residentialAddress;
    if (!residence) throw new Error('fixture has a residence');
    Object.assign(f.petitioner.mailingAddress, residence, {
      kind: MailingAddressKind.Residential,
      unit: '#12B',
    });
    expect(confidentialValues(f).map((v) => v.field)).not.toContain(
      'petitioner.residentialAddress',
    );
  });

  it('still blocks a residence that differs from a "residential" mailing address', () => {
    const f = facts('maximal');
    f.petitioner.mailingAddress.kind = MailingAddressKind.Residential;
    expect(confidentialValues(f).map((v) => v.field)).toContain('petitioner.residentialAddress');
  });

  it('lists nothing when the case has no confidential values', () => {
    expect(confidentialValues(facts('minimal'))).toEqual([]);
  });

  it('labels fields in words', () => {
    expect(fieldLabel('petitioner.safePhone')).toBe('safe phone number');
  });
});
