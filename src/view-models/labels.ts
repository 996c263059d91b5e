import {
  AbuseAct,
  Gender,
  LivesWith,
  MailingAddressKind,
  OtherCaseKind,
  RelationshipCategory,
  StayAwayPlace,
} from '../case-facts/case-facts.enums';

/** The words the documents use for each enum value, in the court's language (English). */

export const GENDER_LABEL: Record<Gender, string> = {
  [Gender.Female]: 'Female',
  [Gender.Male]: 'Male',
  [Gender.Nonbinary]: 'Nonbinary',
  [Gender.Undisclosed]: 'Not stated',
};

export const RELATIONSHIP_LABEL: Record<RelationshipCategory, string> = {
  [RelationshipCategory.Married]: 'are married to each other',
  [RelationshipCategory.FormerlyMarried]: 'were married to each other',
  [RelationshipCategory.Dating]: 'are dating or in a dating relationship',
  [RelationshipCategory.FormerlyDating]: 'used to date',
  [RelationshipCategory.Engaged]: 'are or were engaged to be married',
  [RelationshipCategory.ChildInCommon]: 'have a child or children together',
  [RelationshipCategory.RelatedByBlood]: 'are related by blood',
  [RelationshipCategory.RelatedByMarriage]: 'are related by marriage',
  [RelationshipCategory.LiveTogether]: 'live together',
  [RelationshipCategory.LivedTogether]: 'used to live together',
};

export const ACT_LABEL: Record<AbuseAct, string> = {
  [AbuseAct.Hit]: 'hit me',
  [AbuseAct.Slapped]: 'slapped me',
  [AbuseAct.Punched]: 'punched me',
  [AbuseAct.Kicked]: 'kicked me',
  [AbuseAct.Pushed]: 'pushed or shoved me',
  [AbuseAct.Choked]: 'choked or strangled me',
  [AbuseAct.Bit]: 'bit me',
  [AbuseAct.PulledHair]: 'pulled my hair',
  [AbuseAct.ThrewObject]: 'threw something at me',
  [AbuseAct.SexualAssault]: 'sexually assaulted me',
  [AbuseAct.ThreatenedToKill]: 'threatened to kill me',
  [AbuseAct.ThreatenedToHarm]: 'threatened to hurt me',
  [AbuseAct.ThreatenedWithWeapon]: 'threatened me with a weapon',
  [AbuseAct.Stalked]: 'stalked or followed me',
  [AbuseAct.Harassed]: 'harassed me',
  [AbuseAct.DestroyedProperty]: 'destroyed my property',
  [AbuseAct.PreventedCallingForHelp]: 'kept me from calling for help',
  [AbuseAct.HeldAgainstWill]: 'kept me from leaving',
  [AbuseAct.HarmedAnimal]: 'hurt or threatened to hurt an animal',
  [AbuseAct.MonitoredOrTracked]: 'monitored or tracked me',
};

export const STAY_AWAY_LABEL: Record<StayAwayPlace, string> = {
  [StayAwayPlace.Home]: "the Petitioner's home",
  [StayAwayPlace.Workplace]: "the Petitioner's workplace",
  [StayAwayPlace.School]: "the Petitioner's school",
  [StayAwayPlace.Vehicle]: "the Petitioner's vehicle",
  [StayAwayPlace.ChildrenSchoolOrChildcare]: "the children's school or child care",
  [StayAwayPlace.WhereverPetitionerMayBe]: 'wherever the Petitioner may be',
};

export const LIVES_WITH_LABEL: Record<LivesWith, string> = {
  [LivesWith.Petitioner]: 'Petitioner',
  [LivesWith.Respondent]: 'Respondent',
  [LivesWith.Both]: 'Petitioner and Respondent',
  [LivesWith.Other]: 'Someone else',
};

export const OTHER_CASE_LABEL: Record<OtherCaseKind, string> = {
  [OtherCaseKind.ProtectiveOrder]: 'Protective or restraining order',
  [OtherCaseKind.Divorce]: 'Divorce, separation or annulment',
  [OtherCaseKind.Custody]: 'Custody or parenting time',
  [OtherCaseKind.ChildSupport]: 'Child support',
  [OtherCaseKind.Criminal]: 'Criminal case',
  [OtherCaseKind.Other]: 'Other case',
};

export const MAILING_KIND_LABEL: Record<MailingAddressKind, string> = {
  [MailingAddressKind.Residential]: 'home address',
  [MailingAddressKind.PoBox]: 'P.O. box',
  [MailingAddressKind.AddressConfidentialityProgram]: 'address confidentiality program address',
  [MailingAddressKind.AttorneyOffice]: "attorney's office",
  [MailingAddressKind.OtherSafeAddress]: 'safe mailing address',
};

/** Two-letter codes as a pleading writes the state's name ("the laws of the State of California"). */
export const STATE_NAME: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  PR: 'Puerto Rico',
  GU: 'Guam',
  VI: 'U.S. Virgin Islands',
  AS: 'American Samoa',
  MP: 'Northern Mariana Islands',
};
