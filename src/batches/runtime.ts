import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import { CasesService } from '../cases/cases.service';
import type { AppConfig } from '../config/app-config';
import { CaseCipher } from '../crypto/case-cipher';
import { DataKeyEntity } from '../crypto/data-key.entity';
import { loadMasterKeyring } from '../crypto/master-keys';
import { dataSourceOptions } from '../database/data-source-options';
import { PacketBuilder } from '../packets/packet-builder';
import { PacketEntity } from '../packets/packet.entity';
import { PacketsRepository } from '../packets/packets.repository';
import { PacketsService } from '../packets/packets.service';
import { createPackResolver } from '../pack-uploads/pack-resolver';
import { PacksService } from '../packs/packs.service';
import { DocxToPdfConverter } from '../rendering/convert/docx-to-pdf';
import { ArtifactStore } from '../storage/artifact-store';
import { BatchWork } from './batch-work';
import { BatchesRepository } from './batches.repository';
import type { BatchQueue } from './queue/batch-queue';
import { BatchProcessor } from './queue/batch-processor';
import { BatchSweeper } from './queue/batch-sweeper';
import { createBatchQueue } from './queue/create-queue';

export interface BatchRuntime {
  db: DataSource;
  rows: BatchesRepository;
  processor: BatchProcessor;
  queue: BatchQueue;
  work: BatchWork;
  sweeper: BatchSweeper;
  /** Stops the sweep, lets running rows finish, then closes LibreOffice and the database. */
  close(): Promise<void>;
}

/**
 * What a worker process and the command line need to run batch rows, wired by hand like the
 * command line's other commands: the same classes the service's modules provide, without the
 * HTTP side, the accounts or the service's start-up work (such as sweeping the artifact folder's
 * temporary files, which would pull them from under another process still writing them).
 */
export async function openBatchRuntime(
  config: AppConfig,
  role: 'service' | 'worker',
  options: { migrate?: boolean } = {},
): Promise<BatchRuntime> {
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();
  try {
    if (options.migrate) await db.runMigrations({ transaction: 'each' });
    const keyring = loadMasterKeyring(config, (m) => new Logger('MasterKey').warn(m));
    const cipher = new CaseCipher(db.getRepository(DataKeyEntity), keyring);
    const artifacts = new ArtifactStore(config, cipher);
    const packs = new PacksService(config);
    packs.reload();
    // The organisation's own uploaded packs, as the service uses them.
    const resolver = createPackResolver(db, config, packs);
    const cases = new CasesService(
      new CasesRepository(db.getRepository(CaseEntity)),
      packs,
      artifacts,
      cipher,
      resolver,
    );
    const packetRows = new PacketsRepository(db.getRepository(PacketEntity));
    const converter = new DocxToPdfConverter(config.SOFFICE_PATH, process.env, {
      mode: config.OFFICE_MODE,
    });
    const packets = new PacketsService(
      cases,
      packs,
      packetRows,
      artifacts,
      new PacketBuilder(converter),
      resolver,
    );
    const rows = new BatchesRepository(db);
    const processor = new BatchProcessor(rows, packets, packetRows, artifacts, db, config);
    const queue = createBatchQueue(config, (rowId) => processor.process(rowId), role);
    const work = new BatchWork(rows, cipher, queue, packetRows, artifacts);
    const sweeper = new BatchSweeper(rows, queue, config.BATCH_SWEEP_SECONDS);
    return {
      db,
      rows,
      processor,
      queue,
      work,
      sweeper,
      close: async () => {
        await sweeper.stop();
        await queue.close();
        await converter.close();
        await db.destroy();
      },
    };
  } catch (e) {
    await db.destroy();
    throw e;
  }
}
