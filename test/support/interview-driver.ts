import type { Language } from '../../src/interview/interview-definition';
import type {
  InterviewEngine,
  InterviewState,
  Position,
  Submission,
} from '../../src/interview/interview-engine';
import { LIST_ITEMS, SCRIPT } from './interview-script';

/**
 * Walks an interview engine directly, as the engine specs do: answers each screen from a script
 * and adds list items up to a count, so a test can start from any screen it names.
 */

export type Script = Record<string, Record<string, unknown>>;

/** A position as the script names it: a screen id, `list:<section>`, or `review`. */
export function screenKey(p: Position): string {
  return p.kind === 'screen' || p.kind === 'item'
    ? p.screenId
    : p.kind === 'list'
      ? `list:${p.sectionId}`
      : 'review';
}

export function at(state: InterviewState): string {
  return screenKey(state.position);
}

/** Every position the state went through, the current one last. */
export function visited(state: InterviewState): string[] {
  return [...state.history, state.position].map(screenKey);
}

export interface DriveOptions {
  /** Answers that replace the script's, by screen, question by question. */
  overrides?: Script;
  /** How many items each list gets (by section id). */
  items?: Record<string, number>;
}

export interface InterviewDriver {
  /** Submits and returns the new state; a refusal fails the test, naming where it happened. */
  submit(state: InterviewState, submission: Submission, lang?: Language): InterviewState;
  /** Answers from the script until `stop`; fails if the review comes first or `stop` never does. */
  drive(state: InterviewState, stop?: string, options?: DriveOptions): InterviewState;
}

export function interviewDriver(engine: InterviewEngine, script: Script = SCRIPT): InterviewDriver {
  const submit = (state: InterviewState, s: Submission, lang: Language = 'en'): InterviewState => {
    const result = engine.submit(state, s, lang);
    if (!result.ok) {
      throw new Error(`refused at ${at(state)}: ${JSON.stringify(result.errors)}`);
    }
    return result.state;
  };

  const drive = (
    state: InterviewState,
    stop = 'review',
    { overrides = {}, items = LIST_ITEMS }: DriveOptions = {},
  ): InterviewState => {
    for (let i = 0; i < 300 && at(state) !== stop; i++) {
      const p = state.position;
      if (p.kind === 'review') throw new Error(`reached review before ${stop}`);
      if (p.kind === 'list') {
        const count = engine.view(state, 'en').list?.items.length ?? 0;
        const action = count < (items[p.sectionId] ?? 0) ? 'add' : 'done';
        state = submit(state, { action });
      } else {
        state = submit(state, { answers: { ...script[at(state)], ...overrides[at(state)] } });
      }
    }
    if (at(state) !== stop) throw new Error(`never reached ${stop}`);
    return state;
  };

  return { submit, drive };
}
