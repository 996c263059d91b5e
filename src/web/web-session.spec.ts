import type { Request } from 'express';
import { fromAcceptLanguage, isCrossSite, readCookie } from './web-session';

function req(headers: Record<string, string>): Request {
  return { headers } as unknown as Request;
}

describe('posts made before a session exists', () => {
  it('are refused when the browser says another site started them', () => {
    expect(isCrossSite(req({ 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(isCrossSite(req({ 'sec-fetch-site': 'same-site' }))).toBe(true);
    expect(isCrossSite(req({ 'sec-fetch-site': 'same-origin', host: 'a.test' }))).toBe(false);
  });

  it('fall back to Origin, accepting the "null" our no-referrer pages make browsers send', () => {
    expect(isCrossSite(req({ origin: 'https://evil.test', host: 'forms.test' }))).toBe(true);
    expect(isCrossSite(req({ origin: 'https://forms.test', host: 'forms.test' }))).toBe(false);
    expect(isCrossSite(req({ origin: 'null', host: 'forms.test' }))).toBe(false);
    expect(isCrossSite(req({ origin: 'not a url', host: 'forms.test' }))).toBe(true);
    expect(isCrossSite(req({ host: 'forms.test' }))).toBe(false);
  });
});

describe('request details', () => {
  it('reads one cookie among others, and nothing from a malformed one', () => {
    expect(readCookie(req({ cookie: 'a=1; sid=abc_DEF-123; lang=es' }), 'sid')).toBe('abc_DEF-123');
    expect(readCookie(req({ cookie: 'xsid=1' }), 'sid')).toBeUndefined();
    expect(readCookie(req({ cookie: 'sid=%E0%A4%A' }), 'sid')).toBeUndefined();
    expect(readCookie(req({}), 'sid')).toBeUndefined();
  });

  it("takes the browser's preferred language when the interview offers it", () => {
    expect(fromAcceptLanguage('es-MX,es;q=0.9,en;q=0.8')).toBe('es');
    expect(fromAcceptLanguage('fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4')).toBe('es');
    expect(fromAcceptLanguage('en-US;q=0.5,es;q=0.8')).toBe('es');
    expect(fromAcceptLanguage('de;q=1,es;q=0')).toBe('en');
    expect(fromAcceptLanguage(undefined)).toBe('en');
  });
});
