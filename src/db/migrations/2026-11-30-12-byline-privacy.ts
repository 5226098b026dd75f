// Byline privacy: the people module's columns for how a person is shown in public.
// Every default keeps today's behaviour (full name, places, portrait, listed,
// age on bylines), so existing profiles look the same after the migration.
import type { Kysely } from 'kysely';

const COLUMNS = ['name_shown', 'pen_name', 'show_place', 'show_portrait', 'listed', 'hide_age'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // 'full', 'initial' ("Amara N.") or 'pen' (pen_name).
  await db.schema
    .alterTable('people')
    .addColumn('name_shown', 'text', (c) => c.notNull().defaultTo('full'))
    .execute();
  await db.schema
    .alterTable('people')
    .addColumn('pen_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('people')
    .addColumn('show_place', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('people')
    .addColumn('show_portrait', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('people')
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('people')
    .addColumn('hide_age', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [...COLUMNS].reverse()) await db.schema.alterTable('people').dropColumn(column).execute();
}
