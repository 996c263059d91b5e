import type { Address, CaseFacts } from '../case-facts/case-facts.dto';
import { MailingAddressKind } from '../case-facts/case-facts.enums';
import { digitsView, normalizeForMatch } from './normalize';

/** Who may see a value. Ordered from least to most restricted. */
export enum Sensitivity {
  Public = 'public',
  /** The court (and law enforcement) only: never a respondent-facing page. */
  CourtConfidential = 'court-confidential',
  /** Needed by whoever serves the respondent; no reason for anyone else to hold it. */
  LawEnforcementOnly = 'law-enforcement-only',
}

/**
 * CaseFacts paths (array indices left out) and their sensitivity. A path inherits the entry of
 * its longest listed prefix, so `petitioner.residentialAddress.street` is court-confidential.
 * Anything unlisted is public: the table names the exceptions so that a new confidential field
 * is a one-line, reviewable change here.
 */
export const SENSITIVITY_TABLE: ReadonlyArray<{ path: string; sensitivity: Sensitivity }> = [
  { path: 'petitioner.residentialAddress', sensitivity: Sensitivity.CourtConfidential },
  { path: 'petitioner.safePhone', sensitivity: Sensitivity.CourtConfidential },
  { path: 'petitioner.safeEmail', sensitivity: Sensitivity.CourtConfidential },
  // What an officer needs to find and recognise the respondent for service.
  { path: 'respondent.dateOfBirth', sensitivity: Sensitivity.LawEnforcementOnly },
  { path: 'respondent.approximateAge', sensitivity: Sensitivity.LawEnforcementOnly },
  { path: 'respondent.race', sensitivity: Sensitivity.LawEnforcementOnly },
  { path: 'respondent.description', sensitivity: Sensitivity.LawEnforcementOnly },
  { path: 'respondent.address', sensitivity: Sensitivity.LawEnforcementOnly },
  { path: 'respondent.workplace', sensitivity: Sensitivity.LawEnforcementOnly },
  { path: 'respondent.vehicle', sensitivity: Sensitivity.LawEnforcementOnly },
];

/** Sensitivity of a dotted CaseFacts path such as `petitioner.safePhone` or `incidents.2.place`. */
export function sensitivityOf(path: string): Sensitivity {
  const bare = path
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .join('.');
  let best: { path: string; sensitivity: Sensitivity } | undefined;
  for (const entry of SENSITIVITY_TABLE) {
    const covers = bare === entry.path || bare.startsWith(`${entry.path}.`);
    if (covers && (best === undefined || entry.path.length > best.path.length)) best = entry;
  }
  return best?.sensitivity ?? Sensitivity.Public;
}

/** How a confidential value is searched for in extracted text. */
export type MatchKind = 'text' | 'digits';

export interface ConfidentialValue {
  /** CaseFacts path, e.g. `petitioner.safePhone`. Safe to log: it names the field, not the value. */
  field: string;
  /** The value as entered. Never log it or put it in an error. */
  value: string;
  /** Forms of the value any one of which, found in a document, is a leak. */
  parts: string[];
  /** `digits` parts are compared against the digits-only view of the text (phone numbers). */
  match: MatchKind;
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  'petitioner.residentialAddress': 'residential address',
  'petitioner.safePhone': 'safe phone number',
  'petitioner.safeEmail': 'safe email address',
};

/** Words for a field in a message to a person, e.g. "safe phone number". Never the value. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/**
 * Every value that must never reach the respondent, with the forms it may appear in.
 */
export function confidentialValues(facts: CaseFacts): ConfidentialValue[] {
  const { petitioner } = facts;
  const values: ConfidentialValue[] = [];
  const residence = petitioner.residentialAddress;
  if (residence !== undefined && !isDisclosedByChoice(facts, residence)) {
    values.push(residentialAddressValue(residence));
  }
  if (petitioner.safePhone !== undefined && digitsView(petitioner.safePhone).length > 0) {
    values.push(phoneValue(petitioner.safePhone));
  }
  if (petitioner.safeEmail !== undefined && petitioner.safeEmail.trim() !== '') {
    values.push({
      field: 'petitioner.safeEmail',
      value: petitioner.safeEmail,
      parts: [petitioner.safeEmail.trim()],
      match: 'text',
    });
  }
  return values;
}

/**
 * A petitioner whose mailing address is their residence has chosen to disclose it (the API warns
 * them before generation); blocking it would make every service copy unreleasable. Only the same
 * address is waived: a residence that differs from a "residential" mailing address is ambiguous
 * data, and the safe reading is that the real home is still secret.
 */
function isDisclosedByChoice(facts: CaseFacts, residence: Address): boolean {
  const mailing = facts.petitioner.mailingAddress;
  return mailing.kind === MailingAddressKind.Residential && sameAddress(mailing, residence);
}

function sameAddress(a: Address, b: Address): boolean {
  const key = (x: Address): string =>
    normalizeForMatch([x.street, x.unit ?? '', x.postalCode.slice(0, 5)].join(' '));
  return key(a) === key(b);
}

/**
 * The street line and the unit are searched for; the city, state and ZIP on their own are not:
 * they are shared by thousands of people, appear legitimately on every page (the court's own
 * address, the substitute mailing address), and blocking them would stop every release while
 * revealing little. The full address is listed too so a finding can say it was found whole.
 */
function residentialAddressValue(address: Address): ConfidentialValue {
  const street = address.street.trim();
  const unit = address.unit?.trim() ?? '';
  const full = [street, unit, address.city, `${address.state} ${address.postalCode}`]
    .filter((piece) => piece !== '')
    .join(', ');
  const parts = [street, full];
  if (unit !== '') parts.push(`${street} ${unit}`);
  if (isDistinctiveUnit(unit)) parts.push(unit);
  return {
    field: 'petitioner.residentialAddress',
    value: full,
    parts: unique(parts),
    match: 'text',
  };
}

/**
 * A unit alone ("Apt 3B", "#12") is searched for only when it carries a designator or letters:
 * a bare "3" would match every page number. A bare number is still caught with its street.
 */
function isDistinctiveUnit(unit: string): boolean {
  const normalized = normalizeForMatch(unit);
  return normalized !== '' && !/^\d{1,3}$/.test(normalized);
}

/**
 * The full digits, the 10-digit national number when a US country code was typed, and the last
 * 7 digits: a page that prints the local number without its area code still lets someone call.
 */
function phoneValue(phone: string): ConfidentialValue {
  const digits = digitsView(phone).replace(/\D/g, '');
  const parts = [digits];
  if (digits.length === 11 && digits.startsWith('1')) parts.push(digits.slice(1));
  if (digits.length > 7) parts.push(digits.slice(-7));
  return { field: 'petitioner.safePhone', value: phone, parts: unique(parts), match: 'digits' };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
