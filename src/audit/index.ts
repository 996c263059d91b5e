export { AuditEventEntity } from './audit-event.entity';
export { AuditModule } from './audit.module';
export { AuditTrail, routePatternOf } from './audit-trail';
export { AUDIT_ACTIONS } from './audit.types';
export type {
  AuditAction,
  AuditActor,
  AuditActorKind,
  AuditContext,
  AuditEvent,
  AuditFilter,
  AuditListResponse,
  AuditOutcome,
  AuditPage,
  AuditRecordResponse,
} from './audit.types';
