import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import type { Principal } from '../accounts/principal';
import { UsersService } from '../accounts/users.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { AppConfig } from '../config/app-config';
import { StaffContext, staffContext } from '../matters/staff-context';
import type { PackVersionResponse } from '../pack-uploads/pack-upload.dto';
import { PackPreview, PackUploadsService } from '../pack-uploads/pack-uploads.service';
import { megabytes } from './batch-pages';
import {
  PackFormInput,
  PackProblem,
  packRefusedPage,
  packVersionPage,
  packsListPage,
} from './pack-pages';
import { StaffErrorFilter } from './staff-error.filter';
import { StaffFormCheck } from './staff-forms';
import { StaffPages, doneNotice, sendPage } from './staff-pages';
import { StaffUploadInterceptor, UploadTooLargeFilter, uploadedFiles } from './staff-uploads';

const ARCHIVE_FIELD = 'archive';
const FILES_FIELD = 'files';

/** One ZIP, or the pack's files one by one, and the form token: nothing else. */
const PackUpload = StaffUploadInterceptor((config) => ({
  fields: [
    { name: ARCHIVE_FIELD, maxCount: 1 },
    { name: FILES_FIELD, maxCount: config.PACK_MAX_ENTRIES },
  ],
  maxBytes: config.PACK_UPLOAD_MAX_BYTES,
  maxFields: 4,
}));

export const PackTooLargeFilter = UploadTooLargeFilter('packs', (config) => ({
  title: 'Pack too large',
  heading: 'That pack is too large',
  lines: [
    `A pack can be at most ${megabytes(config.PACK_UPLOAD_MAX_BYTES)}, in at most ${config.PACK_MAX_ENTRIES} files.`,
    'Nothing was stored.',
  ],
}));

/** What the page says once an action is done, by the `done` its redirect carries. */
const DONE: Readonly<Record<string, string>> = {
  uploaded: 'The pack passed every check and was stored as a draft. Preview it, then activate it.',
  activated: 'The version was activated: new matters of your organisation are made with it.',
  restored: 'The version was restored: new matters of your organisation are made with it again.',
};

/** A refusal's details as the page lists them: each file once, in its column. */
function problemsOf(e: AppError): PackProblem[] {
  return e.details.map((d) => {
    const file = typeof d.file === 'string' ? d.file : null;
    const message =
      file !== null && d.message.startsWith(`${file}: `)
        ? d.message.slice(file.length + 2)
        : d.message;
    return { file, message: sentence(message) };
  });
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentences(e: AppError): string[] {
  return e.details.map((d) => sentence(d.message));
}

/** Pack ids and versions are narrow already; this keeps the header safe whatever they hold. */
function fileName(v: PackVersionResponse, extension: string): string {
  return `${v.packId}-${v.version}-preview.${extension}`.replace(/[^A-Za-z0-9._+-]/g, '-');
}

/**
 * An admin's pages for the organisation's own packs, over the PackUploadsService the API uses:
 * the same checks, the same versions, the same audit trail. The upload is multipart, so its form
 * token is checked after the upload interceptor has read it (see staff-uploads.ts).
 */
@ApiExcludeController()
@Controller('staff')
@UseFilters(StaffErrorFilter)
export class StaffPacksController {
  constructor(
    private readonly uploads: PackUploadsService,
    private readonly users: UsersService,
    private readonly pages: StaffPages,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('packs')
  @RequirePermission('packs:manage')
  async list(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showList(req, res, staffContext(who, req), new Map(), doneNotice(req, DONE));
  }

  @Post('packs')
  @RequirePermission('packs:manage')
  @UseFilters(PackTooLargeFilter)
  @UseInterceptors(PackUpload, StaffFormCheck)
  async upload(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const ctx = staffContext(who, req);
    const archive = uploadedFiles(req, ARCHIVE_FIELD).at(0);
    const files = uploadedFiles(req, FILES_FIELD);
    const errors = new Map<string, string>();
    if (archive !== undefined && files.length > 0) {
      errors.set('archive', 'Choose either the ZIP file or the pack’s files, not both');
    } else if (archive === undefined && files.length === 0) {
      errors.set('archive', 'Choose the pack’s ZIP file, or its files');
    } else if (archive?.size === 0) {
      errors.set('archive', 'The chosen ZIP file is empty');
    }
    if (errors.size > 0) {
      await this.showList(req, res, ctx, errors, undefined, HttpStatus.BAD_REQUEST);
      return;
    }
    let made: PackVersionResponse;
    try {
      made =
        archive !== undefined
          ? await this.uploads.upload(ctx, archive.buffer)
          : await this.uploads.uploadFiles(
              ctx,
              files.map((f) => ({ name: f.originalname, bytes: f.buffer })),
            );
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
      const page = packRefusedPage(this.pages.context(req, 'packs'), {
        ...this.formInput(new Map()),
        problems: problemsOf(e),
      });
      sendPage(res, page, HttpStatus.BAD_REQUEST);
      return;
    }
    res.redirect(303, `/staff/packs/${made.id}?done=uploaded`);
  }

  @Get('packs/:id')
  @RequirePermission('packs:manage')
  async view(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const ctx = staffContext(who, req);
    await this.showVersion(req, res, ctx, await this.version(ctx, id), {
      done: doneNotice(req, DONE),
    });
  }

  /** The API's preview, as a download: the page the form was sent from stays where it was. */
  @Post('packs/:id/preview')
  @RequirePermission('packs:manage')
  @UseInterceptors(StaffFormCheck)
  async preview(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const ctx = staffContext(who, req);
    const version = await this.version(ctx, id);
    let preview: PackPreview;
    try {
      preview = await this.uploads.preview(ctx, id);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
      const problems = sentences(e);
      await this.showVersion(req, res, ctx, version, { problems }, HttpStatus.BAD_REQUEST);
      return;
    }
    const pdf = preview.kind === 'pdf';
    res.status(200).set({
      'Content-Type': pdf ? 'application/pdf' : 'application/zip',
      'Content-Disposition': `attachment; filename="${fileName(version, pdf ? 'pdf' : 'zip')}"`,
    });
    if (preview.kind === 'pdf') {
      res.send(preview.bytes);
      return;
    }
    preview.stream.on('error', () => res.destroy());
    preview.stream.pipe(res);
  }

  @Post('packs/:id/activate')
  @RequirePermission('packs:manage')
  @UseInterceptors(StaffFormCheck)
  async activate(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    await this.makeActive(req, res, staffContext(who, req), id, 'activated');
  }

  @Post('packs/:id/restore')
  @RequirePermission('packs:manage')
  @UseInterceptors(StaffFormCheck)
  async restore(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    await this.makeActive(req, res, staffContext(who, req), id, 'restored');
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A version that is no longer what its page showed (changed from another tab) is said so. */
  private async makeActive(
    req: Request,
    res: Response,
    ctx: StaffContext,
    id: string,
    done: 'activated' | 'restored',
  ): Promise<void> {
    try {
      await (done === 'activated' ? this.uploads.activate(ctx, id) : this.uploads.restore(ctx, id));
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
      const problems = sentences(e);
      const version = await this.version(ctx, id);
      await this.showVersion(req, res, ctx, version, { problems }, HttpStatus.CONFLICT);
      return;
    }
    res.redirect(303, `/staff/packs?done=${done}`);
  }

  /** Through the organisation's own list: another organisation's version is simply not in it. */
  private async version(ctx: StaffContext, id: string): Promise<PackVersionResponse> {
    const found = (await this.uploads.list(ctx)).find((v) => v.id === id);
    if (!found) throw AppError.notFound();
    return found;
  }

  private async staffNames(ctx: StaffContext): Promise<Map<string, string>> {
    const staff = await this.users.list(ctx.principal.organisationId);
    return new Map(staff.map((u) => [u.id, u.email]));
  }

  private async showVersion(
    req: Request,
    res: Response,
    ctx: StaffContext,
    version: PackVersionResponse,
    extra: { done?: string; problems?: string[] },
    status = 200,
  ): Promise<void> {
    const page = packVersionPage(this.pages.context(req, 'packs'), {
      version,
      staffNames: await this.staffNames(ctx),
      ...extra,
    });
    sendPage(res, page, status);
  }

  private async showList(
    req: Request,
    res: Response,
    ctx: StaffContext,
    errors: ReadonlyMap<string, string>,
    done?: string,
    status = 200,
  ): Promise<void> {
    const [versions, staffNames] = await Promise.all([
      this.uploads.list(ctx),
      this.staffNames(ctx),
    ]);
    const page = packsListPage(this.pages.context(req, 'packs'), {
      ...this.formInput(errors),
      versions,
      staffNames,
      done,
    });
    sendPage(res, page, status);
  }

  private formInput(errors: ReadonlyMap<string, string>): PackFormInput {
    return {
      errors,
      limits: {
        maxBytes: this.config.PACK_UPLOAD_MAX_BYTES,
        maxFiles: this.config.PACK_MAX_ENTRIES,
      },
    };
  }
}
