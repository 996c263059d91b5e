/** Milliseconds since the epoch. Injected, so tests move time instead of waiting for it. */
export type AccountsClock = () => number;

export const ACCOUNTS_CLOCK = Symbol('AccountsClock');

export const systemClock: AccountsClock = () => Date.now();
