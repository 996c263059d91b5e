import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PacksModule } from '../packs/packs.module';
import { StorageModule } from '../storage/storage.module';
import { CaseEntity } from './case.entity';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [TypeOrmModule.forFeature([CaseEntity]), PacksModule, StorageModule],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService],
  exports: [CasesService, CasesRepository],
})
export class CasesModule {}
