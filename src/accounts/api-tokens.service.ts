import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import { ApiTokenEntity } from './api-token.entity';
import { ACCOUNTS_CLOCK } from './clock';
import { Permission, parseScopes } from './permissions';
import type { Principal } from './principal';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secret-token';
import { UserEntity } from './user.entity';

/** last_used_at is a hint for admins tidying tokens: written at most once a minute. */
const TOUCH_EVERY_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: Permission[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken extends ApiTokenView {
  /** The only time the token is ever shown. */
  token: string;
}

function toView(t: ApiTokenEntity): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    scopes: parseScopes(t.scopes),
    createdBy: t.userId,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
    revokedAt: t.revokedAt ? t.revokedAt.toISOString() : null,
  };
}

@Injectable()
export class ApiTokensService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly db: DataSource,
    @Inject(ACCOUNTS_CLOCK) private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * A token acting as its maker, limited to `scopes` (and never beyond the maker's role). The
   * audit record names it by id: its name is free text.
   */
  async create(
    maker: Principal,
    name: string,
    scopes: Permission[],
    ip: string | null = null,
  ): Promise<CreatedApiToken> {
    const { token, hash } = newSecret(API_TOKEN_PREFIX);
    const row = this.repo().create({
      id: randomUUID(),
      organisationId: maker.organisationId,
      userId: maker.userId,
      name: name.trim(),
      tokenHash: hash,
      scopes: [...new Set(scopes)].join(' '),
      createdAt: new Date(this.clock()),
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.db.transaction(async (tx: EntityManager) => {
      await tx.insert(ApiTokenEntity, row);
      await this.audit.record(
        { action: 'token.create', actor: AuditTrail.actorOf(maker), subject: row.id, ip },
        tx,
      );
    });
    this.logger.log({ msg: 'api token created', tokenId: row.id, userId: maker.userId });
    return { ...toView(row), token };
  }

  async list(organisationId: string): Promise<ApiTokenView[]> {
    const rows = await this.repo().find({
      where: { organisationId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toView);
  }

  /**
   * Revoking twice is harmless and recorded once; another organisation's token answers like an
   * unknown id.
   */
  async revoke(by: Principal, id: string, ip: string | null = null): Promise<void> {
    const row = await this.repo().findOneBy({ id, organisationId: by.organisationId });
    if (!row) throw AppError.notFound();
    if (row.revokedAt) return;
    const revoked = await this.db.transaction(async (tx: EntityManager) => {
      const changed = await tx.update(
        ApiTokenEntity,
        { id, revokedAt: IsNull() },
        { revokedAt: new Date(this.clock()) },
      );
      if (!changed.affected) return false;
      await this.audit.record(
        { action: 'token.revoke', actor: AuditTrail.actorOf(by), subject: id, ip },
        tx,
      );
      return true;
    });
    if (revoked) this.logger.log({ msg: 'api token revoked', tokenId: id });
  }

  /** The live token and its maker; undefined when unknown, revoked or its maker is disabled. */
  async resolve(token: string): Promise<{ row: ApiTokenEntity; user: UserEntity } | undefined> {
    const row = await this.repo().findOneBy({ tokenHash: hashSecret(token) });
    if (!row || row.revokedAt) return undefined;
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: row.userId });
    if (!user || user.disabledAt || user.organisationId !== row.organisationId) return undefined;
    const now = this.clock();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
      await this.repo().update({ id: row.id }, { lastUsedAt: new Date(now) });
    }
    return { row, user };
  }

  private repo() {
    return this.db.getRepository(ApiTokenEntity);
  }
}
