/**
 * What each staff role may do: the one table every authorisation decision reads. A route names
 * the permission it needs (`@RequirePermission`), never a role, so changing what a role may do
 * is a change here and nowhere else.
 */
export const PERMISSIONS = [
  'users:manage',
  'tokens:manage',
  'audit:read',
  'cases:read',
  'cases:write',
  'cases:delete',
  'packets:generate',
  'packets:download',
  'confidential:read',
  'batches:run',
  'packs:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'attorney', 'paralegal'] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(PERMISSIONS),
  attorney: new Set<Permission>([
    'cases:read',
    'cases:write',
    'cases:delete',
    'packets:generate',
    'packets:download',
    'confidential:read',
  ]),
  // Paralegals prepare, file and batch-generate packets, which needs the confidential court
  // forms; deleting a survivor's case is left to attorneys and admins.
  paralegal: new Set<Permission>([
    'cases:read',
    'cases:write',
    'packets:generate',
    'packets:download',
    'confidential:read',
    'batches:run',
  ]),
};

/**
 * What an API token may be granted. Managing users and tokens is left out on purpose: a token
 * that leaks from a case-management system must not be able to mint more tokens or accounts.
 * Managing packs is left out too: a leaked token must not be able to change the templates every
 * filing of the organisation is made from, and uploading a court's pack is rare, manual work.
 */
export const TOKEN_SCOPES: readonly Permission[] = PERMISSIONS.filter(
  (p) => p !== 'users:manage' && p !== 'tokens:manage' && p !== 'packs:manage',
);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function isTokenScope(value: string): value is Permission {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Scopes as stored: space- or comma-separated, in any order; unknown words are dropped. */
export function parseScopes(stored: string): Permission[] {
  return [...new Set(stored.split(/[\s,]+/).filter(isTokenScope))];
}

/** A token never exceeds its maker's role: its permissions are the role's, cut to its scopes. */
export function tokenPermissions(role: Role, scopes: readonly Permission[]): Set<Permission> {
  return new Set(scopes.filter((s) => ROLE_PERMISSIONS[role].has(s)));
}
