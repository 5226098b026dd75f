// The article store the newsroom and the prize write through: drafts created
// one way (by a writer, or for a prize winner), saves guarded by the version,
// authors, editors, tags and revisions. The articles module owns these tables;
// other modules call these functions with their own transaction.
import { PostgresAdapter, sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import { containsInsensitive } from '../../db/database.js';
import { escapeHtml } from '../../lib/rich-text.js';
import type { ScopedDb } from '../../db/scoped.js';
import type { ArticleStatus, Database } from '../../db/schema.js';

/** What the articles module's own queries may touch. */
export type ArticlesDb = ScopedDb<
  'sections' | 'tags' | 'articles' | 'article_authors' | 'article_editors' | 'article_tags' | 'article_revisions'
>;

export interface NewDraft {
  article: Insertable<Database['articles']> & { id: string };
  authorIds: string[];
  /** The first revision, version 1. */
  revision: Insertable<Database['article_revisions']>;
}

/** Inserts a draft with its authors and its first revision, inside the caller's transaction. */
export async function createDraft(trx: ArticlesDb, draft: NewDraft): Promise<void> {
  await trx.insertInto('articles').values(draft.article).execute();
  await replaceAuthors(trx, draft.article.id, draft.authorIds);
  await trx.insertInto('article_revisions').values(draft.revision).execute();
}

/**
 * Writes changes to an article; with `expectedVersion`, only if nobody saved since
 * (and `status`, only if it is still in that state). Whether a row was written.
 */
export async function updateArticle(
  db: ArticlesDb,
  id: string,
  changes: Updateable<Database['articles']>,
  only: { expectedVersion?: number; status?: ArticleStatus } = {},
): Promise<boolean> {
  let query = db.updateTable('articles').set(changes).where('id', '=', id);
  if (only.expectedVersion !== undefined) query = query.where('version', '=', only.expectedVersion);
  if (only.status !== undefined) query = query.where('status', '=', only.status);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Told, inside the writer's transaction, that an article's text, credits or state may have changed. */
export type ArticleChangedListener = (trx: Kysely<Database>, articleId: string) => Promise<void>;

const articleListeners = new Set<ArticleChangedListener>();

/**
 * Subscribes to article changes (the search index keeps in step this way, without
 * this module knowing it). Returns the function that unsubscribes.
 */
export function onArticleChanged(listener: ArticleChangedListener): () => void {
  articleListeners.add(listener);
  return () => articleListeners.delete(listener);
}

/** Tells the subscribers that an article changed; the writer calls it last in its transaction. */
export async function articleChanged(trx: Kysely<Database>, articleId: string): Promise<void> {
  for (const listener of articleListeners) await listener(trx, articleId);
}

/** The first section in the site's order (where a prize winner's draft starts when its category names none). */
export async function firstSectionId(db: ArticlesDb): Promise<string | undefined> {
  return (await db.selectFrom('sections').select('id').orderBy('position').limit(1).executeTakeFirst())?.id;
}

export async function sectionExists(db: ArticlesDb, id: string): Promise<boolean> {
  return (await db.selectFrom('sections').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function listSections(db: ArticlesDb): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('sections').select(['id', 'name']).orderBy('position').execute();
}

export async function findArticle(db: ArticlesDb, id: string) {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function authorIdsOf(db: ArticlesDb, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('article_authors').select('person_id').where('article_id', '=', articleId).orderBy('position').execute();
  return rows.map((r) => r.person_id);
}

export async function editorIdsOf(db: ArticlesDb, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('article_editors').select('person_id').where('article_id', '=', articleId).orderBy('position').execute();
  return rows.map((r) => r.person_id);
}

export async function tagNamesOf(db: ArticlesDb, articleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.name')
    .where('article_tags.article_id', '=', articleId)
    .orderBy('article_tags.position')
    .execute();
  return rows.map((r) => r.name);
}

/** Replaces the authors; those who stay keep the age frozen on their byline. */
export async function replaceAuthors(db: ArticlesDb, articleId: string, personIds: string[]) {
  const frozen = new Map((await authorAgesOf(db, articleId)).map((a) => [a.person_id, a.age_at_publication]));
  await db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  for (const [position, person_id] of personIds.entries()) {
    await db
      .insertInto('article_authors')
      .values({ article_id: articleId, person_id, position, age_at_publication: frozen.get(person_id) ?? null })
      .execute();
  }
}

export async function authorAgesOf(db: ArticlesDb, articleId: string) {
  return db
    .selectFrom('article_authors')
    .select(['person_id', 'age_at_publication'])
    .where('article_id', '=', articleId)
    .orderBy('position')
    .execute();
}

export async function replaceEditors(db: ArticlesDb, articleId: string, personIds: string[]) {
  await db.deleteFrom('article_editors').where('article_id', '=', articleId).execute();
  for (const [position, person_id] of personIds.entries()) {
    await db.insertInto('article_editors').values({ article_id: articleId, person_id, position }).execute();
  }
}

export async function addEditor(db: ArticlesDb, articleId: string, personId: string) {
  const existing = await db.selectFrom('article_editors').select(['person_id', 'position']).where('article_id', '=', articleId).execute();
  if (existing.some((e) => e.person_id === personId)) return;
  await db.insertInto('article_editors').values({ article_id: articleId, person_id: personId, position: existing.length }).execute();
}

export async function replaceTags(db: ArticlesDb, articleId: string, tags: { id: string; slug: string; name: string }[]) {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  for (const [position, tag] of tags.entries()) {
    const existing = await db.selectFrom('tags').select('id').where('slug', '=', tag.slug).executeTakeFirst();
    const tagId = existing?.id ?? tag.id;
    if (!existing) await db.insertInto('tags').values(tag).execute();
    await db
      .insertInto('article_tags')
      .values({ article_id: articleId, tag_id: tagId, position })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * The published articles this person wrote whose byline has no frozen age yet
 * (the person had no birth date on file when they were published, as imported
 * authors do), with the moment each was first published.
 */
export async function publishedWithoutAgeOf(db: ArticlesDb, personId: string): Promise<{ articleId: string; publishedAt: string }[]> {
  const rows = await db
    .selectFrom('article_authors')
    .innerJoin('articles', 'articles.id', 'article_authors.article_id')
    .select(['articles.id as articleId', 'articles.published_at as publishedAt'])
    .where('article_authors.person_id', '=', personId)
    .where('article_authors.age_at_publication', 'is', null)
    .where('articles.status', '=', 'published')
    .where('articles.published_at', 'is not', null)
    .execute();
  return rows.map((r) => ({ articleId: r.articleId, publishedAt: r.publishedAt! }));
}

export async function setAgeAtPublication(db: ArticlesDb, articleId: string, personId: string, age: number | null) {
  await db
    .updateTable('article_authors')
    .set({ age_at_publication: age })
    .where('article_id', '=', articleId)
    .where('person_id', '=', personId)
    .execute();
}

export async function latestRevision(db: ArticlesDb, articleId: string) {
  return db
    .selectFrom('article_revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertRevision(db: ArticlesDb, row: Database['article_revisions']) {
  await db.insertInto('article_revisions').values(row).execute();
}

export async function updateRevision(db: ArticlesDb, id: string, changes: Partial<Database['article_revisions']>) {
  await db.updateTable('article_revisions').set(changes).where('id', '=', id).execute();
}

export async function revisionsOf(db: ArticlesDb, articleId: string) {
  return db
    .selectFrom('article_revisions')
    .select(['id', 'version', 'kind', 'author_name', 'title', 'created_at', 'updated_at'])
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findRevision(db: ArticlesDb, articleId: string, id: string) {
  return db.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).where('id', '=', id).executeTakeFirst();
}

export interface DeskFilter {
  statuses?: ArticleStatus[];
  sectionIds?: string[];
  authorId?: string;
  reviewableBy?: { sectionIds: string[]; all: boolean };
  visibleTo?: { personId: string; sectionIds: string[]; all: boolean };
  q?: string;
}

/** The desk's search: the words anywhere in the headline, the dek or the body (its HTML, so the words are looked for escaped). */
function deskSearch(text: string) {
  return sql<boolean>`(${containsInsensitive('articles.title', text)} or ${containsInsensitive('articles.dek', text)} or ${containsInsensitive('articles.body_html', escapeHtml(text))})`;
}

/** An FTS5 string: the text as one phrase, which the trigram tokenizer reads as a substring. */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * How many of the trigram index's answers are worth sorting: a word in fewer articles is
 * looked up there; one in more is found sooner by walking the desk's order, which stops at
 * the page's last match (a word in every article: the index's 100,000 answers took 8 s).
 */
const INDEXED_SEARCH_MOST = 1000;

/**
 * SQLite: the articles whose headline, dek or body holds the words, from the trigram index
 * `desk_fts` (migration 2026-11-30-10), when they are few. The index folds case as Unicode
 * does and LIKE only ASCII, so it finds every article LIKE finds and perhaps a few more:
 * deskSearch still decides. Null when the walk is the better way: words under three
 * characters (which a trigram index cannot look up), or in many articles.
 */
async function deskSearchCandidates(db: Kysely<Database>, text: string) {
  if ([...text].length < 3) return null;
  const escaped = escapeHtml(text);
  const match = escaped === text ? ftsPhrase(text) : `{title dek} : ${ftsPhrase(text)} OR body_html : ${ftsPhrase(escaped)}`;
  // The index answers in its own order and stops at the LIMIT: counting a common word's first answers is cheap.
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from (select rowid from desk_fts where desk_fts match ${match} limit ${INDEXED_SEARCH_MOST})`.execute(db);
  if (Number(rows[0]?.n) >= INDEXED_SEARCH_MOST) return null;
  return sql<boolean>`articles.id in (select k.article_id from desk_fts_keys k where k.key in (select rowid from desk_fts where desk_fts match ${match}))`;
}

/** Whether this PostgreSQL schema has the desk's trigram indexes (pg_trgm may not have been allowed): asked once per handle. */
const trigramIndexed = new WeakMap<object, Promise<boolean>>();
function hasTrigramIndexes(db: Kysely<Database>): Promise<boolean> {
  let known = trigramIndexed.get(db);
  if (!known) {
    known = sql<{ n: number }>`select (to_regclass('articles_body_html_trgm') is not null)::int as n`
      .execute(db)
      .then((r) => Number(r.rows[0]?.n) === 1)
      .catch(() => false);
    trigramIndexed.set(db, known);
  }
  return known;
}

/** More rows than any desk holds: a LIMIT that keeps PostgreSQL's planner from looking through the subquery it closes. */
const PLANNER_FENCE = 1_000_000_000;

/** The desk's query for a page of `limit` (+1, to tell whether there is more) from `offset`: listDesk runs it, tests EXPLAIN it. */
export async function deskQuery(db: ArticlesDb, filter: DeskFilter, limit: number, offset: number) {
  // (The handle is scoped to this module's tables; the executor beneath says which database it is.)
  const whole = db as unknown as Kysely<Database>;
  const pg = whole.getExecutor().adapter instanceof PostgresAdapter;
  // PostgreSQL without its trigram indexes (pg_trgm refused) cannot tell how many articles
  // hold the searched words, guesses very few, and so reads and sorts every match (3 s for
  // a common word at 100,000 articles). Walked in the desk's order inside a subquery its
  // planner does not look into, the search stops at the page's last match. With the indexes
  // (and their statistics) the planner chooses between that walk and the index itself.
  const fenced = Boolean(filter.q) && pg && !(await hasTrigramIndexes(whole));
  const plain = db.selectFrom('articles');
  // The subquery is every column of articles under the same name: the query reads it as the table.
  const from = fenced
    ? (db.selectFrom(
        db.selectFrom('articles').selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(PLANNER_FENCE).as('articles'),
      ) as unknown as typeof plain)
    : plain;
  let q = from
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.status',
      'articles.updated_at',
      'articles.published_at',
      'articles.scheduled_at',
      'sections.name as section_name',
    ]);
  if (filter.statuses?.length) q = q.where('articles.status', 'in', filter.statuses);
  if (filter.sectionIds?.length) q = q.where('articles.section_id', 'in', filter.sectionIds);
  if (filter.authorId) {
    const personId = filter.authorId;
    q = q.where('articles.id', 'in', db.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  if (filter.q) {
    const candidates = pg ? null : await deskSearchCandidates(whole, filter.q);
    if (candidates) q = q.where(candidates);
    q = q.where(deskSearch(filter.q));
  }
  if (filter.visibleTo && !filter.visibleTo.all) {
    const v = filter.visibleTo;
    q = q.where((eb) =>
      eb.or([
        ...(v.sectionIds.length ? [eb('articles.section_id', 'in', v.sectionIds)] : []),
        eb('articles.id', 'in', db.selectFrom('article_authors').select('article_id').where('person_id', '=', v.personId)),
        eb('articles.id', 'in', db.selectFrom('article_editors').select('article_id').where('person_id', '=', v.personId)),
      ]),
    );
  }
  return q
    .orderBy('articles.updated_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit + 1)
    .offset(offset);
}

export async function listDesk(db: ArticlesDb, filter: DeskFilter, limit: number, offset: number) {
  const rows = await (await deskQuery(db, filter, limit, offset)).execute();
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** The section with this slug, created at the end of the site's order when there is none (imports). */
export async function ensureSection(
  db: ArticlesDb,
  section: { id: string; slug: string; name: string; description?: string; now: string },
): Promise<{ id: string; slug: string; created: boolean }> {
  const existing = await db.selectFrom('sections').select(['id', 'slug']).where('slug', '=', section.slug).executeTakeFirst();
  if (existing) return { ...existing, created: false };
  const last = await db.selectFrom('sections').select('position').orderBy('position', 'desc').limit(1).executeTakeFirst();
  await db
    .insertInto('sections')
    .values({
      id: section.id,
      slug: section.slug,
      name: section.name,
      description: section.description ?? '',
      position: (last?.position ?? -1) + 1,
      created_at: section.now,
    })
    .execute();
  return { id: section.id, slug: section.slug, created: true };
}

/** The section's slug, if it still exists. */
export async function sectionSlugOf(db: ArticlesDb, id: string): Promise<string | undefined> {
  return (await db.selectFrom('sections').select('slug').where('id', '=', id).executeTakeFirst())?.slug;
}

/** The tag with this slug, created when there is none (imports). */
export async function ensureTag(db: ArticlesDb, tag: { id: string; slug: string; name: string }): Promise<{ id: string; slug: string }> {
  const existing = await db.selectFrom('tags').select(['id', 'slug']).where('slug', '=', tag.slug).executeTakeFirst();
  if (existing) return existing;
  await db.insertInto('tags').values(tag).execute();
  return { id: tag.id, slug: tag.slug };
}

/** `base`, or `base-2`, `base-3`... : the first slug no other article has (`exceptId` may keep its own). */
export async function uniqueArticleSlug(db: ArticlesDb, base: string, exceptId?: string): Promise<string> {
  let slug = base;
  for (let i = 2; ; i++) {
    const row = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!row || row.id === exceptId) return slug;
    slug = `${base.slice(0, 74)}-${i}`;
  }
}
