import type { Kysely, Transaction } from 'kysely';
import type { ArticleRow, Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface ArticleFilter {
  sectionId?: string;
  newsroomId?: string;
  tagId?: string;
  /** Articles this person wrote. */
  authorId?: string;
  /** Articles this person edited. */
  editorId?: string;
  excludeId?: string;
}

export type TeaserRow = Pick<
  ArticleRow,
  'id' | 'slug' | 'title' | 'dek' | 'byline_phrase' | 'published_at' | 'hero_media_id' | 'hero_alt' | 'section_id' | 'access'
>;

function published(db: Executor, filter: ArticleFilter) {
  let q = db.selectFrom('articles').where('articles.status', '=', 'published');
  if (filter.sectionId) q = q.where('articles.section_id', '=', filter.sectionId);
  if (filter.newsroomId) q = q.where('articles.newsroom_id', '=', filter.newsroomId);
  if (filter.excludeId) q = q.where('articles.id', '!=', filter.excludeId);
  if (filter.tagId) {
    const tagId = filter.tagId;
    q = q.where('articles.id', 'in', db.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
  }
  if (filter.authorId) {
    const personId = filter.authorId;
    q = q.where('articles.id', 'in', db.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  if (filter.editorId) {
    const personId = filter.editorId;
    q = q.where('articles.id', 'in', db.selectFrom('article_editors').select('article_id').where('person_id', '=', personId));
  }
  return q;
}

export async function listPublished(db: Executor, filter: ArticleFilter, limit: number, offset: number): Promise<TeaserRow[]> {
  return published(db, filter)
    .select([
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
    ])
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function listPublishedByIds(db: Executor, ids: string[]): Promise<TeaserRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'dek', 'byline_phrase', 'published_at', 'hero_media_id', 'hero_alt', 'section_id', 'access'])
    .where('status', '=', 'published')
    .where('id', 'in', ids)
    .execute();
}

export async function countPublished(db: Executor, filter: ArticleFilter): Promise<number> {
  const row = await published(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPublishedBySlug(db: Executor, slug: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('slug', '=', slug).where('status', '=', 'published').executeTakeFirst();
}

export async function findArticleById(db: Executor, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPublishedById(db: Executor, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).where('status', '=', 'published').executeTakeFirst();
}

export async function findAuthors(db: Executor, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_authors')
    .select(['article_id', 'person_id', 'position', 'age_at_publication'])
    .where('article_id', 'in', articleIds)
    .orderBy('position', 'asc')
    .execute();
}

export async function findEditors(db: Executor, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_editors')
    .select(['article_id', 'person_id', 'position'])
    .where('article_id', 'in', articleIds)
    .orderBy('position', 'asc')
    .execute();
}

export async function findTags(db: Executor, articleIds: string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', articleIds)
    .orderBy('article_tags.position', 'asc')
    .execute();
}

/** Names of the people in bylines, for lists (no other personal field). */
export async function findBylineNames(db: Executor, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db.selectFrom('people').select(['id', 'slug', 'name']).where('id', 'in', personIds).execute();
}

export async function listSections(db: Executor) {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description']).orderBy('position', 'asc').orderBy('name', 'asc').execute();
}

export async function findSectionBySlug(db: Executor, slug: string) {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description']).where('slug', '=', slug).executeTakeFirst();
}

export async function findTagBySlug(db: Executor, slug: string) {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

export async function findNewsroomNames(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('newsrooms').select(['id', 'slug', 'name']).where('id', 'in', ids).execute();
}
