import { CaseFacts } from '../case-facts/case-facts.dto';
import { MailingAddressKind, StayAwayPlace } from '../case-facts/case-facts.enums';

export enum SafetyNoticeCode {
  NoSafeMailingAddress = 'no_safe_mailing_address',
  StayAwayPlaceVisible = 'stay_away_place_visible',
}

export interface SafetyNotice {
  code: SafetyNoticeCode;
  /** The CaseFacts path the petitioner can change to act on it. */
  field: string;
  message: string;
}

/** Places whose stay-away wording tells the respondent where the petitioner can be found. */
const REVEALING: Partial<Record<StayAwayPlace, string>> = {
  [StayAwayPlace.Workplace]: 'workplace',
  [StayAwayPlace.School]: 'school',
  [StayAwayPlace.ChildrenSchoolOrChildcare]: "children's school or child care",
};

/**
 * What the petitioner must know before generating, not after: the respondent receives a copy
 * of the petition, so anything it names about where the petitioner lives, works or takes the
 * children can be read by the respondent.
 */
export function safetyNotices(facts: CaseFacts): SafetyNotice[] {
  const notices: SafetyNotice[] = [];
  if (facts.petitioner.mailingAddress.kind === MailingAddressKind.Residential) {
    notices.push({
      code: SafetyNoticeCode.NoSafeMailingAddress,
      field: 'petitioner.mailingAddress.kind',
      message:
        'The mailing address for court papers is your home address, and the respondent will ' +
        'receive papers that show it. If the respondent must not know where you live, give a ' +
        "P.O. box, an address confidentiality program address, or your lawyer's office instead.",
    });
  }
  const stayAway = facts.requestedOrders.stayAway;
  const places = stayAway.requested ? (stayAway.places ?? []) : [];
  const named = places.flatMap((p) => (REVEALING[p] ? [REVEALING[p]] : []));
  const others = stayAway.requested ? (stayAway.otherPlaces ?? []) : [];
  if (named.length > 0 || others.length > 0) {
    notices.push({
      code: SafetyNoticeCode.StayAwayPlaceVisible,
      field: 'requestedOrders.stayAway.places',
      message:
        `The stay-away order will name ${[...named.map((n) => `your ${n}`), ...others].join(', ')}, ` +
        'and the respondent will see it. You can ask instead that the respondent stay away from ' +
        'you wherever you may be.',
    });
  }
  return notices;
}
