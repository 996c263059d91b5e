import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { LoadedPack, loadPackFromFiles } from '../packs/pack-loader';
import { PacksService } from '../packs/packs.service';
import { PackUploadStore } from './pack-upload-store';
import { PackVersionEntity, StoredPackFiles } from './pack-version.entity';
import { PackVersionsRepository } from './pack-versions.repository';

/** Loaded uploads kept in memory; a version's files never change, so a cached copy never goes stale. */
const CACHE_SIZE = 16;

/**
 * Which pack a case uses: its organisation's active uploaded version of the pack id, otherwise
 * the bundled pack. A case without an organisation (the petitioner's own, including one shared
 * with an organisation) always gets the bundled pack, so no upload changes what petitioners or
 * other organisations get.
 */
@Injectable()
export class PackResolver {
  private readonly cache = new Map<string, Promise<LoadedPack>>();

  constructor(
    private readonly packs: PacksService,
    private readonly versions: PackVersionsRepository,
    private readonly store: PackUploadStore,
  ) {}

  /** The pack a packet is built from; throws like PacksService.ready for a bundled one. */
  async ready(organisationId: string | null, packId: string): Promise<LoadedPack> {
    const active = organisationId ? await this.versions.findActive(organisationId, packId) : null;
    return active ? this.load(active) : this.packs.ready(packId);
  }

  /** Whether a case may be created with the pack id; throws pack_not_found naming the choices. */
  async check(organisationId: string | null, packId: string): Promise<void> {
    const bundled = this.packs.list().map((p) => p.manifest.id);
    if (bundled.includes(packId)) return;
    const own = organisationId ? await this.versions.activePackIds(organisationId) : [];
    if (own.includes(packId)) return;
    throw new AppError(ErrorCode.PackNotFound, `No pack "${packId}"`, [
      {
        field: 'packId',
        message: `unknown pack; available: ${[...new Set([...bundled, ...own])].sort().join(', ')}`,
      },
    ]);
  }

  /** One uploaded version, whatever its status (a preview renders drafts too). */
  load(row: PackVersionEntity): Promise<LoadedPack> {
    const cached = this.cache.get(row.id);
    if (cached) return cached;
    const loading = this.read(row);
    this.cache.set(row.id, loading);
    loading.catch(() => this.cache.delete(row.id));
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return loading;
  }

  private async read(row: PackVersionEntity): Promise<LoadedPack> {
    const files = await this.store.read(row.id, JSON.parse(row.files) as StoredPackFiles);
    return loadPackFromFiles(`upload ${row.id}`, this.store.dirOf(row.id), files);
  }
}

/**
 * For processes that wire their services by hand (the batch worker, the command line): the same
 * resolver the service injects.
 */
export function createPackResolver(
  db: DataSource,
  config: AppConfig,
  packs: PacksService,
): PackResolver {
  return new PackResolver(
    packs,
    new PackVersionsRepository(db.getRepository(PackVersionEntity)),
    new PackUploadStore(config),
  );
}
