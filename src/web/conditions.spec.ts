import { resolve } from 'node:path';
import type { Question } from '../interview/interview-definition';
import { loadInterviewForPack } from '../interview/interview-loader';
import { conditionHint, localCondition } from './conditions';

const definition = loadInterviewForPack(resolve(__dirname, '..', '..', 'templates'), 'generic-us');

function screen(id: string): Question[] {
  for (const section of definition.sections) {
    const found = section.screens.find((s) => s.id === id);
    if (found) return found.questions;
  }
  throw new Error(`no screen ${id}`);
}

function question(screenId: string, id: string): Question {
  const q = screen(screenId).find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
}

describe('follow-up questions on the same screen', () => {
  it('are found, and written by question id for the page script', () => {
    const qs = screen('your-language');
    const showIf = localCondition(question('your-language', 'interpreter-language'), qs);
    expect(showIf).toEqual({ q: 'interpreter-needed', kind: 'yesNo', equals: true });
    expect(conditionHint(showIf!, qs, 'en')).toBe(
      'Answer this only if you answered Yes to "Do you need an interpreter at court?".',
    );
    expect(conditionHint(showIf!, qs, 'es')).toBe(
      'Conteste esto solo si respondió Sí a «¿Necesita un intérprete en la corte?».',
    );

    const birth = screen('your-birth');
    const age = localCondition(question('your-birth', 'petitioner-age'), birth);
    expect(age).toEqual({ not: { q: 'petitioner-birth-date', kind: 'date', nonEmpty: true } });
    expect(conditionHint(age!, birth, 'en')).toBe(
      'Answer this only if you left "What is your date of birth?" empty.',
    );
  });

  it('leave alone questions that depend on answers from other screens', () => {
    const qs = screen('mailing-address');
    expect(localCondition(question('mailing-address', 'mailing-care-of'), qs)).toBeUndefined();
    expect(localCondition(question('your-name', 'petitioner-name'), screen('your-name'))).toBe(
      undefined,
    );
  });
});
