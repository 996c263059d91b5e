import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Organisations, staff accounts, their sessions and API tokens. Runs unchanged on SQLite and
 * PostgreSQL. Sessions and tokens are stored only as SHA-256 hashes, passwords only as argon2id.
 */
export class StaffAccounts1764300000000 implements MigrationInterface {
  name = 'StaffAccounts1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.driver.normalizeType({ type: Date });
    const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
    const at = (name: string, isNullable = false) => ({ name, type: timestamp, isNullable });

    await q.createTable(
      new Table({
        name: 'organisations',
        columns: [id, { name: 'name', type: 'varchar', length: '200' }, at('created_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          ref('organisation_id'),
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'role', type: 'varchar', length: '16' },
          at('disabled_at', true),
          at('created_at'),
          at('password_changed_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'idx_users_organisation', columnNames: ['organisation_id'] }),
        ],
        foreignKeys: [organisationKey()],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_sessions',
        columns: [
          id,
          { name: 'token_hash', type: 'varchar', length: '64' },
          ref('user_id'),
          at('created_at'),
          at('last_seen_at'),
          at('expires_at'),
          at('ended_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_staff_sessions_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_staff_sessions_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [userKey()],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          ref('organisation_id'),
          ref('user_id'),
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'scopes', type: 'text' },
          at('created_at'),
          at('last_used_at', true),
          at('revoked_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_api_tokens_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_api_tokens_organisation', columnNames: ['organisation_id'] }),
        ],
        foreignKeys: [organisationKey(), userKey()],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('api_tokens');
    await q.dropTable('staff_sessions');
    await q.dropTable('users');
    await q.dropTable('organisations');
  }
}

/** An organisation with accounts in it cannot be deleted by accident. */
function organisationKey(): TableForeignKey {
  return new TableForeignKey({
    columnNames: ['organisation_id'],
    referencedTableName: 'organisations',
    referencedColumnNames: ['id'],
    onDelete: 'RESTRICT',
  });
}

function userKey(): TableForeignKey {
  return new TableForeignKey({
    columnNames: ['user_id'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}
