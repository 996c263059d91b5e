import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { urlencoded } from 'express';
import helmet from 'helmet';
import { AppConfig } from '../config/app-config';
import { errorPage } from './pages';
import { WebSession } from './web-session';

/**
 * Headers for every petitioner page, error and redirect alike:
 * - `Cache-Control: no-store`: nothing of an interview stays in a browser or proxy cache on a
 *   shared device. The two asset files get it too: they hold no answers, but a cached copy is a
 *   trace of the visit, and at a few kilobytes refetching them costs little.
 * - a Content-Security-Policy that allows this origin only, with no inline script or style, so
 *   no request leaves the service and nothing injected into a page can run;
 * - `Referrer-Policy: no-referrer`, so the quick-exit destination does not learn where the
 *   petitioner came from.
 * HSTS and upgrade-insecure-requests only when the service is served over HTTPS (COOKIE_SECURE):
 * on the embedded http://127.0.0.1 service they would break the pages.
 */
@Injectable()
export class WebHeadersMiddleware implements NestMiddleware {
  private readonly helmet: RequestHandler;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const https = config.COOKIE_SECURE;
    this.helmet = helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'"],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          ...(https ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
      crossOriginResourcePolicy: { policy: 'same-origin' },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      xFrameOptions: { action: 'deny' },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    this.helmet(req, res, next);
  }
}

/** Long enough for every long answer on one screen written in any script; far below abuse. */
export const FORM_BODY_LIMIT = '512kb';

/**
 * Form posts for the pages only (the JSON API keeps its own parser). A body over the limit is
 * answered here, as a page in the petitioner's language, with 413.
 */
@Injectable()
export class WebFormBodyMiddleware implements NestMiddleware {
  private readonly parse = urlencoded({
    extended: false,
    limit: FORM_BODY_LIMIT,
    parameterLimit: 2000,
  });

  constructor(private readonly session: WebSession) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const type = (err as { type?: unknown }).type;
      const tooLarge = type === 'entity.too.large' || type === 'parameters.too.many';
      // Whatever the parser says may quote the body: only the kind of failure is used.
      const ctx = this.session.page(req, '/');
      res
        .status(tooLarge ? 413 : 400)
        .type('html')
        .send(errorPage(ctx, tooLarge ? 'tooLarge' : 'failed').toString());
    });
  }
}
