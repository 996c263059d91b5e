/** Milliseconds since the epoch. Injected, so tests move time instead of waiting for it. */
export type Clock = () => number;

export const INTERVIEW_CLOCK = Symbol('InterviewClock');

export const systemClock: Clock = () => Date.now();
