import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Cases belong to an organisation (or, when made through the guided interview, to no one but the
 * petitioner); packets record who made them and the facts that did; petitioners share a case
 * with an organisation through a share code. Runs unchanged on SQLite and PostgreSQL.
 */
export class Matters1764410000000 implements MigrationInterface {
  name = 'Matters1764410000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    const ref = (name: string, isNullable = true) =>
      new TableColumn({ name, type: 'varchar', length: '36', isNullable });

    await q.addColumns('cases', [ref('organisation_id'), ref('created_by')]);
    await q.createIndex(
      'cases',
      new TableIndex({
        name: 'idx_cases_organisation',
        columnNames: ['organisation_id', 'updated_at'],
      }),
    );
    await q.addColumns('packets', [
      ref('created_by'),
      new TableColumn({ name: 'facts_sha256', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'facts', type: 'text', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'case_shares',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'case_id', type: 'varchar', length: '36' },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'organisation_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'accepted_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
          { name: 'accepted_at', type: timestamp, isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_case_shares_code_hash',
            columnNames: ['code_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_case_shares_case', columnNames: ['case_id'] }),
          new TableIndex({
            name: 'idx_case_shares_organisation',
            columnNames: ['organisation_id'],
          }),
        ],
        foreignKeys: [
          {
            columnNames: ['case_id'],
            referencedTableName: 'cases',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('case_shares');
    await q.dropColumns('packets', ['facts', 'facts_sha256', 'created_by']);
    await q.dropIndex('cases', 'idx_cases_organisation');
    await q.dropColumns('cases', ['created_by', 'organisation_id']);
  }
}
