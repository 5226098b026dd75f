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
 * index, never their rows; any other join-table filter narrows it with `in`.
 */
function published(db: ArticlesDb, filter: ArticleFilter) {
  let q = db.selectFrom('articles');
  const joined = filter.tagId ? 'article_tags' : filter.authorId ? 'article_authors' : filter.editorId ? 'article_editors' : null;
  if (filter.tagId) {
    q = q.innerJoin('article_tags as listed', 'listed.article_id', 'articles.id').where('listed.tag_id', '=', filter.tagId);
  } else if (filter.authorId) {
    q = q.innerJoin('article_authors as listed', 'listed.article_id', 'articles.id').where('listed.person_id', '=', filter.authorId);
  } else if (filter.editorId) {
    q = q.innerJoin('article_editors as listed', 'listed.article_id', 'articles.id').where('listed.person_id', '=', filter.editorId);
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

/**
 * One page of a list, newest first. The page's ids are found first, from the
 * indexes alone (a deep page skips index entries, not rows), then only those
 * articles' rows are read.
 */
/** The ids of one page of a list, newest first, read from the indexes alone. */
export async function listPublishedIds(db: ArticlesDb, filter: ArticleFilter, limit: number, offset: number): Promise<string[]> {
  const rows = await published(db, filter)
    .select('articles.id')
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => r.id);
}

/** Teaser rows of these published articles, in the order of `ids`. */
export async function listTeaserRows(db: ArticlesDb, ids: string[]): Promise<TeaserRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .select(teaserColumns)
    .where('articles.id', 'in', ids)
    .where('articles.status', '=', 'published')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * One page of a list, newest first. The page's ids are found first, from the
 * indexes alone (a deep page skips index entries, not rows), then only those
 * articles' rows are read.
 */
export async function listPublished(db: ArticlesDb, filter: ArticleFilter, limit: number, offset: number): Promise<TeaserRow[]> {
  return listTeaserRows(db, await listPublishedIds(db, filter, limit, offset));
}

/**
 * How far back "Related" looks: among the newest this many published articles, so
 * that finding an article's relatives costs the same in an archive of any size.
 */
const RELATED_WINDOW = 1000;

/**
 * Recent published articles that share tags with this one: most tags in common first,
 * then those in its section, then the newest. Articles with no tag in common are not here.
 */
export async function listSharingTags(db: ArticlesDb, article: { id: string; sectionId: string }, limit: number): Promise<TeaserRow[]> {
  const tagsOfArticle = db.selectFrom('article_tags as mine').select('mine.tag_id').where('mine.article_id', '=', article.id);
  const recent = db
    .selectFrom('articles')
    .select(teaserColumns)
    .select((eb) =>
      eb
        .selectFrom('article_tags as theirs')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('theirs.article_id', '=', 'articles.id')
        .where('theirs.tag_id', 'in', tagsOfArticle)
        .as('shared'),
    )
    .where('articles.status', '=', 'published')
    .where('articles.id', '!=', article.id)
    .orderBy('articles.published_at', 'desc')
    .limit(RELATED_WINDOW)
    .as('recent');
  return db
    .selectFrom(recent)
    .selectAll('recent')
    .where('recent.shared', '>', 0)
    .orderBy('recent.shared', 'desc')
    .orderBy((eb) => eb.case().when('recent.section_id', '=', article.sectionId).then(0).else(1).end())
    .orderBy('recent.published_at', 'desc')
    .orderBy('recent.id', 'desc')
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
