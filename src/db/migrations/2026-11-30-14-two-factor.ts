// Two-factor sign-in and the session list: the accounts module's tables and columns.
// users: the TOTP secret (encrypted with a key derived from the site's secret),
// when two-factor sign-in was turned on (null while a set-up is pending), and the
// last time step a code was accepted for (no code works twice).
// sessions: a short description of the device, the place (only when a places
// file is configured; the IP address itself is never stored) and when the
// session was last seen (written at most once a minute).
// recovery_codes: one-time codes, stored as SHA-256.
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('users').addColumn('two_factor_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('two_factor_enabled_at', t.timestamp).execute();
  await db.schema.alterTable('users').addColumn('two_factor_last_step', 'integer').execute();
  await db.schema.alterTable('sessions').addColumn('device', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('place', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', t.timestamp).execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').columns(['user_id', 'code_hash']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  await db.schema.alterTable('sessions').dropColumn('place').execute();
  await db.schema.alterTable('sessions').dropColumn('device').execute();
  await db.schema.alterTable('users').dropColumn('two_factor_last_step').execute();
  await db.schema.alterTable('users').dropColumn('two_factor_enabled_at').execute();
  await db.schema.alterTable('users').dropColumn('two_factor_secret').execute();
}
