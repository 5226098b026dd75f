// "Related" on an article page at 100,000 articles. It ranks the recent articles
// that share a tag with the one shown; a busy tag is on thousands of articles, and
// finding which of them are recent meant reading every one. `article_tags` gains
// the article's publication time (null unless it is published), kept by triggers
// on `articles` (a change of status or date) and on `article_tags` (a tag added),
// so every path that publishes, unpublishes, re-dates or tags an article (the
// newsroom, scheduled publishing, imports, a bundle) keeps it right without
// knowing of it. A tag's recent articles are then a short range of one index.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const t = columnTypes(db);
  await db.schema.alterTable('article_tags').addColumn('article_published_at', t.timestamp).execute();
  await sql`update article_tags set article_published_at = (
      select case when a.status = 'published' then a.published_at end from articles a where a.id = article_tags.article_id)`.execute(db);
  await db.schema
    .createIndex('article_tags_tag_published')
    .on('article_tags')
    .columns(['tag_id', 'article_published_at', 'article_id'])
    .execute();
  if (pg) {
    await sql`create function article_tags_published_of_article() returns trigger language plpgsql as $$
      begin
        update article_tags set article_published_at = case when new.status = 'published' then new.published_at end
          where article_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger article_tags_published_of_article after update of status, published_at on articles
      for each row when (old.status is distinct from new.status or old.published_at is distinct from new.published_at)
      execute function article_tags_published_of_article()`.execute(db);
    await sql`create function article_tags_published_of_tag() returns trigger language plpgsql as $$
      begin
        new.article_published_at := (select case when a.status = 'published' then a.published_at end
          from articles a where a.id = new.article_id);
        return new;
      end $$`.execute(db);
    await sql`create trigger article_tags_published_of_tag before insert or update of article_id on article_tags
      for each row execute function article_tags_published_of_tag()`.execute(db);
    return;
  }
  await sql`create trigger article_tags_published_of_article after update of status, published_at on articles
    when old.status is not new.status or old.published_at is not new.published_at begin
      update article_tags set article_published_at = case when new.status = 'published' then new.published_at end
        where article_id = new.id;
    end`.execute(db);
  await sql`create trigger article_tags_published_of_tag after insert on article_tags begin
      update article_tags set article_published_at = (
          select case when a.status = 'published' then a.published_at end from articles a where a.id = new.article_id)
        where article_id = new.article_id and tag_id = new.tag_id;
    end`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop trigger article_tags_published_of_article on articles`.execute(db);
    await sql`drop function article_tags_published_of_article()`.execute(db);
    await sql`drop trigger article_tags_published_of_tag on article_tags`.execute(db);
    await sql`drop function article_tags_published_of_tag()`.execute(db);
  } else {
    await sql`drop trigger article_tags_published_of_article`.execute(db);
    await sql`drop trigger article_tags_published_of_tag`.execute(db);
  }
  await db.schema.dropIndex('article_tags_tag_published').execute();
  await db.schema.alterTable('article_tags').dropColumn('article_published_at').execute();
}
