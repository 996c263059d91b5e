import { Module } from '@nestjs/common';
import { PacksModule } from '../packs/packs.module';
import { RenderingModule } from '../rendering/rendering.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [PacksModule, RenderingModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
