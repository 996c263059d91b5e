import { join } from 'node:path';
import { Script, at, interviewDriver, visited } from '../../test/support/interview-driver';
import { LIST_ITEMS, SCRIPT } from '../../test/support/interview-script';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { projectRoot } from '../config/project-root';
import { InterviewEngine, InterviewState, Position } from './interview-engine';
import { loadInterviewForPack } from './interview-loader';

/**
 * The engine on the state packs' own interviews: the shared sections plus a court section where
 * the state comes from the pack, the county is a choice, and the court's name is made from it.
 */

const TEMPLATES = join(projectRoot(), 'templates');
const NOW = { now: () => new Date('2026-11-24T12:00:00Z') };
const ca = new InterviewEngine(loadInterviewForPack(TEMPLATES, 'ca-dv'), NOW);

/** The shared script, with the court screen as California asks it. */
const CA_SCRIPT: Script = {
  ...SCRIPT,
  court: { 'court-county': 'Fresno', 'court-case-number': 'FL-26-0001' },
};

const { submit, drive } = interviewDriver(ca, CA_SCRIPT);

describe('the California interview', () => {
  it('asks the county from a list, never the state, and names the court from the county', () => {
    const state = drive(ca.start(), 'court');
    const view = ca.view(state, 'en');
    expect(view.questions.map((q) => q.id)).toEqual([
      'court-county',
      'court-case-number',
      'court-address',
    ]);
    const county = view.questions[0];
    expect(county.kind).toBe('singleChoice');
    expect(county.options).toHaveLength(58);
    expect(county.options?.map((o) => o.value)).toEqual(
      expect.arrayContaining(['Alameda', 'Fresno', 'Los Angeles', 'San Luis Obispo', 'Yuba']),
    );
    expect(ca.view(state, 'es').intro).toContain('Corte Superior');
    expect(ca.submit(state, { answers: { 'court-county': 'Springfield' } }, 'en')).toMatchObject({
      ok: false,
      errors: [{ field: 'court-county' }],
    });
  });

  it('walks to the review and becomes CaseFacts that parse, with state CA and the court named', () => {
    const end = drive(ca.start());
    expect(end.position).toEqual({ kind: 'review' });
    expect(ca.firstUnfinished(end)).toBeUndefined();
    const facts = parseCaseFacts(ca.toCaseFacts(end.answers));
    expect(facts.court).toEqual({
      state: 'CA',
      county: 'Fresno',
      name: 'Superior Court of California, County of Fresno',
      caseNumber: 'FL-26-0001',
    });
    expect(facts.petitioner.name.full).toBe('Ana Lucía Torres');
    expect(facts.protectedPersons).toHaveLength(1);
    expect(facts.incidents[0].narrative).toContain('pushed me');
  });

  it('skips screens and lists whose conditions do not hold, and fills their facts by default', () => {
    const end = drive(ca.start(), 'review', {
      overrides: {
        'mailing-kind': { 'mailing-kind': 'residential' },
        'respondent-firearms': { 'firearms-has': 'no' },
      },
      items: { ...LIST_ITEMS, 'protected-people': 0 },
    });
    const seen = visited(end);
    expect(seen).not.toContain('home-address');
    expect(seen).not.toContain('list:firearms');
    expect(seen).not.toContain('orders-children');
    expect(seen).not.toContain('list:pets');
    expect(seen).toContain('court');
    const facts = parseCaseFacts(ca.toCaseFacts(end.answers));
    expect(facts.requestedOrders.custody).toEqual({ requested: false });
    expect(facts.protectedPersons).toEqual([]);
    expect(facts.court.name).toBe('Superior Court of California, County of Fresno');
  });

  it('asks for the pets by name once the petitioner asks to protect them', () => {
    let state = drive(ca.start(), 'orders-pets');
    state = submit(state, { answers: { 'order-pets': 'yes' } });
    state = drive(state, 'list:pets');
    expect(ca.submit(state, { action: 'done' }, 'en')).toMatchObject({ ok: false });
    state = submit(state, { action: 'add' });
    state = submit(state, { answers: { 'pet-name': 'Luna', 'pet-kind': 'dog' } });
    state = submit(state, { action: 'done' });
    const facts = parseCaseFacts(ca.toCaseFacts(drive(state).answers));
    expect(facts.requestedOrders.pets).toEqual({
      requested: true,
      pets: [{ name: 'Luna', kind: 'dog' }],
    });
  });

  it('adds two protected people, removes one, and files the other', () => {
    let state = drive(ca.start(), 'list:protected-people');
    for (const [name, birth] of [
      ['Sofía Torres', '2018-02-03'],
      ['Mateo Torres', '2020-07-19'],
    ]) {
      state = submit(state, { action: 'add' });
      expect(at(state)).toBe('person-name');
      state = drive(state, 'list:protected-people', {
        overrides: {
          'person-name': { 'person-name': name, 'person-gender': 'undisclosed' },
          'person-birth': { 'person-birth-date': birth },
        },
      });
    }
    expect(ca.view(state, 'en').list?.items).toEqual([
      { index: 0, summary: 'Sofía Torres' },
      { index: 1, summary: 'Mateo Torres' },
    ]);
    state = submit(state, { action: 'remove', index: 0 });
    expect(ca.view(state, 'en').list?.items).toEqual([{ index: 0, summary: 'Mateo Torres' }]);
    state = submit(state, { action: 'done' });
    const facts = parseCaseFacts(ca.toCaseFacts(drive(state).answers));
    expect(facts.protectedPersons).toEqual([
      {
        kind: 'child',
        name: { full: 'Mateo Torres' },
        gender: 'undisclosed',
        dateOfBirth: '2020-07-19',
        relationshipToPetitioner: 'daughter',
        livesWith: 'petitioner',
      },
    ]);
  });

  it('goes back through the court screen with its answers kept', () => {
    let state = drive(ca.start(), 'signature');
    state = ca.back(state);
    expect(at(state)).toBe('court');
    expect(ca.view(state, 'en').questions[0]).toMatchObject({
      id: 'court-county',
      value: 'Fresno',
    });
    state = ca.back(state);
    expect(at(state)).toBe('list:other-cases');
    state = drive(state);
    expect(state.position).toEqual({ kind: 'review' });
  });

  it('lists the county on the review and files a new court name after a change', () => {
    let state = drive(ca.start());
    const county = ca.review(state, 'es').find((e) => e.questionId === 'court-county');
    expect(county).toEqual({
      section: 'Su corte',
      questionId: 'court-county',
      label: '¿En qué condado va a presentar sus papeles?',
      value: 'Fresno',
      change: { kind: 'screen', screenId: 'court' },
    });
    expect(ca.review(state, 'en').some((e) => e.questionId === 'court-state')).toBe(false);
    state = ca.change(state, county?.change as Position) as InterviewState;
    state = submit(state, { answers: { 'court-county': 'Los Angeles' } });
    expect(state.position).toEqual({ kind: 'review' });
    const facts = parseCaseFacts(ca.toCaseFacts(state.answers));
    expect(facts.court).toMatchObject({
      state: 'CA',
      county: 'Los Angeles',
      name: 'Superior Court of California, County of Los Angeles',
    });
  });

  it('files each line of a list answer as one item', () => {
    const end = drive(ca.start(), 'review', {
      overrides: {
        'incident-witnesses': { 'incident-witnesses': 'Rosa Díaz\n\n  Mr. Lee  \n' },
        'respondent-name': { 'respondent-other-names': 'Lucho' },
      },
    });
    const facts = parseCaseFacts(ca.toCaseFacts(end.answers));
    expect(facts.incidents[0].witnesses).toEqual(['Rosa Díaz', 'Mr. Lee']);
    expect(facts.respondent.aliases).toEqual(['Lucho']);
    expect(facts.incidents[0].childrenPresent).toBeUndefined();
  });
});

describe('the Michigan and Massachusetts interviews', () => {
  const mi = new InterviewEngine(loadInterviewForPack(TEMPLATES, 'mi-ppo'), NOW);
  const ma = new InterviewEngine(loadInterviewForPack(TEMPLATES, 'ma-209a'), NOW);

  it('names a Michigan circuit court from its county', () => {
    const michigan = interviewDriver(mi, {
      ...SCRIPT,
      court: { 'court-county': 'Grand Traverse' },
    });
    const at83 = mi.view(michigan.drive(mi.start(), 'court'), 'en').questions[0];
    expect(at83.options).toHaveLength(83);
    const facts = parseCaseFacts(mi.toCaseFacts(michigan.drive(mi.start()).answers));
    expect(facts.court).toMatchObject({
      state: 'MI',
      county: 'Grand Traverse',
      name: 'Grand Traverse County Circuit Court',
    });
  });

  const MA_SCRIPT = {
    ...SCRIPT,
    'court-county': { 'court-county': 'Middlesex' },
    court: { 'court-name-middlesex': 'Lowell District Court' },
  };
  const massachusetts = interviewDriver(ma, MA_SCRIPT);

  it("offers Massachusetts courts from the chosen county's list", () => {
    const state = massachusetts.drive(ma.start(), 'court');
    const [court] = ma.view(state, 'en').questions;
    expect(court.id).toBe('court-name-middlesex');
    expect(court.options?.map((o) => o.value)).toEqual(
      expect.arrayContaining(['Lowell District Court', 'Middlesex Probate and Family Court']),
    );
    const facts = parseCaseFacts(ma.toCaseFacts(massachusetts.drive(state).answers));
    expect(facts.court).toMatchObject({
      state: 'MA',
      county: 'Middlesex',
      name: 'Lowell District Court',
    });
    const suffolk = interviewDriver(ma, {
      ...MA_SCRIPT,
      'court-county': { 'court-county': 'Suffolk' },
    }).drive(ma.start(), 'court');
    expect(ma.view(suffolk, 'en').questions[0].options?.map((o) => o.value)).toEqual(
      expect.arrayContaining([
        'Chelsea District Court',
        'Boston Municipal Court, Dorchester Division',
        'Suffolk Probate and Family Court',
      ]),
    );
  });

  it('asks for the court again after a county change, and never files the old one', () => {
    let state = massachusetts.drive(ma.start());
    state = ma.change(state, { kind: 'screen', screenId: 'court-county' }) as InterviewState;
    state = massachusetts.submit(state, { answers: { 'court-county': 'Worcester' } });
    expect(ma.toCaseFacts(state.answers).court).toEqual({ state: 'MA', county: 'Worcester' });
    // Not back to the review: the court screen, now offering Worcester's courts.
    expect(state.position).toEqual({ kind: 'screen', screenId: 'court' });
    const [court] = ma.view(state, 'en').questions;
    expect(court.id).toBe('court-name-worcester');
    expect(ma.firstUnfinished(state)).toEqual({ kind: 'screen', screenId: 'court' });
    state = massachusetts.submit(state, {
      answers: { 'court-name-worcester': 'Worcester District Court' },
    });
    expect(state.position).toEqual({ kind: 'review' });
    expect(parseCaseFacts(ma.toCaseFacts(state.answers)).court.name).toBe(
      'Worcester District Court',
    );
  });
});
