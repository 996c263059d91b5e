import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { TEST_DB_KIND, TestEnvironment, createTestEnvironment } from '../support/database';

describe(`migrations (${TEST_DB_KIND})`, () => {
  let env: TestEnvironment;
  let sut: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    sut = new DataSource(dataSourceOptions(env.config));
    await sut.initialize();
  });

  afterAll(async () => {
    await sut.destroy();
    await env.cleanup();
  });

  it('creates the schema from nothing', async () => {
    const applied = await sut.runMigrations();
    expect(applied.length).toBeGreaterThan(0);
    expect(await sut.query('SELECT COUNT(*) AS n FROM cases')).toEqual([
      { n: TEST_DB_KIND === 'postgres' ? '0' : 0 },
    ]);
  });

  it('leaves nothing for a new migration to do: entities and migrations agree', async () => {
    const pending = await sut.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('can be undone and redone', async () => {
    await sut.undoLastMigration();
    await sut.runMigrations();
    expect((await sut.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});
