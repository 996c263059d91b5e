import { Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { storedCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { CaseCipher } from '../crypto/case-cipher';
import { PacksService } from '../packs/packs.service';
import { PackResolver } from '../pack-uploads/pack-resolver';
import { ArtifactStore } from '../storage/artifact-store';
import { CaseAccess } from './case-access';
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
    // Lets an organisation's staff create cases with a pack id only it has uploaded.
    @Optional() private readonly packResolver?: PackResolver,
  ) {}

  /** A new case, owned by `owner`'s organisation, or by no one (the petitioner) without one. */
  async create(
    dto: CreateCaseDto,
    owner: { organisationId: string; userId: string } | null = null,
  ): Promise<CaseResponse> {
    if (this.packResolver) await this.packResolver.check(owner?.organisationId ?? null, dto.packId);
    else this.packs.get(dto.packId);
    const now = new Date();
    const id = randomUUID();
    const json = JSON.stringify(dto.facts);
    const { key, row } = this.cipher.newDataKey(id);
    await this.cases.insert(
      {
        id,
        packId: dto.packId,
        facts: this.cipher.encrypt(id, key, Buffer.from(json, 'utf8'), FACTS).toString('base64'),
        organisationId: owner?.organisationId ?? null,
        createdBy: owner?.userId ?? null,
        createdAt: now,
        updatedAt: now,
      },
      row,
    );
    this.cipher.remember(id, key);
    return toResponse({
      id,
      packId: dto.packId,
      facts: json,
      organisationId: owner?.organisationId ?? null,
      createdBy: owner?.userId ?? null,
      createdAt: now,
      updatedAt: now,
    });
  }

  async get(id: string, access: CaseAccess): Promise<CaseResponse> {
    return toResponse(await this.require(id, access));
  }

  async update(id: string, access: CaseAccess, facts: CaseFacts): Promise<CaseResponse> {
    const record = await this.require(id, access);
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
  async delete(id: string, access: CaseAccess, updatedBefore?: Date): Promise<void> {
    if (access.kind !== 'system') await this.require(id, access);
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
  async require(id: string, access: CaseAccess): Promise<CaseEntity> {
    const record = await this.cases.findById(id, access);
    if (!record) throw AppError.notFound();
    return { ...record, facts: await this.decryptFacts(record) };
  }

  /** Whether the id names a case at all, whoever may see it: only to record a denied access. */
  exists(id: string): Promise<boolean> {
    return this.cases.exists(id);
  }

  /** Stored facts are re-validated on the way out of the database, like any other input. */
  factsOf(record: CaseEntity): CaseFacts {
    return storedCaseFacts(record.facts);
  }

  /** A packet's own copy of the facts that made it, sealed with the case's data key. */
  async sealPacketFacts(caseId: string, packetId: string, json: string): Promise<string> {
    const key = await this.cipher.require(caseId);
    const purpose = { kind: 'packet-facts', packetId } as const;
    return this.cipher.encrypt(caseId, key, Buffer.from(json, 'utf8'), purpose).toString('base64');
  }

  async unsealPacketFacts(caseId: string, packetId: string, sealed: string): Promise<string> {
    const key = await this.cipher.find(caseId);
    if (!key) throw new Error('packet facts: the case has no data key (deleted or never made)');
    const purpose = { kind: 'packet-facts', packetId } as const;
    return this.cipher
      .decrypt(caseId, key, Buffer.from(sealed, 'base64'), purpose)
      .toString('utf8');
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
