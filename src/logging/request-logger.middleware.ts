import { Logger, LoggerService } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Path segments kept as they are: short lowercase words (`cases`, `packets`, `packet.pdf`). */
const ROUTE_WORD = /^[a-z][a-z-]{0,23}(\.(pdf|zip|json|docx))?$/;
const MAX_SEGMENTS = 12;
const PARAM = /^:[A-Za-z][A-Za-z0-9_]{0,30}$/;

/**
 * The path of a request with anything id-like (UUIDs, numbers, codes, names, tokens) replaced by
 * `:id`, and without its query string: only segments that look like fixed route words survive.
 */
export function routePattern(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  const kept = segments.slice(0, MAX_SEGMENTS).map((s) => (ROUTE_WORD.test(s) ? s : ':id'));
  if (segments.length > MAX_SEGMENTS) kept.push('…');
  return `/${kept.join('/')}`;
}

/**
 * The route a request matched, as declared (`/cases/:id`), when the router found one; otherwise
 * its path with ids replaced. Express sets `req.route` while routing, before the response ends.
 * Declared patterns are ours, yet they pass the same filter; only their `:param` names are kept.
 */
function matchedRoute(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (typeof route?.path !== 'string') return routePattern(req.originalUrl ?? req.url);
  const base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const segments = `${base}/${route.path}`.split('/').filter((s) => s !== '');
  const kept = segments
    .slice(0, MAX_SEGMENTS)
    .map((s) => (PARAM.test(s) || ROUTE_WORD.test(s) ? s : ':id'));
  return `/${kept.join('/')}`;
}

/**
 * Logs one line per request when the response is finished: method, route pattern, status and
 * duration. Never the query string, headers or body.
 */
export function requestLogger(
  logger: Pick<LoggerService, 'log'> = { log: (m: unknown, c: string) => Logger.log(m, c) },
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      logger.log(
        {
          msg: 'request',
          method: req.method,
          route: matchedRoute(req),
          status: res.statusCode,
          durationMs,
        },
        'Http',
      );
    });
    next();
  };
}
