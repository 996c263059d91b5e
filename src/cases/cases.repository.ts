import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CaseEntity } from './case.entity';

/** The only place that queries the cases table. */
@Injectable()
export class CasesRepository {
  constructor(@InjectRepository(CaseEntity) private readonly repo: Repository<CaseEntity>) {}

  async insert(record: CaseEntity): Promise<CaseEntity> {
    await this.repo.insert(record);
    return record;
  }

  findById(id: string): Promise<CaseEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async update(id: string, changes: Pick<CaseEntity, 'facts' | 'updatedAt'>): Promise<void> {
    await this.repo.update({ id }, changes);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
