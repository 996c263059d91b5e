import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '../../src/config/app-config';

/**
 * Tests run on the embedded SQLite database by default and on PostgreSQL when TEST_DATABASE is
 * `postgres` (`npm run test:postgres`). Each suite gets its own empty database.
 */
export const TEST_DB_KIND = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestEnvironment {
  config: AppConfig;
  dataDir: string;
  cleanup: () => Promise<void>;
}

export async function createTestEnvironment(
  extra: NodeJS.ProcessEnv = {},
): Promise<TestEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'po-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (TEST_DB_KIND === 'postgres') {
    dbName = `po_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extra,
  });
  return {
    config,
    dataDir,
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
