import { INestApplication, LoggerService, ValueProvider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module';
import { setupApp } from '../../../src/app.setup';
import { AppConfig } from '../../../src/config/app-config';

/**
 * The whole service on a data folder and database that already exist, so a test can stop it and
 * start it again on the same data, as a restart after a crash does. Start-up runs exactly as in
 * production (sweeps included); migrations run after, as `npm run serve` runs them before.
 */
export async function startApp(
  config: AppConfig,
  { overrides = [], logger }: { overrides?: ValueProvider[]; logger?: LoggerService } = {},
): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  for (const o of overrides) builder = builder.overrideProvider(o.provide).useValue(o.useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: logger ?? false });
  setupApp(app);
  await app.init();
  await app.get(DataSource).runMigrations();
  return app;
}

/** Keeps what the service logs, message and level, for a test to read. */
export class CapturedLog implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];

  log(message: unknown): void {
    this.add('log', message);
  }
  error(message: unknown): void {
    this.add('error', message);
  }
  warn(message: unknown): void {
    this.add('warn', message);
  }
  debug(message: unknown): void {
    this.add('debug', message);
  }
  verbose(message: unknown): void {
    this.add('verbose', message);
  }

  messages(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }

  private add(level: string, message: unknown): void {
    this.lines.push({
      level,
      message: typeof message === 'string' ? message : JSON.stringify(message),
    });
  }
}
