import { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { TestEnvironment, createTestEnvironment } from './database';

export interface TestApp {
  app: INestApplication;
  env: TestEnvironment;
  close: () => Promise<void>;
}

/**
 * The whole service on a fresh database, migrated by the real migrations. Silent unless given a
 * logger (the log tests pass a JsonLogger that captures its lines).
 */
export async function createTestApp(
  extraEnv: NodeJS.ProcessEnv = {},
  logger?: LoggerService,
): Promise<TestApp> {
  const env = await createTestEnvironment(extraEnv);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(env.config)],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: logger ?? false });
  setupApp(app);
  await app.init();
  await app.get(DataSource).runMigrations();
  return {
    app,
    env,
    close: async () => {
      await app.close();
      await env.cleanup();
    },
  };
}
