import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, FindOptionsWhere, LessThan, Repository } from 'typeorm';
import { DataKeyEntity } from '../crypto/data-key.entity';
import { CaseAccess } from './case-access';
import { CaseEntity } from './case.entity';
import { CaseShareEntity } from './case-share.entity';

/** The only place that queries the cases table. */
@Injectable()
export class CasesRepository {
  constructor(@InjectRepository(CaseEntity) private readonly repo: Repository<CaseEntity>) {}

  /** The case and its wrapped data key, together or not at all. */
  async insert(record: CaseEntity, dataKey: DataKeyEntity): Promise<CaseEntity> {
    await this.repo.manager.transaction(async (tx) => {
      await tx.getRepository(CaseEntity).insert(record);
      await tx.getRepository(DataKeyEntity).insert(dataKey);
    });
    return record;
  }

  /** The case if `access` may reach it; otherwise null, exactly as for an id that is not there. */
  findById(id: string, access: CaseAccess): Promise<CaseEntity | null> {
    const query = this.repo.createQueryBuilder('c').where('c.id = :id', { id });
    if (access.kind === 'petitioner') query.andWhere('c.organisationId IS NULL');
    if (access.kind === 'organisation') {
      query.andWhere(this.visibleTo(), { org: access.organisationId });
    }
    return query.getOne();
  }

  /**
   * An organisation's own cases and those shared with it, most recently updated first, narrowed
   * by what can be filtered without decrypting (pack, dates). Facts stay encrypted.
   */
  async listForOrganisation(
    organisationId: string,
    filter: { packId?: string; updatedFrom?: Date; updatedTo?: Date },
    limit: number,
  ): Promise<CaseEntity[]> {
    const query = this.repo
      .createQueryBuilder('c')
      .where(this.visibleTo(), { org: organisationId });
    if (filter.packId) query.andWhere('c.packId = :packId', { packId: filter.packId });
    if (filter.updatedFrom) query.andWhere('c.updatedAt >= :from', { from: filter.updatedFrom });
    if (filter.updatedTo) query.andWhere('c.updatedAt < :to', { to: filter.updatedTo });
    return query.orderBy('c.updatedAt', 'DESC').addOrderBy('c.id', 'ASC').take(limit).getMany();
  }

  /** Cases of `:org` itself or shared with it by their petitioner (alias `c`). */
  private visibleTo(): Brackets {
    const shares = this.repo.manager
      .createQueryBuilder(CaseShareEntity, 's')
      .select('1')
      .where('s.caseId = c.id')
      .andWhere('s.organisationId = :org')
      .getQuery();
    return new Brackets((w) => w.where('c.organisationId = :org').orWhere(`EXISTS (${shares})`));
  }

  /** Whether a case with this id exists at all, whoever owns it: only to audit a denial. */
  async exists(id: string): Promise<boolean> {
    return (await this.repo.countBy({ id })) > 0;
  }

  async update(id: string, changes: Pick<CaseEntity, 'facts' | 'updatedAt'>): Promise<void> {
    await this.repo.update({ id }, changes);
  }

  /** Ids of the cases last updated before `cutoff`, oldest first. */
  async findUpdatedBefore(cutoff: Date, limit = 500): Promise<string[]> {
    const rows = await this.repo.find({
      select: { id: true },
      where: { updatedAt: LessThan(cutoff) },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /**
   * Deletes the case inside a transaction in which `alsoDo` runs first (its data key goes).
   * With `updatedBefore`, only a case still not updated since then is deleted; otherwise (or when
   * there is no such case) the transaction rolls back, so `alsoDo`'s work is undone too.
   */
  async delete(
    id: string,
    alsoDo: (tx: EntityManager) => Promise<void>,
    updatedBefore?: Date,
  ): Promise<boolean> {
    const where: FindOptionsWhere<CaseEntity> = updatedBefore
      ? { id, updatedAt: LessThan(updatedBefore) }
      : { id };
    try {
      return await this.repo.manager.transaction(async (tx) => {
        await alsoDo(tx);
        const result = await tx.getRepository(CaseEntity).delete(where);
        if ((result.affected ?? 0) === 0) throw new NothingDeleted();
        return true;
      });
    } catch (e) {
      if (e instanceof NothingDeleted) return false;
      throw e;
    }
  }
}

/** Rolls back a delete that found no row to delete. */
class NothingDeleted extends Error {}
