import type { ScreenView } from '../../src/interview/interview-engine';
import { LIST_ITEMS, SCRIPT } from '../../test/support/interview-script';
import { screenKey } from '../../test/support/interview-driver';

/** Latencies in milliseconds of requests started inside the recorded window. */
export interface LoadResult {
  clients: number;
  /** Mean pause of each client between a response and its next request (0: none). */
  thinkMs: number;
  /** Length of the recorded window, in seconds. */
  seconds: number;
  /** Screen submissions (`POST /interview/:id/answers`). */
  answers: number[];
  /** Interview starts (`POST /interview`): a draft and a resume code are made. */
  starts: number[];
  /** Status codes of every recorded request; anything but 200/201 is also an error. */
  statuses: Record<string, number>;
  /** Interviews answered through to the review. */
  completed: number;
  /** Requests that failed outright (connection errors). */
  failures: number;
  /** Refused submissions by screen, with the first answer's text, to show what the script missed. */
  refusals: Record<string, { count: number; first: string }>;
}

interface Screened {
  sessionId?: string;
  screen?: ScreenView;
}

/**
 * Petitioners working through the interview: each client starts an interview, answers every
 * screen from the shared test script, and starts again at the review. Between a response and the
 * next request a client pauses for a random time around `thinkMs` (half to one and a half times
 * it), so the clients do not move in step; with 0 they ask as fast as the service answers, which
 * measures how many submissions a second the service can take rather than what one waits.
 */
export async function interviewLoad(
  base: string,
  packId: string,
  clients: number,
  warmupMs: number,
  windowMs: number,
  thinkMs: number,
): Promise<LoadResult> {
  const begin = performance.now();
  const recordFrom = begin + warmupMs;
  const stopAt = recordFrom + windowMs;
  const result: LoadResult = {
    clients,
    thinkMs,
    seconds: windowMs / 1000,
    answers: [],
    starts: [],
    statuses: {},
    completed: 0,
    failures: 0,
    refusals: {},
  };

  async function post(
    path: string,
    body: unknown,
    kind: 'start' | 'answer',
    screen?: string,
  ): Promise<Screened> {
    const started = performance.now();
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      status = res.status;
      text = await res.text();
    } catch {
      status = 0;
    }
    if (status >= 400 && screen) {
      const seen = result.refusals[screen] ?? { count: 0, first: text.slice(0, 300) };
      seen.count++;
      result.refusals[screen] = seen;
    }
    const elapsed = performance.now() - started;
    if (started >= recordFrom && started < stopAt) {
      (kind === 'start' ? result.starts : result.answers).push(elapsed);
      result.statuses[String(status)] = (result.statuses[String(status)] ?? 0) + 1;
      if (status === 0) result.failures++;
    }
    if (status === 200 || status === 201) return JSON.parse(text) as Screened;
    if (status === 400 && screen) learnExtraAnswers(screen, text);
    return {};
  }

  const think = (share = 0.5 + Math.random()) =>
    thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * share)) : Promise.resolve();

  async function client(): Promise<void> {
    // Spread over one pause, so the clients do not all arrive at once.
    await think(Math.random());
    while (performance.now() < stopAt) {
      const retried = new Set<string>();
      const started = await post('/interview', { packId, language: 'en' }, 'start');
      await think();
      let screen = started.screen;
      const sessionId = started.sessionId;
      if (!screen || !sessionId) continue;
      for (let i = 0; i < 300 && performance.now() < stopAt; i++) {
        if (screen.position.kind === 'review') {
          if (performance.now() >= recordFrom) result.completed++;
          break;
        }
        const next: Screened = await post(
          `/interview/${sessionId}/answers`,
          submission(screen),
          'answer',
          screenKey(screen.position),
        );
        await think();
        if (next.screen) screen = next.screen;
        else if (!retried.has(screenKey(screen.position))) retried.add(screenKey(screen.position));
        else break;
      }
    }
  }

  await Promise.all(Array.from({ length: clients }, () => client()));
  return result;
}

/**
 * Answers of the shared script that a pack's own screen does not ask (the California court screen
 * asks only the county), learnt from the first refusal, so later submissions are accepted.
 */
const notAsked = new Map<string, Set<string>>();

function learnExtraAnswers(key: string, body: string): void {
  try {
    const parsed = JSON.parse(body) as { details?: { field?: string; message?: string }[] };
    for (const d of parsed.details ?? []) {
      if (d.field && d.message?.includes('is not a question on this screen')) {
        const set = notAsked.get(key) ?? new Set<string>();
        set.add(d.field);
        notAsked.set(key, set);
      }
    }
  } catch {
    // Not JSON: nothing to learn.
  }
}

function submission(screen: ScreenView): object {
  const p = screen.position;
  if (p.kind === 'list') {
    const wanted = LIST_ITEMS[p.sectionId] ?? 0;
    return { action: (screen.list?.items.length ?? 0) < wanted ? 'add' : 'done' };
  }
  const key = screenKey(p);
  const drop = notAsked.get(key);
  const answers = Object.entries(SCRIPT[key] ?? {}).filter(([id]) => !drop?.has(id));
  return { answers: Object.fromEntries(answers) };
}
