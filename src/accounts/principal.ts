import type { Request } from 'express';
import type { Permission, Role } from './permissions';

/** Who is making a request, as the guard established it. */
export interface Principal {
  userId: string;
  organisationId: string;
  role: Role;
  /** The role's permissions, cut to the token's scopes when the request came with a token. */
  permissions: ReadonlySet<Permission>;
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string };
}

const PRINCIPAL = Symbol('staffPrincipal');

type WithPrincipal = Request & { [PRINCIPAL]?: Principal };

export function attachPrincipal(req: Request, principal: Principal): void {
  (req as WithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(req: Request): Principal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}
