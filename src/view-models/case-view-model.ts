import {
  Address,
  CaseFacts,
  Incident,
  PersonName,
  ProtectedPerson,
  RequestedToggle,
} from '../case-facts/case-facts.dto';
import {
  AbuseAct,
  LivesWith,
  MailingAddressKind,
  ProtectedPersonKind,
  RelationshipCategory,
  StayAwayPlace,
  YesNoUnknown,
} from '../case-facts/case-facts.enums';
import { yearsBetween } from '../common/validation/calendar-date';
import { capitalize, formDate, joinWords, longDate } from './formatting';
import {
  ACT_LABEL,
  GENDER_LABEL,
  LIVES_WITH_LABEL,
  MAILING_KIND_LABEL,
  OTHER_CASE_LABEL,
  RELATIONSHIP_LABEL,
  STATE_NAME,
  STAY_AWAY_LABEL,
} from './labels';

/**
 * What every template and form mapping sees: computed here, in TypeScript, so templates stay
 * dumb (plain tags, loops, conditions). Every leaf is a string, a boolean or a list, never
 * undefined, so a tag with no value is a bug lint can find rather than a blank on a filing.
 */

export interface AddressView {
  present: boolean;
  street: string;
  unit: string;
  /** Street and unit on one line. */
  streetLine: string;
  city: string;
  state: string;
  postalCode: string;
  cityStateZip: string;
  oneLine: string;
}

export interface NameView {
  full: string;
  given: string;
  middle: string;
  family: string;
}

export interface PersonView {
  name: NameView;
  fullName: string;
  dateOfBirth: string;
  dateOfBirthLong: string;
  age: string;
  gender: string;
  genderLabel: string;
}

export interface ProtectedPersonView extends PersonView {
  number: number;
  isChild: boolean;
  relationshipToPetitioner: string;
  relationshipToRespondent: string;
  livesWith: string;
  livesWithLabel: string;
}

export interface IncidentView {
  number: number;
  /** The start date as a form writes it (MM/DD/YYYY). */
  dateForm: string;
  /** "On October 3, 2026" / "On or about October 3, 2026" / "Between August 1, 2026 and ...". */
  when: string;
  date: string;
  dateFrom: string;
  dateTo: string;
  isRange: boolean;
  isApproximate: boolean;
  place: string;
  acts: string;
  hasActs: boolean;
  /** The acts as their codes (`choked`, `stalked`, ...), for conditions. */
  actCodes: string[];
  otherActs: string;
  hasOtherActs: boolean;
  weapons: string;
  hasWeapons: boolean;
  injuries: string;
  hasInjuries: boolean;
  medicalCare: string;
  receivedMedicalCare: boolean;
  policeCalled: boolean;
  police: string;
  policeReportNumber: string;
  policeAgency: string;
  witnesses: string;
  hasWitnesses: boolean;
  childrenPresent: string;
  hasChildrenPresent: boolean;
  narrative: string;
}

export interface ToggleView {
  requested: boolean;
  details: string;
}

export interface OtherCaseView {
  kind: string;
  kindLabel: string;
  court: string;
  caseNumber: string;
  year: string;
  orderInEffect: boolean;
  notes: string;
}

export interface CaseViewModel {
  court: {
    state: string;
    /** "California": pleadings name the state in words. */
    stateName: string;
    county: string;
    name: string;
    address: string;
    /** Name and address on one line, as a form's court box wants them. */
    nameAndAddress: string;
    caseNumber: string;
  };
  /**
   * Phone and email for papers the respondent receives: the attorney's when represented, else
   * blank. The petitioner's own safe phone and email are confidential and never go there.
   */
  contactPhone: string;
  contactEmail: string;
  petitioner: PersonView & {
    otherNames: string;
    language: string;
    interpreterNeeded: boolean;
    interpreterLanguage: string;
    mailing: AddressView & {
      kind: string;
      kindLabel: string;
      careOf: string;
      /** "c/o Bay Legal Aid, 1735 Telegraph Avenue, ..." */
      oneLineWithCareOf: string;
    };
    /** The mailing address is not where the petitioner lives, so it may be shown to the respondent. */
    hasSafeMailingAddress: boolean;
    residence: AddressView;
    safePhone: string;
    safeEmail: string;
  };
  attorney: {
    present: boolean;
    name: string;
    barNumber: string;
    firm: string;
    phone: string;
    email: string;
  };
  respondent: PersonView & {
    aliases: string;
    race: string;
    height: string;
    weight: string;
    hairColor: string;
    eyeColor: string;
    distinguishingMarks: string;
    address: AddressView;
    workplaceName: string;
    workplace: AddressView;
    vehicle: {
      present: boolean;
      description: string;
      make: string;
      model: string;
      color: string;
      year: string;
      licensePlate: string;
      plateState: string;
    };
    firearms: {
      has: string;
      yes: boolean;
      no: boolean;
      unknown: boolean;
      description: string;
      items: { kind: string; count: string; location: string }[];
    };
  };
  relationship: Record<RelationshipKey, boolean> & {
    categories: string[];
    /** "The Petitioner and the Respondent were married to each other and have ..." */
    statement: string;
    description: string;
    hasDescription: boolean;
  };
  protectedPersons: ProtectedPersonView[];
  hasProtectedPersons: boolean;
  children: ProtectedPersonView[];
  hasChildren: boolean;
  householdMembers: ProtectedPersonView[];
  hasHouseholdMembers: boolean;
  /** Oldest first: the order a declaration tells them. */
  incidents: IncidentView[];
  /** The latest incident, which most forms ask about first. */
  mostRecentIncident: IncidentView;
  /** Every other incident, newest first: what forms ask for after the most recent one. */
  otherIncidents: IncidentView[];
  hasOtherIncidents: boolean;
  /** All incidents as sworn paragraphs, oldest first, for forms with one large statement box. */
  statementOfFacts: string;
  /** The statutory kinds of abuse across all incidents, for forms that tick them. */
  abuse: {
    causedPhysicalHarm: boolean;
    attemptedPhysicalHarm: boolean;
    placedInFear: boolean;
    forcedSexualRelations: boolean;
    usedWeapon: boolean;
  };
  orders: {
    personalConduct: boolean;
    noContact: boolean;
    stayAway: {
      requested: boolean;
      distanceYards: string;
      /** Blank when the usual 100 yards is asked for, for forms with a 100-yards box. */
      otherDistanceYards: string;
      places: string;
      otherPlaces: string;
      home: boolean;
      workplace: boolean;
      school: boolean;
      vehicle: boolean;
      childrenSchool: boolean;
      whereverPetitionerMayBe: boolean;
    };
    moveOut: ToggleView;
    custody: ToggleView;
    visitation: ToggleView;
    firearmSurrender: boolean;
    pets: ToggleView & { list: string; items: { name: string; kind: string }[] };
    property: ToggleView;
    support: { child: boolean; spousal: boolean; any: boolean };
    other: string;
    hasOther: boolean;
  };
  otherCases: OtherCaseView[];
  hasOtherCases: boolean;
  signature: {
    typedName: string;
    date: string;
    dateLong: string;
    city: string;
    state: string;
    place: string;
  };
}

type RelationshipKey =
  | 'married'
  | 'formerlyMarried'
  | 'dating'
  | 'formerlyDating'
  | 'engaged'
  | 'childInCommon'
  | 'relatedByBlood'
  | 'relatedByMarriage'
  | 'liveTogether'
  | 'livedTogether';

const RELATIONSHIP_KEYS: Record<RelationshipCategory, RelationshipKey> = {
  [RelationshipCategory.Married]: 'married',
  [RelationshipCategory.FormerlyMarried]: 'formerlyMarried',
  [RelationshipCategory.Dating]: 'dating',
  [RelationshipCategory.FormerlyDating]: 'formerlyDating',
  [RelationshipCategory.Engaged]: 'engaged',
  [RelationshipCategory.ChildInCommon]: 'childInCommon',
  [RelationshipCategory.RelatedByBlood]: 'relatedByBlood',
  [RelationshipCategory.RelatedByMarriage]: 'relatedByMarriage',
  [RelationshipCategory.LiveTogether]: 'liveTogether',
  [RelationshipCategory.LivedTogether]: 'livedTogether',
};

export function buildCaseViewModel(facts: CaseFacts): CaseViewModel {
  // Ages are as of the day the petitioner signs, so a packet regenerated later says the same.
  const asOf = facts.signature.date;
  const protectedPersons = facts.protectedPersons.map((p, i) => protectedPersonView(p, i, asOf));
  const children = protectedPersons.filter((p) => p.isChild);
  const householdMembers = protectedPersons.filter((p) => !p.isChild);
  const incidents = sortIncidents(facts.incidents).map((inc, i) => incidentView(inc, i));
  const newestFirst = [...incidents].sort((a, b) => incidentEnd(b).localeCompare(incidentEnd(a)));
  const mostRecent = newestFirst[0];
  const p = facts.petitioner;
  const r = facts.respondent;
  const mailing = p.mailingAddress;

  return {
    court: {
      state: facts.court.state,
      stateName: STATE_NAME[facts.court.state] ?? facts.court.state,
      county: facts.court.county,
      name: facts.court.name,
      address: facts.court.address ?? '',
      nameAndAddress: [facts.court.name, facts.court.address].filter(Boolean).join(', '),
      caseNumber: facts.court.caseNumber ?? '',
    },
    contactPhone: facts.attorney?.phone ?? '',
    contactEmail: facts.attorney?.email ?? '',
    petitioner: {
      ...personView(p.name, p.dateOfBirth, p.age, p.gender, asOf),
      otherNames: (p.otherNames ?? []).join(', '),
      language: p.language,
      interpreterNeeded: p.interpreterNeeded,
      interpreterLanguage: p.interpreterNeeded ? (p.interpreterLanguage ?? '') : '',
      mailing: {
        ...addressView(mailing),
        kind: mailing.kind,
        kindLabel: MAILING_KIND_LABEL[mailing.kind],
        careOf: mailing.careOf ?? '',
        oneLineWithCareOf: [
          mailing.careOf ? `c/o ${mailing.careOf}` : '',
          addressView(mailing).oneLine,
        ]
          .filter(Boolean)
          .join(', '),
      },
      hasSafeMailingAddress: mailing.kind !== MailingAddressKind.Residential,
      residence: addressView(p.residentialAddress),
      safePhone: p.safePhone ?? '',
      safeEmail: p.safeEmail ?? '',
    },
    attorney: {
      present: facts.attorney !== undefined,
      name: facts.attorney?.name ?? '',
      barNumber: facts.attorney?.barNumber ?? '',
      firm: facts.attorney?.firm ?? '',
      phone: facts.attorney?.phone ?? '',
      email: facts.attorney?.email ?? '',
    },
    respondent: {
      ...personView(r.name, r.dateOfBirth, r.approximateAge, r.gender, asOf),
      aliases: (r.aliases ?? []).join(', '),
      race: r.race ?? '',
      height: r.description?.height ?? '',
      weight: r.description?.weight ?? '',
      hairColor: r.description?.hairColor ?? '',
      eyeColor: r.description?.eyeColor ?? '',
      distinguishingMarks: r.description?.distinguishingMarks ?? '',
      address: addressView(r.address),
      workplaceName: r.workplace?.name ?? '',
      workplace: addressView(r.workplace?.address),
      vehicle: vehicleView(facts),
      firearms: firearmsView(facts),
    },
    relationship: relationshipView(facts),
    protectedPersons,
    hasProtectedPersons: protectedPersons.length > 0,
    children,
    hasChildren: children.length > 0,
    householdMembers,
    hasHouseholdMembers: householdMembers.length > 0,
    incidents,
    mostRecentIncident: mostRecent,
    otherIncidents: newestFirst.slice(1),
    hasOtherIncidents: newestFirst.length > 1,
    statementOfFacts: incidents.map(incidentParagraph).join('\n\n'),
    abuse: abuseKinds(facts.incidents),
    orders: ordersView(facts),
    otherCases: facts.otherCases.map((c) => ({
      kind: c.kind,
      kindLabel: OTHER_CASE_LABEL[c.kind],
      court: c.court,
      caseNumber: c.caseNumber ?? '',
      year: c.year === undefined ? '' : String(c.year),
      orderInEffect: c.orderInEffect === true,
      notes: c.notes ?? '',
    })),
    hasOtherCases: facts.otherCases.length > 0,
    signature: {
      typedName: facts.signature.typedName,
      date: formDate(facts.signature.date),
      dateLong: longDate(facts.signature.date),
      city: facts.signature.city,
      state: facts.signature.state ?? '',
      place: [facts.signature.city, facts.signature.state].filter(Boolean).join(', '),
    },
  };
}

function nameView(n: PersonName): NameView {
  return { full: n.full, given: n.given ?? '', middle: n.middle ?? '', family: n.family ?? '' };
}

function personView(
  name: PersonName,
  dob: string | undefined,
  age: number | undefined,
  gender: string | undefined,
  asOf: string,
): PersonView {
  const computedAge = dob ? yearsBetween(dob, asOf) : age;
  return {
    name: nameView(name),
    fullName: name.full,
    dateOfBirth: formDate(dob),
    dateOfBirthLong: longDate(dob),
    age: computedAge === undefined ? '' : String(computedAge),
    gender: gender ?? '',
    genderLabel: gender ? GENDER_LABEL[gender as keyof typeof GENDER_LABEL] : '',
  };
}

function protectedPersonView(p: ProtectedPerson, i: number, asOf: string): ProtectedPersonView {
  return {
    ...personView(p.name, p.dateOfBirth, p.age, p.gender, asOf),
    number: i + 1,
    isChild: p.kind === ProtectedPersonKind.Child,
    relationshipToPetitioner: p.relationshipToPetitioner,
    relationshipToRespondent: p.relationshipToRespondent ?? '',
    livesWith: p.livesWith,
    livesWithLabel: LIVES_WITH_LABEL[p.livesWith as LivesWith],
  };
}

export function addressView(a: Address | undefined): AddressView {
  if (!a) {
    return {
      present: false,
      street: '',
      unit: '',
      streetLine: '',
      city: '',
      state: '',
      postalCode: '',
      cityStateZip: '',
      oneLine: '',
    };
  }
  const streetLine = a.unit ? `${a.street}, ${a.unit}` : a.street;
  const cityStateZip = `${a.city}, ${a.state} ${a.postalCode}`;
  return {
    present: true,
    street: a.street,
    unit: a.unit ?? '',
    streetLine,
    city: a.city,
    state: a.state,
    postalCode: a.postalCode,
    cityStateZip,
    oneLine: `${streetLine}, ${cityStateZip}`,
  };
}

function incidentStart(i: Incident): string {
  return i.date ?? i.dateRange?.from ?? '';
}

function incidentEnd(i: IncidentView): string {
  return i.isRange ? i.dateTo : i.date;
}

function sortIncidents(incidents: Incident[]): Incident[] {
  return [...incidents].sort((a, b) => incidentStart(a).localeCompare(incidentStart(b)));
}

function whenText(i: Incident): string {
  if (i.dateRange) {
    const range = `between ${longDate(i.dateRange.from)} and ${longDate(i.dateRange.to)}`;
    return capitalize(i.dateIsApproximate ? `at some time ${range}` : range);
  }
  return i.dateIsApproximate ? `On or about ${longDate(i.date)}` : `On ${longDate(i.date)}`;
}

function incidentView(i: Incident, index: number): IncidentView {
  const weapons = i.weapons ?? [];
  const witnesses = i.witnesses ?? [];
  const children = i.childrenPresent ?? [];
  const police = i.police;
  return {
    number: index + 1,
    dateForm: formDate(i.date ?? i.dateRange?.from),
    when: whenText(i),
    date: i.date ?? i.dateRange?.from ?? '',
    dateFrom: i.dateRange?.from ?? i.date ?? '',
    dateTo: i.dateRange?.to ?? i.date ?? '',
    isRange: i.dateRange !== undefined,
    isApproximate: i.dateIsApproximate === true,
    place: i.place,
    acts: joinWords(i.acts.map((a) => ACT_LABEL[a])),
    hasActs: i.acts.length > 0,
    actCodes: [...i.acts],
    otherActs: i.otherActs ?? '',
    hasOtherActs: Boolean(i.otherActs),
    weapons: joinWords(weapons),
    hasWeapons: weapons.length > 0,
    injuries: i.injuries ?? '',
    hasInjuries: Boolean(i.injuries),
    medicalCare: i.medicalCare?.received
      ? `I received medical care${i.medicalCare.details ? `: ${i.medicalCare.details}` : ''}.`
      : '',
    receivedMedicalCare: i.medicalCare?.received === true,
    policeCalled: police?.called === true,
    police: police?.called ? policeText(police.agency, police.reportNumber) : '',
    policeReportNumber: police?.reportNumber ?? '',
    policeAgency: police?.agency ?? '',
    witnesses: joinWords(witnesses),
    hasWitnesses: witnesses.length > 0,
    childrenPresent: joinWords(children),
    hasChildrenPresent: children.length > 0,
    narrative: i.narrative,
  };
}

const PHYSICAL: AbuseAct[] = [
  AbuseAct.Hit,
  AbuseAct.Slapped,
  AbuseAct.Punched,
  AbuseAct.Kicked,
  AbuseAct.Pushed,
  AbuseAct.Choked,
  AbuseAct.Bit,
  AbuseAct.PulledHair,
  AbuseAct.SexualAssault,
];
const ATTEMPTED: AbuseAct[] = [AbuseAct.ThrewObject, AbuseAct.ThreatenedWithWeapon];
const FEAR: AbuseAct[] = [
  AbuseAct.ThreatenedToKill,
  AbuseAct.ThreatenedToHarm,
  AbuseAct.ThreatenedWithWeapon,
  AbuseAct.Stalked,
  AbuseAct.HeldAgainstWill,
  AbuseAct.HarmedAnimal,
];

/**
 * The kinds of abuse statutes define (e.g. G.L. c. 209A s. 1: attempting to cause or causing
 * physical harm, placing in fear of imminent serious physical harm, causing sexual relations by
 * force or threat), derived from the acts so the petitioner never has to classify them.
 */
function abuseKinds(incidents: Incident[]): CaseViewModel['abuse'] {
  const acts = new Set(incidents.flatMap((i) => i.acts));
  const any = (list: AbuseAct[]) => list.some((a) => acts.has(a));
  const injured = incidents.some((i) => Boolean(i.injuries) || i.medicalCare?.received === true);
  return {
    causedPhysicalHarm: any(PHYSICAL) || injured,
    attemptedPhysicalHarm: any(PHYSICAL) || any(ATTEMPTED),
    placedInFear: any(FEAR),
    forcedSexualRelations: acts.has(AbuseAct.SexualAssault),
    usedWeapon:
      any([AbuseAct.ThreatenedWithWeapon]) || incidents.some((i) => (i.weapons ?? []).length > 0),
  };
}

/** One incident as the sworn statement tells it: when, where, what, then the petitioner's words. */
function incidentParagraph(i: IncidentView): string {
  const facts = [
    `${i.when}, at ${i.place}${i.hasActs ? `, the Respondent ${i.acts}` : ''}.`,
    i.otherActs,
    i.narrative,
    i.hasWeapons ? `Weapons: ${i.weapons}.` : '',
    i.hasInjuries ? `Injuries: ${i.injuries}` : '',
    i.medicalCare,
    i.police,
    i.hasChildrenPresent ? `Children present: ${i.childrenPresent}.` : '',
    i.hasWitnesses ? `Witnesses: ${i.witnesses}.` : '',
  ];
  return facts.filter(Boolean).join(' ');
}

function policeText(agency: string | undefined, report: string | undefined): string {
  const who = agency ? `The ${agency} was called` : 'The police were called';
  return report ? `${who} (report number ${report}).` : `${who}.`;
}

function vehicleView(facts: CaseFacts): CaseViewModel['respondent']['vehicle'] {
  const v = facts.respondent.vehicle;
  const year = v?.year === undefined ? '' : String(v.year);
  const plate = v?.licensePlate
    ? `license plate ${v.licensePlate}${v.plateState ? ` (${v.plateState})` : ''}`
    : '';
  const description = [[v?.color, year, v?.make, v?.model].filter(Boolean).join(' '), plate]
    .filter(Boolean)
    .join(', ');
  return {
    present: description.length > 0,
    description,
    make: v?.make ?? '',
    model: v?.model ?? '',
    color: v?.color ?? '',
    year,
    licensePlate: v?.licensePlate ?? '',
    plateState: v?.plateState ?? '',
  };
}

function firearmsView(facts: CaseFacts): CaseViewModel['respondent']['firearms'] {
  const f = facts.respondent.firearms;
  const items = f.has === YesNoUnknown.Yes ? (f.items ?? []) : [];
  return {
    has: f.has,
    yes: f.has === YesNoUnknown.Yes,
    no: f.has === YesNoUnknown.No,
    unknown: f.has === YesNoUnknown.Unknown,
    description: items
      .map((it) =>
        [`${it.count && it.count > 1 ? `${it.count} ` : ''}${it.kind}`, it.location]
          .filter(Boolean)
          .join(', kept in '),
      )
      .join('; '),
    items: items.map((it) => ({
      kind: it.kind,
      count: it.count === undefined ? '' : String(it.count),
      location: it.location ?? '',
    })),
  };
}

function relationshipView(facts: CaseFacts): CaseViewModel['relationship'] {
  const cats = facts.relationship.categories;
  const flags = Object.fromEntries(
    Object.entries(RELATIONSHIP_KEYS).map(([cat, key]) => [
      key,
      cats.includes(cat as RelationshipCategory),
    ]),
  ) as Record<RelationshipKey, boolean>;
  return {
    ...flags,
    categories: [...cats],
    statement: `The Petitioner and the Respondent ${joinWords(cats.map((c) => RELATIONSHIP_LABEL[c]))}.`,
    description: facts.relationship.description ?? '',
    hasDescription: Boolean(facts.relationship.description),
  };
}

function toggle(t: RequestedToggle): ToggleView {
  return { requested: t.requested, details: t.requested ? (t.details ?? '') : '' };
}

function ordersView(facts: CaseFacts): CaseViewModel['orders'] {
  const o = facts.requestedOrders;
  const places = o.stayAway.requested ? (o.stayAway.places ?? []) : [];
  const otherPlaces = o.stayAway.requested ? (o.stayAway.otherPlaces ?? []) : [];
  const pets = o.pets.requested ? (o.pets.pets ?? []) : [];
  return {
    personalConduct: o.personalConduct,
    noContact: o.noContact,
    stayAway: {
      requested: o.stayAway.requested,
      distanceYards: o.stayAway.requested ? String(o.stayAway.distanceYards ?? '') : '',
      otherDistanceYards:
        o.stayAway.requested && o.stayAway.distanceYards !== 100
          ? String(o.stayAway.distanceYards ?? '')
          : '',
      places: joinWords([...places.map((p) => STAY_AWAY_LABEL[p]), ...otherPlaces]),
      otherPlaces: otherPlaces.join(', '),
      home: places.includes(StayAwayPlace.Home),
      workplace: places.includes(StayAwayPlace.Workplace),
      school: places.includes(StayAwayPlace.School),
      vehicle: places.includes(StayAwayPlace.Vehicle),
      childrenSchool: places.includes(StayAwayPlace.ChildrenSchoolOrChildcare),
      whereverPetitionerMayBe: places.includes(StayAwayPlace.WhereverPetitionerMayBe),
    },
    moveOut: toggle(o.moveOut),
    custody: toggle(o.custody),
    visitation: toggle(o.visitation),
    firearmSurrender: o.firearmSurrender,
    pets: {
      ...toggle(o.pets),
      list: pets.map((p) => `${p.name} (${p.kind})`).join(', '),
      items: pets.map((p) => ({ name: p.name, kind: p.kind })),
    },
    property: toggle(o.property),
    support: {
      child: o.support.child,
      spousal: o.support.spousal,
      any: o.support.child || o.support.spousal,
    },
    other: o.other ?? '',
    hasOther: Boolean(o.other),
  };
}
