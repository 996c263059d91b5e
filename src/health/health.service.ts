import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PacksService } from '../packs/packs.service';
import { DocxToPdfConverter } from '../rendering/convert/docx-to-pdf';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { kind: string; ok: boolean };
  packs: { id: string; version: string; ready: boolean; missingForms: string[] }[];
  converters: { docxToPdf: { available: boolean; message: string } };
}

/** What an operator needs to know: can we store cases, which packs can generate, can we merge. */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: DataSource,
    private readonly packs: PacksService,
    private readonly converter: DocxToPdfConverter,
  ) {}

  async report(): Promise<HealthReport> {
    const dbOk = await this.db
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    const available = this.converter.available();
    return {
      status: dbOk && available ? 'ok' : 'degraded',
      database: { kind: this.db.options.type, ok: dbOk },
      packs: this.packs.list().map((p) => ({
        id: p.manifest.id,
        version: p.manifest.version,
        ready: p.missingForms.length === 0,
        missingForms: p.missingForms.map((f) => f.formNumber),
      })),
      converters: { docxToPdf: { available, message: this.converter.message() } },
    };
  }
}
