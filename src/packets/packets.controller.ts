import { Controller, Get, Header, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { PacketResponse } from './packet.dto';
import { DownloadableFile, PacketsService } from './packets.service';

/** Packets of a case. Downloads carry neutral file names and are never cached. */
@ApiTags('packets')
@Controller('cases/:caseId/packets')
export class PacketsController {
  constructor(private readonly service: PacketsService) {}

  @Post()
  generate(@Param('caseId', EntityIdPipe) caseId: string): Promise<PacketResponse> {
    return this.service.generate(caseId);
  }

  @Get()
  list(@Param('caseId', EntityIdPipe) caseId: string): Promise<PacketResponse[]> {
    return this.service.list(caseId);
  }

  @Get(':packetId')
  get(
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
  ): Promise<PacketResponse> {
    return this.service.get(caseId, packetId);
  }

  @Get(':packetId/packet.pdf')
  async merged(
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return send(res, await this.service.mergedPdf(caseId, packetId));
  }

  @Get(':packetId/files/:name')
  async file(
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return send(res, await this.service.file(caseId, packetId, name));
  }

  @Get(':packetId/packet.zip')
  @Header('Content-Type', 'application/zip')
  @Header('Content-Disposition', 'attachment; filename="packet.zip"')
  @Header('Cache-Control', 'no-store')
  async archive(
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.service.archive(caseId, packetId));
  }
}

function send(res: Response, file: DownloadableFile): StreamableFile {
  // The name comes from our manifest (digits, letters, dashes), so it is safe in the header.
  res.set({
    'Content-Type': file.mediaType,
    'Content-Disposition': `attachment; filename="${file.name}"`,
    'Cache-Control': 'no-store',
  });
  return new StreamableFile(file.bytes);
}
