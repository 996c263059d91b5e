import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { signInRequired } from './account-errors';
import { ApiTokensService } from './api-tokens.service';
import { ROLE_PERMISSIONS, isRole, parseScopes, tokenPermissions } from './permissions';
import type { Principal } from './principal';
import { readBearer, readSessionCookie } from './request-credentials';
import { StaffSessionsService } from './staff-sessions.service';

/**
 * Who a request comes from: an API token when an Authorization header is sent (and only then,
 * so a bad token is never rescued by a cookie riding along), otherwise the session cookie.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly sessions: StaffSessionsService,
    private readonly tokens: ApiTokensService,
  ) {}

  async authenticate(req: Request): Promise<Principal> {
    const bearer = readBearer(req);
    if (bearer.kind === 'bad') throw signInRequired();
    if (bearer.kind === 'bearer') {
      const found = await this.tokens.resolve(bearer.token);
      if (!found || !isRole(found.user.role)) throw signInRequired();
      return {
        userId: found.user.id,
        organisationId: found.user.organisationId,
        role: found.user.role,
        permissions: tokenPermissions(found.user.role, parseScopes(found.row.scopes)),
        via: { kind: 'token', tokenId: found.row.id },
      };
    }
    const cookie = readSessionCookie(req);
    const live = cookie ? await this.sessions.resolve(cookie) : undefined;
    if (!live || !isRole(live.user.role)) throw signInRequired();
    return {
      userId: live.user.id,
      organisationId: live.user.organisationId,
      role: live.user.role,
      permissions: ROLE_PERMISSIONS[live.user.role],
      via: { kind: 'session', sessionId: live.session.id },
    };
  }
}
