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

  it('keeps confidential values from paralegals and account management from both staff roles', () => {
    expect(ROLE_PERMISSIONS.paralegal.has('confidential:read')).toBe(false);
    expect(ROLE_PERMISSIONS.attorney.has('confidential:read')).toBe(true);
    for (const role of ['attorney', 'paralegal'] as const) {
      for (const p of ['users:manage', 'tokens:manage', 'audit:read'] as const) {
        expect([role, p, ROLE_PERMISSIONS[role].has(p)]).toEqual([role, p, false]);
      }
    }
  });

  it('never lets a token manage users or tokens', () => {
    expect(TOKEN_SCOPES).not.toContain('users:manage');
    expect(TOKEN_SCOPES).not.toContain('tokens:manage');
  });

  it("reads stored scopes and cuts them to the maker's role", () => {
    expect(parseScopes('cases:read,packets:generate  users:manage bogus')).toEqual([
      'cases:read',
      'packets:generate',
    ]);
    expect([...tokenPermissions('paralegal', ['cases:read', 'confidential:read'])]).toEqual([
      'cases:read',
    ]);
  });
});
