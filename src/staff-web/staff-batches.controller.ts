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
import { UPLOAD_MODES, UploadMode } from '../batches/batch.dto';
import { RowNumberPipe } from '../batches/batches.controller';
import { BatchesService } from '../batches/batches.service';
import type { BatchFormat, BatchProblem } from '../batches/input';
import { AppError } from '../common/errors/app-error';
import { ERROR_STATUS, setRetryAfter } from '../common/errors/app-error.filter';
import { ErrorCode } from '../common/errors/error-code';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { AppConfig } from '../config/app-config';
import { StaffContext, staffContext } from '../matters/staff-context';
import { PacksService } from '../packs/packs.service';
import { first, formBody } from '../web/form-input';
import {
  BatchFileLimits,
  BatchPageInput,
  UploadFormInput,
  batchCheckPage,
  batchPage,
  batchesListPage,
  megabytes,
} from './batch-pages';
import { StaffErrorFilter } from './staff-error.filter';
import type { Option } from './staff-fields';
import { StaffFormCheck } from './staff-forms';
import { StaffPages, queryText, sendPage } from './staff-pages';
import {
  StaffUploadInterceptor,
  UploadTooLargeFilter,
  UploadedStaffFile,
  uploadedFiles,
} from './staff-uploads';

/** The multipart field that carries the file. */
export const BATCH_FILE_FIELD = 'file';

/**
 * One file of cases, at most BATCH_MAX_BYTES, beside a handful of short fields (the form token,
 * the pack, the button pressed).
 */
const BatchFileUpload = StaffUploadInterceptor((config) => ({
  fields: [{ name: BATCH_FILE_FIELD, maxCount: 1 }],
  maxBytes: config.BATCH_MAX_BYTES,
  maxFields: 8,
}));

export const BatchFileTooLargeFilter = UploadTooLargeFilter('batches', (config) => ({
  title: 'File too large',
  heading: 'That file is too large',
  lines: [
    `A file of cases can be at most ${megabytes(config.BATCH_MAX_BYTES)}. Split it into smaller files and upload each of them.`,
    'Nothing was made.',
  ],
}));

const EXTENSION_FORMATS: Readonly<Record<string, BatchFormat>> = {
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/** What a spreadsheet saves by default: the one mistake worth naming before parsing. */
const SPREADSHEET_EXTENSIONS = new Set(['xlsx', 'xls', 'xlsm', 'ods', 'numbers']);

const PACK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** What each action on a batch says once it is done, by the `done` the redirect carries. */
const DONE_NOTICES: Readonly<Record<string, string>> = {
  cancelled: 'The rows not started yet were cancelled.',
  retried: 'The failed rows are queued again.',
};

/**
 * The file's format from its name, else from its first character: a JSON Lines file starts
 * with `{`, a CSV file with its header. Only the extension of the name is read; the name itself
 * may say whose cases these are, so it is never shown or kept.
 */
export function batchFormatOf(
  file: UploadedStaffFile,
): { format: BatchFormat } | { error: string } {
  const dot = file.originalname.lastIndexOf('.');
  const extension = dot >= 0 ? file.originalname.slice(dot + 1).toLowerCase() : '';
  const known = EXTENSION_FORMATS[extension];
  if (known) return { format: known };
  if (SPREADSHEET_EXTENSIONS.has(extension)) {
    return {
      error:
        'That is a spreadsheet file: save it as “CSV UTF-8 (comma delimited)” and choose that file',
    };
  }
  let start = 0;
  const bytes = file.buffer;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  while (start < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[start] ?? 0)) start++;
  return { format: bytes[start] === 0x7b ? 'jsonl' : 'csv' };
}

function modeOf(value: string | undefined): UploadMode {
  // A form sent without one of its buttons (Enter in a field) only checks: nothing is made.
  return (UPLOAD_MODES as readonly string[]).includes(value ?? '')
    ? (value as UploadMode)
    : 'validate';
}

/** The problems a refused upload names, back in the shape a check reports them. */
function problemsOf(e: AppError): BatchProblem[] {
  return e.details.map((d) => ({
    row: typeof d.row === 'number' ? d.row : null,
    column: typeof d.column === 'string' ? d.column : null,
    message: d.message,
  }));
}

/**
 * A paralegal's batches as pages, over BatchesService, which scopes every call to the
 * organisation and writes the audit trail. The upload is multipart: its form token is checked
 * only once multer has read the body, so StaffFormCheck is bound to each post after the file
 * interceptor rather than to the controller, where it would run first and find no fields.
 */
@ApiExcludeController()
@Controller('staff')
@UseFilters(StaffErrorFilter)
export class StaffBatchesController {
  constructor(
    private readonly batches: BatchesService,
    private readonly packs: PacksService,
    private readonly pages: StaffPages,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('batches')
  @RequirePermission('batches:run')
  async list(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showList(req, res, staffContext(who, req), {});
  }

  @Get('batches/template.csv')
  @RequirePermission('batches:run')
  template(@Req() req: Request, @Res() res: Response): void {
    const packId = queryText(req, 'packId') ?? '';
    if (!PACK_ID.test(packId) || !this.packOptions().some((p) => p.value === packId)) {
      throw AppError.notFound();
    }
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="batch-template.csv"',
      'Cache-Control': 'no-store',
    });
    res.status(200).send(Buffer.from(this.batches.templateCsv(packId), 'utf8'));
  }

  @Post('batches')
  @RequirePermission('batches:run')
  @UseFilters(BatchFileTooLargeFilter)
  @UseInterceptors(BatchFileUpload, StaffFormCheck)
  async upload(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const ctx = staffContext(who, req);
    const file: UploadedStaffFile | undefined = uploadedFiles(req, BATCH_FILE_FIELD)[0];
    const body = formBody(req);
    const packId = (first(body, 'packId') ?? '').trim();
    const mode = modeOf(first(body, 'mode'));
    const errors = new Map<string, string>();
    if (packId === '') errors.set('packId', 'Choose a forms pack');
    else if (!this.packOptions().some((p) => p.value === packId)) {
      errors.set('packId', 'Choose a forms pack from the list');
    }
    let format: BatchFormat | undefined;
    if (file === undefined) errors.set('file', 'Choose a CSV or JSON Lines file of cases');
    else if (file.size === 0) errors.set('file', 'The chosen file is empty');
    else {
      const found = batchFormatOf(file);
      if ('error' in found) errors.set('file', found.error);
      else format = found.format;
    }
    if (errors.size > 0 || file === undefined || format === undefined) {
      await this.showList(req, res, ctx, { packId, errors }, HttpStatus.BAD_REQUEST);
      return;
    }

    try {
      const result = await this.batches.upload(ctx, { packId, mode, format, bytes: file.buffer });
      if (result.mode === 'validate') {
        sendPage(
          res,
          batchCheckPage(this.pages.context(req, 'batches'), {
            ...this.formInput(packId, new Map()),
            outcome: 'checked',
            problems: result.problems,
            validRows: result.validRows,
          }),
        );
        return;
      }
      const skipped = new Set(result.skipped.map((p) => p.row).filter((r) => r !== null)).size;
      const query = skipped > 0 ? `?skipped=${skipped}` : '';
      res.redirect(303, `/staff/batches/${result.batch.id}${query}`);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === ErrorCode.ValidationFailed) {
        sendPage(
          res,
          batchCheckPage(this.pages.context(req, 'batches'), {
            ...this.formInput(packId, new Map()),
            outcome: 'refused',
            problems: problemsOf(e),
            message: e.message,
          }),
          HttpStatus.BAD_REQUEST,
        );
        return;
      }
      // A pack whose official forms are not installed can be checked against, not made with.
      if (e.code === ErrorCode.FormsNotInstalled || e.code === ErrorCode.PackNotFound) {
        const packErrors = new Map([['packId', e.message]]);
        await this.showList(req, res, ctx, { packId, errors: packErrors }, ERROR_STATUS[e.code]);
        return;
      }
      // The form again, saying so, with the pack still chosen: the file is all there is to redo.
      if (e.code === ErrorCode.BatchesUnavailable) {
        const status = ERROR_STATUS[e.code];
        setRetryAfter(res, status, e.details);
        await this.showList(
          req,
          res,
          ctx,
          { packId, errors: new Map([['queue', e.message]]) },
          status,
        );
        return;
      }
      throw e;
    }
  }

  @Get('batches/:id')
  @RequirePermission('batches:run')
  async view(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const skipped = Number(queryText(req, 'skipped') ?? '');
    await this.showBatch(req, res, staffContext(who, req), id, {
      skipped: Number.isSafeInteger(skipped) && skipped > 0 ? skipped : undefined,
      notice: DONE_NOTICES[queryText(req, 'done') ?? ''],
    });
  }

  @Post('batches/:id/cancel')
  @RequirePermission('batches:run')
  @UseInterceptors(StaffFormCheck)
  async cancel(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    await this.batches.cancel(staffContext(who, req), id);
    res.redirect(303, `/staff/batches/${id}?done=cancelled`);
  }

  @Post('batches/:id/retry')
  @RequirePermission('batches:run')
  @UseInterceptors(StaffFormCheck)
  async retry(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    await this.retryRows(req, res, staffContext(who, req), id);
  }

  @Post('batches/:id/rows/:row/retry')
  @RequirePermission('batches:run')
  @UseInterceptors(StaffFormCheck)
  async retryRow(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
    @Param('row', RowNumberPipe) row: number,
  ): Promise<void> {
    await this.retryRows(req, res, staffContext(who, req), id, row);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A row that is no longer failed (tried again from another page meanwhile) is said so. */
  private async retryRows(
    req: Request,
    res: Response,
    ctx: StaffContext,
    id: string,
    row?: number,
  ): Promise<void> {
    try {
      await this.batches.retry(ctx, id, row);
    } catch (e) {
      if (e instanceof AppError && e.code === ErrorCode.BatchesUnavailable) {
        const status = ERROR_STATUS[e.code];
        setRetryAfter(res, status, e.details);
        await this.showBatch(req, res, ctx, id, { problems: [e.message] }, status);
        return;
      }
      if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
      const problems = e.details.map((d) => d.message.charAt(0).toUpperCase() + d.message.slice(1));
      await this.showBatch(req, res, ctx, id, { problems }, HttpStatus.CONFLICT);
      return;
    }
    res.redirect(303, `/staff/batches/${id}?done=retried`);
  }

  private async showBatch(
    req: Request,
    res: Response,
    ctx: StaffContext,
    id: string,
    extra: Omit<BatchPageInput, 'batch'>,
    status = 200,
  ): Promise<void> {
    const batch = await this.batches.view(ctx, id);
    sendPage(
      res,
      batchPage(this.pages.context(req, 'batches'), { batch, ...extra }, new Date()),
      status,
    );
  }

  private async showList(
    req: Request,
    res: Response,
    ctx: StaffContext,
    input: { packId?: string; errors?: ReadonlyMap<string, string> },
    status = 200,
  ): Promise<void> {
    const batches = await this.batches.list(ctx);
    // Offered first: the pack chosen, else the one the organisation used last.
    const packId = input.packId || batches[0]?.packId || this.defaultPack();
    const page = batchesListPage(this.pages.context(req, 'batches'), {
      ...this.formInput(packId, input.errors ?? new Map()),
      batches,
    });
    sendPage(res, page, status);
  }

  private formInput(packId: string, errors: ReadonlyMap<string, string>): UploadFormInput {
    const limits: BatchFileLimits = {
      maxBytes: this.config.BATCH_MAX_BYTES,
      maxRows: this.config.BATCH_MAX_ROWS,
    };
    return { packs: this.packOptions(), packId, errors, limits };
  }

  private defaultPack(): string {
    const options = this.packOptions();
    return (options.find((p) => p.value === 'generic-us') ?? options[0])?.value ?? '';
  }

  private packOptions(): Option[] {
    return this.packs
      .list()
      .map((p) => ({
        value: p.manifest.id,
        label: `${p.manifest.jurisdiction.name} (${p.manifest.id})`,
      }))
      .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  }
}
