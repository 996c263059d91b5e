import { Inject, Injectable } from '@nestjs/common';
import { CasesRepository } from '../cases/cases.repository';
import { SYSTEM } from '../cases/case-access';
import { CasesService } from '../cases/cases.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { InterviewDraftsRepository } from '../interview/interview-drafts.repository';
import { PacketsRepository } from '../packets/packets.repository';
import { ArtifactStore } from '../storage/artifact-store';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows looked up per query, so one purge never loads a whole table. */
const BATCH = 200;

export interface PurgeReport {
  /** Packets deleted on their own (a purged case's packets go with it and are not counted). */
  packets: number;
  cases: number;
}

/**
 * Deletes what has outlived its retention period: cases not updated for CASE_RETENTION_DAYS
 * (through `CasesService.delete`, so their packets, data key and files go too), then packets
 * generated more than PACKET_RETENTION_DAYS ago (row first, then its folder: a crash in between
 * leaves an unreferenced folder, never a packet whose files are missing), and interview drafts
 * past their expiry.
 */
@Injectable()
export class RetentionService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly casesService: CasesService,
    private readonly cases: CasesRepository,
    private readonly packets: PacketsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly drafts: InterviewDraftsRepository,
  ) {}

  /**
   * Deletes interview drafts whose expiry (INTERVIEW_DRAFT_DAYS after their last change) has
   * passed. They are unreadable from that moment already; this removes the ciphertext too.
   */
  purgeExpiredDrafts(now: Date = new Date()): Promise<number> {
    return this.drafts.deleteExpired(now);
  }

  async purgeExpired(now: Date = new Date()): Promise<PurgeReport> {
    const caseCutoff = new Date(now.getTime() - this.config.CASE_RETENTION_DAYS * DAY_MS);
    const packetCutoff = new Date(now.getTime() - this.config.PACKET_RETENTION_DAYS * DAY_MS);
    const report: PurgeReport = { packets: 0, cases: 0 };

    for (;;) {
      const ids = await this.cases.findUpdatedBefore(caseCutoff, BATCH);
      let deleted = 0;
      for (const id of ids) {
        if (await this.deleteCase(id, caseCutoff)) deleted++;
      }
      report.cases += deleted;
      // A batch in which nothing could be deleted would come back the same: stop there.
      if (ids.length < BATCH || deleted === 0) break;
    }

    for (;;) {
      const batch = await this.packets.findCreatedBefore(packetCutoff, BATCH);
      let deleted = 0;
      for (const p of batch) {
        if (await this.packets.delete(p.caseId, p.id)) deleted++;
        await this.artifacts.deletePacket(p.caseId, p.id);
      }
      report.packets += deleted;
      if (batch.length < BATCH || deleted === 0) break;
    }
    return report;
  }

  /** False when the case went meanwhile, or was updated since the cutoff and so is kept. */
  private async deleteCase(id: string, cutoff: Date): Promise<boolean> {
    try {
      await this.casesService.delete(id, SYSTEM, cutoff);
      return true;
    } catch (e) {
      if (e instanceof AppError && e.code === ErrorCode.NotFound) return false;
      throw e;
    }
  }
}
