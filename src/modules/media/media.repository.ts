import type { Kysely, Transaction } from 'kysely';
import type { Database, MediaRow } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export async function findMediaByIds(db: Executor, ids: string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
}

export async function findMediaByHash(db: Executor, hash: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function insertMedia(db: Executor, row: MediaRow): Promise<void> {
  await db.insertInto('media').values(row).execute();
}
