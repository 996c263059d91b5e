import { Inject, Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { LANGUAGES, Language } from '../interview/interview-definition';
import { PETITIONER_INTERVIEW, PetitionerInterview } from '../interview/petitioner-interview';
import type { PageContext } from './layout';
import { WebAssets } from './web-assets';

export const SESSION_COOKIE = 'sid';
export const LANGUAGE_COOKIE = 'lang';
export const CSRF_FIELD = '_csrf';

/** Session ids are opaque to us; this only keeps absurd cookie values away from the service. */
const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The browser side of a petitioner's session: the `sid` cookie, the page language, and the
 * anti-forgery checks on form posts.
 */
@Injectable()
export class WebSession {
  /**
   * Signs CSRF tokens. Per process on purpose: it never needs to be configured or stored, and a
   * restart only means a form open across it is refused once and shown again.
   */
  private readonly csrfKey = randomBytes(32);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(PETITIONER_INTERVIEW) private readonly interview: PetitionerInterview,
    private readonly assets: WebAssets,
  ) {}

  /** What the layout needs for this request: language, the session's token, the exit. */
  page(req: Request, path: string): PageContext {
    const id = this.sessionId(req);
    return {
      lang: this.language(req),
      quickExitUrl: this.config.QUICK_EXIT_URL,
      idleSeconds: this.config.INTERVIEW_IDLE_MINUTES * 60,
      csrf: id !== undefined ? this.csrfToken(id) : undefined,
      path,
      assetVersion: this.assets.version,
    };
  }

  sessionId(req: Request): string | undefined {
    const id = readCookie(req, SESSION_COOKIE);
    return id !== undefined && SESSION_ID.test(id) ? id : undefined;
  }

  /**
   * No Max-Age or Expires: the cookie dies with the browser. HttpOnly keeps it from scripts,
   * SameSite=Strict keeps it off every request another site starts.
   */
  setSession(res: Response, sessionId: string): void {
    res.cookie(SESSION_COOKIE, sessionId, this.cookieOptions());
  }

  clearSession(res: Response): void {
    res.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  setLanguage(res: Response, lang: Language): void {
    res.cookie(LANGUAGE_COOKIE, lang, this.cookieOptions());
  }

  private cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.COOKIE_SECURE };
  }

  /**
   * The language a page is shown in: the open session's, then an explicit `?lang=`, then the
   * one chosen before starting, then what the browser asks for.
   */
  language(req: Request): Language {
    const id = this.sessionId(req);
    const fromSession = id ? this.interview.sessionLanguage(id) : undefined;
    return (
      fromSession ??
      asLanguage(req.query?.lang) ??
      asLanguage(readCookie(req, LANGUAGE_COOKIE)) ??
      fromAcceptLanguage(req.headers['accept-language'])
    );
  }

  /** Whether the interview still knows the cookie's session (without touching its idle clock). */
  isOpen(req: Request): boolean {
    const id = this.sessionId(req);
    return id !== undefined && this.interview.sessionLanguage(id) !== undefined;
  }

  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(`csrf:${sessionId}`).digest('base64url');
  }

  csrfValid(sessionId: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/**
 * For posts made before a session exists (/start, /resume, /language) there is no session to
 * bind a token to. The danger there is a forged resume or start that plants a session the
 * attacker knows the code of, so the petitioner's answers land in the attacker's draft. The
 * cookie being SameSite=Strict does not stop that (the forged post sets a cookie, it need not
 * send one), so these posts must prove they came from our own pages:
 *
 * - `Sec-Fetch-Site`, sent by every current browser, says whether a page of this origin started
 *   the request; anything but `same-origin` is refused. When it is present it decides alone: it
 *   does not depend on the Host header a reverse proxy may rewrite.
 * - Otherwise `Origin` is refused when it names another origin. It cannot be required: our own
 *   pages send `Referrer-Policy: no-referrer`, which makes browsers send `Origin: null` (and no
 *   Referer) even for same-origin form posts, so `null` and absence are accepted.
 *
 * Clients that send neither header (old browsers, scripts) are let through: they are not the
 * browsers a cross-site forgery runs in today. Posts with a session also carry the CSRF token.
 */
export function isCrossSite(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin';
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return false;
  const host = req.headers.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function asLanguage(value: unknown): Language | undefined {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
    ? (value as Language)
    : undefined;
}

/** The first language the browser prefers that the interview offers; English otherwise. */
export function fromAcceptLanguage(header: string | undefined): Language {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => asLanguage(entry.lang)).find(Boolean) ?? 'en';
}

/** Cookies by hand: only two are read, and no cookie-parsing package is a dependency. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
