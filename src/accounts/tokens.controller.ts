import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { CreateApiTokenDto } from './accounts.dto';
import { ApiTokenView, ApiTokensService, CreatedApiToken } from './api-tokens.service';
import { CurrentPrincipal, RequirePermission } from './permission.guard';
import type { Principal } from './principal';
import { clientAddress } from './request-credentials';

/** API tokens for integrations, within the caller's own organisation. */
@ApiTags('tokens')
@Controller('tokens')
@RequirePermission('tokens:manage')
export class TokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  /** The answer is the only place the token ever appears: it must not be cached anywhere. */
  @Post()
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApiTokenDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreatedApiToken> {
    res.setHeader('Cache-Control', 'no-store');
    return this.tokens.create(principal, dto.name, dto.scopes, clientAddress(req));
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenView[]> {
    return this.tokens.list(principal.organisationId);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', EntityIdPipe) id: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.tokens.revoke(principal, id, clientAddress(req));
  }
}
