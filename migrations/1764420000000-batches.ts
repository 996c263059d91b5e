import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Batches of cases uploaded as one file, one row per case, and the link from a packet to the row
 * it was made for. The unique index on packets.batch_row_id is what keeps a row to one packet
 * when a queue delivers its job twice. Runs unchanged on SQLite and PostgreSQL.
 */
export class Batches1764420000000 implements MigrationInterface {
  name = 'Batches1764420000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    const ref = (name: string, isNullable = false) => ({
      name,
      type: 'varchar',
      length: '36',
      isNullable,
    });
    await q.createTable(
      new Table({
        name: 'batches',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('organisation_id'),
          ref('created_by', true),
          { name: 'pack_id', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'total_rows', type: 'integer' },
          { name: 'created_at', type: timestamp },
          { name: 'finished_at', type: timestamp, isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'idx_batches_organisation',
            columnNames: ['organisation_id', 'created_at'],
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'batch_rows',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('batch_id'),
          { name: 'row_number', type: 'integer' },
          ref('case_id'),
          ref('packet_id', true),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          ref('claim', true),
          { name: 'error', type: 'text', isNullable: true },
          { name: 'updated_at', type: timestamp },
        ],
        indices: [
          new TableIndex({
            name: 'uq_batch_rows_batch_row',
            columnNames: ['batch_id', 'row_number'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_batch_rows_status', columnNames: ['status'] }),
        ],
        foreignKeys: [
          {
            columnNames: ['batch_id'],
            referencedTableName: 'batches',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['case_id'],
            referencedTableName: 'cases',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['packet_id'],
            referencedTableName: 'packets',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
    await q.addColumn(
      'packets',
      new TableColumn({ name: 'batch_row_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await q.createIndex(
      'packets',
      new TableIndex({
        name: 'uq_packets_batch_row',
        columnNames: ['batch_row_id'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('batch_rows');
    await q.dropTable('batches');
    await q.dropIndex('packets', 'uq_packets_batch_row');
    await q.dropColumn('packets', 'batch_row_id');
  }
}
