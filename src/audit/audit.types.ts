/** Every action the trail knows: the API's `action` filter accepts exactly these. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'access.denied',
  'user.create',
  'user.update',
  'user.disable',
  'token.create',
  'token.revoke',
  'case.list',
  'case.create',
  'case.view',
  'case.update',
  'case.delete',
  'case.confidential.view',
  'case.share.accept',
  'case.share.withdraw',
  'packet.generate',
  'packet.view',
  'packet.download',
  'audit.view',
  'audit.export',
  'batch.create',
  'batch.download',
  'pack.upload',
  'pack.activate',
  'pack.restore',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_ACTOR_KINDS = ['session', 'token', 'petitioner', 'system', 'anonymous'] as const;

export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

export interface AuditActor {
  kind: AuditActorKind;
  userId: string | null;
  organisationId: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  actor: AuditActor;
  /** 'ok' when not given. */
  outcome?: AuditOutcome;
  /** The case's id, never anything from the case. */
  caseId?: string | null;
  /**
   * What the action was about, as an id or a neutral name: a packet id, a file name from a pack
   * manifest, a user id, a token id, a route pattern. Never a value of a case, an email or
   * anything a person typed.
   */
  subject?: string | null;
  ip?: string | null;
}

/** Who acted and from where, handed by a controller to a service that records in its transaction. */
export interface AuditContext {
  actor: AuditActor;
  ip: string | null;
}

export interface AuditFilter {
  /** One of AUDIT_ACTIONS; anything else is refused as a validation error naming `action`. */
  action?: string;
  caseId?: string;
  /** The acting user. */
  userId?: string;
  /** At or after. */
  from?: Date;
  /** Strictly before. */
  to?: Date;
}

export interface AuditPage {
  /** 1 to 500. */
  limit: number;
  /** The `next` of the previous page: records older than it. */
  before?: string;
}

export interface AuditRecordResponse {
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  action: AuditAction;
  outcome: AuditOutcome;
  actor: { kind: AuditActorKind; userId: string | null };
  caseId: string | null;
  subject: string | null;
  ip: string | null;
}

export interface AuditListResponse {
  records: AuditRecordResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next: string | null;
}
