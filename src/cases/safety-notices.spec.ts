import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { fixture } from '../../test/support/fixtures';
import { SafetyNoticeCode, safetyNotices } from './safety-notices';

describe(safetyNotices.name, () => {
  it('says nothing when the mailing address is a substitute and no place is named', () => {
    expect(safetyNotices(parseCaseFacts(fixture('minimal')))).toEqual([]);
  });

  it('warns, naming the field, when court papers would go to the home address', () => {
    const input = fixture('minimal');
    (input.petitioner as { mailingAddress: { kind: string } }).mailingAddress.kind = 'residential';
    expect(safetyNotices(parseCaseFacts(input))).toEqual([
      expect.objectContaining({
        code: SafetyNoticeCode.NoSafeMailingAddress,
        field: 'petitioner.mailingAddress.kind',
      }),
    ]);
  });

  it('tells which stay-away places the respondent will see, and the alternative', () => {
    const [notice] = safetyNotices(parseCaseFacts(fixture('maximal')));
    expect(notice.code).toBe(SafetyNoticeCode.StayAwayPlaceVisible);
    expect(notice.message).toContain(
      "your workplace, your children's school or child care, my father's apartment",
    );
    expect(notice.message).toContain('wherever you may be');
  });
});
