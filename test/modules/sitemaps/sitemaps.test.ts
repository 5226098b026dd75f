// The sitemaps and robots.txt as a crawler reads them: the index leads to every
// child, every published article is listed exactly once (no draft, no unpublished
// piece), the news sitemap holds only the last two days, and the pages search
// engines are kept out of say `noindex`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { SitemapsService } from '../../../src/modules/sitemaps/index.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
const HOUR = 60 * 60 * 1000;
const SITE = 'http://harbinger.test';

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['sitemap', 'url', 'image:image'].includes(name),
});

type Url = { loc: string; lastmod?: string; 'image:image'?: { 'image:loc': string }[]; 'news:news'?: News };
type News = { 'news:publication': { 'news:name': string; 'news:language': string }; 'news:publication_date': string; 'news:title': string };
type Parsed = { sitemapindex?: { sitemap: { loc: string; lastmod?: string }[] }; urlset?: { url?: Url[]; '@_xmlns': string } };

async function fetchXml(path: string): Promise<Parsed> {
  const res = await t.app.inject({ method: 'GET', url: path });
  assert.equal(res.statusCode, 200, path);
  assert.match(res.headers['content-type'] as string, /^application\/xml/);
  assert.ok(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), path);
  return parser.parse(res.body, true) as Parsed;
}

const pathOf = (loc: string) => {
  assert.ok(loc.startsWith(`${SITE}/`), `${loc} is absolute`);
  return loc.slice(SITE.length);
};

async function childSitemaps(): Promise<string[]> {
  const index = await fetchXml('/sitemap.xml');
  return index.sitemapindex!.sitemap.map((s) => pathOf(s.loc));
}

async function articleUrls(): Promise<Url[]> {
  const urls: Url[] = [];
  for (const path of (await childSitemaps()).filter((p) => /^\/sitemaps\/articles-\d{4}(-\d+)?\.xml$/.test(p))) {
    urls.push(...((await fetchXml(path)).urlset!.url ?? []));
  }
  return urls;
}

async function publishedSlugs(): Promise<string[]> {
  const rows = await t.db.selectFrom('articles').select('slug').where('status', '=', 'published').execute();
  return rows.map((r) => r.slug).sort();
}

/** Moves an article's publication date and tells the site content changed. */
async function setPublished(slug: string, publishedAt: Date): Promise<void> {
  await t.db.updateTable('articles').set({ published_at: publishedAt.toISOString() }).where('slug', '=', slug).execute();
  await t.app.contentVersion.bump();
}

before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

describe('the sitemap index', () => {
  it('names every child sitemap with an absolute URL, and each one parses', async () => {
    const children = await childSitemaps();
    for (const name of ['sections', 'tags', 'people', 'newsrooms', 'news']) assert.ok(children.includes(`/sitemaps/${name}.xml`), name);
    assert.ok(children.some((c) => c.startsWith('/sitemaps/articles-')));
    for (const child of children) {
      const doc = await fetchXml(child);
      assert.equal(doc.urlset!['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
    }
  });

  it('lists every published article exactly once, and nothing else', async () => {
    const draft = await t.db.selectFrom('articles').select('slug').where('status', '!=', 'published').executeTakeFirst();
    assert.ok(draft, 'the demo holds an article that is not published');
    const slugs = (await articleUrls()).map((u) => decodeURIComponent(pathOf(u.loc).replace(/^\/articles\//, '')));
    assert.deepEqual([...slugs].sort(), await publishedSlugs());
    assert.ok(!slugs.includes(draft.slug));
  });

  it('drops an article once it is unpublished', async () => {
    const [slug] = await publishedSlugs();
    await t.db.updateTable('articles').set({ status: 'unpublished' }).where('slug', '=', slug!).execute();
    await t.app.contentVersion.bump();
    try {
      const slugs = (await articleUrls()).map((u) => pathOf(u.loc));
      assert.ok(!slugs.includes(`/articles/${slug}`));
      assert.deepEqual(slugs.length, (await publishedSlugs()).length);
    } finally {
      await t.db.updateTable('articles').set({ status: 'published' }).where('slug', '=', slug!).execute();
      await t.app.contentVersion.bump();
    }
  });

  it('gives each article its last change and its hero picture as an absolute URL', async () => {
    const urls = await articleUrls();
    for (const url of urls) assert.ok(!Number.isNaN(Date.parse(url.lastmod!)), url.loc);
    const withPicture = urls.filter((u) => u['image:image']);
    assert.ok(withPicture.length > 0);
    for (const url of withPicture) assert.match(url['image:image']![0]!['image:loc'], /^http:\/\/harbinger\.test\/media\/[^/]+\.jpe?g$/);
  });

  it('lists sections, tags with articles, people and newsrooms', async () => {
    const paths = async (name: string) => ((await fetchXml(`/sitemaps/${name}.xml`)).urlset!.url ?? []).map((u) => pathOf(u.loc));
    assert.ok((await paths('sections')).includes('/sections/human-rights'));
    assert.ok((await paths('tags')).length > 0);
    const people = await paths('people');
    const everyone = await t.db.selectFrom('people').select('slug').execute();
    assert.deepEqual([...people].sort(), everyone.map((p) => `/people/${p.slug}`).sort());
    const rooms = await t.db.selectFrom('newsrooms').select('slug').execute();
    assert.deepEqual([...(await paths('newsrooms'))].sort(), rooms.map((r) => `/newsrooms/${r.slug}`).sort());
    for (const path of [...(await paths('sections')), ...(await paths('tags'))].slice(0, 5)) {
      assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 200, path);
    }
  });

  it('splits a year holding more articles than one file may list', async () => {
    const sitemaps = new SitemapsService(t.db, t.config, { perFile: 2 });
    const index = parser.parse(await sitemaps.index()) as Parsed;
    const files = index.sitemapindex!.sitemap.map((s) => pathOf(s.loc).replace('/sitemaps/', '')).filter((f) => f.startsWith('articles-'));
    assert.ok(files.some((f) => /^articles-\d{4}-2\.xml$/.test(f)));
    const slugs: string[] = [];
    for (const file of files) {
      const urls = (parser.parse((await sitemaps.file(file))!) as Parsed).urlset!.url!;
      assert.ok(urls.length <= 2, file);
      slugs.push(...urls.map((u) => pathOf(u.loc).replace('/articles/', '')));
    }
    assert.deepEqual(slugs.sort(), await publishedSlugs());
    assert.equal(await sitemaps.file('articles-1999.xml'), null);
  });

  it('answers 304 to a crawler holding the current version, and 404 for a sitemap that does not exist', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/sitemap.xml' });
    assert.match(first.headers['cache-control'] as string, /^public, max-age=\d+$/);
    const etag = first.headers.etag as string;
    assert.ok(etag);
    const again = await t.app.inject({ method: 'GET', url: '/sitemap.xml', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    for (const name of ['articles-1999.xml', 'nothing.xml', 'articles-2024-0.xml']) {
      assert.equal((await t.app.inject({ method: 'GET', url: `/sitemaps/${name}` })).statusCode, 404, name);
    }
  });
});

describe('the news sitemap', () => {
  it('holds only the articles of the last 48 hours, with the publication and dates', async () => {
    const [fresh, stale] = await publishedSlugs();
    await setPublished(fresh!, new Date(Date.now() - 2 * HOUR));
    await setPublished(stale!, new Date(Date.now() - 50 * HOUR));
    const since = new Date(Date.now() - 48 * HOUR).toISOString();
    const recent = await t.db
      .selectFrom('articles')
      .select(['slug', 'title'])
      .where('status', '=', 'published')
      .where('published_at', '>=', since)
      .execute();
    const urls = (await fetchXml('/sitemaps/news.xml')).urlset!.url ?? [];
    assert.deepEqual(urls.map((u) => pathOf(u.loc)).sort(), recent.map((r) => `/articles/${r.slug}`).sort());
    const item = urls.find((u) => u.loc === `${SITE}/articles/${fresh}`);
    assert.ok(item, 'the article published two hours ago');
    assert.ok(!urls.some((u) => u.loc === `${SITE}/articles/${stale}`), 'not the one of fifty hours ago');
    const news = item['news:news']!;
    assert.equal(news['news:publication']['news:name'], t.config.siteName);
    assert.equal(news['news:publication']['news:language'], 'en');
    assert.ok(Math.abs(Date.parse(news['news:publication_date']) - (Date.now() - 2 * HOUR)) < HOUR);
    assert.equal(news['news:title'], recent.find((r) => r.slug === fresh)!.title);
  });

  it('escapes titles', async () => {
    const [slug] = await publishedSlugs();
    await t.db.updateTable('articles').set({ title: 'Tom & Jerry <say> "hi"' }).where('slug', '=', slug!).execute();
    await setPublished(slug!, new Date(Date.now() - HOUR));
    const res = await t.app.inject({ method: 'GET', url: '/sitemaps/news.xml' });
    assert.ok(res.body.includes('<news:title>Tom &amp; Jerry &lt;say&gt; &quot;hi&quot;</news:title>'));
    const titles = ((parser.parse(res.body) as Parsed).urlset!.url ?? []).map((u) => u['news:news']!['news:title']);
    assert.ok(titles.includes('Tom & Jerry <say> "hi"'));
  });
});

describe('robots.txt', () => {
  it('names the sitemap and keeps crawlers out of the private parts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/robots.txt' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    const lines = res.body.split('\n');
    assert.equal(lines[0], 'User-agent: *');
    for (const path of ['/account', '/newsroom', '/judging', '/api', '/search']) assert.ok(lines.includes(`Disallow: ${path}`), path);
    assert.ok(lines.includes(`Sitemap: ${SITE}/sitemap.xml`));
  });
});

describe('noindex', () => {
  const NOINDEX = '<meta name="robots" content="noindex"/>';

  it('marks account and newsroom pages, not articles or section pages', async () => {
    for (const path of ['/account/sign-in', '/account/sign-up']) {
      assert.ok((await t.app.inject({ method: 'GET', url: path })).body.includes(NOINDEX), path);
    }
    const chief = await staffClient(t, 'aarav-kulkarni');
    for (const path of ['/newsroom', '/newsroom/articles']) {
      const res = await chief.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.ok(res.body.includes(NOINDEX), path);
    }
    const [slug] = await publishedSlugs();
    for (const path of [`/articles/${slug}`, '/sections/human-rights', '/']) {
      const res = await t.app.inject({ method: 'GET', url: path });
      assert.equal(res.statusCode, 200, path);
      assert.ok(!res.body.includes(NOINDEX), path);
      assert.equal(res.headers['x-robots-tag'], undefined, path);
    }
  });

  it('tells crawlers by header not to index answers under those paths, previews and JSON included', async () => {
    const chief = await staffClient(t, 'aarav-kulkarni');
    const draft = await t.db.selectFrom('articles').select('id').where('status', '!=', 'published').executeTakeFirstOrThrow();
    const preview = await chief.get(`/newsroom/articles/${draft.id}/preview`);
    assert.equal(preview.statusCode, 200);
    assert.equal(preview.headers['x-robots-tag'], 'noindex');
    for (const path of ['/api/judging', '/account/sign-in', '/search?q=x']) {
      assert.equal((await t.app.inject({ method: 'GET', url: path })).headers['x-robots-tag'], 'noindex', path);
    }
  });
});
