import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThan, Repository } from 'typeorm';
import { PacketEntity } from './packet.entity';

/** The only place that queries the packets table. */
@Injectable()
export class PacketsRepository {
  constructor(@InjectRepository(PacketEntity) private readonly repo: Repository<PacketEntity>) {}

  /** Inside `tx` when given, so the packet appears together with what the caller records. */
  async insert(record: PacketEntity, tx?: EntityManager): Promise<void> {
    await (tx ? tx.getRepository(PacketEntity) : this.repo).insert(record);
  }

  /** The packet made for a batch row, if any: ids only. */
  findByBatchRow(batchRowId: string): Promise<Pick<PacketEntity, 'id' | 'caseId'> | null> {
    return this.repo.findOne({ select: { id: true, caseId: true }, where: { batchRowId } });
  }

  listByCase(caseId: string): Promise<PacketEntity[]> {
    return this.repo.find({ where: { caseId }, order: { createdAt: 'DESC' } });
  }

  /** Each case's newest packet: when it was made and from which facts. */
  async latestByCases(
    caseIds: string[],
  ): Promise<Map<string, Pick<PacketEntity, 'factsSha256' | 'createdAt'>>> {
    const latest = new Map<string, Pick<PacketEntity, 'factsSha256' | 'createdAt'>>();
    for (let i = 0; i < caseIds.length; i += 500) {
      const rows = await this.repo.find({
        select: { caseId: true, factsSha256: true, createdAt: true },
        where: { caseId: In(caseIds.slice(i, i + 500)) },
        order: { createdAt: 'DESC' },
      });
      for (const row of rows) if (!latest.has(row.caseId)) latest.set(row.caseId, row);
    }
    return latest;
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
