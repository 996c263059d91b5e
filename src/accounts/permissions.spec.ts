import {
  PERMISSIONS,
  ROLE_PERMISSIONS,
  TOKEN_SCOPES,
  parseScopes,
  tokenPermissions,
} from './permissions';

describe('role permissions', () => {
  it('gives admins every permission', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('leaves deleting cases to attorneys and account management to admins', () => {
    expect(ROLE_PERMISSIONS.paralegal.has('cases:delete')).toBe(false);
    expect(ROLE_PERMISSIONS.attorney.has('cases:delete')).toBe(true);
    expect(ROLE_PERMISSIONS.attorney.has('batches:run')).toBe(false);
    for (const role of ['attorney', 'paralegal'] as const) {
      for (const p of ['users:manage', 'tokens:manage', 'audit:read', 'packs:manage'] as const) {
        expect([role, p, ROLE_PERMISSIONS[role].has(p)]).toEqual([role, p, false]);
      }
    }
  });

  it('never lets a token manage users or tokens', () => {
    expect(TOKEN_SCOPES).not.toContain('users:manage');
    expect(TOKEN_SCOPES).not.toContain('tokens:manage');
  });

  it("leaves changing the organisation's court packs to admins, never to a token", () => {
    expect(ROLE_PERMISSIONS.admin.has('packs:manage')).toBe(true);
    expect(TOKEN_SCOPES).not.toContain('packs:manage');
  });

  it("reads stored scopes and cuts them to the maker's role", () => {
    expect(parseScopes('cases:read,packets:generate  users:manage bogus')).toEqual([
      'cases:read',
      'packets:generate',
    ]);
    expect([...tokenPermissions('paralegal', ['cases:read', 'cases:delete'])]).toEqual([
      'cases:read',
    ]);
  });
});
