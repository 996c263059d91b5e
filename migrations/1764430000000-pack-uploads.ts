import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Packs an organisation uploads itself, one row per version. The files stay on disk under
 * generated names; the row maps the pack's paths to them. `active_pack_id` is the pack id only
 * while a version is active, so a unique index on it keeps one active version per pack and
 * organisation without a partial index. Runs unchanged on SQLite and PostgreSQL.
 */
export class PackUploads1764430000000 implements MigrationInterface {
  name = 'PackUploads1764430000000';

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
        name: 'pack_versions',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('organisation_id'),
          { name: 'pack_id', type: 'varchar', length: '64' },
          { name: 'version', type: 'varchar', length: '32' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'active_pack_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'manifest', type: 'text' },
          { name: 'files', type: 'text' },
          ref('created_by', true),
          { name: 'created_at', type: timestamp },
          { name: 'activated_at', type: timestamp, isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_pack_versions_version',
            columnNames: ['organisation_id', 'pack_id', 'version'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'uq_pack_versions_active',
            columnNames: ['organisation_id', 'active_pack_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_pack_versions_organisation',
            columnNames: ['organisation_id', 'created_at'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('pack_versions');
  }
}
