/** The accounts' own token, so their tests can move its time apart from the interview's. */
export const ACCOUNTS_CLOCK = Symbol('AccountsClock');
