import { join } from 'node:path';
import { at, interviewDriver, visited } from '../../test/support/interview-driver';
import { LIST_ITEMS, SCRIPT } from '../../test/support/interview-script';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { projectRoot } from '../config/project-root';
import { InterviewEngine, InterviewState, Position } from './interview-engine';
import { loadInterview } from './interview-loader';

const definition = loadInterview(join(projectRoot(), 'templates', 'common', 'interview'));
const engine = new InterviewEngine(definition, { now: () => new Date('2026-11-24T12:00:00Z') });

const { submit, drive } = interviewDriver(engine);

describe('interview engine', () => {
  it('walks the whole interview and its answers become valid CaseFacts', () => {
    const end = drive(engine.start());
    expect(end.position).toEqual({ kind: 'review' });
    const facts = parseCaseFacts(engine.toCaseFacts(end.answers));
    expect(facts.petitioner.name.full).toBe('Ana Lucía Torres');
    expect(facts.petitioner.mailingAddress).toMatchObject({
      kind: 'po-box',
      state: 'CA',
      postalCode: '93701',
    });
    expect(facts.respondent.firearms.items).toEqual([{ kind: 'handgun', location: 'his truck' }]);
    expect(facts.protectedPersons[0]).toMatchObject({
      name: { full: 'Sofía Torres' },
      kind: 'child',
    });
    expect(facts.incidents[0].police).toEqual({ called: true, agency: 'Fresno PD' });
    expect(facts.requestedOrders.stayAway).toEqual({
      requested: true,
      distanceYards: 100,
      places: ['wherever-petitioner-may-be'],
    });
    expect(facts.otherCases).toEqual([]);
    expect(engine.firstUnfinished(end)).toBeUndefined();
  });

  it('skips screens whose questions are all hidden, and fills their facts from defaults', () => {
    const end = drive(engine.start(), 'review', {
      overrides: { 'respondent-firearms': { 'firearms-has': 'no' } },
      items: { ...LIST_ITEMS, 'protected-people': 0 },
    });
    const seen = visited(end);
    // A P.O. box asks where the petitioner really lives (for the court only); no protected
    // people hides the children's orders, no guns hides the list of guns.
    expect(seen).toContain('home-address');
    expect(seen).not.toContain('orders-children');
    expect(seen).not.toContain('list:firearms');
    const facts = parseCaseFacts(engine.toCaseFacts(end.answers));
    expect(facts.requestedOrders.custody).toEqual({ requested: false });
    expect(facts.requestedOrders.support.child).toBe(false);
    expect(facts.respondent.firearms).toEqual({ has: 'no' });
  });

  it('shows a follow-up on the same screen and requires it once shown', () => {
    let state = drive(engine.start(), 'your-language');
    expect(engine.view(state, 'en').questions.map((q) => q.id)).toEqual([
      'petitioner-language',
      'interpreter-needed',
    ]);
    const refused = engine.submit(
      state,
      { answers: { 'petitioner-language': 'Spanish', 'interpreter-needed': 'yes' } },
      'en',
    );
    expect(refused).toEqual({
      ok: false,
      errors: [
        {
          field: 'interpreter-language',
          message: 'Please answer "In what language do you need the interpreter?".',
        },
      ],
    });
    state = submit(state, {
      answers: { 'petitioner-language': 'English', 'interpreter-needed': 'no' },
    });
    expect(at(state)).toBe('mailing-kind');
  });

  it('answers in Spanish, naming the question', () => {
    const state = drive(engine.start(), 'mailing-address');
    const result = engine.submit(
      state,
      {
        answers: {
          'mailing-address': {
            street: 'PO Box 1',
            city: 'Fresno',
            state: 'California',
            postalCode: '9370',
          },
        },
      },
      'es',
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'mailing-address.state',
          message: '«Dirección para el correo»: escriba el estado con dos letras, como CA.',
        },
        {
          field: 'mailing-address.postalCode',
          message: '«Dirección para el correo»: escriba un código postal como 02108 o 02108-1234.',
        },
      ],
    });
    const future = engine.submit(
      drive(engine.start(), 'your-birth'),
      { answers: { 'petitioner-birth-date': '2030-01-01' } },
      'es',
    );
    expect(future).toMatchObject({
      ok: false,
      errors: [
        {
          field: 'petitioner-birth-date',
          message: '«¿Cuál es su fecha de nacimiento?» no puede ser una fecha en el futuro.',
        },
      ],
    });
    expect(engine.view(state, 'es').title).toBe('Su dirección para el correo');
  });

  it('goes back to the previous screen with its answers filled in', () => {
    let state = drive(engine.start(), 'your-gender');
    state = engine.back(state);
    expect(at(state)).toBe('your-birth');
    expect(engine.view(state, 'en').questions[0]).toMatchObject({
      id: 'petitioner-birth-date',
      value: '1990-04-25',
    });
    state = engine.back(engine.back(state));
    expect(at(state)).toBe('your-name');
    expect(engine.back(state)).toBe(state);
  });

  it('adds, edits and removes list items, and insists on the minimum', () => {
    let state = drive(engine.start(), 'list:incidents');
    const none = engine.submit(state, { action: 'done' }, 'es');
    expect(none).toEqual({
      ok: false,
      errors: [{ field: 'action', message: 'Agregue al menos 1 (incidente) antes de continuar.' }],
    });
    for (const place of ['the kitchen', 'the parking lot']) {
      state = submit(state, { action: 'add' });
      expect(at(state)).toBe('incident-when');
      state = drive(state, 'list:incidents', {
        overrides: { 'incident-where': { 'incident-place': place } },
      });
    }
    expect(engine.view(state, 'en').list?.items).toEqual([
      { index: 0, summary: '2026-10-03' },
      { index: 1, summary: '2026-10-03' },
    ]);
    state = submit(state, { action: 'edit', index: 1 });
    expect(state.position).toEqual({
      kind: 'item',
      sectionId: 'incidents',
      index: 1,
      screenId: 'incident-when',
    });
    state = submit(state, { answers: { 'incident-date': '2026-09-01' } });
    state = drive(state, 'list:incidents', {
      overrides: { 'incident-where': { 'incident-place': 'the parking lot' } },
    });
    state = submit(state, { action: 'remove', index: 0 });
    const incidents = state.answers.incidents as { place: string; date: string }[];
    expect(incidents.map((i) => [i.date, i.place])).toEqual([['2026-09-01', 'the parking lot']]);
    expect(engine.submit(state, { action: 'remove', index: 4 }, 'en')).toMatchObject({ ok: false });
  });

  it('refuses to finish a list with an unfinished item', () => {
    let state = drive(engine.start(), 'list:incidents');
    state = submit(state, { action: 'add' });
    state = submit(state, { answers: SCRIPT['incident-when'] });
    state = engine.back(engine.back(state));
    expect(at(state)).toBe('list:incidents');
    expect(engine.submit(state, { action: 'done' }, 'en')).toMatchObject({
      ok: false,
      errors: [{ field: 'index', message: expect.stringContaining('incident 1 is not finished') }],
    });
  });

  it('lists every answer on the review with a link to change it, and returns there after a change', () => {
    let state = drive(engine.start());
    const review = engine.review(state, 'es');
    const name = review.find((e) => e.questionId === 'petitioner-name');
    expect(name).toEqual({
      section: 'Sobre usted',
      questionId: 'petitioner-name',
      label: '¿Cuál es su nombre completo?',
      value: 'Ana Lucía Torres',
      change: { kind: 'screen', screenId: 'your-name' },
    });
    expect(review.find((e) => e.questionId === 'interpreter-needed')?.value).toBe('Sí');
    expect(review.find((e) => e.questionId === 'other-cases')?.value).toBe('Ninguno');
    const place = review.find((e) => e.questionId === 'incident-place');
    expect(place?.label).toBe('Incidente 1: ¿Dónde pasó?');
    expect(place?.change).toEqual({
      kind: 'item',
      sectionId: 'incidents',
      index: 0,
      screenId: 'incident-where',
    });

    state = engine.change(state, name?.change as Position) as InterviewState;
    state = submit(state, { answers: { 'petitioner-name': 'Ana Torres' } });
    expect(state.position).toEqual({ kind: 'review' });
    expect(parseCaseFacts(engine.toCaseFacts(state.answers)).petitioner.name.full).toBe(
      'Ana Torres',
    );
  });

  it('after a change that reveals new questions, asks them before returning to the review', () => {
    let state = drive(engine.start(), 'review', {
      overrides: { 'respondent-firearms': { 'firearms-has': 'no' } },
    });
    state = engine.change(state, {
      kind: 'screen',
      screenId: 'respondent-firearms',
    }) as InterviewState;
    state = submit(state, { answers: { 'firearms-has': 'yes' } });
    expect(at(state)).toBe('list:firearms');
    state = submit(state, { action: 'done' });
    expect(state.position).toEqual({ kind: 'review' });
  });

  it('leaves out answers a later change made irrelevant', () => {
    let state = drive(engine.start());
    state = engine.change(state, {
      kind: 'screen',
      screenId: 'respondent-firearms',
    }) as InterviewState;
    state = submit(state, { answers: { 'firearms-has': 'unknown' } });
    expect(state.position).toEqual({ kind: 'review' });
    const facts = parseCaseFacts(engine.toCaseFacts(state.answers));
    expect(facts.respondent.firearms).toEqual({ has: 'unknown' });
    expect(engine.review(state, 'en').some((e) => e.questionId === 'firearm-kind')).toBe(false);
  });

  it('counts progress over the visible steps', () => {
    const start = engine.start();
    const { total } = engine.progress(start);
    expect(engine.progress(start)).toEqual({ done: 0, total });
    const later = drive(start, 'respondent-name');
    expect(engine.progress(later).done).toBeGreaterThan(0);
    // Answers reveal steps (the children's orders once a child is added), so the total grows.
    const end = engine.progress(drive(start));
    expect(end.total).toBeGreaterThan(total);
    expect(end.done).toBe(end.total);
  });

  it('refuses answers to questions that are not on the screen', () => {
    expect(engine.submit(engine.start(), { answers: { 'respondent-name': 'x' } }, 'en')).toEqual({
      ok: false,
      errors: [
        {
          field: 'respondent-name',
          message: '"respondent-name" is not a question on this screen.',
        },
      ],
    });
  });
});
