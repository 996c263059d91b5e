/** The login throttle is a plain class built by a factory: it is provided under this token. */
export const LOGIN_THROTTLE = Symbol('LoginThrottle');
