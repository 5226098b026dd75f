// The search index's queries. One table of documents on both databases; the
// words are found by SQLite's FTS5 table or PostgreSQL's tsvectors. Callers pass
// `db` or their transaction, so an article's entry changes with the article.
import { PostgresAdapter, sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SearchDocumentTable } from '../../db/schema.js';
import { foldText } from './query.js';

export type SearchDb = Kysely<Database>;
export type SearchDocument = Selectable<SearchDocumentTable>;

/** The FTS5 columns a visitor's search may match: everything but the text behind the wall. */
export const PUBLIC_COLUMNS = ['title', 'dek', 'people', 'tags', 'section', 'public_body'] as const;

const isPostgres = (db: SearchDb): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export async function removeDocument(db: SearchDb, id: string): Promise<void> {
  // SQLite: the FTS row shares the document's rowid, so it goes first, found by it.
  if (!isPostgres(db)) await sql`delete from search_fts where rowid = (select rowid from search_documents where id = ${id})`.execute(db);
  await db.deleteFrom('search_documents').where('id', '=', id).execute();
}

export async function removeAll(db: SearchDb, kind: SearchDocument['kind']): Promise<void> {
  if (!isPostgres(db)) {
    await sql`delete from search_fts where rowid in (select rowid from search_documents where kind = ${kind})`.execute(db);
  }
  await db.deleteFrom('search_documents').where('kind', '=', kind).execute();
}

/** Replaces a document's entry (text and words). */
export async function putDocument(db: SearchDb, doc: SearchDocument): Promise<void> {
  await removeDocument(db, doc.id);
  await db.insertInto('search_documents').values(doc).execute();
  if (isPostgres(db)) {
    const weighted = (text: string, weight: string) => sql`setweight(to_tsvector('simple', ${foldText(text)}), ${weight})`;
    const publicTsv = sql`${weighted(doc.title, 'A')} || ${weighted(doc.dek, 'B')}
      || ${weighted([doc.people, doc.tags, doc.section].join(' '), 'C')} || ${weighted(doc.public_body, 'D')}`;
    await sql`update search_documents set public_tsv = ${publicTsv}, full_tsv = ${publicTsv} || ${weighted(doc.gated_body, 'D')}
      where id = ${doc.id}`.execute(db);
    return;
  }
  await sql`insert into search_fts (rowid, title, dek, people, tags, section, public_body, gated_body, published_at)
    values ((select rowid from search_documents where id = ${doc.id}), ${doc.title}, ${doc.dek}, ${doc.people}, ${doc.tags}, ${doc.section}, ${doc.public_body}, ${doc.gated_body}, ${doc.published_at})`.execute(
    db,
  );
}

export interface IndexQuery {
  /** SQLite: the FTS5 expression (column filter included for visitors). */
  fts: string;
  /** PostgreSQL: the to_tsquery expression (every word quoted). */
  tsquery: string;
  /** Whether the text behind the wall may match. */
  fullText: boolean;
  section?: string;
  author?: string;
  year?: number;
  limit: number;
  offset: number;
}

/** bm25's weight for each FTS5 column: the headline most, then the dek, byline and tags, section, body. */
const WEIGHTS = sql.raw('10, 5, 3, 3, 2, 1, 1, 0');

const hasFilters = (q: IndexQuery): boolean => Boolean(q.section || q.author || q.year);

function filters(q: IndexQuery) {
  const parts = [sql`true`];
  if (q.section) parts.push(sql`d.section_slug = ${q.section}`);
  if (q.author) parts.push(sql`(' ' || d.author_slugs || ' ') like ${`% ${q.author} %`}`);
  if (q.year) parts.push(sql`d.year = ${q.year}`);
  return sql.join(parts, sql` and `);
}

/** Counting stops here: past it, the page says "more than" (a common word would otherwise count half the archive). */
export const COUNT_LIMIT = 1000;

/**
 * PostgreSQL ranks at most this many of a very common query's matches, the newest:
 * walking the date index until this many match costs a few milliseconds, where
 * reading every match (a third of the archive for a common word) costs a hundred.
 */
const RANKED_NEWEST = 1000;

/** One page of matching documents, best first (newer first among equals), and how many match, up to COUNT_LIMIT + 1. */
export async function searchIndex(db: SearchDb, q: IndexQuery): Promise<{ rows: SearchDocument[]; total: number }> {
  const where = filters(q);
  const columns = sql.raw(
    'd.id, d.kind, d.slug, d.title, d.dek, d.people, d.tags, d.section, d.public_body, d.gated_body, ' +
      'd.section_slug, d.author_slugs, d.year, d.published_at',
  );
  if (isPostgres(db)) {
    const tsv = sql.ref(q.fullText ? 'd.full_tsv' : 'd.public_tsv');
    const tsquery = sql`to_tsquery('simple', ${q.tsquery})`;
    const from = sql`search_documents d, (select ${tsquery} as query) q where ${tsv} @@ query and ${where}`;
    const count = await sql<{ n: string | number }>`select count(*) as n from (select 1 from ${from} limit ${COUNT_LIMIT + 1}) c`.execute(
      db,
    );
    const total = Number(count.rows[0]?.n ?? 0);
    // ts_rank reads every matching tsvector: past COUNT_LIMIT matches, only the newest RANKED_NEWEST are ranked.
    const matches =
      total > COUNT_LIMIT
        ? sql`(select d.* from ${from} order by d.published_at desc nulls last limit ${RANKED_NEWEST}) d, (select ${tsquery} as query) q`
        : sql`${from}`;
    const rows = await sql<SearchDocument>`select ${columns} from ${matches}
      order by ts_rank(${tsv}, query) desc, d.published_at desc nulls last, d.id limit ${q.limit} offset ${q.offset}`.execute(db);
    return { rows: rows.rows, total };
  }
  const from = sql`search_fts f join search_documents d on d.rowid = f.rowid where search_fts match ${q.fts} and ${where}`;
  // Without filters, FTS5 ranks on its own first (no join for every match; it holds the date that breaks ties),
  // then the page's rows are read.
  const ranked = hasFilters(q)
    ? sql`select ${columns}, bm25(search_fts, ${WEIGHTS}) as score from ${from}`
    : sql`select ${columns}, m.score from (select rowid as r, bm25(search_fts, ${WEIGHTS}) as score from search_fts
        where search_fts match ${q.fts} order by score, published_at desc limit ${q.offset + q.limit}) m join search_documents d on d.rowid = m.r`;
  const rows = await sql<SearchDocument>`select * from (${ranked}) order by score, published_at desc, id
    limit ${q.limit} offset ${q.offset}`.execute(db);
  const count = await sql<{ n: number }>`select count(*) as n from (select 1 from ${from} limit ${COUNT_LIMIT + 1}) c`.execute(db);
  return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}

/** The years the filter offers: from the earliest indexed article to the latest (two index look-ups, whatever the size). */
export async function yearRange(db: SearchDb): Promise<number[]> {
  // Two queries: SQLite reads one end of the index for a lone min() or max(), but scans for both together.
  const end = async (fn: 'min' | 'max') =>
    Number(
      (
        await db
          .selectFrom('search_documents')
          .select((eb) => eb.fn[fn]('year').as('year'))
          .executeTakeFirst()
      )?.year ?? 0,
    );
  const [first, last] = [await end('min'), await end('max')];
  if (!first || !last) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => last - i);
}
