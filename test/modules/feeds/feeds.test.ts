// The feeds: each format parses with a real parser and carries what readers need
// (newest first, absolute links, authors, dates, categories, the hero picture), a
// registered article goes out without one gated sentence, pages name their feeds,
// a reader with the current feed gets 304, and an unknown list is a 404.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { articles as demoArticles, sections } from '../../../src/demo/content.js';
import type { DemoArticle } from '../../../src/demo/content-types.js';
import { docToText } from '../../../src/lib/plain-text.js';
import type { RichNode } from '../../../src/lib/rich-text.js';
import { slugify } from '../../../src/lib/slug.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';

const SITE = 'http://harbinger.test';
const PREVIEW = 3;
const published = demoArticles.filter((a) => a.status === 'published').sort((a, b) => b.publishedAt!.localeCompare(a.publishedAt!));
const registered = published.find((a) => a.access === 'registered')!;
const free = published.find((a) => a.access === 'free' && a.hero)!;
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Lists however many they hold (Atom's links included; an RSS item has one link).
  isArray: (name, path) => ['item', 'entry', 'category', 'author'].includes(name) || String(path) === 'feed.entry.link',
});

/** Every sentence of the paragraphs after the preview. */
function gatedSentences(body: RichNode, preview: number): string[] {
  const gated: string[] = [];
  let paragraphs = 0;
  for (const block of body.content ?? []) {
    if (paragraphs >= preview) gated.push(docToText(block));
    if (block.type === 'paragraph') paragraphs += 1;
  }
  return gated
    .flatMap((text) => text.split(/(?<=[.!?”])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.length > 12);
}

let t: TestApp;
before(async () => {
  t = await buildTestApp({ env: { WALL_PREVIEW_PARAGRAPHS: String(PREVIEW) } });
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

interface RssItem {
  title: string;
  link: string;
  guid: { '#text': string };
  description: string;
  'content:encoded': string;
  pubDate: string;
  'dc:creator': string;
  category: { '#text': string; '@domain': string }[];
  enclosure?: { '@url': string; '@type': string; '@length': string };
}
interface AtomEntry {
  title: string;
  id: string;
  link: { '@href': string; '@rel'?: string; '@type'?: string }[];
  updated: string;
  published: string;
  summary: string;
  content: { '#text': string };
  author: { name: string; uri?: string }[];
  category: { '@label': string; '@term': string; '@scheme': string }[];
}
interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  items: {
    id: string;
    url: string;
    title: string;
    summary: string;
    content_html: string;
    date_published: string;
    date_modified: string;
    image?: string;
    tags: string[];
    authors: { name: string; url: string }[];
  }[];
}

async function rss(path: string): Promise<{ channel: { title: string; link: string; description: string; item?: RssItem[] } }> {
  const res = await get(`${path}/feed.xml`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-type'] as string, /^application\/rss\+xml/);
  return (xml.parse(res.body) as { rss: { '@version': string; channel: never } }).rss;
}
async function atom(path: string): Promise<{ id: string; title: string; updated: string; entry?: AtomEntry[] }> {
  const res = await get(`${path}/feed.atom`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-type'] as string, /^application\/atom\+xml/);
  return (xml.parse(res.body) as { feed: never }).feed;
}
async function json(path: string): Promise<JsonFeed> {
  const res = await get(`${path}/feed.json`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-type'] as string, /^application\/feed\+json/);
  return JSON.parse(res.body) as JsonFeed;
}

const link = (a: DemoArticle) => `${SITE}/articles/${a.slug}`;
const sectionName = (a: DemoArticle) => sections.find((s) => s.slug === a.section)!.name;
const isAbsolute = (url: string) => url.startsWith(`${SITE}/`);
/** Every src, href and srcset URL in an HTML fragment. */
const urlsIn = (html: string) =>
  [...html.matchAll(/\b(?:src|href|srcset)="([^"]*)"/g)].flatMap((m) => m[1]!.split(',').map((part) => part.trim().split(/\s+/)[0]!));

describe('the site feeds', () => {
  it('RSS 2.0 lists the published articles newest first, with absolute links', async () => {
    const { channel } = await rss('');
    assert.equal(channel.title, 'The Harbinger');
    assert.equal(channel.link, `${SITE}/`);
    assert.ok(channel.description);
    const items = channel.item ?? [];
    assert.deepEqual(
      items.map((i) => i.link),
      published.slice(0, 30).map(link),
    );
    for (const item of items) {
      assert.ok(item.title && item.description && item.pubDate && item.guid['#text']);
      assert.ok(!Number.isNaN(Date.parse(item.pubDate)));
      const relative = urlsIn(item['content:encoded']).filter((url) => !/^(https?:|mailto:)/.test(url));
      assert.deepEqual(relative, [], item.link);
    }
    const withHero = items.find((i) => i.link === link(free))!;
    assert.ok(isAbsolute(withHero.enclosure!['@url']));
    assert.equal(withHero.enclosure!['@type'], 'image/jpeg');
    assert.ok(Number(withHero.enclosure!['@length']) > 0);
    assert.ok(withHero.category.some((c) => c['@domain'] === `${SITE}/sections/${free.section}`));
    assert.ok(withHero.category.some((c) => c['#text'] === free.tags[0]));
    assert.ok(items.every((i) => i['dc:creator']));
    const multi = published.find((a) => a.authors.length > 1)!;
    assert.match(items.find((i) => i.link === link(multi))!['dc:creator'], /^\S.* and \S/);
  });

  it('Atom 1.0 has the required elements and the articles newest first', async () => {
    const feed = await atom('');
    assert.ok(feed.id && feed.title && feed.updated);
    const entries = feed.entry ?? [];
    assert.deepEqual(
      entries.map((e) => e.link.find((l) => l['@rel'] === 'alternate' || !l['@rel'])!['@href']),
      published.slice(0, 30).map(link),
    );
    for (const entry of entries) {
      assert.ok(entry.id && entry.title && entry.updated && entry.published && entry.summary);
      assert.ok(entry.link.every((l) => isAbsolute(l['@href'])));
      assert.ok(entry.author.length > 0 && entry.author.every((a) => a.name));
    }
    const demo = entries.find((e) => e.id === link(free))!;
    const enclosure = demo.link.find((l) => l['@rel'] === 'enclosure')!;
    assert.ok(isAbsolute(enclosure['@href']));
    assert.equal(enclosure['@type'], 'image/jpeg');
    assert.deepEqual(demo.category[0], { '@label': sectionName(free), '@term': free.section, '@scheme': `${SITE}/sections/` });
    assert.ok(demo.category.every((c) => c['@term'] && c['@label'] && isAbsolute(c['@scheme'])));
    assert.deepEqual(
      demo.author.map((a) => a.uri),
      free.authors.map((slug) => `${SITE}/people/${slug}`),
    );
  });

  it('JSON Feed 1.1 has its version, the items newest first and every author', async () => {
    const feed = await json('');
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.home_page_url, `${SITE}/`);
    assert.equal(feed.feed_url, `${SITE}/feed.json`);
    assert.deepEqual(
      feed.items.map((i) => i.url),
      published.slice(0, 30).map(link),
    );
    const multi = published.find((a) => a.authors.length > 1)!;
    const item = feed.items.find((i) => i.url === link(multi))!;
    assert.deepEqual(
      item.authors.map((a) => a.url),
      multi.authors.map((slug) => `${SITE}/people/${slug}`),
    );
    assert.equal(item.summary, multi.dek);
    assert.ok(feed.items.every((i) => i.date_published && i.date_modified && i.content_html && i.tags.length > 0));
    assert.ok(isAbsolute(feed.items.find((i) => i.url === link(free))!.image!));
  });

  it('gives a free article its whole text', async () => {
    const feed = await json('');
    const text = textOf(feed.items.find((i) => i.url === link(free))!.content_html);
    const last = docToText(free.body).split('\n\n').at(-1)!;
    assert.ok(text.includes(last.slice(0, 60)));
  });
});

describe('a registered article in the feeds', () => {
  const sentences = gatedSentences(registered.body, PREVIEW);
  const firstParagraph = docToText(registered.body).split('\n\n')[0]!;

  it('has gated sentences to look for', () => {
    assert.ok(sentences.length > 5);
  });

  for (const file of ['feed.xml', 'feed.atom', 'feed.json']) {
    for (const path of [
      '',
      `/sections/${registered.section}`,
      `/people/${registered.authors[0]}`,
      `/tags/${slugify(registered.tags[0]!, 'tag')}`,
    ]) {
      it(`carries no gated sentence in ${path}/${file}`, async () => {
        const res = await get(`${path}/${file}`);
        assert.equal(res.statusCode, 200);
        const body = file === 'feed.json' ? JSON.stringify(JSON.parse(res.body)) : res.body;
        const text = textOf(
          file === 'feed.json' ? (JSON.parse(res.body) as JsonFeed).items.map((i) => i.content_html).join(' ') : xmlText(res.body),
        );
        assert.ok(text.includes(firstParagraph.slice(0, 60)), 'the preview is there');
        assert.ok(text.includes('Continue reading'));
        for (const sentence of sentences) {
          assert.ok(!text.includes(sentence), `gated: ${sentence}`);
          assert.ok(!body.includes(sentence.slice(0, 40)), `gated: ${sentence}`);
        }
      });
    }
  }
});

/** The text of every item's content in an RSS or Atom feed, as a reader would show it. */
function xmlText(body: string): string {
  const parsed = xml.parse(body) as { rss?: { channel: { item: RssItem[] } }; feed?: { entry: AtomEntry[] } };
  const html = parsed.rss ? parsed.rss.channel.item.map((i) => i['content:encoded']) : parsed.feed!.entry.map((e) => e.content['#text']);
  return html.join(' ');
}

describe('the feeds of a list', () => {
  const lists: [string, (a: DemoArticle) => boolean][] = [
    [`/sections/${free.section}`, (a) => a.section === free.section],
    [`/tags/${slugify(free.tags[0]!, 'tag')}`, (a) => a.tags.includes(free.tags[0]!)],
    [`/people/${free.authors[0]}`, (a) => a.authors.includes(free.authors[0]!)],
    ['/newsrooms/election-year-2024', (a) => a.newsroom === 'election-year-2024'],
  ];
  for (const [path, holds] of lists) {
    it(`${path} carries only that list's articles, newest first, in every format`, async () => {
      const expected = published.filter(holds).map(link);
      assert.ok(expected.length > 0);
      assert.deepEqual(
        ((await rss(path)).channel.item ?? []).map((i) => i.link),
        expected,
      );
      assert.deepEqual(
        ((await atom(path)).entry ?? []).map((e) => e.id),
        expected,
      );
      const feed = await json(path);
      assert.equal(feed.feed_url, `${SITE}${path}/feed.json`);
      assert.equal(feed.home_page_url, `${SITE}${path}`);
      assert.deepEqual(
        feed.items.map((i) => i.url),
        expected,
      );
    });
  }

  it('answers 404 for a list that does not exist', async () => {
    for (const path of ['/sections/nope', '/tags/nope', '/people/nobody-here', '/newsrooms/nope']) {
      for (const file of ['feed.xml', 'feed.atom', 'feed.json']) {
        assert.equal((await get(`${path}/${file}`)).statusCode, 404, `${path}/${file}`);
      }
    }
  });
});

describe('a change to the content', () => {
  it('reaches the feeds at once, with a new ETag; an article keeps its own preview count', async () => {
    const before = await get('/feed.json');
    const secondParagraph = docToText(registered.body).split('\n\n')[1]!;
    const previewBefore = (JSON.parse(before.body) as JsonFeed).items.find((i) => i.url === link(registered))!;
    assert.ok(textOf(previewBefore.content_html).includes(secondParagraph.slice(0, 60)));
    await t.db
      .updateTable('articles')
      .set({ title: 'A renamed headline', preview_paragraphs: 1 })
      .where('slug', '=', registered.slug)
      .execute();
    await t.app.contentVersion.bump();
    const after = await get('/feed.json');
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.equal((await get('/feed.json', { 'if-none-match': before.headers.etag as string })).statusCode, 200);
    const item = (JSON.parse(after.body) as JsonFeed).items.find((i) => i.url === link(registered))!;
    assert.equal(item.title, 'A renamed headline');
    const text = textOf(item.content_html);
    assert.ok(text.includes(docToText(registered.body).split('\n\n')[0]!.slice(0, 60)));
    assert.ok(!text.includes(secondParagraph.slice(0, 60)), 'only the first paragraph is public now');
  });
  it("makes the site's own addresses in a body absolute (pictures, their sources, links)", async () => {
    const figure =
      '<figure><picture><source type="image/webp" srcset="/media/a-400.webp 400w, /media/a-800.webp 800w">' +
      '<img src="/media/a-800.jpg" srcset="/media/a-400.jpg 400w, /media/a-800.jpg 800w" alt=""></picture></figure>' +
      '<p><a href="/people/someone">Someone</a> and <a href="https://example.org/x">elsewhere</a>.</p>';
    await t.db.updateTable('articles').set({ body_html: figure }).where('slug', '=', free.slug).execute();
    await t.app.contentVersion.bump();
    const item = (await json('')).items.find((i) => i.url === link(free))!;
    assert.deepEqual(urlsIn(item.content_html), [
      `${SITE}/media/a-400.webp`,
      `${SITE}/media/a-800.webp`,
      `${SITE}/media/a-800.jpg`,
      `${SITE}/media/a-400.jpg`,
      `${SITE}/media/a-800.jpg`,
      `${SITE}/people/someone`,
      'https://example.org/x',
    ]);
  });
});

describe('feed caching', () => {
  it('sends an ETag and Last-Modified and answers 304 to a reader who has the feed', async () => {
    const first = await get('/feed.xml');
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    assert.match(etag, /^"[\w-]+"$/);
    assert.ok(!Number.isNaN(Date.parse(lastModified)));
    assert.match(first.headers['cache-control'] as string, /^public/);
    const byTag = await get('/feed.xml', { 'if-none-match': etag });
    assert.equal(byTag.statusCode, 304);
    assert.equal(byTag.body, '');
    assert.equal((await get('/feed.xml', { 'if-modified-since': lastModified })).statusCode, 304);
    assert.equal((await get('/feed.xml', { 'if-none-match': '"other"' })).statusCode, 200);
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    assert.equal((await get('/feed.xml', { 'if-modified-since': older })).statusCode, 200);
  });

  it('gives each format its own ETag', async () => {
    const tags = await Promise.all(['/feed.xml', '/feed.atom', '/feed.json'].map(async (url) => (await get(url)).headers.etag));
    assert.equal(new Set(tags).size, 3);
  });
});

describe('feed autodiscovery', () => {
  const pages: [string, string][] = [
    ['/', ''],
    [`/sections/${free.section}`, `/sections/${free.section}`],
    [`/tags/${slugify(free.tags[0]!, 'tag')}`, `/tags/${slugify(free.tags[0]!, 'tag')}`],
    [`/people/${free.authors[0]}`, `/people/${free.authors[0]}`],
    ['/newsrooms/election-year-2024', '/newsrooms/election-year-2024'],
    // An article names the site's feeds and its section's.
    [`/articles/${free.slug}`, ''],
    [`/articles/${free.slug}`, `/sections/${free.section}`],
  ];
  for (const [page, feeds] of pages) {
    it(`${page} names the feeds of ${feeds || '/'} in <head>`, async () => {
      const html = (await get(page)).body;
      const head = html.slice(0, html.indexOf('</head>'));
      const formats: [string, string][] = [
        ['feed.xml', 'application/rss+xml'],
        ['feed.atom', 'application/atom+xml'],
        ['feed.json', 'application/feed+json'],
      ];
      for (const [file, type] of formats) {
        const tag = new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="${SITE}${feeds}/${file}"/>`);
        assert.match(head, tag);
      }
    });
  }
});
