import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuditTrail } from '../audit/audit-trail';
import { notPermitted, signInRequired } from './account-errors';
import { Authenticator } from './authenticator';
import type { Permission } from './permissions';
import { Principal, attachPrincipal, principalOf } from './principal';

const REQUIRED = Symbol('requiredPermissions');

/**
 * The one guard: authenticates the request (session or token) and checks the permissions the
 * route names against the role table. Routes say what they need, never which roles may come.
 * A signed-in principal refused for a missing permission is recorded in the audit trail.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED, [
      context.getHandler(),
      context.getClass(),
    ]);
    // A route that uses the guard without saying what it needs is a programming error; it is
    // refused rather than left open.
    if (!required) throw notPermitted();
    const req = context.switchToHttp().getRequest<Request>();
    const principal = await this.authenticator.authenticate(req);
    attachPrincipal(req, principal);
    if (!required.every((p) => principal.permissions.has(p))) {
      await this.audit.denied(principal, req);
      throw notPermitted();
    }
    return true;
  }
}

/** Signed in (session or token) with every one of `permissions`. */
export function RequirePermission(...permissions: [Permission, ...Permission[]]) {
  return applyDecorators(SetMetadata(REQUIRED, permissions), UseGuards(PermissionGuard));
}

/** Any signed-in staff member, whatever their role: e.g. to see who they are or to log out. */
export function RequireSignIn() {
  return applyDecorators(SetMetadata(REQUIRED, []), UseGuards(PermissionGuard));
}

/** The principal the guard established; only on routes behind it. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<Request>());
    if (!principal) throw signInRequired();
    return principal;
  },
);

/**
 * The permissions a handler requires (its own, else its controller's), or undefined when the
 * route is not behind the guard at all: what the route-table tests read.
 */
export function requiredPermissionsOf(
  handler: (...args: never[]) => unknown,
  controller: abstract new (...args: never[]) => unknown,
): Permission[] | undefined {
  return (Reflect.getMetadata(REQUIRED, handler) ?? Reflect.getMetadata(REQUIRED, controller)) as
    Permission[] | undefined;
}
