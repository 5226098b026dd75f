import type { ScopedDb } from '../../db/scoped.js';
import type { MediaRow } from '../../db/schema.js';

/** What the media module's own queries may touch. */
export type MediaDb = ScopedDb<'media'>;
type Executor = MediaDb;

export async function findMediaByIds(db: Executor, ids: string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
}

export async function findMediaById(db: Executor, id: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

/** `hash` is the content hash of a library picture, or the random file key of a private one. */
export async function findMediaByHash(db: Executor, hash: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function insertMedia(db: Executor, row: MediaRow): Promise<void> {
  await db.insertInto('media').values(row).execute();
}

export async function updateVariants(db: Executor, id: string, variants: string): Promise<void> {
  await db.updateTable('media').set({ variants }).where('id', '=', id).execute();
}

export async function markMediaPublic(db: Executor, id: string): Promise<void> {
  await db.updateTable('media').set({ visibility: 'public' }).where('id', '=', id).execute();
}

/** An account's private pictures (prize entries, drafts included) that still have files. */
export async function findPrivateMediaIdsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('media')
    .select('id')
    .where('uploaded_by', '=', userId)
    .where('visibility', '=', 'private')
    .where('removed_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function markMediaRemoved(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('media').set({ removed_at: at, alt: '', caption: '', variants: '[]' }).where('id', '=', id).execute();
}

/** Pictures an account uploaded since the given time, removed ones included: what the hourly limit counts. */
export async function countRecentUploads(db: Executor, userId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('uploaded_by', '=', userId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Pictures whose served file is still the uploaded original (stored before masters existed). */
export async function findLegacyMedia(db: Executor, limit: number): Promise<MediaRow[]> {
  return db
    .selectFrom('media')
    .selectAll()
    .where('file', 'not like', '%-%')
    .where('removed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function updateMediaFile(db: Executor, id: string, file: string): Promise<void> {
  await db.updateTable('media').set({ file }).where('id', '=', id).execute();
}
