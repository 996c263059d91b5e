import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import type { AuditContext } from '../audit/audit.types';
import type { Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import { ACCOUNTS_CLOCK } from './clock';
import { OrganisationEntity } from './organisation.entity';
import { PasswordHasher } from './password-hasher';
import { checkPassword } from './password-policy';
import type { Role } from './permissions';
import type { Principal } from './principal';
import { StaffSessionEntity } from './staff-session.entity';
import { UserEntity } from './user.entity';

export interface NewUser {
  organisationId: string;
  email: string;
  password: string;
  role: Role;
}

/** What the API shows of an account: never its password hash. */
export interface UserView {
  id: string;
  organisationId: string;
  email: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

export function toUserView(u: UserEntity): UserView {
  return {
    id: u.id,
    organisationId: u.organisationId,
    email: u.email,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    disabledAt: u.disabledAt ? u.disabledAt.toISOString() : null,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Organisations and staff accounts. Shared by the HTTP API and the `create-admin` command, so
 * both apply the same password policy and hashing, and both leave a record in the audit trail.
 */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    @Inject(ACCOUNTS_CLOCK) private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async createOrganisation(name: string): Promise<OrganisationEntity> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw AppError.validation([
        { field: 'organisation', message: 'organisation name must be 1 to 200 characters' },
      ]);
    }
    const org = this.db.getRepository(OrganisationEntity).create({
      id: randomUUID(),
      name: trimmed,
      createdAt: this.now(),
    });
    await this.db.getRepository(OrganisationEntity).insert(org);
    this.logger.log({ msg: 'organisation created', organisationId: org.id });
    return org;
  }

  findOrganisationsByName(name: string): Promise<OrganisationEntity[]> {
    return this.db.getRepository(OrganisationEntity).findBy({ name: name.trim() });
  }

  async requireOrganisation(id: string): Promise<OrganisationEntity> {
    const org = await this.db.getRepository(OrganisationEntity).findOneBy({ id });
    if (!org) throw AppError.notFound();
    return org;
  }

  /**
   * Refuses a weak password or a taken email with a 400 naming the field. `by` is who asked;
   * without it (the `create-admin` command) the record names the system as the actor.
   */
  async create(input: NewUser, by?: AuditContext): Promise<UserEntity> {
    const org = await this.requireOrganisation(input.organisationId);
    const email = normalizeEmail(input.email);
    const problems = checkPassword(input.password, { organisationName: org.name, email });
    if (problems.length > 0) throw AppError.validation(problems);
    if (await this.findByEmail(email)) throw emailTaken();
    const now = this.now();
    const user = this.db.getRepository(UserEntity).create({
      id: randomUUID(),
      organisationId: org.id,
      email,
      passwordHash: await this.hasher.hash(input.password),
      role: input.role,
      disabledAt: null,
      createdAt: now,
      passwordChangedAt: now,
    });
    try {
      await this.db.transaction(async (tx: EntityManager) => {
        await tx.insert(UserEntity, user);
        await this.audit.record(
          {
            action: 'user.create',
            actor: by?.actor ?? { kind: 'system', userId: null, organisationId: org.id },
            subject: user.id,
            ip: by?.ip ?? null,
          },
          tx,
        );
      });
    } catch (e) {
      // Two admins adding the same email at once: the unique index decides, the answer is the same.
      if (await this.findByEmail(email)) throw emailTaken();
      throw e;
    }
    this.logger.log({ msg: 'staff account created', userId: user.id, role: user.role });
    return user;
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ email: normalizeEmail(email) });
  }

  list(organisationId: string): Promise<UserEntity[]> {
    return this.db
      .getRepository(UserEntity)
      .find({ where: { organisationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Another organisation's account answers exactly like one that does not exist. */
  async requireInOrganisation(organisationId: string, id: string): Promise<UserEntity> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id, organisationId });
    if (!user) throw AppError.notFound();
    return user;
  }

  /**
   * Disables the account and ends every one of its sessions in the same transaction: there is
   * no moment at which a disabled account still has a working session. Disabling an account
   * already disabled changes nothing and records nothing.
   */
  async disable(by: Principal, id: string, ip: string | null): Promise<UserEntity> {
    const user = await this.requireInOrganisation(by.organisationId, id);
    if (user.id === by.userId) {
      // An organisation must not lock itself out by its last admin disabling themselves.
      throw AppError.validation([{ field: 'id', message: 'you cannot disable your own account' }]);
    }
    if (user.disabledAt) return user;
    const now = this.now();
    await this.db.transaction(async (tx: EntityManager) => {
      const changed = await tx.update(
        UserEntity,
        { id: user.id, disabledAt: IsNull() },
        { disabledAt: now },
      );
      await tx.update(StaffSessionEntity, { userId: user.id, endedAt: IsNull() }, { endedAt: now });
      // Two admins disabling the account at once: only the one that changed it is recorded.
      if (!changed.affected) return;
      await this.audit.record(
        { action: 'user.disable', actor: AuditTrail.actorOf(by), subject: user.id, ip },
        tx,
      );
    });
    this.logger.log({ msg: 'staff account disabled', userId: user.id });
    return { ...user, disabledAt: now };
  }

  private now(): Date {
    return new Date(this.clock());
  }
}

function emailTaken(): AppError {
  return AppError.validation([{ field: 'email', message: 'email already has an account' }]);
}
