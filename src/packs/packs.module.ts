import { Module } from '@nestjs/common';
import { PacksService } from './packs.service';

@Module({ providers: [PacksService], exports: [PacksService] })
export class PacksModule {}
