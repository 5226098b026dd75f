// Indexes that keep every article list as fast on its last page as on its first
// at 100,000 articles. Each list's order (published_at desc, id desc) ends every
// index, so a page is read by walking the index and its count is counted there,
// without reading an article's row (whose body makes a row long). The join tables
// gain their article id beside the person or tag, so a tag's or a person's
// articles are found in the index alone; the older, shorter indexes they extend
// are dropped. The same for a newsletter's subscribers filtered by state.
import type { Kysely } from 'kysely';

const replaced = [
  { old: 'articles_published', name: 'articles_published_order', table: 'articles', columns: ['status', 'published_at', 'id'] },
  { old: 'articles_section', name: 'articles_section_order', table: 'articles', columns: ['section_id', 'status', 'published_at', 'id'] },
  {
    old: 'articles_newsroom',
    name: 'articles_newsroom_order',
    table: 'articles',
    columns: ['newsroom_id', 'status', 'published_at', 'id'],
  },
  { old: 'article_authors_person', name: 'article_authors_person_article', table: 'article_authors', columns: ['person_id', 'article_id'] },
  { old: 'article_editors_person', name: 'article_editors_person_article', table: 'article_editors', columns: ['person_id', 'article_id'] },
  { old: 'article_tags_tag', name: 'article_tags_tag_article', table: 'article_tags', columns: ['tag_id', 'article_id'] },
  // A newsletter's subscribers in one state, in the list's order (by address).
  {
    old: 'subscriptions_newsletter_status',
    name: 'subscriptions_newsletter_status_email',
    table: 'subscriptions',
    columns: ['newsletter_id', 'status', 'email'],
  },
] as const;

/**
 * An article's id with what a list filters and sorts on: joined from a tag or a
 * person, its row is never read. And the newsroom's list, last changed first
 * (all articles, or those in one state), read in index order instead of sorted.
 */
const added = [
  { name: 'articles_id_listing', table: 'articles', columns: ['id', 'status', 'published_at'] },
  { name: 'articles_desk_order', table: 'articles', columns: ['updated_at', 'id'] },
  { name: 'articles_desk_status_order', table: 'articles', columns: ['status', 'updated_at', 'id'] },
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const index of replaced) {
    await db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .execute();
    await db.schema.dropIndex(index.old).execute();
  }
  for (const index of added)
    await db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of added) await db.schema.dropIndex(index.name).execute();
  for (const index of replaced) {
    await db.schema
      .createIndex(index.old)
      .on(index.table)
      .columns([...index.columns.slice(0, -1)])
      .execute();
    await db.schema.dropIndex(index.name).execute();
  }
}
