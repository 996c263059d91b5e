import { Module } from '@nestjs/common';
import { Clock, systemClock } from '../common/clock';
import { ApiTokensService } from './api-tokens.service';
import { LOGIN_THROTTLE } from './accounts.tokens';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { ACCOUNTS_CLOCK } from './clock';
import { DEFAULT_LOGIN_LIMITS, LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { PermissionGuard } from './permission.guard';
import { StaffSessionsService } from './staff-sessions.service';
import { TokensController } from './tokens.controller';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Organisations, staff accounts, sessions and API tokens. Other modules protect a route by
 * importing this module and putting `@RequirePermission(...)` on it. What accounts do is
 * recorded through the global AuditTrail, which keeps time by this module's clock.
 */
@Module({
  controllers: [AuthController, UsersController, TokensController],
  providers: [
    { provide: ACCOUNTS_CLOCK, useValue: systemClock },
    {
      provide: LOGIN_THROTTLE,
      inject: [ACCOUNTS_CLOCK],
      useFactory: (clock: Clock) => new LoginThrottle(DEFAULT_LOGIN_LIMITS, clock),
    },
    PasswordHasher,
    UsersService,
    StaffSessionsService,
    ApiTokensService,
    AuthService,
    Authenticator,
    PermissionGuard,
  ],
  exports: [
    Authenticator,
    PermissionGuard,
    UsersService,
    AuthService,
    ApiTokensService,
    ACCOUNTS_CLOCK,
  ],
})
export class AccountsModule {}
