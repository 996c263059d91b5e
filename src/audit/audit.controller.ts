import { Controller, Get, Logger, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import type { Principal } from '../accounts/principal';
import { clientAddress } from '../accounts/request-credentials';
import { AuditTrail } from './audit-trail';
import { AuditFilterQueryDto, AuditListQueryDto, DEFAULT_PAGE, toFilter } from './audit.dto';
import type { AuditFilter, AuditListResponse } from './audit.types';

/**
 * The caller's organisation's audit trail, and nobody else's. Reading it is itself recorded,
 * before anything is sent: when the record cannot be written, nothing is shown.
 */
@ApiTags('audit')
@Controller('audit')
@RequirePermission('audit:read')
export class AuditController {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditTrail) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditListQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditListResponse> {
    const filter = toFilter(query);
    const page = await this.audit.list(principal.organisationId, filter, {
      limit: query.limit ?? DEFAULT_PAGE,
      ...(query.cursor ? { before: query.cursor } : {}),
    });
    await this.recordRead('audit.view', principal, filter, req);
    res.setHeader('Cache-Control', 'no-store');
    return page;
  }

  /**
   * The export includes its own `audit.export` record when the filter matches it. Its headers
   * are set here, not with @Header, which would also label an error answer as a CSV download.
   */
  @Get('export.csv')
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditFilterQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const filter = toFilter(query);
    const csv = this.audit.exportCsv(principal.organisationId, filter);
    await this.recordRead('audit.export', principal, filter, req);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="audit.csv"',
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(csv).setErrorHandler((err, out) => {
      if (out.destroyed) return;
      // The class only: a database error's message can quote the query.
      this.logger.error({ msg: 'audit export failed', error: err.name });
      if (out.headersSent) {
        // Cut off rather than ended, so a partial file never looks complete.
        if (out.destroy) out.destroy();
        else out.end();
        return;
      }
      out.statusCode = 500;
      out.send('Internal error');
    });
  }

  /** Filtering by a case or a user is recorded as that case, or that user as the subject. */
  private recordRead(
    action: 'audit.view' | 'audit.export',
    principal: Principal,
    filter: AuditFilter,
    req: Request,
  ): Promise<void> {
    return this.audit.record({
      action,
      actor: AuditTrail.actorOf(principal),
      caseId: filter.caseId ?? null,
      subject: filter.userId ?? null,
      ip: clientAddress(req),
    });
  }
}
