import { DataSource } from 'typeorm';
import { systemClock } from '../../src/common/clock';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditTrail } from '../../src/audit/audit-trail';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { AuditTrail1764400000000 } from '../../migrations/1764400000000-audit-trail';
import { TEST_DB_KIND, TestEnvironment, createTestEnvironment } from '../support/database';

const ORG = '3c2b1a09-8f7e-4d6c-b5a4-938271605f4e';
const CASE = '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918';

/** The database itself refuses to change or remove a record, whatever sends the query. */
describe(`the audit trail is append-only in the database (${TEST_DB_KIND})`, () => {
  let env: TestEnvironment;
  let db: DataSource;
  let audit: AuditTrail;

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = new DataSource(dataSourceOptions(env.config));
    await db.initialize();
    await db.runMigrations();
    audit = new AuditTrail(db, systemClock);
  });

  afterAll(async () => {
    await db.destroy();
    await env.cleanup();
  });

  const actor = { kind: 'system' as const, userId: null, organisationId: ORG };
  const snapshot = () => db.query('SELECT * FROM audit_events ORDER BY seq');

  beforeEach(async () => {
    await audit.record({ action: 'case.view', actor, caseId: CASE, subject: 'first' });
    await audit.record({ action: 'case.delete', actor, caseId: CASE, subject: 'second' });
  });

  const refusals: [string, string][] = [
    ['UPDATE of one row', `UPDATE audit_events SET action = 'case.create' WHERE subject = 'first'`],
    ['UPDATE of every row', `UPDATE audit_events SET organisation_id = NULL`],
    ['DELETE of one row', `DELETE FROM audit_events WHERE subject = 'second'`],
    ['DELETE of every row', 'DELETE FROM audit_events'],
    ...(TEST_DB_KIND === 'postgres'
      ? ([['TRUNCATE', 'TRUNCATE audit_events']] as [string, string][])
      : []),
  ];

  it.each(refusals)(
    'refuses %s through raw SQL and leaves the rows as they were',
    async (_, sql) => {
      const before = await snapshot();
      expect(before.length).toBeGreaterThanOrEqual(2);
      await expect(db.query(sql)).rejects.toThrow(/audit_events is append-only/);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('refuses the ORM too: update, delete and clear', async () => {
    const before = await snapshot();
    const repo = db.getRepository(AuditEventEntity);
    await expect(repo.update({ subject: 'first' }, { outcome: 'denied' })).rejects.toThrow(
      /append-only/,
    );
    await expect(repo.delete({ subject: 'second' })).rejects.toThrow(/append-only/);
    await expect(repo.clear()).rejects.toThrow(/append-only/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses inside a transaction, which then commits nothing', async () => {
    const before = await snapshot();
    await expect(
      db.transaction(async (tx) => {
        await audit.record({ action: 'case.update', actor, caseId: CASE }, tx);
        await tx.query(`DELETE FROM audit_events WHERE subject = 'first'`);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await snapshot()).toEqual(before);
  });

  it('still accepts new records', async () => {
    const count = (await snapshot()).length;
    await audit.record({ action: 'case.create', actor, caseId: CASE });
    expect(await snapshot()).toHaveLength(count + 1);
  });

  it('keeps the protection when its migration is undone and done again', async () => {
    const migration = new AuditTrail1764400000000();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await runner.hasTable('audit_events')).toBe(false);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    await audit.record({ action: 'case.view', actor, caseId: CASE, subject: 'again' });
    await expect(db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_events SET subject = 'x'`)).rejects.toThrow(/append-only/);
    expect(await snapshot()).toHaveLength(1);
  });
});
