import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BatchesModule } from '../batches/batches.module';
import { MattersModule } from '../matters/matters.module';
import { PackUploadsModule } from '../pack-uploads/pack-uploads.module';
import { PacksModule } from '../packs/packs.module';
import { WebAssets } from '../web/web-assets';
import { WebHeadersMiddleware } from '../web/web-middleware';
import { StaffAccounts } from './staff-accounts';
import { StaffAdminController } from './staff-admin.controller';
import { StaffAuthController, StaffFallbackController } from './staff-auth.controller';
import { BatchFileTooLargeFilter, StaffBatchesController } from './staff-batches.controller';
import { StaffErrorFilter } from './staff-error.filter';
import { StaffFormBodyMiddleware, StaffFormCheck } from './staff-forms';
import { StaffMattersController } from './staff-matters.controller';
import { PackTooLargeFilter, StaffPacksController } from './staff-packs.controller';
import { StaffPages } from './staff-pages';

/**
 * The staff pages under /staff: server-rendered HTML over the same services as the API (matters
 * through MattersService, batches through BatchesService, an organisation's own packs through
 * PackUploadsService, accounts and the audit trail through theirs), behind the same guard, with
 * the petitioner pages' headers, head, stylesheet and script.
 */
@Module({
  imports: [AccountsModule, MattersModule, PacksModule, BatchesModule, PackUploadsModule],
  controllers: [
    StaffAuthController,
    StaffMattersController,
    StaffBatchesController,
    StaffPacksController,
    StaffAdminController,
    StaffFallbackController,
  ],
  providers: [
    WebAssets,
    StaffPages,
    StaffAccounts,
    StaffErrorFilter,
    StaffFormCheck,
    BatchFileTooLargeFilter,
    PackTooLargeFilter,
  ],
})
export class StaffWebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Headers first, so even a refused body answers with no-store and the policy.
    consumer
      .apply(WebHeadersMiddleware, StaffFormBodyMiddleware)
      .forRoutes(
        StaffAuthController,
        StaffMattersController,
        StaffBatchesController,
        StaffPacksController,
        StaffAdminController,
        StaffFallbackController,
      );
  }
}
