// The search index by date, newest first: a very common word matches a third of
// the archive, and PostgreSQL then ranks only its newest matches — found by
// walking this index (stopping after enough matches) rather than by reading every
// match and sorting them. SQLite's FTS table holds the date itself and has no use
// for it.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as below
const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create index search_documents_newest on search_documents (published_at desc nulls last)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await db.schema.dropIndex('search_documents_newest').execute();
}
