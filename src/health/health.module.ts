import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { PacksModule } from '../packs/packs.module';
import { RenderingModule } from '../rendering/rendering.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [BatchesModule, PacksModule, RenderingModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
