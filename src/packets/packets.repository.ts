import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { PacketEntity } from './packet.entity';

/** The only place that queries the packets table. */
@Injectable()
export class PacketsRepository {
  constructor(@InjectRepository(PacketEntity) private readonly repo: Repository<PacketEntity>) {}

  async insert(record: PacketEntity): Promise<void> {
    await this.repo.insert(record);
  }

  listByCase(caseId: string): Promise<PacketEntity[]> {
    return this.repo.find({ where: { caseId }, order: { createdAt: 'DESC' } });
  }

  findForCase(caseId: string, id: string): Promise<PacketEntity | null> {
    return this.repo.findOneBy({ caseId, id });
  }

  /** Packets made before `cutoff`, oldest first: ids only, never the manifest. */
  findCreatedBefore(cutoff: Date, limit = 500): Promise<Pick<PacketEntity, 'id' | 'caseId'>[]> {
    return this.repo.find({
      select: { id: true, caseId: true },
      where: { createdAt: LessThan(cutoff) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /** True when the row was there and is now gone. */
  async delete(caseId: string, id: string): Promise<boolean> {
    const result = await this.repo.delete({ caseId, id });
    return (result.affected ?? 0) > 0;
  }
}
