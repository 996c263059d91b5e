import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { raw } from 'express';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import type { Principal } from '../accounts/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { AppConfig } from '../config/app-config';
import { staffContext } from '../matters/staff-context';
import { PackVersionResponse } from './pack-upload.dto';
import { PackUploadsService } from './pack-uploads.service';

const ZIP_TYPE = 'application/zip';

/** An organisation's own court packs: admins upload, preview, activate and restore versions. */
@ApiTags('packs')
@ApiBearerAuth()
@Controller('packs/uploads')
export class PackUploadsController {
  constructor(
    private readonly uploads: PackUploadsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post()
  @RequirePermission('packs:manage')
  @ApiConsumes(ZIP_TYPE)
  async upload(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PackVersionResponse> {
    const archive = await readZipBody(req, res, this.config.PACK_UPLOAD_MAX_BYTES);
    return this.uploads.upload(staffContext(who, req), archive);
  }

  @Get()
  @RequirePermission('packs:manage')
  list(@CurrentPrincipal() who: Principal, @Req() req: Request): Promise<PackVersionResponse[]> {
    return this.uploads.list(staffContext(who, req));
  }

  @Post(':id/preview')
  @HttpCode(200)
  @RequirePermission('packs:manage')
  async preview(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const preview = await this.uploads.preview(staffContext(who, req), id);
    const [type, name] =
      preview.kind === 'pdf' ? ['application/pdf', 'preview.pdf'] : [ZIP_TYPE, 'preview.zip'];
    res.set({
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
    return preview.kind === 'pdf'
      ? new StreamableFile(preview.bytes)
      : new StreamableFile(preview.stream);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @RequirePermission('packs:manage')
  activate(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<PackVersionResponse> {
    return this.uploads.activate(staffContext(who, req), id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('packs:manage')
  restore(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<PackVersionResponse> {
    return this.uploads.restore(staffContext(who, req), id);
  }
}

/**
 * The body is read here, after the guard, so nobody unauthenticated can make the service hold
 * an archive in memory. Compressed transfer encodings are refused: the limit is on real bytes.
 */
async function readZipBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const parse = raw({ type: ZIP_TYPE, limit, inflate: false });
  try {
    await new Promise<void>((resolve, reject) =>
      parse(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      throw new AppError(ErrorCode.PayloadTooLarge, 'The pack archive is too large', [
        {
          field: 'body',
          message: `the archive may be at most ${limit} bytes (PACK_UPLOAD_MAX_BYTES)`,
        },
      ]);
    }
    throw AppError.validation([
      {
        field: 'body',
        message:
          type === 'encoding.unsupported'
            ? 'send the archive without Content-Encoding'
            : 'the request body could not be read',
      },
    ]);
  }
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw AppError.validation([
      { field: 'body', message: `send the pack as a ZIP archive with Content-Type: ${ZIP_TYPE}` },
    ]);
  }
  return body;
}
