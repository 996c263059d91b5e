import type { CookieOptions, Request } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../accounts/principal';
import { readSessionCookie } from '../accounts/request-credentials';
import type { AppConfig } from '../config/app-config';

/** A staff form post that did not come from one of our pages: missing or wrong token, other site. */
export class StaffFormRefused extends Error {
  constructor() {
    super('staff form refused');
    this.name = 'StaffFormRefused';
  }
}

/**
 * The staff session cookie as the API's sign-in sets it: HttpOnly, SameSite=Strict, no Max-Age
 * (it goes with the browser; the server ends the session on its own clock anyway).
 */
export function staffCookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: config.COOKIE_SECURE };
}

/**
 * The form token of a signed-in staff member: an HMAC keyed by their session cookie, which only
 * their browser (HttpOnly) and this service hold, over the session's id. It is bound to the one
 * session, cannot be made without the cookie, and needs no secret of its own, so it survives a
 * restart and is the same on every process behind a load balancer. A token principal (an API
 * client) has no browser session and gets none: it does not post the pages' forms.
 */
export function csrfTokenFor(req: Request, principal: Principal | undefined): string | undefined {
  if (principal?.via.kind !== 'session') return undefined;
  const cookie = readSessionCookie(req);
  if (cookie === undefined) return undefined;
  return createHmac('sha256', cookie)
    .update(`staff-form:${principal.via.sessionId}`)
    .digest('base64url');
}

export function tokenMatches(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined || given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
