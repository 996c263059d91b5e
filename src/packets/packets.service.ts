import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { CasesService } from '../cases/cases.service';
import { AppError } from '../common/errors/app-error';
import { PacksService } from '../packs/packs.service';
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
  ) {}

  async generate(caseId: string): Promise<PacketResponse> {
    const record = await this.cases.require(caseId);
    const pack = this.packs.ready(record.packId);
    const facts = this.cases.factsOf(record);
    const started = Date.now();
    const built = await this.builder.build(pack, facts);
    const id = randomUUID();
    // Files first, row second: the row is what makes a packet visible, so a crash in between
    // leaves at most an unreferenced folder, never a packet whose files are missing.
    await this.artifacts.put(caseId, id, built.files);
    const entity: PacketEntity = {
      id,
      caseId,
      packId: built.manifest.pack.id,
      packVersion: built.manifest.pack.version,
      manifest: JSON.stringify(built.manifest),
      createdAt: new Date(built.manifest.createdAt),
    };
    await this.packets.insert(entity);
    this.logger.log(`packet generated (${built.files.length} files, ${Date.now() - started} ms)`);
    return toResponse(entity);
  }

  async list(caseId: string): Promise<PacketResponse[]> {
    await this.cases.require(caseId);
    return (await this.packets.listByCase(caseId)).map(toResponse);
  }

  async get(caseId: string, packetId: string): Promise<PacketResponse> {
    return toResponse(await this.require(caseId, packetId));
  }

  async mergedPdf(caseId: string, packetId: string): Promise<DownloadableFile> {
    const manifest = manifestOf(await this.require(caseId, packetId));
    if (!manifest.merged) {
      throw AppError.notFound('This packet has no merged PDF: LibreOffice was not available');
    }
    return this.file(caseId, packetId, manifest.merged.name);
  }

  /** One file of the packet, by the neutral name its manifest lists; any other name is 404. */
  async file(caseId: string, packetId: string, name: string): Promise<DownloadableFile> {
    const manifest = manifestOf(await this.require(caseId, packetId));
    const entry = allFiles(manifest).find((f) => f.name === name);
    if (!entry) throw AppError.notFound();
    return {
      name,
      mediaType: entry.mediaType,
      bytes: await this.artifacts.get(caseId, packetId, name),
    };
  }

  /** Every file of the packet as one ZIP, streamed as it is built. */
  async archive(caseId: string, packetId: string): Promise<Readable> {
    const manifest = manifestOf(await this.require(caseId, packetId));
    const zip = new ZipFile();
    for (const f of allFiles(manifest)) {
      zip.addBuffer(await this.artifacts.get(caseId, packetId, f.name), f.name);
    }
    zip.end();
    return zip.outputStream as Readable;
  }

  private async require(caseId: string, packetId: string): Promise<PacketEntity> {
    await this.cases.require(caseId);
    const packet = await this.packets.findForCase(caseId, packetId);
    if (!packet) throw AppError.notFound();
    return packet;
  }
}

function manifestOf(p: PacketEntity): PacketManifest {
  return JSON.parse(p.manifest) as PacketManifest;
}

function allFiles(m: PacketManifest): { name: string; mediaType: string }[] {
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
