import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  /** Deletes the case inside a transaction in which `alsoDo` runs first (its data key goes). */
  async delete(id: string, alsoDo: (tx: EntityManager) => Promise<void>): Promise<boolean> {
    return this.repo.manager.transaction(async (tx) => {
      await alsoDo(tx);
      const result = await tx.getRepository(CaseEntity).delete({ id });
      return (result.affected ?? 0) > 0;
    });
  }
}
