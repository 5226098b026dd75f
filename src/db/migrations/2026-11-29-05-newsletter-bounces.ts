// Hard bounces: a subscription counts the permanent refusals (5xx to RCPT TO or
// DATA) its deliveries met in a row, across issues; after three it is
// suppressed (status 'suppressed', skipped by sends) until an editor reactivates
// it. A delivery that gets through sets the count back to zero.
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('subscriptions')
    .addColumn('hard_bounces', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('subscriptions').addColumn('suppressed_at', t.timestamp).execute();
  await db.schema.alterTable('subscriptions').addColumn('last_bounce', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriptions').dropColumn('last_bounce').execute();
  await db.schema.alterTable('subscriptions').dropColumn('suppressed_at').execute();
  await db.schema.alterTable('subscriptions').dropColumn('hard_bounces').execute();
}
