// With REDIS_URL, two app servers on one database hear each other: a change
// published through one drops the other's cached pages, per-address rate limits
// count the attempts made at both, a sign-out on one ends the cached viewer on
// the other, and the change bus survives Redis restarting (dropping everything
// it cached, since messages may have been lost meanwhile). Runs on SQLite and
// PostgreSQL when Redis answers at REDIS_URL (default redis://127.0.0.1:6379).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { articles as demoArticles } from '../../src/demo/content.js';
import { loadConfig } from '../../src/config.js';
import type { ChangeMessage } from '../../src/web/change-bus.js';
import { connectRedis, DROP_EVERYTHING, quit, RedisChangeBus, redactedRedisUrl, redisPrefixFor } from '../../src/web/redis.js';
import { keepCookies } from '../browserish.js';
import { REDIS_URL, redisAnswers } from '../redis.js';
import { createTestDatabase, databaseKind, TEST_MEDIA_DIR, type TestDatabase } from '../helpers.js';
import { freePort } from '../harbinger-process.js';

const redisUp = await redisAnswers(REDIS_URL);
const skip = redisUp
  ? false
  : `Redis does not answer at ${REDIS_URL.replace(/\/\/[^@/]*@/, '//')}: start it (or set REDIS_URL) to run these tests`;
if (skip) console.log(`# skipped: ${skip}`);

/** Waits until `check` holds, asking every 20 ms, for at most `ms`; returns whether it held. */
async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; ;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const quiet = { warn: () => undefined, info: () => undefined };

/**
 * A browser at `ip` that keeps its cookies in `jar`, asking either server: a
 * request sends the jar's cookies (or `cookies`, a copy kept from earlier) and
 * keeps what the answer sets in the jar.
 */
function browserAt(ip: string, jar = new Map<string, string>()) {
  return async (
    app: FastifyInstance,
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string>,
    cookies = jar,
  ): Promise<LightMyRequestResponse> => {
    const res = await app.inject({
      method,
      url,
      remoteAddress: ip,
      headers: {
        ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    keepCookies(jar, res);
    return res;
  };
}

describe('Redis names and logs', () => {
  it('gives each site a prefix of its own, the same on every server of that site', () => {
    const prefix = redisPrefixFor('https://news.example.org', 'secret one');
    assert.match(prefix, /^harbinger:news\.example\.org:[0-9a-f]{12}:$/);
    assert.equal(redisPrefixFor('https://news.example.org', 'secret one'), prefix);
    assert.notEqual(redisPrefixFor('https://news.example.org', 'secret two'), prefix, 'another site at the same address');
    assert.ok(!prefix.includes('secret'));
  });

  it('logs the Redis address without its user name or password', () => {
    assert.equal(redactedRedisUrl('redis://app:s3cret@cache.internal:6380/2'), 'redis://cache.internal:6380/2');
    assert.equal(redactedRedisUrl('rediss://:s3cret@cache.internal'), 'rediss://cache.internal');
    assert.ok(!redactedRedisUrl('redis://not a url:s3cret@').includes('s3cret'));
  });
});

describe('two app servers sharing one database and Redis', { skip }, () => {
  let database: TestDatabase;
  let second: TestDatabase['database'] | null = null;
  let a: FastifyInstance;
  let b: FastifyInstance;
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-redis-'));

  before(async () => {
    database = await createTestDatabase({ seeded: true });
    const env = {
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      MEDIA_DIR: TEST_MEDIA_DIR,
      LOG_LEVEL: 'silent',
      // A site of its own, so runs at the same time on one Redis never share a channel or a counter.
      SITE_URL: `http://redis-${randomBytes(4).toString('hex')}.test`,
      REDIS_URL,
    };
    const config = loadConfig(env, { database: database.config });
    a = await buildApp({ config, database: database.database, logger: false });
    // On PostgreSQL the second server has connections of its own; an in-memory SQLite database can only be shared.
    if (databaseKind === 'postgres') {
      const { openDatabase } = await import('../../src/db/database.js');
      second = openDatabase(database.config);
    }
    b = await buildApp({ config, database: second ?? database.database, logger: false });
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shares the site’s channel and key prefix, and says the bus is shared', () => {
    assert.equal(a.redisPrefix, b.redisPrefix);
    assert.equal(a.changeBus.shared, true);
    assert.equal(a.redis?.status, 'ready');
  });

  it('delivers a message published by one server once to the listeners of each', async () => {
    const heardA: ChangeMessage[] = [];
    const heardB: ChangeMessage[] = [];
    a.changeBus.subscribe((m) => heardA.push(m));
    b.changeBus.subscribe((m) => heardB.push(m));
    const message: ChangeMessage = { kind: 'session', sessionId: `s-${randomBytes(4).toString('hex')}` };
    await a.changeBus.publish(message);
    assert.deepEqual(heardA, [message], 'the publisher hears its own message at once');
    assert.ok(await eventually(() => heardB.length > 0, 2000), 'the other server hears it');
    // A second message after it proves nothing more of the first was on its way.
    const marker: ChangeMessage = { kind: 'content', generation: 0, keys: ['x-marker'] };
    await b.changeBus.publish(marker);
    assert.ok(await eventually(() => heardA.length === 2, 2000));
    assert.deepEqual(heardB, [message, marker]);
    assert.deepEqual(heardA, [message, marker]);
  });

  it('shows an edit published through one server on the other’s page, which it had cached', async () => {
    const article = await database.db
      .selectFrom('articles')
      .select(['id', 'slug', 'title'])
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .executeTakeFirstOrThrow();
    const url = `/articles/${article.slug}`;
    const first = await b.inject(url);
    assert.equal(first.statusCode, 200);
    assert.ok(first.body.includes(article.title));
    // Cached now: the database alone changing does not reach it.
    const title = `Corrected headline ${randomBytes(3).toString('hex')}`;
    await database.db.updateTable('articles').set({ title }).where('id', '=', article.id).execute();
    assert.ok(!(await b.inject(url)).body.includes(title), 'server B serves its cached page until told');
    // What the newsroom does after a change, through server A.
    await a.contentVersion.bump();
    assert.ok(
      await eventually(async () => (await b.inject(url)).body.includes(title), 1000),
      'server B shows the new headline within a second',
    );
  });

  it('counts failed sign-ins from one address at both servers: the 11th is refused on either', async () => {
    const ip = `10.77.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
    const send = browserAt(ip);
    const page = await send(a, 'GET', '/account/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    // A different address each time, so only the per-client limit (10 a minute) can trip, not the per-address one.
    for (let i = 0; i < 10; i++) {
      const res = await send(i % 2 ? b : a, 'POST', '/account/sign-in', {
        _csrf: csrf,
        email: `nobody-${i}@example.org`,
        password: 'not the password',
      });
      assert.equal(res.statusCode, 401, `attempt ${i + 1} is answered, not refused`);
    }
    for (const app of [a, b]) {
      const res = await send(app, 'POST', '/account/sign-in', { _csrf: csrf, email: 'nobody-11@example.org', password: 'x' });
      assert.equal(res.statusCode, 429);
      assert.match(res.body, /Too many attempts/);
    }
  });
  // A reader's account: the demo editor's role requires two-factor sign-in, which a link alone does not pass.
  const readerAccount = async () =>
    (await a.accounts.findUserIdByEmail('redis-reader@example.org')) ??
    (await a.accounts.createVerifiedUser('redis-reader@example.org', 'Reader'));

  it('ends a session on both servers when its reader signs out on one', async () => {
    const jar = new Map<string, string>();
    const ip = '10.78.1.2';
    const send = browserAt(ip, jar);
    const userId = await readerAccount();
    const link = new URL(await a.accounts.signInLinkFor(userId));
    const landing = await send(a, 'GET', link.pathname + link.search);
    const csrf = () => /name="_csrf" value="([^"]+)"/.exec(landing.body)![1]!;
    assert.equal((await send(a, 'POST', '/account/link', { _csrf: csrf(), token: link.searchParams.get('token')! })).statusCode, 303);
    const signedIn = new Map(jar);
    // B knows the reader now (and may keep them in its short-lived viewer cache).
    assert.equal((await send(b, 'GET', '/account', undefined, signedIn)).statusCode, 200);
    assert.equal((await send(b, 'GET', '/account', undefined, signedIn)).statusCode, 200);

    const account = await send(a, 'GET', '/account');
    const token = /name="_csrf" value="([^"]+)"/.exec(account.body)![1]!;
    assert.equal((await send(a, 'POST', '/account/sign-out', { _csrf: token })).statusCode, 303);
    assert.ok(
      await eventually(async () => (await send(b, 'GET', '/account', undefined, signedIn)).statusCode !== 200, 1000),
      'B refuses the ended session within a second',
    );
    const after = await send(b, 'GET', '/account', undefined, signedIn);
    assert.match(String(after.headers.location), /\/account\/sign-in/);
  });

  it('shows a bookmark made through one server on the other’s page, which had read the reader’s bookmarks', async () => {
    const send = browserAt('10.78.1.3');
    const userId = await readerAccount();
    const link = new URL(await a.accounts.signInLinkFor(userId));
    const landing = await send(a, 'GET', link.pathname + link.search);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(landing.body)![1]!;
    assert.equal((await send(a, 'POST', '/account/link', { _csrf: csrf, token: link.searchParams.get('token')! })).statusCode, 303);
    const slug = demoArticles.find((x) => x.status === 'published' && x.access !== 'registered')!.slug;
    const onB = await send(b, 'GET', `/articles/${slug}`);
    assert.match(onB.body, /value="add" aria-pressed="false">Bookmark<\/button>/);
    const articleId = /name="articleId" value="([0-9a-f-]{36})"/.exec(onB.body)![1]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(onB.body)![1]!;
    assert.equal(
      (await send(a, 'POST', '/bookmarks', { _csrf: token, articleId, action: 'add', next: `/articles/${slug}` })).statusCode,
      303,
    );
    assert.ok(
      await eventually(async () => /aria-pressed="true">Bookmarked<\/button>/.test((await send(b, 'GET', `/articles/${slug}`)).body), 1000),
      'B shows the bookmark within a second',
    );
  });
});

describe('the change bus when Redis restarts', { skip }, () => {
  let port: number;
  let server: ChildProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'harbinger-redis-server-'));

  async function startRedis(): Promise<void> {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    assert.ok(await eventually(() => redisAnswers(`redis://127.0.0.1:${port}`), 5000), 'the test’s Redis server starts');
  }

  async function stopRedis(): Promise<void> {
    const s = server;
    server = null;
    if (!s || s.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once('exit', () => resolve());
      s.kill('SIGKILL');
    });
  }

  before(async () => {
    port = await freePort();
    await startRedis();
  });

  after(async () => {
    await stopRedis();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a server answering while Redis is down, with /readyz saying so until it is back', async () => {
    const testDb = await createTestDatabase({ seeded: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-redis-app-'));
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        MEDIA_DIR: TEST_MEDIA_DIR,
        LOG_LEVEL: 'silent',
        SITE_URL: 'http://outage.test',
        REDIS_URL: `redis://127.0.0.1:${port}`,
      },
      { database: testDb.config },
    );
    const app = await buildApp({ config, database: testDb.database, logger: false });
    try {
      const ready = async () => (await app.inject('/readyz')).json<{ status: string; checks: Record<string, string> }>();
      assert.equal((await ready()).checks.redis, 'ok');
      assert.equal((await app.inject('/readyz')).statusCode, 200);

      await stopRedis();
      const down = await app.inject('/readyz');
      assert.equal(down.statusCode, 503);
      assert.equal(down.json<{ checks: Record<string, string> }>().checks.redis, 'failed');
      assert.equal((await app.inject('/')).statusCode, 200, 'pages are still served');
      // The per-client limit cannot be counted: the attempt is let through (the per-address limit counts in the database).
      const page = await app.inject({ url: '/account/sign-in', remoteAddress: '10.1.2.3' });
      const cookie = [page.headers['set-cookie']]
        .flat()
        .map((c) => String(c).split(';')[0])
        .join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const signIn = await app.inject({
        method: 'POST',
        url: '/account/sign-in',
        remoteAddress: '10.1.2.3',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, email: 'nobody@example.org', password: 'x' }).toString(),
      });
      assert.equal(signIn.statusCode, 401);

      await startRedis();
      assert.ok(await eventually(async () => (await app.inject('/readyz')).statusCode === 200, 10_000), 'ready again once Redis is back');
    } finally {
      await app.close();
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts a server while Redis is away, which joins the bus once Redis is back', async () => {
    await stopRedis();
    const testDb = await createTestDatabase({ seeded: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-redis-app-'));
    const url = `redis://127.0.0.1:${port}`;
    const config = loadConfig(
      { NODE_ENV: 'test', DATA_DIR: dataDir, MEDIA_DIR: TEST_MEDIA_DIR, LOG_LEVEL: 'silent', SITE_URL: 'http://late.test', REDIS_URL: url },
      { database: testDb.config },
    );
    const app = await buildApp({ config, database: testDb.database, logger: false });
    const heard: ChangeMessage[] = [];
    app.changeBus.subscribe((m) => heard.push(m));
    const publisher = connectRedis(url);
    publisher.on('error', () => undefined);
    try {
      assert.equal((await app.inject('/')).statusCode, 200, 'it serves');
      assert.equal((await app.inject('/readyz')).statusCode, 503, 'but is not ready');
      await startRedis();
      assert.ok(await eventually(async () => (await app.inject('/readyz')).statusCode === 200, 10_000), 'ready once Redis is back');
      assert.ok(await eventually(() => heard.length > 0, 10_000));
      assert.deepEqual(heard, [DROP_EVERYTHING], 'it drops what it cached while it could hear nothing');
      assert.ok(await eventually(() => publisher.status === 'ready', 10_000));
      const other = new RedisChangeBus(publisher, url, `${app.redisPrefix}changes`, quiet);
      try {
        await other.publish({ kind: 'session', sessionId: 'late' });
        assert.ok(await eventually(() => heard.length === 2, 2000), 'and hears the other servers');
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
      await quit(publisher);
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps working for the publisher while Redis is down, then drops everything and hears again once it is back', async () => {
    const url = `redis://127.0.0.1:${port}`;
    const pubA = connectRedis(url);
    const pubB = connectRedis(url);
    const other = connectRedis(url);
    for (const c of [pubA, pubB, other]) c.on('error', () => undefined);
    const busA = new RedisChangeBus(pubA, url, 'harbinger:test:changes', quiet);
    const busB = new RedisChangeBus(pubB, url, 'harbinger:test:changes', quiet);
    // Another site on the same Redis.
    const busOther = new RedisChangeBus(other, url, 'harbinger:other-site:changes', quiet);
    try {
      assert.ok(await busA.ready());
      assert.ok(await busB.ready());
      assert.ok(await busOther.ready());
      const heardA: ChangeMessage[] = [];
      const heardB: ChangeMessage[] = [];
      const heardOther: ChangeMessage[] = [];
      busA.subscribe((m) => heardA.push(m));
      busB.subscribe((m) => heardB.push(m));
      busOther.subscribe((m) => heardOther.push(m));

      const before: ChangeMessage = { kind: 'content', generation: 1, keys: ['a1'] };
      await busA.publish(before);
      assert.ok(await eventually(() => heardB.length === 1, 2000));

      await stopRedis();
      const during: ChangeMessage = { kind: 'content', generation: 2, keys: ['a2'] };
      await busA.publish(during); // does not throw
      assert.deepEqual(heardA, [before, during], 'the publisher still hears its own change');

      await startRedis();
      assert.ok(await eventually(() => heardB.length === 2, 10_000), 'server B reconnects');
      assert.deepEqual(heardB, [before, DROP_EVERYTHING], 'and drops everything, since it may have missed something');
      assert.ok(await eventually(() => heardA.length === 3, 10_000));
      assert.deepEqual(heardA[2], DROP_EVERYTHING);

      const afterwards: ChangeMessage = { kind: 'session', sessionId: 'after-restart' };
      // The publisher's own connection comes back too.
      assert.ok(await eventually(() => pubA.status === 'ready', 10_000));
      await busA.publish(afterwards);
      assert.ok(await eventually(() => heardB.length === 3, 2000), 'messages flow again');
      assert.deepEqual(heardB[2], afterwards);
      assert.deepEqual(
        heardOther.filter((m) => m !== DROP_EVERYTHING),
        [],
        'another site’s bus hears none of these',
      );
    } finally {
      for (const bus of [busA, busB, busOther]) await bus.close();
      for (const c of [pubA, pubB, other]) await quit(c);
    }
  });
});
