/**
 * On whose behalf a case is read or changed. Every case query takes one, so a query that forgets
 * to scope does not compile rather than quietly showing every organisation's cases.
 * - `organisation`: staff see their organisation's cases and the ones petitioners shared with it.
 * - `petitioner`: the guided interview, which knows its case id only from the petitioner's
 *   encrypted draft; it never reaches a case that staff made.
 * - `system`: retention and the command line, which act on every case by design.
 */
export type CaseAccess =
  { kind: 'organisation'; organisationId: string } | { kind: 'petitioner' } | { kind: 'system' };

export const PETITIONER: CaseAccess = { kind: 'petitioner' };
export const SYSTEM: CaseAccess = { kind: 'system' };

export function organisationAccess(organisationId: string): CaseAccess {
  return { kind: 'organisation', organisationId };
}
