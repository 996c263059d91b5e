import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import type { Principal } from '../accounts/principal';
import { CaseResponse, CreateCaseDto } from '../cases/case.dto';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import {
  AcceptShareDto,
  MatterFilter,
  MatterSummary,
  MatterView,
  MatterViewQuery,
  UpdateMatterDto,
} from './matter.dto';
import { MattersService } from './matters.service';
import { staffContext } from './staff-context';

/** Cases of the caller's organisation (matters). Every call is scoped and audited. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller()
export class CasesController {
  constructor(private readonly matters: MattersService) {}

  @Get('cases')
  @RequirePermission('cases:read')
  list(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Query() filter: MatterFilter,
  ): Promise<MatterSummary[]> {
    return this.matters.list(staffContext(who, req), filter);
  }

  @Post('cases')
  @RequirePermission('cases:write')
  create(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Body() dto: CreateCaseDto,
  ): Promise<CaseResponse> {
    return this.matters.create(staffContext(who, req), dto);
  }

  @Get('cases/:id')
  @RequirePermission('cases:read')
  get(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
    @Query() query: MatterViewQuery,
  ): Promise<MatterView> {
    return this.matters.view(staffContext(who, req), id, query.confidential === 'true');
  }

  @Put('cases/:id')
  @RequirePermission('cases:write')
  update(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
    @Body() dto: UpdateMatterDto,
  ): Promise<CaseResponse> {
    return this.matters.update(staffContext(who, req), id, dto.facts, dto.confidential);
  }

  @Delete('cases/:id')
  @HttpCode(204)
  @RequirePermission('cases:delete')
  delete(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    return this.matters.delete(staffContext(who, req), id);
  }

  @Post('shares')
  @HttpCode(200)
  @RequirePermission('cases:write')
  acceptShare(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Body() dto: AcceptShareDto,
  ): Promise<{ caseId: string }> {
    return this.matters.acceptShare(staffContext(who, req), dto.code);
  }
}
