// The site's sitemaps, built from what the articles and people modules list:
// the index, each year's articles (split in files of at most `perFile` URLs,
// with their hero pictures), sections, tags, people, newsrooms, the magazine's
// own pages (About, Contact...) and the news sitemap of the last two days.
// Built documents are kept until published content changes; the news sitemap
// depends on the clock, so it is built each time.
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { sitemapEntries } from '../articles/index.js';
import { absolutePictureUrl, picturesByIds, shareImage } from '../media/index.js';
import { peopleSitemap } from '../people/index.js';
import { sitemapPages } from '../static-pages/index.js';
import { newsLanguage, newsUrlSet, sitemapIndex, urlSet, type SitemapRef, type UrlEntry } from './xml.js';

/** The protocol's limit of URLs in one sitemap file. */
export const MAX_URLS_PER_FILE = 50_000;
/** Google News reads articles of the last two days, at most a thousand. */
const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;
const NEWS_MAX_URLS = 1000;
/** Pictures looked up per query, under both databases' limits on parameters. */
const PICTURE_BATCH = 1000;

export interface SitemapsOptions {
  perFile?: number;
  now?: () => Date;
}

/** The file name of part `part` (from 1) of a year's articles: `articles-2026.xml`, then `articles-2026-2.xml`. */
export function articlesFileName(year: number, part: number): string {
  return part === 1 ? `articles-${year}.xml` : `articles-${year}-${part}.xml`;
}

function parseArticlesFileName(name: string): { year: number; part: number } | null {
  const match = /^articles-(\d{4})(?:-([1-9]\d*))?\.xml$/.exec(name);
  return match ? { year: Number(match[1]), part: match[2] ? Number(match[2]) : 1 } : null;
}

function newest(dates: (string | null)[]): string | null {
  return dates.reduce<string | null>((a, b) => (b && (!a || b > a) ? b : a), null);
}

export class SitemapsService {
  private readonly built = new Map<string, string | null>();
  private readonly perFile: number;
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'siteUrl' | 'siteName' | 'siteLang'>,
    options: SitemapsOptions = {},
  ) {
    this.perFile = options.perFile ?? MAX_URLS_PER_FILE;
    this.now = options.now ?? (() => new Date());
  }

  /** Drops the built documents; called when published content changes. */
  forget(): void {
    this.built.clear();
  }

  /** The sitemap index. */
  async index(): Promise<string> {
    return (await this.remembered('index', () => this.buildIndex()))!;
  }

  /** A child sitemap by its file name under /sitemaps/, or null when there is none of that name. */
  async file(name: string): Promise<string | null> {
    if (name === 'news.xml') return this.buildNews();
    return this.remembered(name, () => this.buildFile(name));
  }

  private async remembered(key: string, build: () => Promise<string | null>): Promise<string | null> {
    if (!this.built.has(key)) this.built.set(key, await build());
    return this.built.get(key)!;
  }

  private url(path: string): string {
    return `${this.config.siteUrl}${path}`;
  }

  private async buildIndex(): Promise<string> {
    const [years, sections, tags, people, newsrooms, pages] = await Promise.all([
      sitemapEntries.publishedYears(this.db),
      sitemapEntries.sectionPages(this.db),
      sitemapEntries.tagPages(this.db),
      peopleSitemap.listedPeople(this.db),
      peopleSitemap.listedNewsrooms(this.db),
      sitemapPages(this.db),
    ]);
    const refs: SitemapRef[] = years.flatMap(({ year, count, lastmod }) =>
      Array.from({ length: Math.ceil(count / this.perFile) }, (_, i) => ({
        loc: this.url(`/sitemaps/${articlesFileName(year, i + 1)}`),
        lastmod,
      })),
    );
    const newestArticle = newest(years.map((y) => y.lastmod));
    refs.push(
      { loc: this.url('/sitemaps/sections.xml'), lastmod: newest(sections.map((s) => s.lastmod)) },
      { loc: this.url('/sitemaps/tags.xml'), lastmod: newest(tags.map((t) => t.lastmod)) },
      { loc: this.url('/sitemaps/people.xml'), lastmod: newest(people.map((p) => p.lastmod)) },
      { loc: this.url('/sitemaps/newsrooms.xml'), lastmod: newest(newsrooms.map((n) => n.lastmod)) },
      { loc: this.url('/sitemaps/pages.xml'), lastmod: newest(pages.map((p) => p.lastmod)) },
      { loc: this.url('/sitemaps/news.xml'), lastmod: newestArticle },
    );
    return sitemapIndex(refs);
  }

  private async buildFile(name: string): Promise<string | null> {
    const listing = async (rows: Promise<{ slug: string; lastmod: string | null }[]>, prefix: string) =>
      urlSet((await rows).map((r) => ({ loc: this.url(`${prefix}/${encodeURIComponent(r.slug)}`), lastmod: r.lastmod })));
    switch (name) {
      case 'sections.xml':
        return listing(sitemapEntries.sectionPages(this.db), '/sections');
      case 'tags.xml':
        return listing(sitemapEntries.tagPages(this.db), '/tags');
      case 'people.xml':
        return listing(peopleSitemap.listedPeople(this.db), '/people');
      case 'newsrooms.xml':
        return listing(peopleSitemap.listedNewsrooms(this.db), '/newsrooms');
      case 'pages.xml':
        return listing(sitemapPages(this.db), '');
    }
    const part = parseArticlesFileName(name);
    return part ? this.buildArticles(part.year, part.part) : null;
  }

  private async buildArticles(year: number, part: number): Promise<string | null> {
    const articles = await sitemapEntries.publishedInYear(this.db, year, this.perFile, (part - 1) * this.perFile);
    if (articles.length === 0) return null;
    const heroes = await this.heroUrls(articles);
    const entries: UrlEntry[] = articles.map((a) => {
      const hero = heroes.get(a.slug);
      return { loc: this.articleUrl(a), lastmod: a.updatedAt, ...(hero ? { images: [hero] } : {}) };
    });
    return urlSet(entries);
  }

  /** The absolute address of each article's public hero picture, by article slug. */
  private async heroUrls(articles: sitemapEntries.SitemapArticle[]): Promise<Map<string, string>> {
    const withHero = articles.filter((a) => a.heroMediaId !== null);
    const urls = new Map<string, string>();
    for (let i = 0; i < withHero.length; i += PICTURE_BATCH) {
      const batch = withHero.slice(i, i + PICTURE_BATCH);
      const pictures = await picturesByIds(
        this.db,
        batch.map((a) => a.heroMediaId),
      );
      for (const article of batch) {
        const picture = pictures.get(article.heroMediaId!);
        if (picture && !picture.private)
          urls.set(article.slug, absolutePictureUrl(this.config.siteUrl, shareImage(picture, article.heroAlt).url));
      }
    }
    return urls;
  }

  private articleUrl(article: { slug: string }): string {
    return this.url(`/articles/${encodeURIComponent(article.slug)}`);
  }

  private async buildNews(): Promise<string> {
    const since = new Date(this.now().getTime() - NEWS_WINDOW_MS).toISOString();
    const articles = await sitemapEntries.publishedSince(this.db, since, NEWS_MAX_URLS);
    const publication = { name: this.config.siteName, language: newsLanguage(this.config.siteLang) };
    return newsUrlSet(
      publication,
      articles.map((a) => ({ loc: this.articleUrl(a), title: a.title, publishedAt: a.publishedAt })),
    );
  }
}
