import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, LessThan, Repository } from 'typeorm';
import { DataKeyEntity } from '../crypto/data-key.entity';
import { CaseEntity } from './case.entity';

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

  findById(id: string): Promise<CaseEntity | null> {
    return this.repo.findOneBy({ id });
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
