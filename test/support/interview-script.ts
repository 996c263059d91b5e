/**
 * One petitioner's answers to the shared interview, screen by screen (question id → answer), as a
 * JSON client or an HTML form would send them. The engine specs and the e2e test both follow it.
 */
export const SCRIPT: Record<string, Record<string, unknown>> = {
  'your-name': { 'petitioner-name': 'Ana Lucía Torres' },
  'your-birth': { 'petitioner-birth-date': '1990-04-25' },
  'your-gender': { 'petitioner-gender': 'female' },
  'your-language': {
    'petitioner-language': 'Spanish',
    'interpreter-needed': 'yes',
    'interpreter-language': 'Spanish',
  },
  'mailing-kind': { 'mailing-kind': 'po-box' },
  'mailing-address': {
    'mailing-address': { street: 'PO Box 4411', city: 'Fresno', state: 'ca', postalCode: '93701' },
  },
  'home-address': {},
  'safe-contact': {},
  'respondent-name': { 'respondent-name': 'Luis Ramos' },
  'respondent-about': { 'respondent-age': '40' },
  // Optional screens the petitioner skips: nothing is answered on them.
  'respondent-looks': {},
  'respondent-address': {},
  'respondent-work': {},
  'respondent-vehicle': {},
  'respondent-firearms': { 'firearms-has': 'yes' },
  'firearm-details': { 'firearm-kind': 'handgun', 'firearm-location': 'his truck' },
  relationship: { 'relationship-categories': ['formerly-dating', 'child-in-common'] },
  'person-name': { 'person-kind': 'child', 'person-name': 'Sofía Torres' },
  'person-birth': { 'person-birth-date': '2018-02-03' },
  'person-relationship': { 'person-relationship': 'daughter', 'person-lives-with': 'petitioner' },
  'incident-when': { 'incident-date': '2026-10-03' },
  'incident-where': { 'incident-place': 'the kitchen of my apartment' },
  'incident-acts': { 'incident-acts': ['pushed', 'threatened-to-harm'] },
  'incident-injuries': { 'incident-medical': 'no' },
  'incident-police': { 'incident-police-called': 'yes', 'incident-police-agency': 'Fresno PD' },
  'incident-witnesses': {},
  'incident-story': {
    'incident-narrative': 'He pushed me into the counter and said he would hurt me.',
  },
  'orders-conduct': { 'order-personal-conduct': 'yes', 'order-no-contact': 'yes' },
  'orders-stay-away': {
    'order-stay-away': 'yes',
    'order-stay-away-yards': '100',
    'order-stay-away-places': ['wherever-petitioner-may-be'],
  },
  'orders-move-out': { 'order-move-out': 'no' },
  'orders-children': {
    'order-custody': 'yes',
    'order-custody-details': 'Sofía stays with me.',
    'order-visitation': 'no',
    'order-child-support': 'no',
  },
  'orders-firearms': { 'order-firearm-surrender': 'yes' },
  'orders-pets': { 'order-pets': 'no' },
  'orders-property-support': { 'order-property': 'no', 'order-spousal-support': 'no' },
  'case-details': { 'case-kind': 'custody', 'case-court': 'Fresno County, CA' },
  court: {
    'court-state': 'CA',
    'court-county': 'Fresno',
    'court-name': 'Superior Court of California, County of Fresno',
  },
  signature: {
    'signature-name': 'Ana Lucía Torres',
    'signature-date': '2026-11-02',
    'signature-city': 'Fresno',
    'signature-state': 'CA',
  },
};

/** How many items the petitioner adds to each list. */
export const LIST_ITEMS: Record<string, number> = {
  firearms: 1,
  'protected-people': 1,
  incidents: 1,
  pets: 0,
  'other-cases': 0,
};
