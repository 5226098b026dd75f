// The surrogate keys (web/surrogate-keys.ts) a change to an article affects: its
// own page and the pages listing it carry `a:<id>`; the listings it belongs to
// (its section, tags, authors, editors, newsroom) carry theirs, so that a
// publication drops the lists it joins and an edit that moves it drops the lists
// it leaves and joins.
import type { ArticlesDb } from './drafts.js';
import { articleKey, FEEDS, HOME, newsroomKey, personKey, SEARCH, sectionKey, SITEMAPS, tagKey } from '../../web/surrogate-keys.js';

/** The keys of the lists an article belongs to as it is stored now (without its own key). */
export async function listingKeysOf(db: ArticlesDb, articleId: string): Promise<string[]> {
  const [article, tags, authors, editors] = await Promise.all([
    db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['sections.slug as sectionSlug', 'articles.newsroom_id'])
      .where('articles.id', '=', articleId)
      .executeTakeFirst(),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.slug')
      .where('article_tags.article_id', '=', articleId)
      .execute(),
    db.selectFrom('article_authors').select('person_id').where('article_id', '=', articleId).execute(),
    db.selectFrom('article_editors').select('person_id').where('article_id', '=', articleId).execute(),
  ]);
  if (!article) return [];
  return [
    sectionKey(article.sectionSlug),
    ...(article.newsroom_id ? [newsroomKey(article.newsroom_id)] : []),
    ...tags.map((t) => tagKey(t.slug)),
    ...authors.map((a) => personKey(a.person_id)),
    ...editors.map((e) => personKey(e.person_id)),
  ];
}

/** A publication or an unpublication: the article and every list it is (or was) on, the home page, feeds, sitemaps and search. */
export function publicationKeys(articleId: string, listings: readonly string[]): string[] {
  return [articleKey(articleId), HOME, FEEDS, SITEMAPS, SEARCH, ...listings];
}

/**
 * An edit of a published article: the pages showing it (they all carry its key),
 * feeds, sitemaps and search, and the lists it left or joined.
 */
export function editKeys(articleId: string, before: readonly string[], after: readonly string[]): string[] {
  const was = new Set(before);
  const is = new Set(after);
  const moved = [...before.filter((k) => !is.has(k)), ...after.filter((k) => !was.has(k))];
  return [articleKey(articleId), FEEDS, SITEMAPS, SEARCH, ...moved];
}
