import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Cases and the packets generated from them. Runs unchanged on SQLite and PostgreSQL. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // The driver's own spelling of a date column, so the schema matches the entities on both.
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    await q.createTable(
      new Table({
        name: 'cases',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pack_id', type: 'varchar', length: '64' },
          { name: 'facts', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'packets',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'case_id', type: 'varchar', length: '36' },
          { name: 'pack_id', type: 'varchar', length: '64' },
          { name: 'pack_version', type: 'varchar', length: '32' },
          { name: 'manifest', type: 'text' },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );
    await q.createIndex(
      'packets',
      new TableIndex({ name: 'idx_packets_case', columnNames: ['case_id', 'created_at'] }),
    );
    await q.createForeignKey(
      'packets',
      new TableForeignKey({
        columnNames: ['case_id'],
        referencedTableName: 'cases',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('packets');
    await q.dropTable('cases');
  }
}
