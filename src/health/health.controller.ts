import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS } from '../common/errors/infrastructure-faults';
import { HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  /**
   * 503 while the database is unreachable, so a load balancer or orchestrator stops sending
   * requests that could only fail; 200 otherwise, even when degraded: without LibreOffice every
   * request but a merged PDF still works, and without Redis everything but starting a batch (the
   * interview, cases, packets, batches already made), so taking the service out of rotation
   * would turn away petitioners to spare a paralegal one 503.
   */
  @Get()
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.service.report();
    if (!report.database.ok) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    return report;
  }
}
