import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { fixture } from '../../test/support/fixtures';
import { buildCaseViewModel } from './case-view-model';

describe(buildCaseViewModel.name, () => {
  const typical = () => buildCaseViewModel(parseCaseFacts(fixture('typical')));

  it('tells incidents oldest first and knows the most recent one', () => {
    const sut = typical();
    expect(sut.incidents.map((i) => i.when)).toEqual([
      'At some time between August 1, 2026 and August 31, 2026',
      'On September 14, 2026',
      'On October 20, 2026',
    ]);
    expect(sut.mostRecentIncident.when).toBe('On October 20, 2026');
    expect(sut.otherIncidents.map((i) => i.when)).toEqual([
      'On September 14, 2026',
      'At some time between August 1, 2026 and August 31, 2026',
    ]);
    expect(sut.incidents[1].police).toBe(
      'The Quincy Police Department was called (report number QPD-26-118842).',
    );
  });

  it('derives the statutory kinds of abuse from the acts', () => {
    expect(typical().abuse).toEqual({
      causedPhysicalHarm: true,
      attemptedPhysicalHarm: true,
      placedInFear: true,
      forcedSexualRelations: false,
      usedWeapon: true,
    });
    const minimal = buildCaseViewModel(parseCaseFacts(fixture('minimal')));
    expect(minimal.abuse.causedPhysicalHarm).toBe(true);
    expect(minimal.abuse.forcedSexualRelations).toBe(false);
  });

  it('computes ages as of the signature date, so a regenerated packet says the same', () => {
    const sut = typical();
    expect(sut.petitioner.age).toBe('38');
    expect(sut.children.map((c) => `${c.fullName} ${c.age}`)).toEqual([
      'Liam Walsh 11',
      'Emma Walsh 7',
    ]);
  });

  it('keeps the mailing address for court papers apart from the confidential residence', () => {
    const sut = typical();
    expect(sut.petitioner.mailing.oneLineWithCareOf).toBe(
      'c/o Address Confidentiality Program, PO Box 846, Boston, MA 02108',
    );
    expect(sut.petitioner.hasSafeMailingAddress).toBe(true);
    expect(sut.petitioner.residence.streetLine).toBe('77 Larchmont Street, Apt 3');
    expect(sut.court.stateName).toBe('Massachusetts');
  });

  it('writes the relationship as the statute categories read', () => {
    expect(typical().relationship.statement).toBe(
      'The Petitioner and the Respondent are married to each other, have a child or children together, and used to live together.',
    );
  });
});
