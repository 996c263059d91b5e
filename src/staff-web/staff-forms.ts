import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  NestMiddleware,
} from '@nestjs/common';
import { urlencoded } from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { principalOf } from '../accounts/principal';
import { first, formBody } from '../web/form-input';
import { CSRF_FIELD, isCrossSite } from '../web/web-session';
import { StaffFormRefused, csrfTokenFor, tokenMatches } from './staff-csrf';
import { messagePage } from './staff-layout';
import { StaffPages } from './staff-pages';

/**
 * Every staff post proves it came from our pages, after the permission guard (interceptors run
 * after guards, so a refused role answers 403 before its token is looked at). Signed in, the
 * form carries the session's token; the sign-in form, posted before there is a session to bind a
 * token to, must come from this origin (see isCrossSite).
 */
@Injectable()
export class StaffFormCheck implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'POST') {
      const principal = principalOf(req);
      if (principal === undefined) {
        if (isCrossSite(req)) throw new StaffFormRefused();
      } else if (!tokenMatches(csrfTokenFor(req, principal), first(formBody(req), CSRF_FIELD))) {
        throw new StaffFormRefused();
      }
    }
    return next.handle();
  }
}

/** Far more than any staff form needs (the longest is one narrative of 20,000 characters). */
export const STAFF_FORM_LIMIT = '256kb';

/**
 * Form bodies for the staff pages only; the JSON API keeps its own parser. A body over the limit
 * is answered here with a page, before anything else reads it.
 */
@Injectable()
export class StaffFormBodyMiddleware implements NestMiddleware {
  private readonly parse = urlencoded({
    extended: false,
    limit: STAFF_FORM_LIMIT,
    parameterLimit: 500,
  });

  constructor(private readonly pages: StaffPages) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const type = (err as { type?: unknown }).type;
      const tooLarge = type === 'entity.too.large' || type === 'parameters.too.many';
      // The parser's own message may quote the body: only the kind of failure is used.
      const ctx = this.pages.anonymous();
      const page = tooLarge
        ? messagePage(ctx, {
            title: 'Too much at once',
            heading: 'That form was too large to send',
            lines: [
              `A form can hold at most ${STAFF_FORM_LIMIT.replace('kb', ' kB')}. Shorten the text and send it again.`,
            ],
          })
        : messagePage(ctx, {
            title: 'Form not read',
            heading: 'That form could not be read',
            lines: ['Go back, reload the page and try again.'],
          });
      res
        .status(tooLarge ? 413 : 400)
        .type('html')
        .send(page.toString());
    });
  }
}
