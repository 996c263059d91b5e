import {
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request, Response } from 'express';
import { CreateApiTokenDto, CreateUserDto } from '../accounts/accounts.dto';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import { Permission, TOKEN_SCOPES, isRole } from '../accounts/permissions';
import type { Principal } from '../accounts/principal';
import { clientAddress } from '../accounts/request-credentials';
import { UsersService, toUserView } from '../accounts/users.service';
import { AuditTrail } from '../audit/audit-trail';
import { CURSOR_PATTERN } from '../audit/audit-trail';
import { AuditFilterQueryDto, toFilter } from '../audit/audit.dto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { VALIDATOR_OPTIONS } from '../case-facts/parse-case-facts';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { all, first, formBody } from '../web/form-input';
import {
  AUDIT_FILTER_FIELDS,
  AuditFilterForm,
  auditPage,
  disableUserPage,
  revokeTokenPage,
  tokenMadePage,
  tokensPage,
  usersPage,
} from './admin-pages';
import { StaffAccounts } from './staff-accounts';
import { StaffErrorFilter } from './staff-error.filter';
import { StaffFormCheck } from './staff-forms';
import { StaffPages, doneNotice, queryText, sendPage } from './staff-pages';

const AUDIT_PAGE = 50;

/** After a change, the list says what was done: fixed words chosen by a fixed key. */
const DONE: Record<string, string> = {
  created: 'The account was added.',
  disabled: 'The account was disabled and signed out everywhere.',
  revoked: 'The token was revoked.',
};

const AUDIT_MESSAGES: Record<string, string> = {
  action: 'Choose an action from the list',
  caseId: 'Case id must be the id of a matter, such as 3f2b9c1e-…',
  from: 'From must be a date such as 2026-03-01',
  to: 'Until must be a date such as 2026-03-31',
  cursor: 'That page of records is not there any more: start again from the newest',
};

/**
 * Staff accounts, API tokens and the audit trail, for the roles that manage them. Each page is
 * behind its permission: a role without it is refused with 403, and its navigation never shows
 * the item.
 */
@ApiExcludeController()
@Controller('staff')
@UseFilters(StaffErrorFilter)
@UseInterceptors(StaffFormCheck)
export class StaffAdminController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: StaffAccounts,
    private readonly audit: AuditTrail,
    private readonly pages: StaffPages,
  ) {}

  // ---- staff accounts ------------------------------------------------------------------------

  @Get('users')
  @RequirePermission('users:manage')
  async usersList(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showUsers(req, res, who, { email: '', role: '' }, new Map(), doneNotice(req, DONE));
  }

  @Post('users')
  @RequirePermission('users:manage')
  async addUser(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = formBody(req);
    const form = { email: (first(body, 'email') ?? '').trim(), role: first(body, 'role') ?? '' };
    const password = first(body, 'password') ?? '';
    const errors = fieldErrors(
      plainToInstance(CreateUserDto, { email: form.email, role: form.role, password }),
    );
    if (form.email === '') errors.set('email', 'Enter their email address');
    if (!isRole(form.role)) errors.set('role', 'Choose a role');
    if (password === '') errors.set('password', 'Enter a first password');
    if (errors.size === 0 && isRole(form.role)) {
      try {
        await this.users.create(
          { organisationId: who.organisationId, email: form.email, password, role: form.role },
          AuditTrail.contextOf(who, req),
        );
        res.redirect(303, '/staff/users?done=created');
        return;
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
        for (const d of e.details) {
          const field = d.field === 'email' || d.field === 'role' ? d.field : 'password';
          errors.set(field, [errors.get(field), d.message].filter(Boolean).join('; '));
        }
      }
    }
    await this.showUsers(req, res, who, form, errors, undefined, 400);
  }

  @Get('users/:id/disable')
  @RequirePermission('users:manage')
  async disableForm(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const user = await this.users.requireInOrganisation(who.organisationId, id);
    sendPage(res, disableUserPage(this.pages.context(req, 'users'), toUserView(user)));
  }

  @Post('users/:id/disable')
  @RequirePermission('users:manage')
  async disable(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    try {
      await this.users.disable(who, id, clientAddress(req));
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
      const user = toUserView(await this.users.requireInOrganisation(who.organisationId, id));
      const message = e.details.map((d) => d.message).join('; ');
      const page = disableUserPage(this.pages.context(req, 'users'), user, message);
      sendPage(res, page, 400);
      return;
    }
    res.redirect(303, '/staff/users?done=disabled');
  }

  // ---- API tokens ----------------------------------------------------------------------------

  @Get('tokens')
  @RequirePermission('tokens:manage')
  async tokensList(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showTokens(
      req,
      res,
      who,
      { name: '', scopes: [] },
      new Map(),
      doneNotice(req, DONE),
    );
  }

  /** The answer is the only place the token ever appears; the page, like all, is no-store. */
  @Post('tokens')
  @RequirePermission('tokens:manage')
  async makeToken(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = formBody(req);
    const form = { name: first(body, 'name') ?? '', scopes: all(body, 'scopes') };
    const granted = grantable(who);
    const errors = fieldErrors(plainToInstance(CreateApiTokenDto, form));
    if (form.scopes.length === 0) errors.set('scopes', 'Tick at least one thing it may do');
    else if (form.scopes.some((s) => !(granted as string[]).includes(s))) {
      errors.set('scopes', 'Tick only the scopes listed');
    }
    if (errors.size > 0) {
      await this.showTokens(req, res, who, form, errors, undefined, 400);
      return;
    }
    const made = await this.accounts.tokens.create(
      who,
      form.name,
      form.scopes as Permission[],
      clientAddress(req),
    );
    sendPage(res, tokenMadePage(this.pages.context(req, 'tokens'), made));
  }

  @Get('tokens/:id/revoke')
  @RequirePermission('tokens:manage')
  async revokeForm(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const token = (await this.accounts.tokens.list(who.organisationId)).find((t) => t.id === id);
    if (!token) throw AppError.notFound();
    sendPage(res, revokeTokenPage(this.pages.context(req, 'tokens'), token));
  }

  @Post('tokens/:id/revoke')
  @RequirePermission('tokens:manage')
  async revoke(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    await this.accounts.tokens.revoke(who, id, clientAddress(req));
    res.redirect(303, '/staff/tokens?done=revoked');
  }

  // ---- the audit trail -----------------------------------------------------------------------

  /**
   * Filters in the query string: none of them is survivor data (an action, a case's id, dates),
   * so the pages can be linked to and paged back and forth. Reading is recorded, as in the API.
   */
  @Get('audit')
  @RequirePermission('audit:read')
  async auditTrail(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const filter: AuditFilterForm = { action: '', caseId: '', from: '', to: '' };
    for (const name of AUDIT_FILTER_FIELDS) filter[name] = (queryText(req, name) ?? '').trim();
    const cursor = queryText(req, 'cursor');
    const given = Object.fromEntries(
      AUDIT_FILTER_FIELDS.filter((n) => filter[n] !== '').map((n) => [n, filter[n]]),
    );
    const dto = plainToInstance(AuditFilterQueryDto, given);
    const errors = fieldErrors(dto, AUDIT_MESSAGES);
    if (cursor !== undefined && !CURSOR_PATTERN.test(cursor)) {
      errors.set('cursor', AUDIT_MESSAGES.cursor ?? '');
    }
    if (errors.size === 0 && filter.from !== '' && filter.to !== '' && filter.from > filter.to) {
      errors.set('to', 'Until must not be before from');
    }
    const staff = await this.users.list(who.organisationId);
    const staffNames = new Map(staff.map((u) => [u.id, u.email]));
    const ctx = this.pages.context(req, 'audit');
    if (errors.size > 0) {
      const page = auditPage(ctx, {
        filter,
        errors,
        records: [],
        next: null,
        staffNames,
        older: false,
      });
      sendPage(res, page, 400);
      return;
    }
    const query = toFilter(dto);
    const found = await this.audit.list(who.organisationId, query, {
      limit: AUDIT_PAGE,
      ...(cursor !== undefined ? { before: cursor } : {}),
    });
    await this.audit.record({
      action: 'audit.view',
      actor: AuditTrail.actorOf(who),
      caseId: query.caseId ?? null,
      ip: clientAddress(req),
    });
    const page = auditPage(ctx, {
      filter,
      errors,
      records: found.records,
      next: found.next,
      staffNames,
      older: cursor !== undefined,
    });
    sendPage(res, page);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async showUsers(
    req: Request,
    res: Response,
    who: Principal,
    form: { email: string; role: string },
    errors: Map<string, string>,
    doneText?: string,
    status = 200,
  ): Promise<void> {
    const users = (await this.users.list(who.organisationId)).map(toUserView);
    const page = usersPage(this.pages.context(req, 'users'), {
      users,
      me: who.userId,
      form,
      errors,
      done: doneText,
    });
    sendPage(res, page, status);
  }

  private async showTokens(
    req: Request,
    res: Response,
    who: Principal,
    form: { name: string; scopes: string[] },
    errors: Map<string, string>,
    doneText?: string,
    status = 200,
  ): Promise<void> {
    const [tokens, staff] = await Promise.all([
      this.accounts.tokens.list(who.organisationId),
      this.users.list(who.organisationId),
    ]);
    const page = tokensPage(this.pages.context(req, 'tokens'), {
      tokens,
      staffNames: new Map(staff.map((u) => [u.id, u.email])),
      scopes: grantable(who),
      form,
      errors,
      done: doneText,
    });
    sendPage(res, page, status);
  }
}

/** A token never exceeds its maker's role, so only those scopes are offered. */
function grantable(who: Principal): Permission[] {
  return TOKEN_SCOPES.filter((s) => who.permissions.has(s));
}

/**
 * The API's own rules for a form, checked with its DTO: the first message per field, or the
 * page's words for the field where it has them.
 */
function fieldErrors(dto: object, words: Record<string, string> = {}): Map<string, string> {
  const errors = new Map<string, string>();
  for (const e of validateSync(dto, VALIDATOR_OPTIONS)) {
    const message = words[e.property] ?? Object.values(e.constraints ?? {})[0];
    if (message !== undefined && !errors.has(e.property)) errors.set(e.property, message);
  }
  return errors;
}
