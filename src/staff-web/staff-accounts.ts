import { Injectable } from '@nestjs/common';
import { ApiTokensService } from '../accounts/api-tokens.service';
import { AuthService } from '../accounts/auth.service';

/** Signing in and API tokens, exactly as the accounts' own controllers use them. */
@Injectable()
export class StaffAccounts {
  constructor(
    readonly auth: AuthService,
    readonly tokens: ApiTokensService,
  ) {}
}
