import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { LoginDto } from './accounts.dto';
import { AuthService } from './auth.service';
import { CurrentPrincipal, RequireSignIn } from './permission.guard';
import type { Principal } from './principal';
import { STAFF_SESSION_COOKIE, clientAddress, readSessionCookie } from './request-credentials';
import { UserView, UsersService, toUserView } from './users.service';

export interface SessionView {
  user: UserView;
  expiresAt: string;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    const signedIn = await this.auth.login(
      dto.email,
      dto.password,
      clientAddress(req),
      readSessionCookie(req),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.cookie(STAFF_SESSION_COOKIE, signedIn.token, this.cookieOptions());
    return { user: toUserView(signedIn.user), expiresAt: signedIn.expiresAt.toISOString() };
  }

  /** Ends the session on the server, whether or not the cookie still named a live one. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readSessionCookie(req), clientAddress(req));
    res.clearCookie(STAFF_SESSION_COOKIE, this.cookieOptions());
  }

  @Get('me')
  @RequireSignIn()
  async me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    return toUserView(
      await this.users.requireInOrganisation(principal.organisationId, principal.userId),
    );
  }

  /**
   * No Max-Age: the cookie goes when the browser closes, and the server ends the session anyway
   * after STAFF_IDLE_MINUTES idle or STAFF_SESSION_HOURS in all.
   */
  private cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.COOKIE_SECURE };
  }
}
