// Per-key rate limits (failed sign-ins per address, reset and sign-in-link
// emails per address...), kept in the database so every app server counts the
// same attempts. The key is a SHA-256 of the limit's scope and the key itself:
// no address is stored in clear. `reset_at` is milliseconds since the epoch, an
// integer on both databases.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('key_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('key_limits_reset_at').on('key_limits').column('reset_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_limits').execute();
}
