import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const REFUSAL = 'audit_events is append-only';

/**
 * The audit trail, append-only in the database itself: UPDATE, DELETE (and on PostgreSQL
 * TRUNCATE) on audit_events raise an error whoever sends them, so no bug or stray query in the
 * service can rewrite history. It does not stop the database's owner, who can drop a trigger;
 * that needs its own control (a separate owner role, or shipping the records elsewhere).
 *
 * No foreign keys: records outlive the organisations, users and cases they name.
 *
 * On SQLite, TypeORM alters a table by copying it into a new one, which leaves its triggers
 * behind: a later migration that changes audit_events must create these triggers again.
 */
export class AuditTrail1764400000000 implements MigrationInterface {
  name = 'AuditTrail1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    const ref = (name: string, isNullable = true) => ({
      name,
      type: 'varchar',
      length: '36',
      isNullable,
    });
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          ref('id', false),
          { name: 'at', type: timestamp },
          ref('organisation_id'),
          { name: 'actor_kind', type: 'varchar', length: '16' },
          ref('actor_user_id'),
          { name: 'action', type: 'varchar', length: '40' },
          { name: 'outcome', type: 'varchar', length: '8' },
          ref('case_id'),
          { name: 'subject', type: 'varchar', length: '255', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_audit_events_id', columnNames: ['id'], isUnique: true }),
          new TableIndex({
            name: 'idx_audit_events_organisation_at',
            columnNames: ['organisation_id', 'at'],
          }),
          new TableIndex({ name: 'idx_audit_events_case', columnNames: ['case_id'] }),
        ],
      }),
    );
    if (isPostgres(q)) {
      await q.query(`
        CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '${REFUSAL}';
        END
        $$`);
      await q.query(`
        CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
      await q.query(`
        CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    } else {
      // SQLite has no TRUNCATE; a DELETE without WHERE still runs the trigger, because SQLite
      // skips its truncate shortcut on a table that has one.
      for (const [name, event] of [
        ['audit_events_no_update', 'UPDATE'],
        ['audit_events_no_delete', 'DELETE'],
      ] as const) {
        await q.query(`
          CREATE TRIGGER ${name} BEFORE ${event} ON audit_events
          BEGIN SELECT RAISE(ABORT, '${REFUSAL}'); END`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (isPostgres(q)) {
      await q.query('DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events');
      await q.query('DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events');
      await q.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
    } else {
      await q.query('DROP TRIGGER IF EXISTS audit_events_no_delete');
      await q.query('DROP TRIGGER IF EXISTS audit_events_no_update');
    }
    await q.dropTable('audit_events');
  }
}

/**
 * The service runs on exactly these two; any other database would get the table without its
 * protection, so it is refused instead.
 */
function isPostgres(q: QueryRunner): boolean {
  const type = q.connection.options.type;
  if (type === 'postgres') return true;
  if (type === 'better-sqlite3') return false;
  throw new Error(`the audit trail migration supports SQLite and PostgreSQL, not ${type}`);
}
