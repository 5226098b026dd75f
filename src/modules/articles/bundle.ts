// The articles module's part of a bundle (`harbinger export`): sections, tags,
// articles with their authors, editors, tags and every saved revision.
import type { ScopedDb } from '../../db/scoped.js';
import type { BundlePart } from '../../db/bundle-tables.js';

export const articlesBundle: BundlePart = {
  module: 'articles',
  tables: [
    { table: 'sections', key: ['id'] },
    { table: 'tags', key: ['id'] },
    { table: 'articles', key: ['id'] },
    { table: 'article_authors', key: ['article_id', 'person_id'] },
    { table: 'article_editors', key: ['article_id', 'person_id'] },
    { table: 'article_tags', key: ['article_id', 'tag_id'] },
    { table: 'article_revisions', key: ['id'] },
  ],
};

/** Articles waiting for their publishing time: an import gives each its publish job back. */
export async function scheduledArticles(db: ScopedDb<'articles'>): Promise<{ id: string; scheduledAt: string }[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'scheduled_at'])
    .where('status', '=', 'scheduled')
    .where('scheduled_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, scheduledAt: row.scheduled_at! }));
}
