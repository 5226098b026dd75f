// How a content change reaches the render caches of several processes sharing a
// database: those hearing it on the change bus drop only the pages with its keys;
// one that did not hear it (no shared bus) drops everything when its poll sees
// the new generation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalChangeBus } from '../../src/web/change-bus.js';
import { ContentVersion } from '../../src/web/content-version.js';
import { RenderCache } from '../../src/web/render-cache.js';
import { createTestDatabase, type TestDatabase } from '../helpers.js';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.drop());

function fill(cache: RenderCache): void {
  cache.set('home', '<p>home</p>', 200, { keys: ['home', 'a:1', 'a:2'] });
  cache.set('article-1', '<p>one</p>', 200, { keys: ['a:1', 's:climate'] });
  cache.set('article-3', '<p>three</p>', 200, { keys: ['a:3'] });
  cache.set('about', '<p>about</p>', 200, { keys: ['pg:about'] });
}

const cached = (cache: RenderCache) => ['home', 'article-1', 'article-3', 'about'].filter((k) => cache.get(k) !== undefined);

describe('the content version', () => {
  it('drops only the pages showing the changed keys in every process on the bus, and everything where it was not heard', async () => {
    const shared = new LocalChangeBus();
    const here = new RenderCache(100);
    const there = new RenderCache(100);
    const elsewhere = new RenderCache(100);
    const a = new ContentVersion(database.db, here, { bus: shared, purge: false });
    const b = new ContentVersion(database.db, there, { bus: shared, purge: false });
    // A process without a shared bus: it learns of changes only from the database.
    const c = new ContentVersion(database.db, elsewhere, { bus: new LocalChangeBus(), purge: false });
    await Promise.all([a.refresh(), b.refresh(), c.refresh()]);
    for (const cache of [here, there, elsewhere]) fill(cache);
    const heard: (readonly string[] | null)[] = [];
    b.onChange((keys) => heard.push(keys));

    await a.bump(['a:1']);
    assert.deepEqual(cached(here), ['article-3', 'about']);
    assert.deepEqual(cached(there), ['article-3', 'about'], 'the other process on the bus dropped the same pages');
    assert.deepEqual(heard, [['a:1']], 'module caches hear the keys');
    assert.deepEqual(cached(elsewhere), ['home', 'article-1', 'article-3', 'about'], 'not heard yet');

    await c.refresh();
    assert.deepEqual(cached(elsewhere), [], 'a generation it did not hear drops everything');
    await b.refresh();
    assert.deepEqual(cached(there), ['article-3', 'about'], 'a generation it heard changes nothing when polled');

    await b.bump();
    assert.deepEqual(cached(here), [], 'a change without keys drops everything');
    assert.deepEqual(heard.at(-1), null);
  });

  it('drops everything when a message shows generations were missed, or names the site', () => {
    const cache = new RenderCache(100);
    cache.advanceTo(5);
    fill(cache);
    cache.applyChange(6, ['pg:about']);
    assert.deepEqual(cached(cache), ['home', 'article-1', 'article-3']);
    cache.applyChange(8, ['pg:about']);
    assert.deepEqual(cached(cache), [], 'generation 7 was never heard');
    fill(cache);
    cache.applyChange(9, ['site']);
    assert.deepEqual(cached(cache), []);
  });
});
