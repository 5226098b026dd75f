// Reading published articles: the article page, lists (teasers) and the data the
// home page needs. Access to drafts is not given here: only published articles
// leave this service.
import type { Db } from '../../db/database.js';
import { getSetting } from '../../db/settings.js';
import type { ArticleRow } from '../../db/schema.js';
import { dateInZone, todayUtc } from '../../lib/dates.js';
import { parseDoc, renderRichText, type RichNode } from '../../lib/rich-text.js';
import { picturesByIds, type Picture } from '../media/index.js';
import { agesOnEach, peopleLookups, personCards, type PersonCard } from '../people/index.js';
import { paginate, type Pagination } from '../../web/http.js';
import type { BylinePerson } from './byline.js';
import * as repo from './articles.repository.js';

export interface SectionRef {
  id: string;
  slug: string;
  name: string;
}

/** What a listing and the article's own page both say about a published article. */
interface PublishedArticle {
  id: string;
  slug: string;
  title: string;
  dek: string;
  bylinePhrase: string;
  byline: BylinePerson[];
  publishedAt: string;
  access: 'free' | 'registered';
}

export interface Teaser extends PublishedArticle {
  section: SectionRef | null;
  picture: Picture | null;
  pictureAlt: string;
}

export interface ArticlePage extends PublishedArticle {
  updatedAt: string;
  previewParagraphs: number | null;
  section: SectionRef;
  newsroom: { slug: string; name: string } | null;
  hero: { picture: Picture; alt: string; caption: string; creditCreator: string; creditSource: string } | null;
  body: RichNode;
  /** Sanitized at save time by the rich-text renderer. */
  safeBodyHtml: string;
  wordCount: number;
  authors: PersonCard[];
  editors: PersonCard[];
  tags: { slug: string; name: string }[];
}

/** What follows an article: its first author's other pieces, and articles like it. */
export interface FurtherReading {
  /** Null when the article has no author or the author has published nothing else. */
  moreFrom: { author: { slug: string; name: string }; teasers: Teaser[] } | null;
  related: Teaser[];
}

/** How many teasers each list of further reading shows. */
const FURTHER_READING_SIZE = 4;

function publicationDay(row: Pick<ArticleRow, 'published_at'>): string {
  return dateInZone(row.published_at ?? new Date().toISOString());
}

type AuthorRow = Awaited<ReturnType<typeof repo.findAuthors>>[number];

/** Each article's byline; `known` are the articles' authors when the caller has read them already. */
async function bylinesFor(
  db: Db,
  rows: Pick<ArticleRow, 'id' | 'published_at'>[],
  known?: Promise<AuthorRow[]>,
): Promise<Map<string, BylinePerson[]>> {
  const authors = await (known ??
    repo.findAuthors(
      db,
      rows.map((r) => r.id),
    ));
  const days = new Map(rows.map((r) => [r.id, publicationDay(r)]));
  const [named, ages] = await Promise.all([
    peopleLookups.bylineNames(db, [...new Set(authors.map((a) => a.person_id))]),
    agesOnEach(
      db,
      authors.map((a) => ({
        key: `${a.article_id} ${a.person_id}`,
        personId: a.person_id,
        frozenAge: a.age_at_publication,
        day: days.get(a.article_id)!,
      })),
    ),
  ]);
  const names = new Map(named.map((p) => [p.id, p]));
  const result = new Map<string, BylinePerson[]>();
  for (const row of rows) {
    const own = authors.filter((a) => a.article_id === row.id);
    result.set(
      row.id,
      own.flatMap((a) => {
        const person = names.get(a.person_id);
        const age = person?.showAge ? (ages.get(`${a.article_id} ${a.person_id}`) ?? null) : null;
        return person ? [{ slug: person.slug, name: person.name, age }] : [];
      }),
    );
  }
  return result;
}

export class ArticlesService {
  private sectionsCache: SectionRef[] | null = null;
  private accessCache = new Map<string, { id: string; access: 'free' | 'registered' } | null>();
  /** Lengths of lists (and of all published articles, under `{}`), remembered until content changes. */
  private countCache = new Map<string, number>();
  /** Where "Related"'s window starts (undefined: not read since content last changed). */
  private relatedSince: string | null | undefined;

  constructor(
    private readonly db: Db,
    private readonly pageSize: number,
  ) {}

  /** Drops what this service keeps between requests; called when content changes. */
  forget(): void {
    this.sectionsCache = null;
    this.accessCache.clear();
    this.countCache.clear();
    this.relatedSince = undefined;
  }

  /**
   * How many published articles a filter names (`excludeIds` aside), remembered until
   * content changes: counting a list of thousands reads thousands of index entries.
   */
  private async count(filter: repo.ArticleFilter): Promise<number> {
    const { sectionId, newsroomId, tagId, authorId, editorId } = filter;
    const key = JSON.stringify([sectionId, newsroomId, tagId, authorId, editorId]);
    const known = this.countCache.get(key);
    if (known !== undefined) return known;
    const n = await repo.countPublished(this.db, { sectionId, newsroomId, tagId, authorId, editorId });
    if (this.countCache.size > 10_000) this.countCache.clear();
    this.countCache.set(key, n);
    return n;
  }

  /** What decides how a list's page is read: its length and the number of published articles. */
  private async sizes(filter: repo.ArticleFilter): Promise<repo.ListSizes> {
    const [total, published] = await Promise.all([this.count(filter), this.count({})]);
    return { total, published };
  }

  /** The first `limit` of a list; one drawn from a join table (a tag, a writer, an editor) is read the way its length suits. */
  private async first(filter: repo.ArticleFilter, limit: number): Promise<repo.TeaserRow[]> {
    const joined = Boolean(filter.tagId ?? filter.authorId ?? filter.editorId);
    return repo.listPublished(this.db, filter, limit, 0, joined ? await this.sizes(filter) : undefined);
  }

  /** Id and access of a published article, remembered until content changes (the wall asks on every request). */
  async accessOf(slug: string): Promise<{ id: string; access: 'free' | 'registered' } | null> {
    if (this.accessCache.has(slug)) return this.accessCache.get(slug)!;
    const row = await repo.findPublishedBySlug(this.db, slug);
    const value = row ? { id: row.id, access: row.access } : null;
    if (this.accessCache.size > 10_000) this.accessCache.clear();
    this.accessCache.set(slug, value);
    return value;
  }

  async sections(): Promise<SectionRef[]> {
    this.sectionsCache ??= await repo.listSections(this.db);
    return this.sectionsCache;
  }

  async section(slug: string): Promise<(SectionRef & { description: string }) | null> {
    return (await repo.findSectionBySlug(this.db, slug)) ?? null;
  }

  async tag(slug: string) {
    return (await repo.findTagBySlug(this.db, slug)) ?? null;
  }

  async teasers(rows: repo.TeaserRow[]): Promise<Teaser[]> {
    const [bylines, pictures, sections] = await Promise.all([
      bylinesFor(this.db, rows),
      picturesByIds(
        this.db,
        rows.map((r) => r.hero_media_id),
      ),
      this.sections(),
    ]);
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      dek: r.dek,
      bylinePhrase: r.byline_phrase,
      byline: bylines.get(r.id) ?? [],
      publishedAt: r.published_at ?? '',
      section: sections.find((s) => s.id === r.section_id) ?? null,
      picture: r.hero_media_id ? (pictures.get(r.hero_media_id) ?? null) : null,
      pictureAlt: r.hero_alt,
      access: r.access,
    }));
  }

  async teasersByIds(ids: string[]): Promise<Map<string, Teaser>> {
    const rows = await repo.listPublishedByIds(this.db, ids);
    return new Map((await this.teasers(rows)).map((t) => [t.id, t]));
  }

  /** Which of these articles are published (so other modules keep only those, without reading this module's tables). */
  async publishedIdsAmong(ids: string[]): Promise<Set<string>> {
    return repo.listPublishedIdsAmong(this.db, [...new Set(ids)]);
  }

  /** Slug and headline of these articles by id, whatever their state. */
  async titlesByIds(ids: string[]): Promise<Map<string, { slug: string; title: string }>> {
    const rows = await repo.listTitlesByIds(this.db, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, { slug: r.slug, title: r.title }]));
  }

  async latest(filter: repo.ArticleFilter, limit: number): Promise<Teaser[]> {
    return this.teasers(await this.first(filter, limit));
  }

  /** The newest published article of each of these sections (null for one with none), read together. */
  async latestPerSection(sectionIds: string[]): Promise<Map<string, Teaser | null>> {
    const teasers = await this.teasers(await repo.listNewestOfSections(this.db, sectionIds));
    return new Map(sectionIds.map((sectionId) => [sectionId, teasers.find((t) => t.section?.id === sectionId) ?? null]));
  }

  /**
   * "More from <first author>" (newest first) and "Related": recent articles with
   * most tags in common, then the same section, then the newest, filled up with the
   * section's newest; never the article itself nor one already in the first list.
   * Published articles only, in a fixed number of queries whatever the size of the archive.
   */
  async furtherReading(article: Pick<ArticlePage, 'id' | 'section' | 'authors'>): Promise<FurtherReading> {
    const size = FURTHER_READING_SIZE;
    const author = article.authors[0];
    const self = { id: article.id, sectionId: article.section.id };
    const [moreRows, tagRows] = await Promise.all([
      // One more than shown, the article itself left out here: a writer's list is then read the way its length suits.
      author ? this.first({ authorId: author.id }, size + 1).then((rows) => rows.filter((r) => r.id !== article.id).slice(0, size)) : [],
      // Twice the list's size: the first list may take up to `size` of them.
      this.relatedWindowStart().then((since) => repo.listSharingTags(this.db, self, since, size * 2)),
    ]);
    const shown = new Set([article.id, ...moreRows.map((r) => r.id)]);
    const byTags = tagRows.filter((r) => !shown.has(r.id)).slice(0, size);
    const excludeIds = [...shown, ...byTags.map((r) => r.id)];
    const bySection = byTags.length < size ? await this.first({ sectionId: self.sectionId, excludeIds }, size - byTags.length) : [];
    const teasers = await this.teasers([...moreRows, ...byTags, ...bySection]);
    const more = teasers.slice(0, moreRows.length);
    return {
      moreFrom: author && more.length > 0 ? { author: { slug: author.slug, name: author.name }, teasers: more } : null,
      related: teasers.slice(moreRows.length),
    };
  }

  private async relatedWindowStart(): Promise<string | null> {
    if (this.relatedSince === undefined) this.relatedSince = await repo.relatedWindowStart(this.db);
    return this.relatedSince;
  }

  /** One page of a list, newest first; a page past the end throws NotFoundError. */
  async page(filter: repo.ArticleFilter, page: number, pageSize = this.pageSize): Promise<{ items: Teaser[]; pagination: Pagination }> {
    const sizes = await this.sizes(filter);
    const pagination = paginate(page, pageSize, sizes.total);
    const rows = await repo.listPublished(this.db, filter, pageSize, pagination.offset, sizes);
    return { items: await this.teasers(rows), pagination };
  }

  async published(slug: string): Promise<ArticlePage | null> {
    const row = await repo.findPublishedBySlug(this.db, slug);
    return row ? this.toPage(row) : null;
  }

  async publishedById(id: string): Promise<ArticlePage | null> {
    const row = await repo.findPublishedById(this.db, id);
    return row ? this.toPage(row) : null;
  }

  /** Any article, whatever its status, for the newsroom's preview (access is checked by the caller). */
  async forPreview(id: string): Promise<ArticlePage | null> {
    const row = await repo.findArticleById(this.db, id);
    return row ? this.toPage(row) : null;
  }

  /** Published articles by id, whole, in the order asked (a feed's items), in the same queries for any number of them. */
  async publishedByIds(ids: string[]): Promise<ArticlePage[]> {
    const rows = await repo.findPublishedByIds(this.db, [...new Set(ids)]);
    const byId = new Map((await this.toPages(rows)).map((p) => [p.id, p]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private async toPage(row: ArticleRow): Promise<ArticlePage> {
    return (await this.toPages([row]))[0]!;
  }

  private async toPages(rows: ArticleRow[]): Promise<ArticlePage[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const authorRows = repo.findAuthors(this.db, ids);
    const [authors, editors, tags, bylines, pictures, sections, newsrooms] = await Promise.all([
      authorRows,
      repo.findEditors(this.db, ids),
      repo.findTags(this.db, ids),
      bylinesFor(this.db, rows, authorRows),
      picturesByIds(
        this.db,
        rows.map((r) => r.hero_media_id),
      ),
      this.sections(),
      peopleLookups.newsroomNames(this.db, [...new Set(rows.flatMap((r) => (r.newsroom_id ? [r.newsroom_id] : [])))]),
    ]);
    const cards = await personCards(this.db, [...new Set([...authors, ...editors].map((p) => p.person_id))], todayUtc());
    return rows.map((row) => {
      const hero = row.hero_media_id ? pictures.get(row.hero_media_id) : undefined;
      const section = sections.find((s) => s.id === row.section_id)!;
      const newsroom = newsrooms.find((n) => n.id === row.newsroom_id);
      return {
        id: row.id,
        slug: row.slug,
        title: row.title,
        dek: row.dek,
        bylinePhrase: row.byline_phrase,
        byline: bylines.get(row.id) ?? [],
        publishedAt: row.published_at ?? row.updated_at,
        updatedAt: row.updated_at,
        access: row.access,
        previewParagraphs: row.preview_paragraphs,
        section,
        newsroom: newsroom ? { slug: newsroom.slug, name: newsroom.name } : null,
        hero: hero
          ? {
              picture: hero,
              alt: row.hero_alt,
              caption: row.hero_caption,
              creditCreator: row.hero_credit_creator,
              creditSource: row.hero_credit_source,
            }
          : null,
        body: parseDoc(row.body_json),
        safeBodyHtml: row.body_html,
        wordCount: row.word_count,
        // Cards show the role held today ("former ..." once it ended), not on the publication day.
        authors: authors.filter((a) => a.article_id === row.id).flatMap((a) => cards.get(a.person_id) ?? []),
        editors: editors.filter((e) => e.article_id === row.id).flatMap((e) => cards.get(e.person_id) ?? []),
        tags: tags.filter((t) => t.article_id === row.id).map((t) => ({ slug: t.slug, name: t.name })),
      };
    });
  }

  async editorsPick(): Promise<ArticlePage | null> {
    const id = await getSetting(this.db, 'editors_pick_article_id');
    return id ? this.publishedById(id) : null;
  }
}

/** Renders a body document with pictures from the media library. */
export async function renderBody(
  db: Db,
  doc: RichNode,
  figure: (p: Picture, attrs: { alt: string; caption: string; creditCreator: string; creditSource: string }) => string,
): Promise<string> {
  const ids: string[] = [];
  const walk = (n: RichNode) => {
    if (n.type === 'figure' && typeof n.attrs?.mediaId === 'string') ids.push(n.attrs.mediaId);
    n.content?.forEach(walk);
  };
  walk(doc);
  const pictures = await picturesByIds(db, ids);
  return renderRichText(doc, {
    figure: (attrs) => {
      const picture = pictures.get(attrs.mediaId);
      return picture ? figure(picture, attrs) : '';
    },
  });
}
