import { Global, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditController } from './audit.controller';
import { AuditTrail } from './audit-trail';

/**
 * Global, so every module records through the one AuditTrail without importing this module:
 * the accounts module records sign-ins with it while this module uses the accounts' guard.
 */
@Global()
@Module({
  imports: [AccountsModule],
  controllers: [AuditController],
  providers: [AuditTrail],
  exports: [AuditTrail],
})
export class AuditModule {}
