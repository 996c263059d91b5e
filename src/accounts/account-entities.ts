import { AuditEventEntity } from '../audit/audit-event.entity';
import { ApiTokenEntity } from './api-token.entity';
import { OrganisationEntity } from './organisation.entity';
import { StaffSessionEntity } from './staff-session.entity';
import { UserEntity } from './user.entity';

/** With the audit trail, which records what these accounts do. */
export const ACCOUNT_ENTITIES = [
  OrganisationEntity,
  UserEntity,
  StaffSessionEntity,
  ApiTokenEntity,
  AuditEventEntity,
];
