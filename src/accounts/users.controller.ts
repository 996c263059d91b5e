import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditTrail } from '../audit/audit-trail';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { CreateUserDto } from './accounts.dto';
import { CurrentPrincipal, RequirePermission } from './permission.guard';
import type { Principal } from './principal';
import { clientAddress } from './request-credentials';
import { UserView, UsersService, toUserView } from './users.service';

/** Staff accounts, always within the caller's own organisation. */
@ApiTags('users')
@Controller('users')
@RequirePermission('users:manage')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateUserDto,
    @Req() req: Request,
  ): Promise<UserView> {
    const user = await this.users.create(
      {
        organisationId: principal.organisationId,
        email: dto.email,
        password: dto.password,
        role: dto.role,
      },
      AuditTrail.contextOf(principal, req),
    );
    return toUserView(user);
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal): Promise<UserView[]> {
    return (await this.users.list(principal.organisationId)).map(toUserView);
  }

  @Get(':id')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<UserView> {
    return toUserView(await this.users.requireInOrganisation(principal.organisationId, id));
  }

  /** Also ends every session of the account at once, and stops its tokens working. */
  @Post(':id/disable')
  @HttpCode(200)
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Param('id', EntityIdPipe) id: string,
    @Req() req: Request,
  ): Promise<UserView> {
    return toUserView(await this.users.disable(principal, id, clientAddress(req)));
  }
}
