// HTTP caching as a browser and a CDN see it: the headers of anonymous and
// signed-in pages, 304s, Last-Modified, surrogate keys, the render cache dropping
// only the pages a change affects, no cookie on any cacheable answer, and the CDN
// purge job (its three request shapes, retried when the CDN fails).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { jobsByKind } from '../../src/jobs/index.js';
import { newId } from '../../src/lib/ids.js';
import { CDN_PURGE_JOB, purgeRequests, sendPurge } from '../../src/web/cdn-purge.js';
import { buildTestApp, type TestApp } from '../helpers.js';
import { articleFormValues } from '../forms.js';
import { readerClient } from '../readers.js';
import { staffClient } from '../staff.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ env: { CACHE_S_MAXAGE: '900', CACHE_STALE_WHILE_REVALIDATE: '45' } });
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

async function newestArticle() {
  return t.db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.slug', 'articles.updated_at', 'sections.slug as section', 'sections.id as sectionId'])
    .where('articles.status', '=', 'published')
    .orderBy('articles.published_at', 'desc')
    .executeTakeFirstOrThrow();
}

async function otherSection(notId: string) {
  return t.db
    .selectFrom('sections')
    .innerJoin('articles', 'articles.section_id', 'sections.id')
    .select(['sections.id', 'sections.slug'])
    .where('sections.id', '!=', notId)
    .where('articles.status', '=', 'published')
    .executeTakeFirstOrThrow();
}

describe('headers of pages', () => {
  it('lets shared caches keep an anonymous page, names what it shows, and answers 304 to its ETag', async () => {
    const article = await newestArticle();
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=60, s-maxage=900, stale-while-revalidate=45');
    assert.match(String(res.headers.etag), /^"[A-Za-z0-9_-]{22}"$/, 'a strong ETag');
    assert.match(String(res.headers.vary), /Cookie/);
    assert.equal(res.headers['set-cookie'], undefined);
    const keys = String(res.headers['surrogate-key']).split(' ');
    assert.ok(keys.includes('site') && keys.includes('home'), keys.join(' '));
    assert.ok(keys.includes(`a:${article.id}`), 'the home page shows the newest article');
    assert.equal(res.headers['cache-tag'], keys.join(','));

    const again = await get('/', { 'if-none-match': String(res.headers.etag) });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal((await get('/', { 'if-none-match': '"something-else"' })).statusCode, 200);
  });

  it('sends an article’s Last-Modified, and 304 to an If-Modified-Since not older than it', async () => {
    const article = await newestArticle();
    const res = await get(`/articles/${article.slug}`);
    assert.equal(res.statusCode, 200);
    const lastModified = String(res.headers['last-modified']);
    assert.equal(lastModified, new Date(String(article.updated_at)).toUTCString());
    const keys = String(res.headers['surrogate-key']).split(' ');
    assert.ok(keys.includes(`a:${article.id}`));
    assert.ok(keys.includes(`s:${article.section}`) === false, 'an article page is not a listing of its section');
    assert.equal((await get(`/articles/${article.slug}`, { 'if-modified-since': lastModified })).statusCode, 304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    assert.equal((await get(`/articles/${article.slug}`, { 'if-modified-since': earlier })).statusCode, 200);
  });

  it('keeps a signed-in reader’s pages private and unnamed', async () => {
    const reader = await readerClient(t, `cache-${newId()}@example.org`, 'Cache Reader');
    for (const url of ['/', '/sections/climate', `/articles/${(await newestArticle()).slug}`]) {
      const res = await reader.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], 'private, no-store', url);
      assert.equal(res.headers['surrogate-key'], undefined, url);
    }
  });

  it('gives feeds and sitemaps their keys, for a purge to find them', async () => {
    const feed = await get('/feed.xml');
    assert.equal(feed.statusCode, 200);
    assert.equal(feed.headers['surrogate-key'], 'site feeds');
    assert.equal((await get('/feed.xml', { 'if-none-match': String(feed.headers.etag) })).statusCode, 304);
    const sitemap = await get('/sitemap.xml');
    assert.equal(sitemap.statusCode, 200);
    assert.equal(sitemap.headers['surrogate-key'], 'site sitemaps');
  });
});

describe('the render cache', () => {
  it('drops only the pages showing an edited article', async () => {
    const article = await newestArticle();
    const other = await otherSection(article.sectionId);
    const showing = [`/articles/${article.slug}`, `/sections/${article.section}`, '/'];
    const unrelated = `/sections/${other.slug}`;
    const before = new Map<string, string>();
    for (const url of [...showing, unrelated]) before.set(url, (await get(url)).body);
    // Changed behind the app's back: only a page drawn again shows it.
    const marker = `Described at ${newId()}`;
    await t.db.updateTable('sections').set({ description: marker }).where('id', '=', other.id).execute();

    const chief = await staffClient(t, 'aarav-kulkarni');
    const editor = await chief.get(`/newsroom/articles/${article.id}`);
    const dek = `Edited at ${newId()}`;
    const saved = await chief.post(`/newsroom/articles/${article.id}`, { ...articleFormValues(editor.body), dek });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));

    const page = await get(showing[0]!);
    assert.ok(page.body.includes(dek), 'the article page shows the edit');
    assert.notEqual(page.headers.etag, undefined);
    for (const url of showing.slice(1)) {
      const res = await get(url);
      assert.notEqual(res.body, before.get(url), `${url} was drawn again`);
    }
    const still = await get(unrelated);
    assert.equal(still.body, before.get(unrelated), 'a page not showing the article stays cached');
    assert.ok(!still.body.includes(marker));

    await t.app.contentVersion.bump();
    assert.ok((await get(unrelated)).body.includes(marker), 'a change without keys drops everything');
  });
});

describe('cookies and shared caches', () => {
  it('sets no cookie on any cacheable answer while crawling the anonymous site', async () => {
    const seen = new Set<string>();
    const queue = ['/', '/people', '/feed.xml', '/sitemap.xml', '/search?q=climate'];
    let cacheable = 0;
    while (queue.length > 0 && seen.size < 120) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await get(url);
      const cacheControl = String(res.headers['cache-control'] ?? '');
      if (/public|s-maxage/.test(cacheControl)) {
        cacheable++;
        assert.equal(res.headers['set-cookie'], undefined, `${url} is cacheable and sets a cookie`);
      }
      if (!String(res.headers['content-type']).startsWith('text/html')) continue;
      for (const m of res.body.matchAll(/href="(\/[^"#]*)"/g)) {
        const link = m[1]!.replace(/&amp;/g, '&');
        if (!link.startsWith('/assets/') && !link.startsWith('/media/') && !seen.has(link)) queue.push(link);
      }
    }
    assert.ok(cacheable > 20, `crawled ${seen.size} addresses, ${cacheable} cacheable`);
  });

  it('answers privately when the wall’s meter sets its cookie', async () => {
    const metered = await buildTestApp({ env: { WALL_FREE_ARTICLES: '2' } });
    try {
      const registered = await metered.db
        .selectFrom('articles')
        .select('slug')
        .where('access', '=', 'registered')
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow();
      const res = await metered.app.inject({ method: 'GET', url: `/articles/${registered.slug}` });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['set-cookie']), /hb_meter=/);
      assert.equal(res.headers['cache-control'], 'private, no-store');
      assert.equal(res.headers['surrogate-key'], undefined);
    } finally {
      await metered.close();
    }
  });
});

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in CDN API on a free port: records each request and answers with the next status. */
async function fakeCdn(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, server };
}

describe('the CDN purge', () => {
  it('sends the keys in the shape of each CDN', async () => {
    const cdn = await fakeCdn([200, 200, 200]);
    try {
      const keys = ['a:1', 'home', 's:climate'];
      await sendPurge({ purgeUrl: `${cdn.url}/`, style: 'varnish', token: undefined }, keys);
      await sendPurge({ purgeUrl: `${cdn.url}/service/SVC1`, style: 'fastly', token: 'fastly-secret' }, keys);
      await sendPurge({ purgeUrl: `${cdn.url}/client/v4/zones/Z1/purge_cache`, style: 'cloudflare', token: 'cf-secret' }, keys);
      const [varnish, fastly, cloudflare] = cdn.received;
      assert.equal(varnish!.method, 'PURGE');
      assert.equal(varnish!.url, '/');
      assert.equal(varnish!.headers['x-purge-keys'], 'a:1 home s:climate');
      assert.equal(fastly!.method, 'POST');
      assert.equal(fastly!.url, '/service/SVC1/purge');
      assert.equal(fastly!.headers['surrogate-key'], 'a:1 home s:climate');
      assert.equal(fastly!.headers['fastly-key'], 'fastly-secret');
      assert.equal(cloudflare!.method, 'POST');
      assert.equal(cloudflare!.url, '/client/v4/zones/Z1/purge_cache');
      assert.equal(cloudflare!.headers.authorization, 'Bearer cf-secret');
      assert.deepEqual(JSON.parse(cloudflare!.body), { tags: keys });
    } finally {
      cdn.server.close();
    }
    const many = Array.from({ length: 70 }, (_, i) => `a:${i}`);
    const batches = purgeRequests({ purgeUrl: 'https://api.cloudflare.com/zones/Z/purge_cache', style: 'cloudflare', token: 'x' }, many);
    assert.deepEqual(
      batches.map((b) => (JSON.parse(b.body!) as { tags: string[] }).tags.length),
      [30, 30, 10],
      'Cloudflare takes 30 tags a request',
    );
  });

  it('is queued with each change and retried until the CDN accepts it, never naming the token', async () => {
    const statuses: number[] = [];
    const cdn = await fakeCdn(statuses);
    const app = await buildTestApp({
      env: { CDN_PURGE_URL: `${cdn.url}/`, CDN_PURGE_STYLE: 'varnish', CDN_PURGE_TOKEN: 'very-secret-token' },
    });
    try {
      while ((await app.app.worker.runOnce()) > 0); // the start-up change's purge
      assert.equal(cdn.received.at(-1)?.headers['x-purge-keys'], 'site', 'a change without keys purges every page');
      cdn.received.length = 0;
      statuses.push(500, 200);
      await app.app.contentVersion.bump(['a:42', 'home']);
      await app.app.worker.runOnce();
      assert.equal(cdn.received.length, 1);
      const [failed] = await jobsByKind(app.db, CDN_PURGE_JOB, 'pending');
      assert.ok(failed, 'the job waits for another try');
      assert.equal(failed.attempts, 1);
      assert.match(String(failed.last_error), /status 500/);
      assert.doesNotMatch(String(failed.last_error), /very-secret-token/);
      // Its backoff is over.
      await app.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', failed.id)
        .execute();
      await app.app.worker.runOnce();
      assert.equal(cdn.received.length, 2);
      for (const r of cdn.received) {
        assert.equal(r.method, 'PURGE');
        assert.equal(r.headers['x-purge-keys'], 'a:42 home');
        assert.equal(r.headers.authorization, 'Bearer very-secret-token');
      }
      assert.equal((await jobsByKind(app.db, CDN_PURGE_JOB, 'pending')).length, 0);
      assert.ok((await jobsByKind(app.db, CDN_PURGE_JOB, 'done')).some((j) => j.id === failed.id));
    } finally {
      await app.close();
      cdn.server.close();
    }
  });
});
