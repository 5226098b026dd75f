// A person's page lists every piece they wrote, one page (of the site's page size)
// at a time, newest first, with prev/next links, and answers 404 past the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles as demoArticles } from '../../../src/demo/content.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ env: { PAGE_SIZE: '2' } });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

/** The slugs listed under "Articles written", in order. */
function written(html: string): string[] {
  const start = html.indexOf('id="written-heading"');
  const list = html.slice(start, html.indexOf('</section>', start));
  return [...list.matchAll(/<h3 class="teaser__title"><a href="\/articles\/([^"]+)">/g)].map((m) => m[1]!);
}

describe('a person’s articles, page by page', () => {
  const yukis = demoArticles
    .filter((a) => a.status === 'published' && a.authors.includes('yuki-hartmann'))
    .sort((a, b) => b.publishedAt!.localeCompare(a.publishedAt!))
    .map((a) => a.slug);

  it('lists the newest on the first page, with a link to the next', async () => {
    assert.equal(yukis.length, 4, 'the demo gives Yuki four articles');
    const res = await get('/people/yuki-hartmann');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(written(res.body), yukis.slice(0, 2));
    assert.match(res.body, /<a href="\/people\/yuki-hartmann\?page=2" rel="next">/);
    assert.doesNotMatch(res.body, /rel="prev"/);
    assert.match(res.body, /Page 1 of 2/);
  });

  it('lists the older ones on the second page, with a link back and its own title and canonical address', async () => {
    const res = await get('/people/yuki-hartmann?page=2');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(written(res.body), yukis.slice(2, 4));
    assert.match(res.body, /<a href="\/people\/yuki-hartmann" rel="prev">/);
    assert.doesNotMatch(res.body, /rel="next"/);
    assert.match(res.body, /<title>Yuki Hartmann \(page 2\)/);
    assert.match(res.body, /<link rel="canonical" href="http:\/\/harbinger\.test\/people\/yuki-hartmann\?page=2"\/>/);
  });

  it('answers 404 past the last page, and 400 for a page that is not a number', async () => {
    assert.equal((await get('/people/yuki-hartmann?page=3')).statusCode, 404);
    assert.equal((await get('/people/yuki-hartmann?page=0')).statusCode, 400);
    assert.equal((await get('/people/yuki-hartmann?page=two')).statusCode, 400);
  });

  it('shows one page without pagination for someone with few articles, and no draft', async () => {
    const res = await get('/people/amara-nwosu');
    const amaras = demoArticles.filter((a) => a.status === 'published' && a.authors.includes('amara-nwosu')).map((a) => a.slug);
    assert.deepEqual(written(res.body).sort(), amaras.sort());
    assert.doesNotMatch(res.body, /class="pagination"/);
    assert.ok(!res.body.includes('the-hidden-price-of-the-school-uniform'), 'the draft is not listed');
    assert.equal((await get('/people/amara-nwosu?page=2')).statusCode, 404);
  });
});
