import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ACCOUNT_ENTITIES } from '../accounts/account-entities';
import { BatchEntity, BatchRowEntity } from '../batches/batch.entity';
import { CaseShareEntity } from '../cases/case-share.entity';
import { CaseEntity } from '../cases/case.entity';
import type { AppConfig } from '../config/app-config';
import { projectRoot } from '../config/project-root';
import { DataKeyEntity } from '../crypto/data-key.entity';
import { InterviewDraftEntity } from '../interview/interview-draft.entity';
import { PackVersionEntity } from '../pack-uploads/pack-version.entity';
import { PacketEntity } from '../packets/packet.entity';

export const ENTITIES = [
  CaseEntity,
  CaseShareEntity,
  PacketEntity,
  DataKeyEntity,
  InterviewDraftEntity,
  ...ACCOUNT_ENTITIES,
  BatchEntity,
  BatchRowEntity,
  PackVersionEntity,
];

const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/** Compiled migrations when running from dist/, TypeScript ones under ts-jest. */
function migrationsGlob(): string {
  const compiled = __filename.endsWith('.js');
  const root = projectRoot();
  return compiled ? join(root, 'dist', 'migrations', '*.js') : join(root, 'migrations', '*.ts');
}

/**
 * One set of options for the service, the CLI and the tests: PostgreSQL when DATABASE_URL is
 * set, otherwise an SQLite file under the data folder. Never `synchronize`: migrations only.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: [migrationsGlob()],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  if (config.DATABASE_URL) {
    return {
      ...common,
      type: 'postgres',
      url: config.DATABASE_URL,
      // pg waits for a connection forever by default: while the server is unreachable, requests
      // would hang instead of answering 503. This bounds both a new connection and the wait for
      // a free one in the pool.
      connectTimeoutMS: POSTGRES_CONNECT_TIMEOUT_MS,
    };
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    // WAL lets readers proceed while a packet is being written; the busy timeout makes a
    // second writer wait instead of failing at once.
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
