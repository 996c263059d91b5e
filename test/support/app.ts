import { INestApplication, LoggerService, ValueProvider } from '@nestjs/common';
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

export interface TestAppOptions {
  /** The log tests pass a JsonLogger that captures its lines; without one the app is silent. */
  logger?: LoggerService;
  /** Providers replaced by a test's own, such as a clock the test moves instead of waiting. */
  overrides?: ValueProvider[];
}

/** The whole service on a fresh database, migrated by the real migrations. */
export async function createTestApp(
  extraEnv: NodeJS.ProcessEnv = {},
  { logger, overrides = [] }: TestAppOptions = {},
): Promise<TestApp> {
  const env = await createTestEnvironment(extraEnv);
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(env.config)],
  });
  for (const o of overrides) builder = builder.overrideProvider(o.provide).useValue(o.useValue);
  const moduleRef = await builder.compile();
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
