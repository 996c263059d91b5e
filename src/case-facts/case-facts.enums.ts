export enum Gender {
  Female = 'female',
  Male = 'male',
  Nonbinary = 'nonbinary',
  Undisclosed = 'undisclosed',
}

/** The relationship categories protective-order statutes use to decide who may ask. */
export enum RelationshipCategory {
  Married = 'married',
  FormerlyMarried = 'formerly-married',
  Dating = 'dating',
  FormerlyDating = 'formerly-dating',
  Engaged = 'engaged',
  ChildInCommon = 'child-in-common',
  RelatedByBlood = 'related-by-blood',
  RelatedByMarriage = 'related-by-marriage',
  LiveTogether = 'live-together',
  LivedTogether = 'lived-together',
}

/** What kind of address the petitioner gives the court for mail; anything but `residential` is a substitute. */
export enum MailingAddressKind {
  Residential = 'residential',
  PoBox = 'po-box',
  AddressConfidentialityProgram = 'address-confidentiality-program',
  AttorneyOffice = 'attorney-office',
  OtherSafeAddress = 'other-safe-address',
}

export enum YesNoUnknown {
  Yes = 'yes',
  No = 'no',
  Unknown = 'unknown',
}

export enum ProtectedPersonKind {
  Child = 'child',
  HouseholdMember = 'household-member',
}

export enum LivesWith {
  Petitioner = 'petitioner',
  Respondent = 'respondent',
  Both = 'both',
  Other = 'other',
}

/** Acts of abuse, as the pleading lists them; anything else goes in `otherActs`. */
export enum AbuseAct {
  Hit = 'hit',
  Slapped = 'slapped',
  Punched = 'punched',
  Kicked = 'kicked',
  Pushed = 'pushed',
  Choked = 'choked',
  Bit = 'bit',
  PulledHair = 'pulled-hair',
  ThrewObject = 'threw-object',
  SexualAssault = 'sexual-assault',
  ThreatenedToKill = 'threatened-to-kill',
  ThreatenedToHarm = 'threatened-to-harm',
  ThreatenedWithWeapon = 'threatened-with-weapon',
  Stalked = 'stalked',
  Harassed = 'harassed',
  DestroyedProperty = 'destroyed-property',
  PreventedCallingForHelp = 'prevented-calling-for-help',
  HeldAgainstWill = 'held-against-will',
  HarmedAnimal = 'harmed-animal',
  MonitoredOrTracked = 'monitored-or-tracked',
}

export enum StayAwayPlace {
  Home = 'home',
  Workplace = 'workplace',
  School = 'school',
  Vehicle = 'vehicle',
  ChildrenSchoolOrChildcare = 'children-school-or-childcare',
  WhereverPetitionerMayBe = 'wherever-petitioner-may-be',
}

export enum OtherCaseKind {
  ProtectiveOrder = 'protective-order',
  Divorce = 'divorce',
  Custody = 'custody',
  ChildSupport = 'child-support',
  Criminal = 'criminal',
  Other = 'other',
}
