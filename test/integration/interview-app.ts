import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { INTERVIEW_CLOCK } from '../../src/interview/interview-clock';
import { TestApp } from '../support/app';
import { createTestEnvironment } from '../support/database';

/** Time for the interview's sessions, throttle and drafts, moved by the test instead of waited for. */
export class TestClock {
  private at = Date.now();

  readonly now = (): number => this.at;

  advance(ms: number): void {
    this.at += ms;
  }
}

/** The whole service on a fresh migrated database, like createTestApp, with the interview's clock given. */
export async function createClockedApp(
  clock: TestClock,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  const env = await createTestEnvironment(extraEnv);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(env.config)],
  })
    .overrideProvider(INTERVIEW_CLOCK)
    .useValue(clock.now)
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
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
