import { Controller, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { RequirePermission } from '../accounts/permission.guard';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { MatterViewQuery } from './matter.dto';
import { PacketResponse } from '../packets/packet.dto';
import { MattersService, PacketDownload } from './matters.service';
import { CurrentStaff, StaffContext } from './staff-context';

/** Packets of a case. Downloads carry neutral file names and are never cached. */
@ApiTags('packets')
@ApiBearerAuth()
@Controller('cases/:caseId/packets')
export class PacketsController {
  constructor(private readonly matters: MattersService) {}

  @Post()
  @RequirePermission('packets:generate')
  generate(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
  ): Promise<PacketResponse> {
    return this.matters.generate(staff, caseId);
  }

  @Get()
  @RequirePermission('cases:read')
  list(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
  ): Promise<PacketResponse[]> {
    return this.matters.listPackets(staff, caseId);
  }

  @Get(':packetId')
  @RequirePermission('cases:read')
  get(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
  ): Promise<PacketResponse> {
    return this.matters.packet(staff, caseId, packetId);
  }

  @Get(':packetId/facts')
  @RequirePermission('cases:read')
  facts(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
    @Query() query: MatterViewQuery,
  ): Promise<{ factsSha256: string | null; facts: CaseFacts; hiddenConfidentialFields: string[] }> {
    return this.matters.packetFacts(staff, caseId, packetId, query.confidential === 'true');
  }

  @Get(':packetId/packet.pdf')
  @RequirePermission('packets:download')
  merged(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.send(staff, res, caseId, packetId, { kind: 'merged' });
  }

  @Get(':packetId/files/:name')
  @RequirePermission('packets:download')
  file(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.send(staff, res, caseId, packetId, { kind: 'file', name });
  }

  @Get(':packetId/packet.zip')
  @RequirePermission('packets:download')
  archive(
    @CurrentStaff() staff: StaffContext,
    @Param('caseId', EntityIdPipe) caseId: string,
    @Param('packetId', EntityIdPipe) packetId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.send(staff, res, caseId, packetId, { kind: 'archive' });
  }

  private async send(
    staff: StaffContext,
    res: Response,
    caseId: string,
    packetId: string,
    what: PacketDownload,
  ): Promise<StreamableFile> {
    const file = await this.matters.download(staff, caseId, packetId, what);
    if (file instanceof Readable) {
      res.set({
        'Content-Type': 'application/zip',
        'Content-Disposition': 'attachment; filename="packet.zip"',
        'Cache-Control': 'no-store',
      });
      return new StreamableFile(file);
    }
    // The name comes from our manifest (digits, letters, dashes), so it is safe in the header.
    res.set({
      'Content-Type': file.mediaType,
      'Content-Disposition': `attachment; filename="${file.name}"`,
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(file.bytes);
  }
}
