// The newsroom's search (the words anywhere in an article's headline, dek or
// body, as a case-insensitive substring) from an index instead of a read of
// every article: a word in no article read all 100,000 of them.
//
// PostgreSQL: pg_trgm GIN indexes on lower(title), lower(dek) and
// lower(body_html), the expressions the desk's `lower(x) like '%…%'` compares,
// so the query is unchanged and its answers too. Creating the extension needs
// the right to (a superuser, or a trusted-extension owner): without it the
// migration says so in a NOTICE-level log line and carries on, and the search
// keeps working, unindexed.
//
// SQLite: a contentless FTS5 table with the trigram tokenizer (SQLite 3.34+;
// contentless_delete needs 3.43+), row for row with `desk_fts_keys`, whose
// INTEGER PRIMARY KEY keeps each article's number through a VACUUM (the
// articles' own rowids may change then). Triggers on `articles` keep both in
// step, so every path that writes an article (drafts, saves, imports, a bundle
// import, deletes) does without knowing of it. Filled here from the articles
// already there.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

const TRGM_COLUMNS = ['title', 'dek', 'body_html'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const schema = await trigramSchema(db);
    if (!schema) return;
    for (const column of TRGM_COLUMNS) {
      await sql`create index ${sql.raw(`articles_${column}_trgm`)} on articles
        using gin (lower(${sql.ref(column)}) ${sql.raw(`${quoteIdent(schema)}.gin_trgm_ops`)})`.execute(db);
    }
    return;
  }
  await sql`create table desk_fts_keys (key integer primary key, article_id text not null unique references articles (id) on delete cascade)`.execute(
    db,
  );
  await sql`create virtual table desk_fts using fts5(title, dek, body_html, content = '', contentless_delete = 1, tokenize = 'trigram')`.execute(
    db,
  );
  await sql`insert into desk_fts_keys (article_id) select id from articles order by id`.execute(db);
  await sql`insert into desk_fts (rowid, title, dek, body_html)
    select k.key, a.title, a.dek, a.body_html from desk_fts_keys k join articles a on a.id = k.article_id`.execute(db);
  await sql`create trigger desk_fts_insert after insert on articles begin
      insert into desk_fts_keys (article_id) values (new.id);
      insert into desk_fts (rowid, title, dek, body_html)
        values ((select key from desk_fts_keys where article_id = new.id), new.title, new.dek, new.body_html);
    end`.execute(db);
  await sql`create trigger desk_fts_update after update of title, dek, body_html on articles
    when old.title is not new.title or old.dek is not new.dek or old.body_html is not new.body_html begin
      delete from desk_fts where rowid = (select key from desk_fts_keys where article_id = old.id);
      insert into desk_fts (rowid, title, dek, body_html)
        values ((select key from desk_fts_keys where article_id = new.id), new.title, new.dek, new.body_html);
    end`.execute(db);
  await sql`create trigger desk_fts_delete before delete on articles begin
      delete from desk_fts where rowid = (select key from desk_fts_keys where article_id = old.id);
      delete from desk_fts_keys where article_id = old.id;
    end`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const column of TRGM_COLUMNS) await sql`drop index if exists ${sql.raw(`articles_${column}_trgm`)}`.execute(db);
    return;
  }
  for (const name of ['insert', 'update', 'delete']) await sql`drop trigger if exists ${sql.raw(`desk_fts_${name}`)}`.execute(db);
  await sql`drop table if exists desk_fts`.execute(db);
  await sql`drop table if exists desk_fts_keys`.execute(db);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The schema pg_trgm lives in, created in `public` when it is not there yet (the
 * extension is the database's, not one schema's: a schema dropped later must not
 * take it along). Null when it cannot be created, said in a notice.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function trigramSchema(db: Kysely<any>): Promise<string | null> {
  const installed = async () =>
    (
      await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(
        db,
      )
    ).rows[0]?.schema ?? null;
  const found = await installed();
  if (found) return found.replace(/^"|"$/g, '');
  // A savepoint, so that a refused CREATE EXTENSION leaves the migration's transaction usable.
  const inTransaction = db.isTransaction;
  if (inTransaction) await sql`savepoint desk_search_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    if (inTransaction) await sql`release savepoint desk_search_trgm`.execute(db);
  } catch (error) {
    if (inTransaction) await sql`rollback to savepoint desk_search_trgm`.execute(db);
    // Another server migrating at the same moment may have created it.
    const now = await installed();
    if (now) return now.replace(/^"|"$/g, '');
    console.warn(
      `NOTICE: the pg_trgm extension could not be created (${error instanceof Error ? error.message : String(error)}). ` +
        'The newsroom search keeps working, without an index (it reads every article for a word in none). ' +
        'To index it, have a superuser run CREATE EXTENSION pg_trgm and create the three indexes of this migration ' +
        '(src/db/migrations/2026-11-30-10-desk-search.ts) by hand.',
    );
    return null;
  }
  return 'public';
}
