import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { PackVersionEntity, PackVersionStatus } from './pack-version.entity';

export type ActivationResult =
  | { kind: 'missing' }
  | { kind: 'wrong-status'; row: PackVersionEntity }
  | { kind: 'done'; row: PackVersionEntity; retired: string | null };

/** The only place that queries the pack_versions table. Every query names the organisation. */
@Injectable()
export class PackVersionsRepository {
  constructor(
    @InjectRepository(PackVersionEntity) private readonly repo: Repository<PackVersionEntity>,
  ) {}

  /** The row and what the caller records with it (the audit event), together or not at all. */
  async insert(
    row: PackVersionEntity,
    alsoIn: (tx: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.repo.manager.transaction(async (tx) => {
      await tx.getRepository(PackVersionEntity).insert(row);
      await alsoIn(tx);
    });
  }

  find(organisationId: string, id: string): Promise<PackVersionEntity | null> {
    return this.repo.findOneBy({ organisationId, id });
  }

  /** Newest first. */
  list(organisationId: string): Promise<PackVersionEntity[]> {
    return this.repo.find({ where: { organisationId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  findActive(organisationId: string, packId: string): Promise<PackVersionEntity | null> {
    return this.repo.findOneBy({ organisationId, activePackId: packId });
  }

  async activePackIds(organisationId: string): Promise<string[]> {
    const rows = await this.repo.find({
      select: { packId: true },
      where: { organisationId, status: 'active' },
    });
    return rows.map((r) => r.packId);
  }

  async versionExists(organisationId: string, packId: string, version: string): Promise<boolean> {
    return (await this.repo.countBy({ organisationId, packId, version })) > 0;
  }

  /**
   * Makes the version the organisation's active one for its pack id, if it is in `from`; the
   * version active until now is retired in the same transaction, with the caller's record.
   */
  makeActive(
    organisationId: string,
    id: string,
    from: PackVersionStatus,
    now: Date,
    alsoIn: (tx: EntityManager, row: PackVersionEntity) => Promise<void>,
  ): Promise<ActivationResult> {
    return this.repo.manager.transaction(async (tx): Promise<ActivationResult> => {
      const versions = tx.getRepository(PackVersionEntity);
      const row = await versions.findOneBy({ organisationId, id });
      if (!row) return { kind: 'missing' };
      if (row.status !== from) return { kind: 'wrong-status', row };
      const previous = await versions.findOneBy({ organisationId, activePackId: row.packId });
      if (previous) {
        await versions.update({ id: previous.id }, { status: 'retired', activePackId: null });
      }
      const active = { status: 'active' as const, activePackId: row.packId, activatedAt: now };
      await versions.update({ id: row.id }, active);
      const updated = { ...row, ...active };
      await alsoIn(tx, updated);
      return { kind: 'done', row: updated, retired: previous?.id ?? null };
    });
  }
}

/** Two activations (or two uploads of one version) at once: the unique indexes let one win. */
export function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const code = (e.driverError as { code?: unknown } | undefined)?.code;
  return (
    code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint/i.test(e.message)
  );
}
