import {
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CasesModule } from '../cases/cases.module';
import { AppConfig } from '../config/app-config';
import { PacketsModule } from '../packets/packets.module';
import { PacksModule } from '../packs/packs.module';
import { StorageModule } from '../storage/storage.module';
import { BatchWork } from './batch-work';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';
import { BATCH_QUEUE, BatchQueue } from './queue/batch-queue';
import { BatchProcessor } from './queue/batch-processor';
import { BatchSweeper } from './queue/batch-sweeper';
import { createBatchQueue } from './queue/create-queue';

/** Starts the sweep once the application is up and closes the queue (letting rows finish) last. */
@Injectable()
export class BatchQueueLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweeper: BatchSweeper;

  constructor(
    rows: BatchesRepository,
    @Inject(BATCH_QUEUE) private readonly queue: BatchQueue,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.sweeper = new BatchSweeper(rows, queue, config.BATCH_SWEEP_SECONDS);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeper.stop();
    await this.queue.close();
  }
}

/**
 * Batch generation: the API, the processor and the queue the settings choose. Worker processes
 * and the command line wire the same processor by hand (src/batches/runtime.ts).
 */
@Module({
  imports: [AccountsModule, CasesModule, PacketsModule, PacksModule, StorageModule],
  controllers: [BatchesController],
  providers: [
    BatchesRepository,
    BatchProcessor,
    {
      provide: BATCH_QUEUE,
      inject: [AppConfig, BatchProcessor],
      useFactory: (config: AppConfig, processor: BatchProcessor) =>
        createBatchQueue(config, (rowId) => processor.process(rowId), 'service'),
    },
    BatchQueueLifecycle,
    BatchWork,
    BatchesService,
  ],
  exports: [BatchesService, BatchesRepository],
})
export class BatchesModule {}
