import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export async function addBookmark(db: Executor, userId: string, articleId: string, now: string): Promise<void> {
  await db.insertInto('bookmarks').values({ user_id: userId, article_id: articleId, created_at: now }).onConflict((oc) => oc.columns(['user_id', 'article_id']).doNothing()).execute();
}

export async function removeBookmark(db: Executor, userId: string, articleId: string): Promise<void> {
  await db.deleteFrom('bookmarks').where('user_id', '=', userId).where('article_id', '=', articleId).execute();
}

export async function bookmarkedAmong(db: Executor, userId: string, articleIds: string[]): Promise<Set<string>> {
  if (articleIds.length === 0) return new Set();
  const rows = await db.selectFrom('bookmarks').select('article_id').where('user_id', '=', userId).where('article_id', 'in', articleIds).execute();
  return new Set(rows.map((r) => r.article_id));
}

/** Bookmarks of published articles only, newest first. */
export async function listBookmarks(db: Executor, userId: string, limit: number, offset: number) {
  return db
    .selectFrom('bookmarks')
    .innerJoin('articles', 'articles.id', 'bookmarks.article_id')
    .select(['bookmarks.article_id', 'bookmarks.created_at'])
    .where('bookmarks.user_id', '=', userId)
    .where('articles.status', '=', 'published')
    .orderBy('bookmarks.created_at', 'desc')
    .orderBy('bookmarks.article_id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countBookmarks(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('bookmarks')
    .innerJoin('articles', 'articles.id', 'bookmarks.article_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bookmarks.user_id', '=', userId)
    .where('articles.status', '=', 'published')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function isPublishedArticle(db: Executor, articleId: string): Promise<boolean> {
  return !!(await db.selectFrom('articles').select('id').where('id', '=', articleId).where('status', '=', 'published').executeTakeFirst());
}

export async function allBookmarksOf(db: Executor, userId: string) {
  return db
    .selectFrom('bookmarks')
    .innerJoin('articles', 'articles.id', 'bookmarks.article_id')
    .select(['articles.slug', 'articles.title', 'bookmarks.created_at'])
    .where('bookmarks.user_id', '=', userId)
    .orderBy('bookmarks.created_at', 'desc')
    .execute();
}
