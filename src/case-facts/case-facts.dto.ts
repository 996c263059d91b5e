import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDate, Nested, Text, TextList } from '../common/validation/validators';
import {
  AbuseAct,
  Gender,
  LivesWith,
  MailingAddressKind,
  OtherCaseKind,
  ProtectedPersonKind,
  RelationshipCategory,
  StayAwayPlace,
  YesNoUnknown,
} from './case-facts.enums';
import { ChildNotOlderThanParent, OneOf } from './case-facts.rules';

/** Limits: generous enough for any real filing, bounded so nothing is unbounded. */
export const LIMITS = {
  name: 200,
  line: 300,
  paragraph: 4_000,
  narrative: 20_000,
  incidents: 50,
  people: 20,
  list: 20,
} as const;

export class PersonName {
  /** The name as the person writes it, in their own script and order. */
  @Text(LIMITS.name) full!: string;
  /** Parts, for forms that ask for last/first/middle separately. */
  @Text(LIMITS.name, { optional: true }) given?: string;
  @Text(LIMITS.name, { optional: true }) middle?: string;
  @Text(LIMITS.name, { optional: true }) family?: string;
}

export class Address {
  @Text(LIMITS.line) street!: string;
  @Text(LIMITS.line, { optional: true }) unit?: string;
  @Text(LIMITS.line) city!: string;
  @Matches(/^[A-Z]{2}$/, { message: 'state must be a two-letter code such as CA' })
  state!: string;
  /** A string, so leading zeros (02108) survive. */
  @Matches(/^\d{5}(-\d{4})?$/, {
    message: 'postalCode must be a ZIP code such as 02108 or 02108-1234',
  })
  postalCode!: string;
}

export class MailingAddress extends Address {
  @IsEnum(MailingAddressKind) kind!: MailingAddressKind;
  /** Who receives mail there, e.g. the attorney's firm or "Safe at Home program". */
  @Text(LIMITS.line, { optional: true }) careOf?: string;
}

export class Petitioner {
  @Nested(() => PersonName) name!: PersonName;
  @TextList(LIMITS.list, LIMITS.name) otherNames?: string[];
  @IsCalendarDate({ notFuture: true })
  @OneOf(['dateOfBirth', 'age'])
  dateOfBirth?: string;
  @IsOptional() @IsInt() @Min(0) @Max(130) age?: number;
  @IsEnum(Gender) gender!: Gender;
  /** Language the petitioner is most comfortable in (free text, e.g. "Spanish"). */
  @Text(LIMITS.name) language!: string;
  @IsBoolean() interpreterNeeded!: boolean;
  @ValidateIf((o: Petitioner) => o.interpreterNeeded === true)
  @Text(LIMITS.name)
  interpreterLanguage?: string;
  /** Where the court and the respondent's papers may reach the petitioner: may be a substitute. */
  @Nested(() => MailingAddress) mailingAddress!: MailingAddress;
  /** Where the petitioner actually lives: confidential to the court. */
  @Nested(() => Address, { optional: true }) residentialAddress?: Address;
  @IsOptional()
  @Matches(/^[+0-9 ().-]{7,25}$/, { message: 'safePhone must be a phone number' })
  safePhone?: string;
  @IsOptional()
  @IsEmail({}, { message: 'safeEmail must be an email address' })
  @MaxLength(254)
  safeEmail?: string;
}

export class Workplace {
  @Text(LIMITS.line) name!: string;
  @Nested(() => Address, { optional: true }) address?: Address;
}

export class PhysicalDescription {
  @Text(LIMITS.name, { optional: true }) height?: string;
  @Text(LIMITS.name, { optional: true }) weight?: string;
  @Text(LIMITS.name, { optional: true }) hairColor?: string;
  @Text(LIMITS.name, { optional: true }) eyeColor?: string;
  @Text(LIMITS.line, { optional: true }) distinguishingMarks?: string;
}

export class Vehicle {
  @Text(LIMITS.name, { optional: true }) make?: string;
  @Text(LIMITS.name, { optional: true }) model?: string;
  @Text(LIMITS.name, { optional: true }) color?: string;
  @IsOptional() @IsInt() @Min(1900) @Max(2100) year?: number;
  @Text(LIMITS.name, { optional: true }) licensePlate?: string;
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'plateState must be a two-letter code' })
  plateState?: string;
}

export class Firearm {
  /** Kind as the petitioner knows it: "handgun", "rifle", "shotgun", ... */
  @Text(LIMITS.name) kind!: string;
  @IsOptional() @IsInt() @Min(1) @Max(1000) count?: number;
  /** Where it is kept, if known. */
  @Text(LIMITS.line, { optional: true }) location?: string;
}

export class Firearms {
  @IsEnum(YesNoUnknown) has!: YesNoUnknown;
  @ValidateIf((o: Firearms) => o.has === YesNoUnknown.Yes)
  @Nested(() => Firearm, { list: LIMITS.list })
  items?: Firearm[];
}

export class Respondent {
  @Nested(() => PersonName) name!: PersonName;
  @TextList(LIMITS.list, LIMITS.name) aliases?: string[];
  @IsOptional() @IsCalendarDate({ notFuture: true }) dateOfBirth?: string;
  @IsOptional() @IsInt() @Min(0) @Max(130) approximateAge?: number;
  @IsOptional() @IsEnum(Gender) gender?: Gender;
  @Text(LIMITS.name, { optional: true }) race?: string;
  @Nested(() => PhysicalDescription, { optional: true }) description?: PhysicalDescription;
  @Nested(() => Address, { optional: true }) address?: Address;
  @Nested(() => Workplace, { optional: true }) workplace?: Workplace;
  @Nested(() => Vehicle, { optional: true }) vehicle?: Vehicle;
  @Nested(() => Firearms) firearms!: Firearms;
}

export class Relationship {
  @IsArray()
  @ArrayMinSize(1, { message: 'relationship.categories must name at least one relationship' })
  @ArrayUnique()
  @IsEnum(RelationshipCategory, { each: true })
  categories!: RelationshipCategory[];
  /** Plain words, e.g. "We dated from 2019 until March 2024." */
  @Text(LIMITS.paragraph, { optional: true }) description?: string;
}

export class ProtectedPerson {
  @IsEnum(ProtectedPersonKind) kind!: ProtectedPersonKind;
  @Nested(() => PersonName) name!: PersonName;
  @IsCalendarDate({ notFuture: true })
  @OneOf(['dateOfBirth', 'age'])
  dateOfBirth?: string;
  @IsOptional() @IsInt() @Min(0) @Max(130) age?: number;
  @IsOptional() @IsEnum(Gender) gender?: Gender;
  /** Relationship to the petitioner: "daughter", "mother", ... */
  @Text(LIMITS.name) relationshipToPetitioner!: string;
  @Text(LIMITS.name, { optional: true }) relationshipToRespondent?: string;
  @IsEnum(LivesWith) livesWith!: LivesWith;
}

export class DateRange {
  @IsCalendarDate({ notFuture: true }) from!: string;
  @IsCalendarDate({ notFuture: true }) to!: string;
}

export class PoliceResponse {
  @IsBoolean() called!: boolean;
  @Text(LIMITS.name, { optional: true }) agency?: string;
  @Text(LIMITS.name, { optional: true }) reportNumber?: string;
}

export class MedicalCare {
  @IsBoolean() received!: boolean;
  @Text(LIMITS.line, { optional: true }) details?: string;
}

export class Incident {
  @IsCalendarDate({ notFuture: true })
  @OneOf(['date', 'dateRange'], { exactlyOne: true })
  date?: string;
  @Nested(() => DateRange, { optional: true }) dateRange?: DateRange;
  /** The petitioner remembers roughly when, not the exact day. */
  @IsOptional() @IsBoolean() dateIsApproximate?: boolean;
  @Text(LIMITS.line) place!: string;
  @IsArray()
  @ArrayMaxSize(Object.keys(AbuseAct).length)
  @ArrayUnique()
  @IsEnum(AbuseAct, { each: true })
  acts!: AbuseAct[];
  @Text(LIMITS.paragraph, { optional: true }) otherActs?: string;
  @TextList(LIMITS.list, LIMITS.line) weapons?: string[];
  @Text(LIMITS.paragraph, { optional: true }) injuries?: string;
  @Nested(() => MedicalCare, { optional: true }) medicalCare?: MedicalCare;
  @Nested(() => PoliceResponse, { optional: true }) police?: PoliceResponse;
  @TextList(LIMITS.list, LIMITS.name) witnesses?: string[];
  /** Full names of protected children who saw or heard it, as written in `protectedPersons`. */
  @TextList(LIMITS.people, LIMITS.name) childrenPresent?: string[];
  @Text(LIMITS.narrative) narrative!: string;
}

export class StayAwayOrder {
  @IsBoolean() requested!: boolean;
  @ValidateIf((o: StayAwayOrder) => o.requested === true)
  @IsInt()
  @Min(1)
  @Max(1000)
  distanceYards?: number;
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(StayAwayPlace, { each: true })
  places?: StayAwayPlace[];
  @TextList(LIMITS.list, LIMITS.line) otherPlaces?: string[];
}

export class RequestedToggle {
  @IsBoolean() requested!: boolean;
  @Text(LIMITS.paragraph, { optional: true }) details?: string;
}

export class Pet {
  @Text(LIMITS.name) name!: string;
  @Text(LIMITS.name) kind!: string;
}

export class PetsOrder {
  @IsBoolean() requested!: boolean;
  @Nested(() => Pet, { optional: true, list: LIMITS.list }) pets?: Pet[];
}

export class SupportOrder {
  @IsBoolean() child!: boolean;
  @IsBoolean() spousal!: boolean;
}

export class RequestedOrders {
  /** Do not abuse, harass, threaten, stalk or disturb the peace. */
  @IsBoolean() personalConduct!: boolean;
  @IsBoolean() noContact!: boolean;
  @Nested(() => StayAwayOrder) stayAway!: StayAwayOrder;
  @Nested(() => RequestedToggle) moveOut!: RequestedToggle;
  @Nested(() => RequestedToggle) custody!: RequestedToggle;
  @Nested(() => RequestedToggle) visitation!: RequestedToggle;
  @IsBoolean() firearmSurrender!: boolean;
  @Nested(() => PetsOrder) pets!: PetsOrder;
  @Nested(() => RequestedToggle) property!: RequestedToggle;
  @Nested(() => SupportOrder) support!: SupportOrder;
  @Text(LIMITS.paragraph, { optional: true }) other?: string;
}

export class OtherCase {
  @IsEnum(OtherCaseKind) kind!: OtherCaseKind;
  @Text(LIMITS.line) court!: string;
  @Text(LIMITS.name, { optional: true }) caseNumber?: string;
  @IsOptional() @IsInt() @Min(1950) @Max(2100) year?: number;
  /** Whether an order from that case is in effect now. */
  @IsOptional() @IsBoolean() orderInEffect?: boolean;
  @Text(LIMITS.line, { optional: true }) notes?: string;
}

export class Court {
  @Matches(/^[A-Z]{2}$/, { message: 'state must be a two-letter code such as CA' })
  state!: string;
  @Text(LIMITS.name) county!: string;
  @Text(LIMITS.line) name!: string;
  @Text(LIMITS.line, { optional: true }) address?: string;
  @Text(LIMITS.name, { optional: true }) caseNumber?: string;
}

export class Signature {
  @Text(LIMITS.name) typedName!: string;
  @IsCalendarDate({ notFuture: true }) date!: string;
  @Text(LIMITS.name) city!: string;
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'state must be a two-letter code' })
  state?: string;
}

export class Attorney {
  @Text(LIMITS.name) name!: string;
  @Text(LIMITS.name, { optional: true }) barNumber?: string;
  @Text(LIMITS.line, { optional: true }) firm?: string;
  @Text(LIMITS.name, { optional: true }) phone?: string;
  @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

/**
 * The one canonical model of a case: every surface (API, interview, batch, CLI) produces this,
 * and every pack maps from it.
 */
export class CaseFacts {
  @Nested(() => Petitioner) petitioner!: Petitioner;
  @Nested(() => Attorney, { optional: true }) attorney?: Attorney;
  @Nested(() => Respondent) respondent!: Respondent;
  @Nested(() => Relationship) relationship!: Relationship;
  @ChildNotOlderThanParent()
  @Nested(() => ProtectedPerson, { list: LIMITS.people })
  protectedPersons!: ProtectedPerson[];
  @ArrayMinSize(1, { message: 'incidents must describe at least one incident' })
  @Nested(() => Incident, { list: LIMITS.incidents })
  incidents!: Incident[];
  @Nested(() => RequestedOrders) requestedOrders!: RequestedOrders;
  @Nested(() => OtherCase, { list: LIMITS.list }) otherCases!: OtherCase[];
  @Nested(() => Court) court!: Court;
  @Nested(() => Signature) signature!: Signature;
}
