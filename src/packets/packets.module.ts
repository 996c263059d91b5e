import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesModule } from '../cases/cases.module';
import { PacksModule } from '../packs/packs.module';
import { RenderingModule } from '../rendering/rendering.module';
import { StorageModule } from '../storage/storage.module';
import { PacketEntity } from './packet.entity';
import { PacketsRepository } from './packets.repository';
import { PacketsService } from './packets.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([PacketEntity]),
    CasesModule,
    PacksModule,
    RenderingModule,
    StorageModule,
  ],
  providers: [PacketsRepository, PacketsService],
  exports: [PacketsRepository, PacketsService],
})
export class PacketsModule {}
