import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { CaseCipher } from '../crypto/case-cipher';
import { PacksService } from '../packs/packs.service';
import { ArtifactStore } from '../storage/artifact-store';
import { CaseEntity } from './case.entity';
import { CaseResponse, CreateCaseDto } from './case.dto';
import { CasesRepository } from './cases.repository';
import { safetyNotices } from './safety-notices';

const FACTS = { kind: 'facts' } as const;

@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly packs: PacksService,
    private readonly artifacts: ArtifactStore,
    private readonly cipher: CaseCipher,
  ) {}

  async create(dto: CreateCaseDto): Promise<CaseResponse> {
    this.packs.get(dto.packId);
    const now = new Date();
    const id = randomUUID();
    const json = JSON.stringify(dto.facts);
    const { key, row } = this.cipher.newDataKey(id);
    await this.cases.insert(
      {
        id,
        packId: dto.packId,
        facts: this.cipher.encrypt(id, key, Buffer.from(json, 'utf8'), FACTS).toString('base64'),
        createdAt: now,
        updatedAt: now,
      },
      row,
    );
    this.cipher.remember(id, key);
    return toResponse({ id, packId: dto.packId, facts: json, createdAt: now, updatedAt: now });
  }

  async get(id: string): Promise<CaseResponse> {
    return toResponse(await this.require(id));
  }

  async update(id: string, facts: CaseFacts): Promise<CaseResponse> {
    const record = await this.require(id);
    record.facts = JSON.stringify(facts);
    record.updatedAt = new Date();
    // A case stored before encryption gets its data key here, and is sealed from now on.
    const key = await this.cipher.require(id);
    const sealed = this.cipher.encrypt(id, key, Buffer.from(record.facts, 'utf8'), FACTS);
    await this.cases.update(id, { facts: sealed.toString('base64'), updatedAt: record.updatedAt });
    return toResponse(record);
  }

  /**
   * Deletes the case, its packets, its data key and its files. With `updatedBefore` (retention),
   * a case updated since then is kept and this answers not-found like a missing one.
   */
  async delete(id: string, updatedBefore?: Date): Promise<void> {
    // The data key first, with the row in one transaction (crypto-shredding: any copy of the
    // ciphertexts is unreadable from now on), packets by cascade, then every file made from it.
    const deleted = await this.cases.delete(id, (tx) => this.cipher.destroy(id, tx), updatedBefore);
    this.cipher.forget(id);
    if (!deleted) throw AppError.notFound();
    await this.artifacts.deleteCase(id);
  }

  /**
   * The stored record with its facts decrypted (plain JSON in `facts`), or the same not-found
   * answer for every id that is not there. The copy is for reading; it is never written back.
   */
  async require(id: string): Promise<CaseEntity> {
    const record = await this.cases.findById(id);
    if (!record) throw AppError.notFound();
    return { ...record, facts: await this.decryptFacts(record) };
  }

  /** Stored facts are re-validated on the way out of the database, like any other input. */
  factsOf(record: CaseEntity): CaseFacts {
    return parseCaseFacts(JSON.parse(record.facts) as unknown);
  }

  private async decryptFacts(record: CaseEntity): Promise<string> {
    // Plain JSON (base64 never holds '{') is a case stored before encryption, sealed on its
    // next update; the rotate-master-key command reports how many remain.
    if (record.facts.startsWith('{')) return record.facts;
    const key = await this.cipher.find(record.id);
    if (!key) throw new Error('case facts: the case has no data key (deleted or never made)');
    const envelope = Buffer.from(record.facts, 'base64');
    return this.cipher.decrypt(record.id, key, envelope, FACTS).toString('utf8');
  }
}

function toResponse(record: CaseEntity): CaseResponse {
  const facts = JSON.parse(record.facts) as CaseFacts;
  return {
    id: record.id,
    packId: record.packId,
    facts,
    safetyNotices: safetyNotices(facts),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
