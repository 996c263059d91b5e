import { ApiTokenEntity } from './api-token.entity';
import { OrganisationEntity } from './organisation.entity';
import { StaffSessionEntity } from './staff-session.entity';
import { UserEntity } from './user.entity';

export const ACCOUNT_ENTITIES = [
  OrganisationEntity,
  UserEntity,
  StaffSessionEntity,
  ApiTokenEntity,
];
