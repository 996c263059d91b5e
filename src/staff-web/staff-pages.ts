import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { principalOf } from '../accounts/principal';
import type { SafeHtml } from '../web/html';
import { WebAssets } from '../web/web-assets';
import { csrfTokenFor } from './staff-csrf';
import type { StaffPageContext, StaffSection } from './staff-layout';

/** What a staff page needs to know about the request it answers. */
@Injectable()
export class StaffPages {
  constructor(private readonly assets: WebAssets) {}

  /** For a request the guard has let through (or refused after knowing who asked). */
  context(req: Request, section?: StaffSection): StaffPageContext {
    const principal = principalOf(req);
    return {
      assetVersion: this.assets.version,
      principal,
      csrf: csrfTokenFor(req, principal),
      section,
    };
  }

  /** Before anyone is signed in: the sign-in page, or a body refused before the guard ran. */
  anonymous(): StaffPageContext {
    return { assetVersion: this.assets.version };
  }
}

export function sendPage(res: Response, page: SafeHtml, status = 200): void {
  res.status(status).type('html').send(page.toString());
}

/** A query parameter given once, as text; anything else (absent, repeated) is as good as absent. */
export function queryText(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The words for the action the address says was done, when `notices` has words for it. */
export function doneNotice(
  req: Request,
  notices: Readonly<Record<string, string>>,
): string | undefined {
  const key = queryText(req, 'done');
  return key !== undefined && Object.hasOwn(notices, key) ? notices[key] : undefined;
}
