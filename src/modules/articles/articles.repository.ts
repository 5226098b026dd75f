import type { ArticleRow } from '../../db/schema.js';
import type { ArticlesDb } from './drafts.js';

export interface ArticleFilter {
  sectionId?: string;
  newsroomId?: string;
  tagId?: string;
  /** Articles this person wrote. */
  authorId?: string;
  /** Articles this person edited. */
  editorId?: string;
  /** Articles left out (the one being read, those already listed beside it). */
  excludeIds?: readonly string[];
}

export type TeaserRow = Pick<
  ArticleRow,
  'id' | 'slug' | 'title' | 'dek' | 'byline_phrase' | 'published_at' | 'hero_media_id' | 'hero_alt' | 'section_id' | 'access'
>;

/**
 * The published articles a filter names. A tag's or a person's list starts from its
 * join table (tag or person first in its index, then the article id), so only that
 * list's articles are looked at, through the articles' (id, status, published_at)
 * index, never their rows; any other join-table filter narrows it with `in`. From
 * `'order'`, the articles are walked newest first and each is looked up in the join table.
 */
function published(db: ArticlesDb, filter: ArticleFilter, from: 'list' | 'order' = 'list') {
  let q = db.selectFrom('articles');
  const joined = filter.tagId ? 'article_tags' : filter.authorId ? 'article_authors' : filter.editorId ? 'article_editors' : null;
  // From the order: SQLite takes a cross join's left table as the outer loop, so the articles are walked in their
  // order index and each is looked up in the join table's key (PostgreSQL plans a cross join as any other).
  const walk = from === 'order';
  if (filter.tagId) {
    const listed = walk
      ? q.crossJoin('article_tags as listed').whereRef('listed.article_id', '=', 'articles.id')
      : q.innerJoin('article_tags as listed', 'listed.article_id', 'articles.id');
    q = listed.where('listed.tag_id', '=', filter.tagId);
  } else if (filter.authorId) {
    const listed = walk
      ? q.crossJoin('article_authors as listed').whereRef('listed.article_id', '=', 'articles.id')
      : q.innerJoin('article_authors as listed', 'listed.article_id', 'articles.id');
    q = listed.where('listed.person_id', '=', filter.authorId);
  } else if (filter.editorId) {
    const listed = walk
      ? q.crossJoin('article_editors as listed').whereRef('listed.article_id', '=', 'articles.id')
      : q.innerJoin('article_editors as listed', 'listed.article_id', 'articles.id');
    q = listed.where('listed.person_id', '=', filter.editorId);
  }
  q = q.where('articles.status', '=', 'published');
  if (filter.sectionId) q = q.where('articles.section_id', '=', filter.sectionId);
  if (filter.newsroomId) q = q.where('articles.newsroom_id', '=', filter.newsroomId);
  if (filter.excludeIds?.length) q = q.where('articles.id', 'not in', [...filter.excludeIds]);
  if (filter.tagId && joined !== 'article_tags') {
    const tagId = filter.tagId;
    q = q.where('articles.id', 'in', db.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
  }
  if (filter.authorId && joined !== 'article_authors') {
    const personId = filter.authorId;
    q = q.where('articles.id', 'in', db.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  if (filter.editorId && joined !== 'article_editors') {
    const personId = filter.editorId;
    q = q.where('articles.id', 'in', db.selectFrom('article_editors').select('article_id').where('person_id', '=', personId));
  }
  return q;
}

const teaserColumns = [
  'articles.id',
  'articles.slug',
  'articles.title',
  'articles.dek',
  'articles.byline_phrase',
  'articles.published_at',
  'articles.hero_media_id',
  'articles.hero_alt',
  'articles.section_id',
  'articles.access',
] as const;

/** How long a list is, and how many articles are published: what decides how a page of it is found. */
export interface ListSizes {
  /** The list's length (without `excludeIds`). */
  total: number;
  published: number;
}

/**
 * The ids of one page of a list, newest first, read from the indexes alone. With
 * the list's sizes, a page in the list's older half is read from the oldest end
 * (the last page skips nothing), and a list that holds a large share of the
 * articles (a busy tag, a prolific writer) walks the articles' order index and
 * stops at the page, instead of reading and sorting every article of the list.
 */
function pageOf(db: ArticlesDb, filter: ArticleFilter, limit: number, offset: number, sizes?: ListSizes) {
  let take = limit;
  let skip = offset;
  let reversed = false;
  if (sizes && !filter.excludeIds?.length) {
    if (offset >= sizes.total) return null;
    const fromEnd = Math.max(0, sizes.total - offset - limit);
    if (fromEnd < offset) {
      reversed = true;
      take = Math.min(limit, sizes.total - offset);
      skip = fromEnd;
    }
  }
  const joined = Boolean(filter.tagId ?? filter.authorId ?? filter.editorId);
  // Walking the order finds the page after about (skip + take) × published / total articles; from the join table, after all `total`.
  const walk = joined && sizes !== undefined && sizes.total > 0 && (skip + take) * sizes.published < sizes.total * sizes.total;
  const direction = reversed ? 'asc' : 'desc';
  const ids = published(db, filter, walk ? 'order' : 'list')
    .select('articles.id')
    .orderBy('articles.published_at', direction)
    .orderBy('articles.id', direction)
    .limit(take)
    .offset(skip);
  return { ids, direction, reversed } as const;
}

/** Teaser rows of the newest published article of each of these sections (none for a section without one), in one query. */
export async function listNewestOfSections(db: ArticlesDb, sectionIds: string[]): Promise<TeaserRow[]> {
  if (sectionIds.length === 0) return [];
  // Each section's newest id from its order index; wrapped, as SQLite takes no LIMIT on a compound select's member.
  const newestOf = (sectionId: string, i: number) =>
    db
      .selectFrom(
        db
          .selectFrom('articles')
          .select('articles.id')
          .where('articles.section_id', '=', sectionId)
          .where('articles.status', '=', 'published')
          .orderBy('articles.published_at', 'desc')
          .orderBy('articles.id', 'desc')
          .limit(1)
          .as(`s${i}`),
      )
      .select(`s${i}.id as id`);
  const [first, ...rest] = sectionIds.map(newestOf);
  const ids = rest.reduce((all, q) => all.unionAll(q), first!);
  return db.selectFrom('articles').select(teaserColumns).where('articles.id', 'in', ids).execute();
}

/**
 * One page of a list, newest first, in one query: the page's ids are found from
 * the indexes alone (see `pageOf`), and only those articles' rows are read.
 */
export async function listPublished(
  db: ArticlesDb,
  filter: ArticleFilter,
  limit: number,
  offset: number,
  sizes?: ListSizes,
): Promise<TeaserRow[]> {
  const page = pageOf(db, filter, limit, offset, sizes);
  if (!page) return [];
  const rows = await db
    .selectFrom('articles')
    .select(teaserColumns)
    .where('articles.id', 'in', page.ids)
    .orderBy('articles.published_at', page.direction)
    .orderBy('articles.id', page.direction)
    .execute();
  return page.reversed ? rows.reverse() : rows;
}

/**
 * How far back "Related" looks: among the newest this many published articles, so
 * that finding an article's relatives costs the same in an archive of any size.
 */
const RELATED_WINDOW = 1000;

/**
 * When "Related"'s window starts: the publication time of the newest article past
 * the window (read from the order index alone), or null while the whole archive fits in it.
 */
export async function relatedWindowStart(db: ArticlesDb): Promise<string | null> {
  const row = await db
    .selectFrom('articles')
    .select('published_at')
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .offset(RELATED_WINDOW)
    .limit(1)
    .executeTakeFirst();
  return row?.published_at ?? null;
}

/**
 * Recent published articles (published at `since` or later; all of them when it is
 * null) that share tags with this one: most tags in common first, then those in its
 * section, then the newest. Articles with no tag in common are not here. Each tag's
 * recent articles are one range of the join table's (tag, publication time) index,
 * so a tag on thousands of articles costs no more than a rare one.
 */
export async function listSharingTags(
  db: ArticlesDb,
  article: { id: string; sectionId: string },
  since: string | null,
  limit: number,
): Promise<TeaserRow[]> {
  const tagsOfArticle = db.selectFrom('article_tags as mine').select('mine.tag_id').where('mine.article_id', '=', article.id);
  const sharing = db
    .selectFrom('article_tags as theirs')
    .select(['theirs.article_id', (eb) => eb.fn.countAll<number>().as('shared')])
    .where('theirs.tag_id', 'in', tagsOfArticle)
    .where('theirs.article_published_at', since === null ? 'is not' : '>=', since)
    .where('theirs.article_id', '!=', article.id)
    .groupBy('theirs.article_id')
    .as('sharing');
  return db
    .selectFrom(sharing)
    .innerJoin('articles', 'articles.id', 'sharing.article_id')
    .select(teaserColumns)
    .orderBy('sharing.shared', 'desc')
    .orderBy((eb) => eb.case().when('articles.section_id', '=', article.sectionId).then(0).else(1).end())
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
}

export async function listPublishedByIds(db: ArticlesDb, ids: string[]): Promise<TeaserRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'dek', 'byline_phrase', 'published_at', 'hero_media_id', 'hero_alt', 'section_id', 'access'])
    .where('status', '=', 'published')
    .where('id', 'in', ids)
    .execute();
}

/** Which of these articles are published. */
export async function listPublishedIdsAmong(db: ArticlesDb, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('articles').select('id').where('status', '=', 'published').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Slug and headline of these articles, whatever their state (a reader's data export names what they kept). */
export async function listTitlesByIds(db: ArticlesDb, ids: string[]): Promise<{ id: string; slug: string; title: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('articles').select(['id', 'slug', 'title']).where('id', 'in', ids).execute();
}

export async function countPublished(db: ArticlesDb, filter: ArticleFilter): Promise<number> {
  const row = await published(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPublishedBySlug(db: ArticlesDb, slug: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('slug', '=', slug).where('status', '=', 'published').executeTakeFirst();
}

export async function findPublishedByIds(db: ArticlesDb, ids: string[]): Promise<ArticleRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('articles').selectAll().where('id', 'in', ids).where('status', '=', 'published').execute();
}

export async function findArticleById(db: ArticlesDb, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPublishedById(db: ArticlesDb, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).where('status', '=', 'published').executeTakeFirst();
}

export async function findAuthors(db: ArticlesDb, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_authors')
    .select(['article_id', 'person_id', 'position', 'age_at_publication'])
    .where('article_id', 'in', articleIds)
    .orderBy('position', 'asc')
    .execute();
}

export async function findEditors(db: ArticlesDb, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_editors')
    .select(['article_id', 'person_id', 'position'])
    .where('article_id', 'in', articleIds)
    .orderBy('position', 'asc')
    .execute();
}

export async function findTags(db: ArticlesDb, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', articleIds)
    .orderBy('article_tags.position', 'asc')
    .execute();
}

export async function listSections(db: ArticlesDb) {
  return db
    .selectFrom('sections')
    .select(['id', 'slug', 'name', 'description'])
    .orderBy('position', 'asc')
    .orderBy('name', 'asc')
    .execute();
}

export async function findSectionBySlug(db: ArticlesDb, slug: string) {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description']).where('slug', '=', slug).executeTakeFirst();
}

export async function findTagBySlug(db: ArticlesDb, slug: string) {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}
