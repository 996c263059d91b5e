import type { Request } from 'express';
import { MAX_SECRET_LENGTH } from './secret-token';

export const STAFF_SESSION_COOKIE = 'staff_session';

/** The staff session cookie's value, read by hand (no cookie-parsing package is a dependency). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== STAFF_SESSION_COOKIE) continue;
    const value = pair.slice(at + 1).trim();
    return value.length > 0 && value.length <= MAX_SECRET_LENGTH ? value : undefined;
  }
  return undefined;
}

export type BearerHeader = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'bad' };

/** An Authorization header that is present but not a usable bearer token is refused, not ignored. */
export function readBearer(req: Request): BearerHeader {
  const header = req.headers.authorization;
  if (header === undefined) return { kind: 'none' };
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header.trim());
  return match?.[1] ? { kind: 'bearer', token: match[1] } : { kind: 'bad' };
}

/** The client address as Express sees it (X-Forwarded-For only when TRUST_PROXY is set). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
