import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PacksModule } from '../packs/packs.module';
import { StorageModule } from '../storage/storage.module';
import { CaseShareEntity } from './case-share.entity';
import { CaseSharesService } from './case-shares.service';
import { CaseEntity } from './case.entity';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [TypeOrmModule.forFeature([CaseEntity, CaseShareEntity]), PacksModule, StorageModule],
  providers: [CasesRepository, CasesService, CaseSharesService],
  exports: [CasesService, CasesRepository, CaseSharesService],
})
export class CasesModule {}
