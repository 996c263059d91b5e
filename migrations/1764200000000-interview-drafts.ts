import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Petitioners' interview drafts, each sealed with a key derived from its resume code. Runs
 * unchanged on SQLite and PostgreSQL. No column holds anything readable about the petitioner:
 * a locator (a hash), the key derivation's parameters, the nonce, the ciphertext and dates.
 */
export class InterviewDrafts1764200000000 implements MigrationInterface {
  name = 'InterviewDrafts1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    await q.createTable(
      new Table({
        name: 'interview_drafts',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'locator', type: 'varchar', length: '64' },
          { name: 'kdf', type: 'varchar', length: '32' },
          { name: 'nonce', type: 'varchar', length: '24' },
          { name: 'ciphertext', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
      }),
    );
    await q.createIndex(
      'interview_drafts',
      new TableIndex({
        name: 'uq_interview_drafts_locator',
        columnNames: ['locator'],
        isUnique: true,
      }),
    );
    await q.createIndex(
      'interview_drafts',
      new TableIndex({ name: 'idx_interview_drafts_expires', columnNames: ['expires_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('interview_drafts');
  }
}
