// The bookmarks table, which the reading module owns; articles are asked for
// through their service.
import type { ScopedDb } from '../../db/scoped.js';

/** What the reading module's own queries may touch. */
export type ReadingDb = ScopedDb<'bookmarks'>;

export async function addBookmark(db: ReadingDb, userId: string, articleId: string, now: string): Promise<void> {
  await db
    .insertInto('bookmarks')
    .values({ user_id: userId, article_id: articleId, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'article_id']).doNothing())
    .execute();
}

export async function removeBookmark(db: ReadingDb, userId: string, articleId: string): Promise<void> {
  await db.deleteFrom('bookmarks').where('user_id', '=', userId).where('article_id', '=', articleId).execute();
}

export async function bookmarkedAmong(db: ReadingDb, userId: string, articleIds: string[]): Promise<Set<string>> {
  if (articleIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('bookmarks')
    .select('article_id')
    .where('user_id', '=', userId)
    .where('article_id', 'in', articleIds)
    .execute();
  return new Set(rows.map((r) => r.article_id));
}

/** An account's bookmarks, newest first, in the order of the index on (user_id, created_at, article_id). */
function bookmarksOf(db: ReadingDb, userId: string) {
  return db
    .selectFrom('bookmarks')
    .select(['article_id', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('article_id', 'desc');
}

/** Every bookmark of an account, newest first (which articles are still published is the articles module's to say). */
export async function listBookmarksOf(db: ReadingDb, userId: string) {
  return bookmarksOf(db, userId).execute();
}

/** How many bookmarks an account keeps (counted in the index on (user_id, created_at, article_id)). */
export async function countBookmarksOf(db: ReadingDb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('bookmarks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of an account's bookmarks, newest first, read in the index's order. */
export async function pageOfBookmarksOf(db: ReadingDb, userId: string, limit: number, offset: number) {
  return bookmarksOf(db, userId).limit(limit).offset(offset).execute();
}
