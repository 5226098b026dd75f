import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalChangeBus } from '../../src/web/change-bus.js';
import { ReaderStateCache } from '../../src/web/reader-state.js';

describe('reader state cache', () => {
  it('asks only about articles it does not know, until a reader message drops the reader', async () => {
    const bus = new LocalChangeBus();
    const cache = new ReaderStateCache(10_000, 100);
    cache.listen(bus);
    const asked: string[][] = [];
    let marked = new Set(['a']);
    const load = async (ids: string[]) => {
      asked.push(ids);
      return new Set(ids.filter((id) => marked.has(id)));
    };
    assert.deepEqual([...(await cache.bookmarks('u1', ['a', 'b'], load))], ['a']);
    assert.deepEqual([...(await cache.bookmarks('u1', ['a', 'b', 'c'], load))], ['a']);
    assert.deepEqual(asked, [['a', 'b'], ['c']]);
    marked = new Set(['b']);
    await bus.publish({ kind: 'reader', userId: 'u1' });
    assert.deepEqual([...(await cache.bookmarks('u1', ['a', 'b'], load))], ['b']);
    assert.equal(asked.length, 3);
  });

  it('does not keep what a lookup read before the reader was dropped', async () => {
    const cache = new ReaderStateCache(10_000, 100);
    let loads = 0;
    const slow = async () => {
      loads++;
      cache.drop('u1');
      return new Set(['weekly']);
    };
    await cache.newsletters('u1', slow);
    await cache.newsletters('u1', slow);
    assert.equal(loads, 2);
    await cache.newsletters('u1', async () => {
      loads++;
      return new Set(['weekly']);
    });
    assert.deepEqual([...(await cache.newsletters('u1', slow))], ['weekly']);
    assert.equal(loads, 3);
  });

  it('forgets everyone on "drop everything", and keeps nothing past its time', async () => {
    const bus = new LocalChangeBus();
    let now = 0;
    const cache = new ReaderStateCache(1_000, 100, () => now);
    cache.listen(bus);
    let loads = 0;
    const load = async () => (loads++, new Set<string>());
    await cache.newsletters('u1', load);
    await cache.newsletters('u1', load);
    assert.equal(loads, 1);
    await bus.publish({ kind: 'content', generation: -1, keys: null });
    await cache.newsletters('u1', load);
    assert.equal(loads, 2);
    now = 1_000;
    await cache.newsletters('u1', load);
    assert.equal(loads, 3);
  });
});
