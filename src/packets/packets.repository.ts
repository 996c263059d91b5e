import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
}
