import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { EntityManager } from 'typeorm';
import { ZipFile } from 'yazl';
import { AuditTrail } from '../audit/audit-trail';
import type { AuditAction } from '../audit/audit.types';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { sha256 } from '../common/sha256';
import { AppConfig } from '../config/app-config';
import type { StaffContext } from '../matters/staff-context';
import { PacketBuilder } from '../packets/packet-builder';
import { PacksService } from '../packs/packs.service';
import { CheckedPack, MANIFEST_FILE, SAMPLE_FILE, checkPackArchive } from './pack-archive';
import { parseJsonBytes } from './file-types';
import { PackResolver } from './pack-resolver';
import { PackUploadStore } from './pack-upload-store';
import { PackVersionResponse, toPackVersionResponse } from './pack-upload.dto';
import { PackVersionEntity, PackVersionStatus, StoredPackFiles } from './pack-version.entity';
import {
  ActivationResult,
  PackVersionsRepository,
  isUniqueViolation,
} from './pack-versions.repository';
import { SampleCase, previewSample } from './sample-cases';
import { PackRefused, UploadProblem, entryProblem, refusalError } from './upload-problems';

export type PackPreview = { kind: 'pdf'; bytes: Buffer } | { kind: 'zip'; stream: Readable };

/** A file of a pack as a browser sends it: its name only, without the folder it came from. */
export interface PickedFile {
  name: string;
  bytes: Buffer;
}

/**
 * An organisation's own packs: uploaded through every check in pack-archive.ts, kept as
 * versions, previewed, activated and restored. Every query is scoped to the caller's
 * organisation; a version of another organisation answers exactly like a missing one.
 */
@Injectable()
export class PackUploadsService {
  private readonly logger = new Logger(PackUploadsService.name);
  /** Checking a pack holds it inflated in memory: one upload at a time bounds that. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly versions: PackVersionsRepository,
    private readonly store: PackUploadStore,
    private readonly resolver: PackResolver,
    private readonly packs: PacksService,
    private readonly audit: AuditTrail,
    @Inject(PacketBuilder) private readonly builder: PacketBuilder,
  ) {}

  upload(ctx: StaffContext, archive: Buffer): Promise<PackVersionResponse> {
    const run = this.pending.then(() => this.check(ctx, archive));
    this.pending = run.catch(() => undefined);
    return run;
  }

  /**
   * A pack's files picked one by one, put where the manifest names them and zipped, so that they
   * pass through exactly the checks of an uploaded archive.
   */
  async uploadFiles(ctx: StaffContext, picked: PickedFile[]): Promise<PackVersionResponse> {
    const placed = placeFiles(picked);
    if ('problems' in placed) {
      await this.record(ctx, 'pack.upload', null, 'failed');
      throw refusalError(placed.problems);
    }
    const zip = new ZipFile();
    for (const [path, bytes] of placed.files) zip.addBuffer(bytes, path);
    zip.end();
    return this.upload(ctx, await buffer(zip.outputStream as Readable));
  }

  async list(ctx: StaffContext): Promise<PackVersionResponse[]> {
    return (await this.versions.list(ctx.principal.organisationId)).map(toPackVersionResponse);
  }

  /** The pack rendered on a sample case, nothing saved: the court filing as one PDF, or a ZIP. */
  async preview(ctx: StaffContext, id: string): Promise<PackPreview> {
    const row = await this.require(ctx, id);
    const pack = await this.resolver.load(row);
    const files = await this.store.read(row.id, JSON.parse(row.files) as StoredPackFiles);
    const own: SampleCase[] = [...files]
      .filter(([path]) => SAMPLE_FILE.test(path))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, bytes]) => ({
        name: path,
        facts: parseCaseFacts(JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown),
      }));
    const facts = previewSample(own);
    if (!facts) {
      throw AppError.validation([
        {
          field: 'samples',
          message: 'no sample case to preview with: add samples/*.json to the pack',
        },
      ]);
    }
    const built = await this.builder.build(pack, facts);
    const merged = built.manifest.merged;
    const mergedFile = merged ? built.files.find((f) => f.name === merged.name) : undefined;
    if (mergedFile) return { kind: 'pdf', bytes: mergedFile.bytes };
    const zip = new ZipFile();
    for (const f of built.files) zip.addBuffer(f.bytes, f.name);
    zip.end();
    return { kind: 'zip', stream: zip.outputStream as Readable };
  }

  /** A draft becomes the organisation's version of its pack id; the one active until now retires. */
  activate(ctx: StaffContext, id: string): Promise<PackVersionResponse> {
    return this.makeActive(ctx, id, 'draft', 'pack.activate');
  }

  /** A retired version becomes active again (its successor retires). */
  restore(ctx: StaffContext, id: string): Promise<PackVersionResponse> {
    return this.makeActive(ctx, id, 'retired', 'pack.restore');
  }

  private async check(ctx: StaffContext, archive: Buffer): Promise<PackVersionResponse> {
    const organisationId = ctx.principal.organisationId;
    let checked: CheckedPack;
    try {
      checked = await checkPackArchive(archive, {
        maxEntries: this.config.PACK_MAX_ENTRIES,
        maxUncompressedBytes: this.config.PACK_MAX_UNCOMPRESSED_BYTES,
      });
    } catch (e) {
      if (!(e instanceof PackRefused)) throw e;
      await this.record(ctx, 'pack.upload', null, 'failed');
      throw refusalError(e.problems);
    }
    const { manifest } = checked;
    const clash = await this.versionClash(organisationId, manifest.id, manifest.version);
    if (clash) {
      await this.record(ctx, 'pack.upload', null, 'failed');
      throw clash;
    }
    const id = randomUUID();
    const stored = await this.store.put(id, checked.files);
    const row: PackVersionEntity = {
      id,
      organisationId,
      packId: manifest.id,
      version: manifest.version,
      status: 'draft',
      activePackId: null,
      sha256: sha256(archive),
      manifest: JSON.stringify(manifest),
      files: JSON.stringify(stored),
      createdBy: ctx.principal.userId,
      createdAt: new Date(),
      activatedAt: null,
    };
    try {
      await this.versions.insert(row, (tx) => this.record(ctx, 'pack.upload', id, 'ok', tx));
    } catch (e) {
      await this.store.remove(id);
      if (isUniqueViolation(e)) throw duplicateVersion(manifest.id, manifest.version);
      throw e;
    }
    this.logger.log(`pack version uploaded (${checked.files.size} files)`);
    return toPackVersionResponse(row);
  }

  /**
   * Packets record the pack id and version that made them, so within an organisation a version
   * names one set of files: neither an earlier upload nor the bundled pack may share it.
   */
  private async versionClash(
    organisationId: string,
    packId: string,
    version: string,
  ): Promise<AppError | undefined> {
    if (await this.versions.versionExists(organisationId, packId, version)) {
      return duplicateVersion(packId, version);
    }
    const bundled = this.packs.list().find((p) => p.manifest.id === packId);
    if (bundled?.manifest.version === version) {
      return AppError.validation([
        {
          field: 'manifest.version',
          file: 'manifest.json',
          message: `the bundled pack "${packId}" is version ${version} too: give the upload its own version, so packets show which one made them`,
        },
      ]);
    }
    return undefined;
  }

  private async makeActive(
    ctx: StaffContext,
    id: string,
    from: PackVersionStatus,
    action: 'pack.activate' | 'pack.restore',
  ): Promise<PackVersionResponse> {
    let result: ActivationResult;
    try {
      result = await this.versions.makeActive(
        ctx.principal.organisationId,
        id,
        from,
        new Date(),
        (tx) => this.record(ctx, action, id, 'ok', tx),
      );
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      throw AppError.validation([
        {
          field: 'status',
          message: 'another version of this pack was activated at the same moment; try again',
        },
      ]);
    }
    if (result.kind === 'missing') throw AppError.notFound();
    if (result.kind === 'wrong-status') throw wrongStatus(result.row.status, action);
    return toPackVersionResponse(result.row);
  }

  private async require(ctx: StaffContext, id: string): Promise<PackVersionEntity> {
    const row = await this.versions.find(ctx.principal.organisationId, id);
    if (!row) throw AppError.notFound();
    return row;
  }

  private record(
    ctx: StaffContext,
    action: AuditAction,
    subject: string | null,
    outcome: 'ok' | 'failed',
    tx?: EntityManager,
  ): Promise<void> {
    return this.audit.record(
      { action, actor: AuditTrail.actorOf(ctx.principal), outcome, subject, ip: ctx.ip },
      tx,
    );
  }
}

/**
 * Where each picked file goes: the one path the manifest gives its name, else `samples/` for a
 * JSON file (a sample case), else the top of the archive, where the checks name it as unused.
 * Several manifest paths sharing a name cannot be told apart without their folders.
 */
function placeFiles(
  picked: PickedFile[],
): { files: [string, Buffer][] } | { problems: UploadProblem[] } {
  const nameOf = (path: string) =>
    path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const manifest = picked.find((f) => nameOf(f.name) === MANIFEST_FILE);
  const paths = manifest ? manifestPaths(manifest.bytes) : [];
  const files: [string, Buffer][] = [];
  const problems: UploadProblem[] = [];
  for (const file of picked) {
    const name = nameOf(file.name);
    const named = name === MANIFEST_FILE ? [] : paths.filter((p) => nameOf(p) === name);
    if (!zippable(name)) {
      problems.push(entryProblem(file.name, 'is not a name a file of a pack can have'));
    } else if (named.length > 1) {
      problems.push(
        entryProblem(
          name,
          `manifest.json names more than one file called this (${named.join(', ')}): upload the pack as a ZIP, each file in its folder`,
        ),
      );
    } else {
      const sample = `samples/${name}`;
      const isSample = name !== MANIFEST_FILE && SAMPLE_FILE.test(sample);
      files.push([named[0] ?? (isSample ? sample : name), file.bytes]);
    }
  }
  return problems.length > 0 ? { problems } : { files };
}

/** The paths the manifest names, read leniently: the archive's checks judge the manifest itself. */
function manifestPaths(bytes: Buffer): string[] {
  const parsed = parseJsonBytes(bytes);
  const documents: unknown = parsed.ok
    ? (parsed.value as { documents?: unknown } | null)?.documents
    : undefined;
  if (!Array.isArray(documents)) return [];
  return documents
    .flatMap((d: unknown) => {
      const doc = (d ?? {}) as { file?: unknown; mapping?: unknown };
      return [doc.file, doc.mapping];
    })
    .filter((p): p is string => typeof p === 'string' && zippable(p));
}

/** A relative path the ZIP writer keeps as it is; anything else the archive's checks would refuse. */
function zippable(path: string): boolean {
  return (
    path !== '' &&
    !path.includes('\\') &&
    !path.startsWith('/') &&
    !path.endsWith('/') &&
    !/^[A-Za-z]:/.test(path) &&
    !path.split('/').includes('..')
  );
}

function duplicateVersion(packId: string, version: string): AppError {
  return AppError.validation([
    {
      field: 'manifest.version',
      file: 'manifest.json',
      message: `version ${version} of pack "${packId}" was uploaded before: give this upload a new version`,
    },
  ]);
}

function wrongStatus(
  status: PackVersionStatus,
  action: 'pack.activate' | 'pack.restore',
): AppError {
  const hint =
    status === 'active'
      ? 'it is already the active version'
      : status === 'retired'
        ? 'use restore to make a retired version active again'
        : 'use activate for a version that has never been active';
  return AppError.validation([
    {
      field: 'status',
      message: `this version is ${status}; ${action === 'pack.activate' ? 'activate' : 'restore'} does not apply: ${hint}`,
    },
  ]);
}
