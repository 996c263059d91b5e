import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { LoadedPack, loadPacks, packNotReadyError } from './pack-loader';

/** The packs the service can generate from, loaded and validated once at start-up. */
@Injectable()
export class PacksService implements OnModuleInit {
  private readonly logger = new Logger(PacksService.name);
  private packs = new Map<string, LoadedPack>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.reload();
  }

  /** A bad pack throws here, so start-up stops with the pack, document and problem named. */
  reload(): void {
    const loaded = loadPacks(this.config.PACKS_DIR, this.config.formsDir);
    this.packs = new Map(loaded.map((p) => [p.manifest.id, p]));
    for (const p of loaded) {
      const missing = p.missingForms.map((f) => f.documentId);
      this.logger.log(
        `pack ${p.manifest.id} ${p.manifest.version}` +
          (missing.length ? ` (forms not installed: ${missing.join(', ')})` : ''),
      );
    }
  }

  list(): LoadedPack[] {
    return [...this.packs.values()];
  }

  get(id: string): LoadedPack {
    const pack = this.packs.get(id);
    if (!pack) {
      throw new AppError(ErrorCode.PackNotFound, `No pack "${id}"`, [
        {
          field: 'packId',
          message: `unknown pack; available: ${[...this.packs.keys()].join(', ')}`,
        },
      ]);
    }
    return pack;
  }

  /** A pack that can generate now: every official form it uses is installed. */
  ready(id: string): LoadedPack {
    const pack = this.get(id);
    if (pack.missingForms.length > 0) throw packNotReadyError(pack);
    return pack;
  }
}
