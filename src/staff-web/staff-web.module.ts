import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MulterModule, MulterModuleOptions } from '@nestjs/platform-express';
import { AccountsModule } from '../accounts/accounts.module';
import { BatchesModule } from '../batches/batches.module';
import { AppConfig } from '../config/app-config';
import { MattersModule } from '../matters/matters.module';
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
import { StaffPages } from './staff-pages';

/**
 * The file of a batch upload: one file, in memory (no storage engine, so a file of survivors'
 * cases is never written to disk unencrypted), at most BATCH_MAX_BYTES, beside a handful of
 * short fields (the form token, the pack, the button pressed).
 */
function batchUploadOptions(config: AppConfig): MulterModuleOptions {
  return {
    limits: {
      fileSize: config.BATCH_MAX_BYTES,
      files: 1,
      fields: 8,
      fieldSize: 1024,
      parts: 10,
    },
  };
}

/**
 * The staff pages under /staff: server-rendered HTML over the same services as the API (matters
 * through MattersService, batches through BatchesService, accounts and the audit trail through
 * theirs), behind the same guard, with the petitioner pages' headers, head, stylesheet and script.
 */
@Module({
  imports: [
    AccountsModule,
    MattersModule,
    PacksModule,
    BatchesModule,
    MulterModule.registerAsync({ inject: [AppConfig], useFactory: batchUploadOptions }),
  ],
  controllers: [
    StaffAuthController,
    StaffMattersController,
    StaffBatchesController,
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
        StaffAdminController,
        StaffFallbackController,
      );
  }
}
