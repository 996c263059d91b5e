import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { CaseAccess } from '../cases/case-access';
import { CasesService } from '../cases/cases.service';
import { sha256 } from '../common/sha256';
import { AppError } from '../common/errors/app-error';
import { PacksService } from '../packs/packs.service';
import { PackResolver } from '../pack-uploads/pack-resolver';
import { ArtifactStore } from '../storage/artifact-store';
import { MANIFEST_FILE, MEDIA_TYPES, PacketBuilder, PacketManifest } from './packet-builder';
import { PacketEntity } from './packet.entity';
import { PacketResponse } from './packet.dto';
import { PacketsRepository } from './packets.repository';

export interface DownloadableFile {
  name: string;
  mediaType: string;
  bytes: Buffer;
}

@Injectable()
export class PacketsService {
  private readonly logger = new Logger(PacketsService.name);

  constructor(
    private readonly cases: CasesService,
    private readonly packs: PacksService,
    private readonly packets: PacketsRepository,
    private readonly artifacts: ArtifactStore,
    @Inject(PacketBuilder) private readonly builder: PacketBuilder,
    // The organisation's active uploaded pack, when it has one for the case's pack id; without a
    // resolver (a process wired by hand) only bundled packs are used.
    @Optional() private readonly packResolver?: PackResolver,
  ) {}

  /** A new packet from the case's current facts; `by` is the staff account asking, if any. */
  async generate(
    caseId: string,
    access: CaseAccess,
    by: string | null = null,
  ): Promise<PacketResponse> {
    const entity = await this.prepare(caseId, access, by);
    await this.packets.insert(entity);
    return toResponse(entity);
  }

  /**
   * Builds a packet and writes its files, but does not make it visible: the caller inserts the
   * row (`PacketsRepository.insert`), inside its own transaction when it has one, or deletes the
   * files. With `batchRowId` the row records the batch row it was made for, and the database
   * refuses a second packet for that row; `packetId` lets a batch name the packet (and so its
   * folder) before it exists.
   */
  async prepare(
    caseId: string,
    access: CaseAccess,
    by: string | null = null,
    options: { batchRowId?: string; packetId?: string } = {},
  ): Promise<PacketEntity> {
    const record = await this.cases.require(caseId, access);
    const pack = this.packResolver
      ? await this.packResolver.ready(record.organisationId, record.packId)
      : this.packs.ready(record.packId);
    const facts = this.cases.factsOf(record);
    const started = Date.now();
    const built = await this.builder.build(pack, facts);
    const id = options.packetId ?? randomUUID();
    // Files first, row second: the row is what makes a packet visible, so a crash in between
    // leaves at most an unreferenced folder, never a packet whose files are missing.
    await this.artifacts.put(caseId, id, built.files);
    const entity: PacketEntity = {
      id,
      caseId,
      createdBy: by,
      factsSha256: sha256(Buffer.from(record.facts, 'utf8')),
      facts: await this.cases.sealPacketFacts(caseId, id, record.facts),
      packId: built.manifest.pack.id,
      packVersion: built.manifest.pack.version,
      manifest: JSON.stringify(built.manifest),
      createdAt: new Date(built.manifest.createdAt),
      batchRowId: options.batchRowId ?? null,
    };
    this.logger.log(`packet generated (${built.files.length} files, ${Date.now() - started} ms)`);
    return entity;
  }

  async list(caseId: string, access: CaseAccess): Promise<PacketResponse[]> {
    await this.cases.require(caseId, access);
    return (await this.packets.listByCase(caseId)).map(toResponse);
  }

  async get(caseId: string, access: CaseAccess, packetId: string): Promise<PacketResponse> {
    return toResponse(await this.require(caseId, access, packetId));
  }

  async mergedPdf(caseId: string, access: CaseAccess, packetId: string): Promise<DownloadableFile> {
    const manifest = manifestOf(await this.require(caseId, access, packetId));
    if (!manifest.merged) {
      throw AppError.notFound('This packet has no merged PDF: LibreOffice was not available');
    }
    return this.file(caseId, access, packetId, manifest.merged.name);
  }

  /** One file of the packet, by the neutral name its manifest lists; any other name is 404. */
  async file(
    caseId: string,
    access: CaseAccess,
    packetId: string,
    name: string,
  ): Promise<DownloadableFile> {
    const manifest = manifestOf(await this.require(caseId, access, packetId));
    const entry = allFiles(manifest).find((f) => f.name === name);
    if (!entry) throw AppError.notFound();
    return {
      name,
      mediaType: entry.mediaType,
      bytes: await this.artifacts.get(caseId, packetId, name),
    };
  }

  /** Every file of the packet as one ZIP, streamed as it is built. */
  async archive(caseId: string, access: CaseAccess, packetId: string): Promise<Readable> {
    const manifest = manifestOf(await this.require(caseId, access, packetId));
    const zip = new ZipFile();
    for (const f of allFiles(manifest)) {
      zip.addBuffer(await this.artifacts.get(caseId, packetId, f.name), f.name);
    }
    zip.end();
    return zip.outputStream as Readable;
  }

  /** The packet row, once the case is known to be within `access`. */
  async require(caseId: string, access: CaseAccess, packetId: string): Promise<PacketEntity> {
    await this.cases.require(caseId, access);
    const packet = await this.packets.findForCase(caseId, packetId);
    if (!packet) throw AppError.notFound();
    return packet;
  }
}

function manifestOf(p: PacketEntity): PacketManifest {
  return JSON.parse(p.manifest) as PacketManifest;
}

/** Every file a packet's manifest lists, with its media type. */
export function allFiles(m: PacketManifest): { name: string; mediaType: string }[] {
  return [
    ...m.bundles.flatMap((b) =>
      b.file ? [{ name: b.file.name, mediaType: MEDIA_TYPES.pdf }] : [],
    ),
    ...m.documents.flatMap((d) => d.files),
    { name: MANIFEST_FILE, mediaType: MEDIA_TYPES.json },
  ];
}

function toResponse(p: PacketEntity): PacketResponse {
  const manifest = manifestOf(p);
  const base = `/cases/${p.caseId}/packets/${p.id}`;
  return {
    id: p.id,
    caseId: p.caseId,
    factsSha256: p.factsSha256,
    createdBy: p.createdBy,
    ...manifest,
    links: {
      merged: manifest.merged ? `${base}/packet.pdf` : null,
      archive: `${base}/packet.zip`,
      files: Object.fromEntries(
        allFiles(manifest).map((f) => [f.name, `${base}/files/${encodeURIComponent(f.name)}`]),
      ),
    },
  };
}
