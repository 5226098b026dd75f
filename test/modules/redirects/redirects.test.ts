// Old addresses keep working: a stored redirect answers 301 (or 302) with its
// Location whichever way the old address is written, only when no route of the
// site matched it; /?p=123 is answered before the home page; an import never
// overwrites a redirect made by hand; no redirect may lead off the site, to
// itself or round a loop.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normaliseRedirectPath, RedirectRefused, setRedirect } from '../../../src/modules/redirects/index.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';

let t: TestApp;
const article = 'phones-in-lockers-what-happened-when-two-schools-went-screen-free';
const target = `/articles/${article}`;

before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

/** What an importer does: setRedirect inside its own transaction, then the content version moves on. */
async function imported(from: string, to: string, source = 'wordpress', status?: 301 | 302) {
  const result = await t.db.transaction().execute((trx) => setRedirect(trx, { from, to, source, ...(status ? { status } : {}) }));
  await t.app.contentVersion.bump();
  return result;
}

const get = (url: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') => t.app.inject({ method, url });

describe('the key of an old address', () => {
  it('is the same for a full URL, a trailing slash, percent-escapes in either case and the letters themselves', () => {
    const key = normaliseRedirectPath('/при/');
    assert.equal(key, '/%D0%BF%D1%80%D0%B8');
    for (const form of ['/%D0%BF%D1%80%D0%B8/', '/%d0%bf%d1%80%d0%b8', 'https://old.example.org/при/#comments', '/при//'])
      assert.equal(normaliseRedirectPath(form), key, form);
    assert.equal(normaliseRedirectPath('https://old.example.org/2019/04/12/slug/?utm_source=x'), '/2019/04/12/slug');
    assert.equal(normaliseRedirectPath('https://old.example.org/?p=0123'), '/?p=123');
    assert.equal(normaliseRedirectPath('/index.php?page_id=7'), '/?page_id=7');
    assert.equal(normaliseRedirectPath('/?p=7&page_id=8'), '/', 'two old ids name nothing');
    assert.notEqual(normaliseRedirectPath('/About'), normaliseRedirectPath('/about'), 'paths keep their case');
    assert.equal(normaliseRedirectPath('//old.example.org/x'), '/old.example.org/x', 'a path, never another host');
    for (const bad of ['', 'slug', 'javascript:alert(1)', 'ftp://old.example.org/x', '/%E0%A4', '/a%00b'])
      assert.equal(normaliseRedirectPath(bad), null, bad);
  });
});

describe('setRedirect', () => {
  it('creates, leaves unchanged and updates as an import runs again', async () => {
    assert.equal(await imported('https://old.example.org/2019/04/12/screen-free/', target), 'created');
    assert.equal(await imported('/2019/04/12/screen-free', target), 'unchanged');
    assert.equal(await imported('/2019/04/12/screen-free/', '/search'), 'updated');
    assert.equal(await imported('/2019/04/12/screen-free/', target), 'updated');
    const rows = await t.db.selectFrom('redirects').selectAll().where('from_path', '=', '/2019/04/12/screen-free').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.to_path, target);
    assert.equal(rows[0]!.status_code, 301);
  });

  it('keeps a redirect made by hand over an import', async () => {
    assert.equal(await imported('/kept-by-hand/', '/search', 'manual'), 'created');
    assert.equal(await imported('/kept-by-hand/', target, 'wordpress'), 'kept');
    const row = await t.db.selectFrom('redirects').selectAll().where('from_path', '=', '/kept-by-hand').executeTakeFirstOrThrow();
    assert.equal(row.to_path, '/search');
    assert.equal(row.source, 'manual');
  });

  it('refuses a target off the site, so no redirect can send a reader away', async () => {
    for (const to of [
      '//evil.example/x',
      'https://evil.example/',
      'http:evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      'evil.example/x',
    ]) {
      await assert.rejects(imported('/open-door', to), (error) => error instanceof RedirectRefused && error.problem === 'to_invalid', to);
    }
    assert.equal(await t.db.selectFrom('redirects').select('id').where('from_path', '=', '/open-door').executeTakeFirst(), undefined);
  });

  it('refuses a redirect to itself and one that closes a loop', async () => {
    await assert.rejects(imported('/loop-self/', '/loop-self'), (e) => e instanceof RedirectRefused && e.problem === 'to_self');
    assert.equal(await imported('/loop-a', '/loop-b'), 'created');
    assert.equal(await imported('/loop-b', '/loop-c/'), 'created');
    await assert.rejects(imported('/loop-c', '/loop-a/'), (e) => e instanceof RedirectRefused && e.problem === 'loop');
    await assert.rejects(imported('/loop-b', '/loop-a'), (e) => e instanceof RedirectRefused && e.problem === 'loop');
    const c = await t.db.selectFrom('redirects').select('id').where('from_path', '=', '/loop-c').executeTakeFirst();
    assert.equal(c, undefined, 'nothing half-written');
  });
});

describe('answering an old address', () => {
  before(async () => {
    await imported('/2018/11/03/old-story/', target);
    await imported('https://old.example.org/при-вет/', target);
    await imported('/?p=123', target);
    await imported('/?page_id=7', '/search', 'wordpress', 302);
    await imported('/tag/phones/', '/search?q=phones');
    // A path the site answers itself: the site's page wins.
    await imported('/search', target);
  });

  it('answers 301 with the new address, with or without the trailing slash', async () => {
    for (const url of ['/2018/11/03/old-story', '/2018/11/03/old-story/', '/2018/11/03//old-story/']) {
      const res = await get(url);
      assert.equal(res.statusCode, 301, url);
      assert.equal(res.headers.location, target, url);
    }
    assert.equal((await get('/2018/11/03/old-story/', 'HEAD')).statusCode, 301);
  });

  it('finds a non-ASCII address however its escapes are written', async () => {
    for (const url of ['/%D0%BF%D1%80%D0%B8-%D0%B2%D0%B5%D1%82/', '/%d0%bf%d1%80%d0%b8-%d0%b2%d0%b5%d1%82', encodeURI('/при-вет')]) {
      const res = await get(url);
      assert.equal(res.statusCode, 301, url);
      assert.equal(res.headers.location, target, url);
    }
  });

  it('answers a one-segment old address, which a page of the site could have had', async () => {
    await imported('/about-the-old-club/', target);
    const res = await get('/about-the-old-club/');
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, target);
    const demo = await get('/weekly/');
    assert.equal(demo.statusCode, 302, 'the demo’s redirect set by hand');
    assert.equal(demo.headers.location, '/newsletters');
  });

  it('passes the visitor’s own query string on, unless the target has one', async () => {
    assert.equal((await get('/2018/11/03/old-story/?utm_source=letter')).headers.location, `${target}?utm_source=letter`);
    assert.equal((await get('/tag/phones/?utm_source=letter')).headers.location, '/search?q=phones');
  });

  it('answers the old site’s /?p=123 and /?page_id=7 before the home page, and leaves the home page alone', async () => {
    const p = await get('/?p=123');
    assert.equal(p.statusCode, 301);
    assert.equal(p.headers.location, target);
    const page = await get('/?page_id=7');
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, '/search');
    assert.equal((await get('/index.php?p=123')).headers.location, target);
    assert.equal((await get('/?p=123&fbclid=IwAR0x')).headers.location, target, 'a share’s tracking field beside it');
    assert.equal((await get('/?utm_source=x&p=123')).headers.location, target);
    assert.equal((await get('/?p=999')).statusCode, 200, 'an unknown old id shows the home page');
    assert.equal((await get('/')).statusCode, 200);
  });

  it('never redirects an address a route of the site answers', async () => {
    const res = await get('/search');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers.location, undefined);
    assert.equal((await get(target)).statusCode, 200);
  });

  it('still answers the 404 page for an address it does not know, and a form sent to an old address', async () => {
    const res = await get('/2018/11/03/never-was/');
    assert.equal(res.statusCode, 404);
    assert.match(textOf(res.body), /Page not found/);
    assert.equal((await get('/2018/11/03/old-story/', 'POST')).statusCode, 404);
  });

  it('remembers answers until the content version moves on, so a flood of unknown addresses costs one query', async () => {
    const lookup = t.app.redirectLookup;
    const before = lookup.queries;
    for (let i = 0; i < 20; i++) assert.equal((await get('/flood/unknown-address')).statusCode, 404);
    assert.equal(lookup.queries - before, 1);

    // Written behind the lookup's back: the remembered answer stands until the next change.
    await t.db
      .insertInto('redirects')
      .values({
        id: '01900000-0000-7000-8000-000000000001',
        from_path: '/flood/unknown-address',
        to_path: target,
        status_code: 301,
        source: 'manual',
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
    assert.equal((await get('/flood/unknown-address')).statusCode, 404);
    await t.app.contentVersion.bump();
    assert.equal((await get('/flood/unknown-address')).statusCode, 301);
  });
});
