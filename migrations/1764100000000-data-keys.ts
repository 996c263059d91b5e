import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Per-case data keys for encryption at rest, each wrapped by a versioned master key kept outside
 * the database. Runs unchanged on SQLite and PostgreSQL. Facts stay in `cases.facts` (text),
 * now holding the base64 envelope; rows written before this migration are sealed on their
 * next write.
 */
export class DataKeys1764100000000 implements MigrationInterface {
  name = 'DataKeys1764100000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    await q.createTable(
      new Table({
        name: 'data_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'case_id', type: 'varchar', length: '36' },
          { name: 'wrapped_key', type: 'text' },
          { name: 'master_key_version', type: 'varchar', length: '32' },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );
    await q.createIndex(
      'data_keys',
      new TableIndex({ name: 'uq_data_keys_case', columnNames: ['case_id'], isUnique: true }),
    );
    await q.createForeignKey(
      'data_keys',
      new TableForeignKey({
        columnNames: ['case_id'],
        referencedTableName: 'cases',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('data_keys');
  }
}
