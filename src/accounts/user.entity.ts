import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganisationEntity } from './organisation.entity';
import type { Role } from './permissions';

@Entity('users')
@Index('uq_users_email', ['email'], { unique: true })
@Index('idx_users_organisation', ['organisationId'])
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  /** Lower-cased, so that one address is one account however it is typed. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** The argon2id PHC string (algorithm, parameters, salt and hash); never the password. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** Set when an admin disables the account: it can no longer sign in or use its tokens. */
  @Column({ name: 'disabled_at', type: Date, nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'password_changed_at' })
  passwordChangedAt!: Date;
}
