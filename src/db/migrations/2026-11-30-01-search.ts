// Site search. `search_documents` holds one row per published article or
// person, with its text split by field; an article's text behind the wall
// (gated_body) is kept apart from its public part so a visitor's search never
// matches it. SQLite searches an FTS5 table beside it, row for row (its rowid is
// the document's; diacritics removed by the tokenizer, prefix indexes for "word*"); PostgreSQL two weighted tsvectors,
// public and full, each with a GIN index. Text is folded (accents removed) in
// code before it reaches a tsvector, so no extension is needed.
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // SQLite: an INTEGER PRIMARY KEY is the rowid, which VACUUM then keeps, so the FTS rows stay matched.
  let table = pg
    ? db.schema.createTable('search_documents').addColumn('id', 'text', (c) => c.primaryKey())
    : db.schema
        .createTable('search_documents')
        .addColumn('key', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique());
  table = table
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('dek', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('people', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('section', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('public_body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('gated_body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('section_slug', 'text')
    .addColumn('author_slugs', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('year', 'integer')
    .addColumn('published_at', t.timestamp);
  if (pg) {
    const tsvector = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(sql`''::tsvector`);
    table = table.addColumn('public_tsv', sql`tsvector`, tsvector).addColumn('full_tsv', sql`tsvector`, tsvector);
  }
  await table.execute();
  await db.schema.createIndex('search_documents_kind_published').on('search_documents').columns(['kind', 'published_at']).execute();
  await db.schema.createIndex('search_documents_year').on('search_documents').column('year').execute();
  if (pg) {
    await sql`create index search_documents_public_tsv on search_documents using gin (public_tsv)`.execute(db);
    await sql`create index search_documents_full_tsv on search_documents using gin (full_tsv)`.execute(db);
  } else {
    await sql`create virtual table search_fts using fts5(
      title, dek, people, tags, section, public_body, gated_body, published_at unindexed,
      tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
    )`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await sql`drop table if exists search_fts`.execute(db);
  await db.schema.dropTable('search_documents').execute();
}
