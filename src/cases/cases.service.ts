import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { PacksService } from '../packs/packs.service';
import { ArtifactStore } from '../storage/artifact-store';
import { CaseEntity } from './case.entity';
import { CaseResponse, CreateCaseDto } from './case.dto';
import { CasesRepository } from './cases.repository';

@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly packs: PacksService,
    private readonly artifacts: ArtifactStore,
  ) {}

  async create(dto: CreateCaseDto): Promise<CaseResponse> {
    this.packs.get(dto.packId);
    const now = new Date();
    const record = await this.cases.insert({
      id: randomUUID(),
      packId: dto.packId,
      facts: JSON.stringify(dto.facts),
      createdAt: now,
      updatedAt: now,
    });
    return toResponse(record);
  }

  async get(id: string): Promise<CaseResponse> {
    return toResponse(await this.require(id));
  }

  async update(id: string, facts: CaseFacts): Promise<CaseResponse> {
    const record = await this.require(id);
    record.facts = JSON.stringify(facts);
    record.updatedAt = new Date();
    await this.cases.update(id, { facts: record.facts, updatedAt: record.updatedAt });
    return toResponse(record);
  }

  async delete(id: string): Promise<void> {
    // Rows first (packets go with the case by cascade), then every file made from it.
    if (!(await this.cases.delete(id))) throw AppError.notFound();
    await this.artifacts.deleteCase(id);
  }

  /** The stored record, or the same not-found answer for every id that is not there. */
  async require(id: string): Promise<CaseEntity> {
    const record = await this.cases.findById(id);
    if (!record) throw AppError.notFound();
    return record;
  }

  /** Stored facts are re-validated on the way out of the database, like any other input. */
  factsOf(record: CaseEntity): CaseFacts {
    return parseCaseFacts(JSON.parse(record.facts) as unknown);
  }
}

function toResponse(record: CaseEntity): CaseResponse {
  return {
    id: record.id,
    packId: record.packId,
    facts: JSON.parse(record.facts) as CaseFacts,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
