import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction, AuditActorKind, AuditOutcome } from './audit.types';

/**
 * One thing that happened, written once and never changed: the database refuses UPDATE, DELETE
 * and TRUNCATE on this table (see the audit-trail migration). Organisation, user and case are
 * plain ids without foreign keys, so records outlive what they are about.
 */
@Entity('audit_events')
@Index('uq_audit_events_id', ['id'], { unique: true })
@Index('idx_audit_events_organisation_at', ['organisationId', 'at'])
@Index('idx_audit_events_case', ['caseId'])
export class AuditEventEntity {
  /** Order of writing: breaks ties between records made in the same millisecond. */
  @PrimaryGeneratedColumn('increment', { name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'at' })
  at!: Date;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36, nullable: true })
  organisationId!: string | null;

  @Column({ name: 'actor_kind', type: 'varchar', length: 16 })
  actorKind!: AuditActorKind;

  @Column({ name: 'actor_user_id', type: 'varchar', length: 36, nullable: true })
  actorUserId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 8 })
  outcome!: AuditOutcome;

  @Column({ name: 'case_id', type: 'varchar', length: 36, nullable: true })
  caseId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  subject!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;
}
