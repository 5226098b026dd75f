// Builds the feeds of a list of articles (the site, a section, a tag, a person,
// a newsroom) in the three formats with the `feed` library, and keeps each built
// feed until published content changes, so a feed reader's poll costs a lookup.
import { createHash } from 'node:crypto';
import { Feed, type FeedOptions, type Item } from 'feed';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { todayUtc } from '../../lib/dates.js';
import type { RichNode } from '../../lib/rich-text.js';
import { NotFoundError } from '../../web/errors.js';
import { FEED_FORMATS, type FeedFile } from '../../web/feed-links.js';
import type { ArticlesService } from '../articles/index.js';
import { joinWithAnd, newsroomProfile, personProfile } from '../people/index.js';
import { feedItem } from './feed-items.js';

/** How many of the latest articles a feed carries. */
export const FEED_SIZE = 30;
/** Built feeds kept at most (one per list and format). */
const MAX_KEPT = 500;

export type ListKind = 'site' | 'sections' | 'tags' | 'people' | 'newsrooms';

/** A list of articles a feed follows, as its page shows it. */
export interface FeedList {
  title: string;
  description: string;
  /** Path of the list's page ('' for the whole site, whose page is the home page). */
  path: string;
  filter: Parameters<ArticlesService['latest']>[0];
}

export interface BuiltFeed {
  type: string;
  body: string;
  etag: string;
  /** When the newest change to an article in it was made (null for an empty feed). */
  lastModified: Date | null;
}

export interface FeedsServiceOptions {
  db: Db;
  config: Readonly<Config>;
  articles: ArticlesService;
  renderBodyHtml(doc: RichNode): Promise<string>;
}

export class FeedsService {
  private built = new Map<string, BuiltFeed>();

  constructor(private readonly opts: FeedsServiceOptions) {}

  /** Drops every built feed; called when published content changes. */
  forget(): void {
    this.built.clear();
  }

  /** The feed of a list in one format; an unknown slug throws NotFoundError. */
  async feed(kind: ListKind, slug: string, file: FeedFile): Promise<BuiltFeed> {
    const key = `${kind}:${slug}:${file}`;
    const kept = this.built.get(key);
    if (kept) return kept;
    const built = await this.build(await this.list(kind, slug), file);
    if (this.opts.config.renderCacheEntries > 0) {
      if (this.built.size >= MAX_KEPT) this.built.clear();
      this.built.set(key, built);
    }
    return built;
  }

  private async list(kind: ListKind, slug: string): Promise<FeedList> {
    const { articles, db, config } = this.opts;
    const site = config.siteName;
    const named = (name: string, description: string, path: string, filter: FeedList['filter']): FeedList => ({
      title: `${name} | ${site}`,
      description: description || `The latest from ${name} in ${site}.`,
      path,
      filter,
    });
    if (kind === 'site') return { title: site, description: `The latest articles in ${site}.`, path: '', filter: {} };
    if (kind === 'sections') {
      const section = await articles.section(slug);
      if (section) return named(section.name, section.description, `/sections/${slug}`, { sectionId: section.id });
    }
    if (kind === 'tags') {
      const tag = await articles.tag(slug);
      if (tag) return named(tag.name, '', `/tags/${slug}`, { tagId: tag.id });
    }
    if (kind === 'people') {
      const person = await personProfile(db, slug, todayUtc());
      if (person) return named(person.card.name, '', `/people/${slug}`, { authorId: person.card.id });
    }
    if (kind === 'newsrooms') {
      const room = await newsroomProfile(db, slug, todayUtc());
      if (room) return named(room.name, room.description, `/newsrooms/${slug}`, { newsroomId: room.id });
    }
    throw new NotFoundError('There is no feed at this address.');
  }

  private async build(list: FeedList, file: FeedFile): Promise<BuiltFeed> {
    const items = await this.items(list);
    const lastModified = newest(items);
    const body = render(FEED_FORMATS[file].kind, this.feedOptions(list, lastModified), items);
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
    return { type: `${FEED_FORMATS[file].type}; charset=utf-8`, body, etag, lastModified };
  }

  /** The list's latest articles, newest first, as feed items. */
  private async items(list: FeedList): Promise<Item[]> {
    const { articles, config, renderBodyHtml } = this.opts;
    const teasers = await articles.latest(list.filter, FEED_SIZE);
    const pages = await articles.publishedByIds(teasers.map((t) => t.id));
    const context = { siteUrl: config.siteUrl, previewParagraphs: config.wall.previewParagraphs, renderBodyHtml };
    return Promise.all(pages.map((page) => feedItem(page, context)));
  }

  private feedOptions(list: FeedList, lastModified: Date | null): FeedOptions {
    const { config } = this.opts;
    return {
      id: `${config.siteUrl}${list.path}/`,
      title: list.title,
      description: list.description,
      link: `${config.siteUrl}${list.path || '/'}`,
      language: config.siteLang,
      updated: lastModified ?? new Date(0),
      generator: 'Harbinger',
      copyright: `© ${config.siteName}`,
      author: { name: config.siteName, link: `${config.siteUrl}/` },
      feedLinks: Object.fromEntries(Object.entries(FEED_FORMATS).map(([name, f]) => [f.kind, `${config.siteUrl}${list.path}/${name}`])),
    };
  }
}

function render(kind: 'rss' | 'atom' | 'json', options: FeedOptions, items: Item[]): string {
  const feed = new Feed(options);
  if (kind === 'rss') {
    items.map(rssItem).forEach((item) => feed.addItem(item));
    return feed.rss2();
  }
  items.forEach((item) => feed.addItem(item));
  return kind === 'atom' ? atomFeed(feed.atom1()) : jsonFeed(feed.json1(), items, options.language ?? '');
}

/** RSS's <author> is for an email address: the byline's names go in Dublin Core's <dc:creator> instead. */
function rssItem(item: Item): Item {
  const { author, ...rest } = item;
  const names = (author ?? []).map((a) => a.name ?? '').filter((name) => name !== '');
  return names.length === 0 ? rest : { ...rest, extensions: [{ name: 'dc:creator', objects: { _cdata: joinWithAnd(names) } }] };
}

/** The latest change among the items, to the second (what Last-Modified can say). */
function newest(items: Item[]): Date | null {
  const times = items.map((i) => i.date.getTime());
  return times.length === 0 ? null : new Date(Math.floor(Math.max(...times) / 1000) * 1000);
}

/** The library types an Atom enclosure from the file's extension ("image/jpg"); our pictures are JPEGs, image/jpeg. */
function atomFeed(xml: string): string {
  return xml.replace(/(<link rel="enclosure" [^>]*type=")image\/jpg"/g, '$1image/jpeg"');
}

/**
 * The library writes JSON Feed 1.0; 1.1 names its version, the language, and
 * lists every author of an item (`authors`) instead of the first (`author`).
 */
function jsonFeed(json: string, items: Item[], language: string): string {
  const { author, items: written, ...feed } = JSON.parse(json) as { author?: object; items: { author?: object }[] };
  const upgraded = written.map(({ author: _first, ...item }, i) => ({
    ...item,
    authors: (items[i]?.author ?? []).map((a) => ({ name: a.name, url: a.link })),
  }));
  return JSON.stringify({
    ...feed,
    version: 'https://jsonfeed.org/version/1.1',
    language,
    ...(author ? { authors: [author] } : {}),
    items: upgraded,
  });
}
