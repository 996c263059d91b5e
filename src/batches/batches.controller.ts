import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Param,
  PipeTransform,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { raw } from 'express';
import type { Request, Response } from 'express';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import type { Principal } from '../accounts/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { AppConfig } from '../config/app-config';
import { staffContext } from '../matters/staff-context';
import {
  BatchSummary,
  BatchView,
  CreatedBatch,
  TemplateQuery,
  UploadBatchQuery,
  ValidationReport,
} from './batch.dto';
import { streamProgress } from './batch-events';
import { BatchesService } from './batches.service';
import type { BatchFormat } from './input';

/** The media types a batch file may be sent as, and the format each means. */
const FORMATS: Readonly<Record<string, BatchFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
};

/** A row number in a path; anything else answers like a row that does not exist. */
@Injectable()
export class RowNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,6}$/.test(value)) throw AppError.notFound();
    return Number(value);
  }
}

/**
 * Batches of cases from one CSV or JSON Lines file. Every route is scoped to the caller's
 * organisation; a batch's files are downloaded as one streamed ZIP with neutral names.
 */
@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('template.csv')
  @RequirePermission('batches:run')
  template(
    @Query() query: TemplateQuery,
    @Res({ passthrough: true }) res: Response,
  ): StreamableFile {
    const csv = this.batches.templateCsv(query.packId);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      // The pack id is letters, digits and dashes (checked by TemplateQuery).
      'Content-Disposition': `attachment; filename="batch-template-${query.packId}.csv"`,
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(Buffer.from(csv, 'utf8'));
  }

  /**
   * The file is the request body (`Content-Type: text/csv` or `application/x-ndjson`), read only
   * after the caller is known to be allowed, and only up to BATCH_MAX_BYTES.
   */
  @Post()
  @RequirePermission('batches:run')
  @ApiConsumes('text/csv', 'application/x-ndjson')
  async upload(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query() query: UploadBatchQuery,
  ): Promise<ValidationReport | CreatedBatch> {
    const format = formatOf(req.headers['content-type']);
    const bytes = await readBody(req, res, this.config.BATCH_MAX_BYTES);
    const mode = query.mode ?? 'validate';
    const result = await this.batches.upload(staffContext(who, req), {
      packId: query.packId,
      mode,
      format,
      bytes,
    });
    res.status(result.mode === 'validate' ? 200 : 201);
    res.set('Cache-Control', 'no-store');
    return result;
  }

  @Get()
  @RequirePermission('batches:run')
  list(@CurrentPrincipal() who: Principal, @Req() req: Request): Promise<BatchSummary[]> {
    return this.batches.list(staffContext(who, req));
  }

  @Get(':id')
  @RequirePermission('batches:run')
  view(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<BatchView> {
    return this.batches.view(staffContext(who, req), id);
  }

  /** Server-sent events: the counts when they change (at most twice a second), then a last one. */
  @Get(':id/events')
  @RequirePermission('batches:run')
  async events(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const batch = await this.batches.require(staffContext(who, req), id);
    await streamProgress(req, res, () => this.batches.progress(batch.id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('batches:run')
  cancel(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<BatchSummary> {
    return this.batches.cancel(staffContext(who, req), id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @RequirePermission('batches:run')
  retry(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<BatchSummary> {
    return this.batches.retry(staffContext(who, req), id);
  }

  @Post(':id/rows/:row/retry')
  @HttpCode(200)
  @RequirePermission('batches:run')
  retryRow(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
    @Param('row', RowNumberPipe) row: number,
  ): Promise<BatchSummary> {
    return this.batches.retry(staffContext(who, req), id, row);
  }

  @Get(':id/archive.zip')
  @RequirePermission('batches:run')
  async archive(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const zip = await this.batches.archive(staffContext(who, req), id);
    res.set({
      'Content-Type': 'application/zip',
      'Content-Disposition': 'attachment; filename="batch.zip"',
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(zip);
  }
}

function formatOf(contentType: string | undefined): BatchFormat {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const format = FORMATS[type];
  if (format) return format;
  throw AppError.validation([
    {
      field: 'Content-Type',
      message: 'send the file as the body with Content-Type text/csv or application/x-ndjson',
    },
  ]);
}

/** The body as bytes, through express.raw; over `limit` is a 413 in the usual error shape. */
function readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const parse = raw({ type: () => true, limit });
  return new Promise<Buffer>((resolve, reject) => {
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        const body: unknown = req.body;
        resolve(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
        return;
      }
      const type = typeof err === 'object' && 'type' in err ? String(err.type) : '';
      if (type === 'entity.too.large') {
        reject(
          new AppError(
            ErrorCode.PayloadTooLarge,
            `The file is larger than ${limit} bytes, the most one batch may be: split it into smaller files`,
            [{ field: 'body', message: `larger than ${limit} bytes` }],
          ),
        );
        return;
      }
      // Parser messages may quote the body, so only the kind of failure is passed on.
      reject(
        AppError.validation([{ field: 'body', message: 'the file could not be read (encoding)' }]),
      );
    });
  });
}
