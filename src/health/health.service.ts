import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchQueueHealth, BatchesService } from '../batches/batches.service';
import { PacksService } from '../packs/packs.service';
import { DocxToPdfConverter } from '../rendering/convert/docx-to-pdf';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { kind: string; ok: boolean };
  packs: { id: string; version: string; ready: boolean; missingForms: string[] }[];
  converters: { docxToPdf: { available: boolean; message: string } };
  /** Whether batches can start: their queue is Redis (REDIS_URL) or this process. */
  batches: BatchQueueHealth;
}

/**
 * A database that does not answer within this long counts as down: a server that accepts
 * connections but never replies must not hold the health check for the pool's whole timeout.
 */
const DATABASE_CHECK_MS = 3000;

/**
 * What an operator needs to know: can we store cases, which packs can generate, can we merge,
 * can batches start. `degraded` when one of the optional parts is away.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: DataSource,
    private readonly packs: PacksService,
    private readonly converter: DocxToPdfConverter,
    private readonly batches: BatchesService,
  ) {}

  async report(): Promise<HealthReport> {
    const dbOk = await this.databaseAnswers();
    const available = this.converter.available();
    const batches = this.batches.queueHealth();
    return {
      status: dbOk && available && batches.available ? 'ok' : 'degraded',
      database: { kind: this.db.options.type, ok: dbOk },
      packs: this.packs.list().map((p) => ({
        id: p.manifest.id,
        version: p.manifest.version,
        ready: p.missingForms.length === 0,
        missingForms: p.missingForms.map((f) => f.formNumber),
      })),
      converters: { docxToPdf: { available, message: this.converter.message() } },
      batches,
    };
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), DATABASE_CHECK_MS);
    });
    const query = this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
