import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { PacketEntity } from '../packets/packet.entity';
import { ArtifactStore, StoredCaseFolder } from '../storage/artifact-store';

/**
 * How long a folder without its row is left alone. A packet's files are renamed into place a
 * moment before its row is written, by this process or by a batch worker in another one; a
 * folder younger than this may be such a packet, and removing it would leave a row without
 * files. Orphans are unreachable meanwhile (downloads start from the row), so waiting costs
 * only disk space.
 */
export const ORPHAN_GRACE_MS = 10 * 60_000;

/** Case folders per listing batch; each batch costs at most a few IN queries. */
const BATCH = 200;
/** Ids per IN (...) list, well under SQLite's and PostgreSQL's parameter limits. */
const IDS_PER_QUERY = 500;

export interface OrphanReport {
  /** Packet folders of existing cases that no packet row refers to. */
  packets: number;
  /** Case folders of cases that no longer (or never) existed, with everything in them. */
  cases: number;
  /** Temporary folders of writes that never finished. */
  temporary: number;
}

/**
 * Removes what a crash between files and rows leaves on disk: a packet folder written but whose
 * row never was (process killed, database gone at that moment), a case folder whose case was
 * deleted but whose files were not, and temporary folders of writes that never finished. The
 * database decides: a folder stays while its row exists. Runs at start and with every purge.
 */
@Injectable()
export class OrphanSweeper {
  constructor(
    private readonly artifacts: ArtifactStore,
    @InjectRepository(CaseEntity) private readonly cases: Repository<CaseEntity>,
    @InjectRepository(PacketEntity) private readonly packets: Repository<PacketEntity>,
  ) {}

  /** `now` is the sweep's clock: folders last changed before `now - ORPHAN_GRACE_MS` may go. */
  async sweep(now: Date = new Date()): Promise<OrphanReport> {
    const cutoff = new Date(now.getTime() - ORPHAN_GRACE_MS);
    const report: OrphanReport = { packets: 0, cases: 0, temporary: 0 };
    report.temporary = await this.artifacts.sweep(cutoff);
    for await (const folders of this.artifacts.folders(BATCH)) {
      const existing = await this.existingCases(folders.map((f) => f.caseId));
      const kept: StoredCaseFolder[] = [];
      for (const folder of folders) {
        if (existing.has(folder.caseId)) kept.push(folder);
        else if (folder.modifiedAt < cutoff) {
          await this.artifacts.deleteCase(folder.caseId);
          report.cases++;
        }
      }
      const candidates = kept.flatMap((f) =>
        f.packets
          .filter((p) => p.modifiedAt < cutoff)
          .map((p) => ({ caseId: f.caseId, packetId: p.packetId })),
      );
      const rows = await this.existingPackets(candidates.map((c) => c.packetId));
      for (const c of candidates) {
        if (rows.get(c.packetId) === c.caseId) continue;
        await this.artifacts.deletePacket(c.caseId, c.packetId);
        report.packets++;
      }
    }
    return report;
  }

  private async existingCases(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(ids)) {
      const rows = await this.cases.find({ select: { id: true }, where: { id: In(chunk) } });
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /** Packet id -> its case id, for the ids that have a row. */
  private async existingPackets(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const chunk of chunks(ids)) {
      const rows = await this.packets.find({
        select: { id: true, caseId: true },
        where: { id: In(chunk) },
      });
      for (const r of rows) found.set(r.id, r.caseId);
    }
    return found;
  }
}

function chunks(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) out.push(ids.slice(i, i + IDS_PER_QUERY));
  return out;
}
