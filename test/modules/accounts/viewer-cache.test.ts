// The signed-in viewer is cached for a few seconds per session token, and a
// session that ends (or changes meaning) stops working at once anyway: on the
// server that ended it and on another server of the same site, which hears of
// it on the change bus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { hashPassword } from '../../../src/modules/accounts/secrets.js';
import { SESSION_COOKIE, ViewerCache, type Viewer } from '../../../src/web/viewer.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, databaseKind, type TestApp } from '../../helpers.js';

let t: TestApp;
/** A second server of the same site: same database, and every message of the first one's bus. */
let other: FastifyInstance;
before(async () => {
  t = await buildTestApp();
  // The test's database stays open until t.close(): the second app only borrows it, as apps do.
  other = await buildApp({ config: t.config, database: { db: t.db, kind: databaseKind, close: async () => undefined }, logger: false });
  t.app.changeBus.subscribe((message) => void other.changeBus.publish(message));
});
after(async () => {
  await other.close();
  await t.close();
});

let n = 0;
/** A verified reader signed in on a fresh session; returns the session cookie's value. */
async function reader(name = 'Cached Reader'): Promise<{ userId: string; token: string }> {
  const userId = await t.app.accounts.createVerifiedUser(`viewer-cache-${++n}-${Date.now()}@example.org`, name);
  const { token } = await t.app.accounts.createSession(userId, false);
  return { userId, token };
}

/** Who the account page says is signed in with this session cookie, on this server (null: sent to sign in). */
async function signedInAs(app: FastifyInstance, token: string): Promise<string | null> {
  const res = await app.inject({ method: 'GET', url: '/account', cookies: { [SESSION_COOKIE]: token } });
  if (res.statusCode !== 200) return null;
  return /Signed in as <strong>([^<]+)<\/strong>/.exec(res.body)?.[1] ?? null;
}

describe('the viewer cache', () => {
  it('keeps a signed-in viewer between requests', async () => {
    const { token } = await reader('Kept Kim');
    assert.equal(await signedInAs(t.app, token), 'Kept Kim');
    const before = t.app.viewerCache.size;
    assert.equal(await signedInAs(t.app, token), 'Kept Kim');
    assert.equal(t.app.viewerCache.size, before, 'the second request reuses the cached viewer');
    assert.ok(t.app.viewerCache.get(ViewerCache.keyOf(token)), 'cached under a hash of the token');
  });

  it('after signing out, the old cookie no longer works, on this server and on the other, within the cache time', async () => {
    const { token } = await reader('Leaving Lee');
    // Both servers have the viewer cached.
    assert.equal(await signedInAs(t.app, token), 'Leaving Lee');
    assert.equal(await signedInAs(other, token), 'Leaving Lee');
    const b = new Browserish(t.app);
    b.cookies.set(SESSION_COOKIE, token);
    await b.get('/account');
    const out = await b.post('/account/sign-out', {});
    assert.equal(out.statusCode, 303);
    assert.equal(await signedInAs(t.app, token), null);
    assert.equal(await signedInAs(other, token), null);
  });

  it("a deleted account's session stops working at once on both servers", async () => {
    const { userId, token } = await reader('Gone Gabi');
    assert.equal(await signedInAs(t.app, token), 'Gone Gabi');
    assert.equal(await signedInAs(other, token), 'Gone Gabi');
    await t.app.accounts.deleteAccount(userId);
    assert.equal(await signedInAs(t.app, token), null);
    assert.equal(await signedInAs(other, token), null);
  });

  it('signing out everywhere ends every session of the account on both servers', async () => {
    const { userId, token } = await reader('Everywhere Eli');
    const { token: second } = await t.app.accounts.createSession(userId, true);
    assert.equal(await signedInAs(other, token), 'Everywhere Eli');
    assert.equal(await signedInAs(other, second), 'Everywhere Eli');
    await t.app.accounts.signOutEverywhere(userId);
    assert.equal(await signedInAs(other, token), null);
    assert.equal(await signedInAs(other, second), null);
  });

  it('a changed display name shows at once on the other server', async () => {
    const { userId, token } = await reader('Old Name');
    assert.equal(await signedInAs(other, token), 'Old Name');
    await t.app.accounts.updateProfile(userId, 'New Name');
    assert.equal(await signedInAs(other, token), 'New Name');
  });

  it('a password change keeps the changing session but ends the others, on both servers', async () => {
    const { userId, token: kept } = await reader('Pat Password');
    await t.db
      .updateTable('users')
      .set({ password_hash: await hashPassword('the old long password') })
      .where('id', '=', userId)
      .execute();
    const { token: thief } = await t.app.accounts.createSession(userId, false);
    assert.equal(await signedInAs(other, thief), 'Pat Password');
    assert.equal(await signedInAs(other, kept), 'Pat Password');
    const keptViewer = await t.app.accounts.viewerForSession(kept);
    assert.equal(await t.app.accounts.changePassword(userId, 'the old long password', 'a new long password', keptViewer!.sessionId), true);
    assert.equal(await signedInAs(other, thief), null);
    assert.equal(await signedInAs(other, kept), 'Pat Password');
  });
});

describe('ViewerCache', () => {
  const viewer = (sessionId: string, sessionExpiresAt?: number): Viewer => ({
    userId: `u-${sessionId}`,
    displayName: sessionId,
    email: `${sessionId}@example.org`,
    sessionId,
    staff: null,
    ...(sessionExpiresAt === undefined ? {} : { sessionExpiresAt }),
  });

  it('forgets a viewer after its time, and never keeps one past its session', () => {
    let now = 1_000;
    const cache = new ViewerCache(10_000, 10, () => now);
    cache.set('a', viewer('s1'));
    cache.set('b', viewer('s2', 3_000));
    now = 2_999;
    assert.equal(cache.get('b')?.sessionId, 's2');
    now = 3_000;
    assert.equal(cache.get('b'), undefined, 'the session ran out');
    assert.equal(cache.get('a')?.sessionId, 's1');
    now = 11_000;
    assert.equal(cache.get('a'), undefined);
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const cache = new ViewerCache(10_000, 2);
    cache.set('a', viewer('s1'));
    cache.set('b', viewer('s2'));
    cache.get('a');
    cache.set('c', viewer('s3'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a')?.sessionId, 's1');
    assert.equal(cache.get('c')?.sessionId, 's3');
  });

  it('an ended session is dropped, and a lookup that raced the ending cannot put it back', () => {
    let now = 0;
    const cache = new ViewerCache(10_000, 10, () => now);
    cache.set('a', viewer('s1'));
    cache.dropSession('s1');
    assert.equal(cache.get('a'), undefined);
    cache.set('a', viewer('s1'));
    assert.equal(cache.get('a'), undefined, 'refused while the ending may not be committed everywhere');
    now = 10_001;
    cache.set('a', viewer('s1'));
    assert.equal(cache.get('a')?.sessionId, 's1');
  });

  it('a time of 0 turns it off', () => {
    const cache = new ViewerCache(0, 10);
    cache.set('a', viewer('s1'));
    assert.equal(cache.get('a'), undefined);
  });
});
