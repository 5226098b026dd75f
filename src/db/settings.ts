// Site-wide key/value settings (editor's pick, featured person, content version).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { nowIso } from './database.js';

type Executor = Kysely<Database> | Transaction<Database>;

export async function getSetting(db: Executor, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setSetting(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: nowIso() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: nowIso() }))
    .execute();
}
