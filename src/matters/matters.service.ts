import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { notPermitted } from '../accounts/account-errors';
import { AuditTrail } from '../audit/audit-trail';
import type { AuditAction } from '../audit/audit.types';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts, storedCaseFacts } from '../case-facts/parse-case-facts';
import { CaseAccess, organisationAccess } from '../cases/case-access';
import { CaseSharesService } from '../cases/case-shares.service';
import { CaseEntity } from '../cases/case.entity';
import { CaseResponse, CreateCaseDto } from '../cases/case.dto';
import { CasesRepository } from '../cases/cases.repository';
import { CasesService } from '../cases/cases.service';
import { safetyNotices } from '../cases/safety-notices';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { sha256 } from '../common/sha256';
import { PacketResponse } from '../packets/packet.dto';
import { PacketsRepository } from '../packets/packets.repository';
import { DownloadableFile, PacketsService } from '../packets/packets.service';
import { keepConfidential, withoutConfidential } from './confidential-facts';
import { MatterFilter, MatterStatus, MatterSummary, MatterView } from './matter.dto';
import type { StaffContext } from './staff-context';

/** Cases decrypted at most per list: an organisation's working set, newest first. */
const LIST_SCAN_LIMIT = 2000;

export type PacketDownload =
  { kind: 'merged' } | { kind: 'archive' } | { kind: 'file'; name: string };

/**
 * Staff work on cases ("matters"): always within the caller's organisation, and always in the
 * audit trail. The API and the staff pages both come through here, so neither can forget either.
 */
@Injectable()
export class MattersService {
  constructor(
    private readonly cases: CasesService,
    private readonly caseRows: CasesRepository,
    private readonly packets: PacketsService,
    private readonly packetRows: PacketsRepository,
    private readonly shares: CaseSharesService,
    private readonly audit: AuditTrail,
  ) {}

  async list(ctx: StaffContext, filter: MatterFilter): Promise<MatterSummary[]> {
    const rows = await this.caseRows.listForOrganisation(
      ctx.principal.organisationId,
      {
        packId: filter.packId,
        updatedFrom: filter.from ? new Date(filter.from) : undefined,
        updatedTo: filter.to ? new Date(filter.to) : undefined,
      },
      LIST_SCAN_LIMIT,
    );
    const latest = await this.packetRows.latestByCases(rows.map((r) => r.id));
    const summaries: MatterSummary[] = [];
    for (const row of rows) {
      const record = await this.cases.require(row.id, this.access(ctx));
      summaries.push(summaryOf(record, this.cases.factsOf(record), latest.get(row.id)));
    }
    const q = filter.q?.trim().toLocaleLowerCase();
    const court = filter.court?.trim().toLocaleLowerCase();
    const matching = summaries.filter(
      (s) =>
        (!filter.status || s.status === filter.status) &&
        (!court || s.court.toLocaleLowerCase().includes(court)) &&
        (!q ||
          s.petitioner.toLocaleLowerCase().includes(q) ||
          s.respondent.toLocaleLowerCase().includes(q) ||
          s.reference.toLocaleLowerCase() === q ||
          s.id === q),
    );
    const page = matching.slice(filter.offset ?? 0, (filter.offset ?? 0) + (filter.limit ?? 50));
    // A list shows names, so it is a view: one record per list, saying how many it showed.
    await this.record(ctx, 'case.list', null, `${page.length} shown`);
    return page;
  }

  async create(ctx: StaffContext, dto: CreateCaseDto): Promise<CaseResponse> {
    const created = await this.cases.create(dto, {
      organisationId: ctx.principal.organisationId,
      userId: ctx.principal.userId,
    });
    await this.record(ctx, 'case.create', created.id);
    return created;
  }

  /**
   * The case, with its packets. Confidential values are left out unless asked for, and only a
   * caller allowed to see them may ask; a view with them is audited as such.
   */
  async view(ctx: StaffContext, id: string, confidential: boolean): Promise<MatterView> {
    if (confidential) await this.require(ctx, 'confidential:read', id);
    const record = await this.scoped(ctx, id, () => this.cases.require(id, this.access(ctx)));
    const facts = this.cases.factsOf(record);
    const packets = await this.packets.list(id, this.access(ctx));
    const shown = confidential ? { facts, hidden: [] } : withoutConfidential(facts);
    await this.record(ctx, confidential ? 'case.confidential.view' : 'case.view', id);
    const summary = summaryOf(record, facts, packets[0]);
    return {
      ...summary,
      facts: shown.facts,
      safetyNotices: safetyNotices(facts),
      hiddenConfidentialFields: shown.hidden,
      sharedByPetitioner: record.organisationId === null,
      packets: packets.map((p, i) => ({
        ...p,
        version: packets.length - i,
        factsChangedSince: p.factsSha256 !== null && p.factsSha256 !== summary.factsSha256,
      })),
    };
  }

  /**
   * Replaces the facts. By default the stored confidential values are kept and the edit must not
   * carry any; `replace` (confidential:read only) takes the edit as it is.
   */
  async update(
    ctx: StaffContext,
    id: string,
    facts: CaseFacts,
    confidential: 'keep' | 'replace' = 'keep',
  ): Promise<CaseResponse> {
    if (confidential === 'replace') await this.require(ctx, 'confidential:read', id);
    const record = await this.scoped(ctx, id, () => this.cases.require(id, this.access(ctx)));
    let submitted = facts;
    if (confidential === 'keep') {
      const merged = keepConfidential(facts, this.cases.factsOf(record));
      if (merged.problems.length > 0) throw AppError.validation(merged.problems);
      submitted = merged.facts;
    }
    // Validated here as well as by the API's pipe: the staff pages call this directly.
    const next = parseCaseFacts(JSON.parse(JSON.stringify(submitted)) as unknown, 'facts');
    const updated = await this.cases.update(id, this.access(ctx), next);
    await this.record(ctx, 'case.update', id);
    return { ...updated, facts: withoutConfidential(updated.facts).facts };
  }

  async delete(ctx: StaffContext, id: string): Promise<void> {
    await this.scoped(ctx, id, () => this.cases.delete(id, this.access(ctx)));
    await this.record(ctx, 'case.delete', id);
  }

  async generate(ctx: StaffContext, caseId: string): Promise<PacketResponse> {
    const packet = await this.scoped(ctx, caseId, () =>
      this.packets.generate(caseId, this.access(ctx), ctx.principal.userId),
    );
    await this.record(ctx, 'packet.generate', caseId, packet.id);
    return packet;
  }

  async listPackets(ctx: StaffContext, caseId: string): Promise<PacketResponse[]> {
    const list = await this.scoped(ctx, caseId, () => this.packets.list(caseId, this.access(ctx)));
    await this.record(ctx, 'packet.view', caseId);
    return list;
  }

  async packet(ctx: StaffContext, caseId: string, packetId: string): Promise<PacketResponse> {
    const packet = await this.scoped(ctx, caseId, () =>
      this.packets.get(caseId, this.access(ctx), packetId),
    );
    await this.record(ctx, 'packet.view', caseId, packetId);
    return packet;
  }

  /**
   * The facts exactly as they were when the packet was made (its sealed copy), so an attorney can
   * see what a filed packet said after the case has been edited. Confidential values as in `view`.
   */
  async packetFacts(
    ctx: StaffContext,
    caseId: string,
    packetId: string,
    confidential: boolean,
  ): Promise<{ factsSha256: string | null; facts: CaseFacts; hiddenConfidentialFields: string[] }> {
    if (confidential) await this.require(ctx, 'confidential:read', caseId);
    const packet = await this.scoped(ctx, caseId, () =>
      this.packets.require(caseId, this.access(ctx), packetId),
    );
    if (packet.facts === null) {
      throw AppError.notFound('This packet was made before packets kept their facts');
    }
    const json = await this.cases.unsealPacketFacts(caseId, packetId, packet.facts);
    const facts = storedCaseFacts(json);
    const shown = confidential ? { facts, hidden: [] } : withoutConfidential(facts);
    await this.record(
      ctx,
      confidential ? 'case.confidential.view' : 'packet.view',
      caseId,
      `${packetId}/facts`,
    );
    return {
      factsSha256: packet.factsSha256,
      facts: shown.facts,
      hiddenConfidentialFields: shown.hidden,
    };
  }

  /**
   * A file of a packet. Without confidential:read only bundles proved free of confidential
   * values may be downloaded: every other file can hold the petitioner's address.
   */
  async download(
    ctx: StaffContext,
    caseId: string,
    packetId: string,
    what: PacketDownload,
  ): Promise<DownloadableFile | Readable> {
    const access = this.access(ctx);
    const packet = await this.scoped(ctx, caseId, () => this.packets.get(caseId, access, packetId));
    const subject =
      what.kind === 'file' ? what.name : `packet.${what.kind === 'merged' ? 'pdf' : 'zip'}`;
    if (!ctx.principal.permissions.has('confidential:read')) {
      const safe = packet.bundles.some(
        (b) =>
          b.leakChecked && b.file !== null && what.kind === 'file' && b.file.name === what.name,
      );
      if (!safe) {
        await this.record(ctx, 'access.denied', caseId, subject, 'denied');
        throw notPermitted();
      }
    }
    const result =
      what.kind === 'archive'
        ? await this.packets.archive(caseId, access, packetId)
        : what.kind === 'merged'
          ? await this.packets.mergedPdf(caseId, access, packetId)
          : await this.packets.file(caseId, access, packetId, what.name);
    await this.record(ctx, 'packet.download', caseId, subject);
    return result;
  }

  /** Uses a petitioner's share code: their case joins the organisation's matters. */
  async acceptShare(ctx: StaffContext, code: string): Promise<{ caseId: string }> {
    const caseId = await this.shares.accept(
      code,
      ctx.principal.organisationId,
      ctx.principal.userId,
    );
    if (!caseId) {
      await this.record(ctx, 'case.share.accept', null, null, 'failed');
      throw new AppError(
        ErrorCode.NotFound,
        'That share code is not valid: it may be mistyped, used or expired',
        [{ field: 'code', message: 'is not a valid, unused share code' }],
      );
    }
    await this.record(ctx, 'case.share.accept', caseId);
    return { caseId };
  }

  private access(ctx: StaffContext): CaseAccess {
    return organisationAccess(ctx.principal.organisationId);
  }

  /** The refusal is recorded before it is answered, so no denial goes unrecorded. */
  private async require(
    ctx: StaffContext,
    permission: 'confidential:read',
    caseId: string,
  ): Promise<void> {
    if (ctx.principal.permissions.has(permission)) return;
    await this.record(ctx, 'access.denied', caseId, permission, 'denied');
    throw notPermitted();
  }

  /**
   * Runs `work` on a case of the caller's organisation. Another organisation's case answers
   * exactly like a missing one, and the attempt is recorded as a denial.
   */
  private async scoped<T>(ctx: StaffContext, caseId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (
        e instanceof AppError &&
        e.code === ErrorCode.NotFound &&
        (await this.cases.exists(caseId))
      ) {
        await this.record(ctx, 'access.denied', caseId, null, 'denied');
      }
      throw e;
    }
  }

  private record(
    ctx: StaffContext,
    action: AuditAction,
    caseId: string | null,
    subject: string | null = null,
    outcome: 'ok' | 'denied' | 'failed' = 'ok',
  ): Promise<void> {
    return this.audit.record({
      action,
      actor: AuditTrail.actorOf(ctx.principal),
      outcome,
      caseId,
      subject,
      ip: ctx.ip,
    });
  }
}

function summaryOf(
  record: CaseEntity,
  facts: CaseFacts,
  latest: { factsSha256: string | null; createdAt: Date | string } | undefined,
): MatterSummary & { factsSha256: string } {
  const factsSha256 = sha256(Buffer.from(record.facts, 'utf8'));
  const status: MatterStatus = !latest
    ? 'no-packet'
    : latest.factsSha256 === factsSha256
      ? 'current'
      : 'outdated';
  return {
    id: record.id,
    reference: referenceOf(record.id),
    packId: record.packId,
    court: facts.court.name,
    petitioner: facts.petitioner.name.full,
    respondent: facts.respondent.name.full,
    status,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    lastPacketAt: latest ? new Date(latest.createdAt).toISOString() : null,
    factsSha256,
  };
}

/** A short neutral reference staff can say aloud or write on a file: never a name. */
export function referenceOf(caseId: string): string {
  return `M-${caseId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}
