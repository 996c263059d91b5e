import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { PacksModule } from '../packs/packs.module';
import { RenderingModule } from '../rendering/rendering.module';
import { PackResolver } from './pack-resolver';
import { PackUploadStore } from './pack-upload-store';
import { PackVersionEntity } from './pack-version.entity';
import { PackVersionsRepository } from './pack-versions.repository';
import { PackUploadsController } from './pack-uploads.controller';
import { PackUploadsService } from './pack-uploads.service';

/**
 * Which pack a case uses. Global, like the audit trail, so that cases and packets ask it without
 * their modules importing the uploads feature (which itself renders through the packet builder).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([PackVersionEntity]), PacksModule],
  providers: [PackVersionsRepository, PackUploadStore, PackResolver],
  exports: [PackVersionsRepository, PackUploadStore, PackResolver],
})
export class PackResolverModule {}

/** Organisations' own court packs: upload, versions, preview, activation. */
@Module({
  imports: [PackResolverModule, PacksModule, AccountsModule, RenderingModule],
  controllers: [PackUploadsController],
  providers: [PackUploadsService],
  // The staff pages upload through this same instance, so both wait in one upload queue.
  exports: [PackUploadsService],
})
export class PackUploadsModule {}
