// What the sitemaps list of this module's pages: published articles year by year
// (with their hero pictures' ids), the last days' articles for news indexes, and
// the sections and tags with the time their newest article last changed. Only
// published articles leave these queries; drafts and unpublished pieces never do.
import type { ArticlesDb } from './drafts.js';

export interface SitemapArticle {
  slug: string;
  title: string;
  publishedAt: string;
  updatedAt: string;
  heroMediaId: string | null;
  heroAlt: string;
}

export interface ArticleYear {
  year: number;
  count: number;
  /** When an article of that year last changed. */
  lastmod: string;
}

export interface ListingPage {
  slug: string;
  /** When an article in it last changed; null when it holds none. */
  lastmod: string | null;
}

/** Both drivers' timestamps (ISO strings, or Dates from aggregates) as ISO-8601 UTC. */
function iso(value: string | Date): string {
  return new Date(value).toISOString();
}

function yearStart(year: number): string {
  return `${String(year).padStart(4, '0')}-01-01T00:00:00.000Z`;
}

function published(db: ArticlesDb) {
  return db.selectFrom('articles').where('articles.status', '=', 'published').where('articles.published_at', 'is not', null);
}

/** The years (UTC) that hold published articles, oldest first, each with its count and last change. */
export async function publishedYears(db: ArticlesDb): Promise<ArticleYear[]> {
  const span = await published(db)
    .select((eb) => [eb.fn.min('articles.published_at').as('first'), eb.fn.max('articles.published_at').as('last')])
    .executeTakeFirst();
  if (!span?.first || !span.last) return [];
  const years: ArticleYear[] = [];
  for (let year = new Date(span.first).getUTCFullYear(); year <= new Date(span.last).getUTCFullYear(); year++) {
    const row = await published(db)
      .where('articles.published_at', '>=', yearStart(year))
      .where('articles.published_at', '<', yearStart(year + 1))
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('articles.updated_at').as('lastmod')])
      .executeTakeFirstOrThrow();
    if (Number(row.n) > 0 && row.lastmod) years.push({ year, count: Number(row.n), lastmod: iso(row.lastmod) });
  }
  return years;
}

const SITEMAP_COLUMNS = ['slug', 'title', 'published_at', 'updated_at', 'hero_media_id', 'hero_alt'] as const;

type SitemapRow = {
  slug: string;
  title: string;
  published_at: string | null;
  updated_at: string;
  hero_media_id: string | null;
  hero_alt: string;
};

function toSitemapArticle(row: SitemapRow): SitemapArticle {
  return {
    slug: row.slug,
    title: row.title,
    publishedAt: iso(row.published_at!),
    updatedAt: iso(row.updated_at),
    heroMediaId: row.hero_media_id,
    heroAlt: row.hero_alt,
  };
}

/** One page of a year's published articles, oldest first (a stable order, so pages never overlap). */
export async function publishedInYear(db: ArticlesDb, year: number, limit: number, offset: number): Promise<SitemapArticle[]> {
  const rows = await published(db)
    .where('articles.published_at', '>=', yearStart(year))
    .where('articles.published_at', '<', yearStart(year + 1))
    .select(SITEMAP_COLUMNS.map((c) => `articles.${c}` as const))
    .orderBy('articles.published_at', 'asc')
    .orderBy('articles.id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(toSitemapArticle);
}

/** Articles published at or after `since` (an ISO timestamp), newest first: what a news index takes. */
export async function publishedSince(db: ArticlesDb, since: string, limit: number): Promise<SitemapArticle[]> {
  const rows = await published(db)
    .where('articles.published_at', '>=', since)
    .select(SITEMAP_COLUMNS.map((c) => `articles.${c}` as const))
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toSitemapArticle);
}

/** Every section, in the navigation's order, with its newest change. */
export async function sectionPages(db: ArticlesDb): Promise<ListingPage[]> {
  const [sections, changes] = await Promise.all([
    db.selectFrom('sections').select(['id', 'slug']).orderBy('position', 'asc').orderBy('name', 'asc').execute(),
    published(db)
      .select((eb) => ['articles.section_id', eb.fn.max('articles.updated_at').as('lastmod')])
      .groupBy('articles.section_id')
      .execute(),
  ]);
  const lastmods = new Map(changes.map((c) => [c.section_id, c.lastmod]));
  return sections.map((s) => {
    const lastmod = lastmods.get(s.id);
    return { slug: s.slug, lastmod: lastmod ? iso(lastmod) : null };
  });
}

/** The tags that hold at least one published article (an empty tag page is no page to index), by slug. */
export async function tagPages(db: ArticlesDb): Promise<ListingPage[]> {
  const rows = await db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .where('articles.status', '=', 'published')
    .select((eb) => ['tags.slug', eb.fn.max('articles.updated_at').as('lastmod')])
    .groupBy('tags.slug')
    .orderBy('tags.slug', 'asc')
    .execute();
  return rows.map((r) => ({ slug: r.slug, lastmod: r.lastmod ? iso(r.lastmod) : null }));
}
