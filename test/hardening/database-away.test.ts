// The database going away under a running server (`harbinger serve`, as
// deployed) and coming back: meanwhile pages answer 503 with a page that says so
// (problem+json for JSON clients) and Retry-After, nothing answers 500, and the
// same process serves again once the database is back, without a restart.
//
// PostgreSQL: the server reaches the database through a TCP proxy in this test,
// which is stopped (every connection through it cut, new ones refused) and then
// started again on the same port; the PostgreSQL server itself is never touched.
// /readyz says "not ready" while the proxy is down.
//
// SQLite: the database is a file inside the server's process and cannot be
// unreachable; the closest real thing is another process holding the write lock
// (a long `harbinger` command, a backup tool, sqlite3 in a shell) past the
// server's busy_timeout (5 s). Writes then answer 503 and succeed again once the
// lock is released; reads, and so /readyz, go on working (WAL), which is right:
// the process can still serve pages. Running as root, a read-only data folder
// would not stop the process from writing, so that case is not tried here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { freePort } from '../harbinger-process.js';
import { Browser, eventually, type Answer } from '../http-browser.js';
import { databaseKind } from '../helpers.js';
import { Site } from './site.js';

/** A TCP proxy to PostgreSQL that can be taken down (cutting its connections) and brought back on the same port. */
class Proxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

const site = new Site();
let proxy: Proxy | null = null;

before(() => site.open());
after(async () => {
  await proxy?.stop();
  await site.close();
});

const visitor = () => new Browser(() => ({ 'x-forwarded-for': `10.88.${randomBytes(1)[0]}.${randomBytes(1)[0]}` }));

async function subscribe(base: string, headers: Record<string, string> = {}): Promise<{ email: string; res: Answer }> {
  const email = `away-${randomBytes(4).toString('hex')}@example.org`;
  return { email, res: await visitor().post(base, '/newsletters/subscribe', { newsletter: '', email, website: '' }, headers) };
}

function assertUnavailablePage(res: Answer, what: string): void {
  assert.equal(res.status, 503, `${what}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(res.headers.get('retry-after'), '30');
  assert.match(res.text, /<h1[^>]*>Back in a moment<\/h1>/);
  assert.match(res.text, /cannot reach its database just now/);
}

function assertUnavailableProblem(res: Answer): void {
  assert.equal(res.status, 503);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.headers.get('retry-after'), '30');
  const problem = JSON.parse(res.text) as { status: number; code: string; title: string };
  assert.equal(problem.status, 503);
  assert.equal(problem.code, 'unavailable');
}

test(
  'PostgreSQL unreachable: 503 pages and problems with Retry-After, /readyz not ready, and back without a restart',
  {
    skip: databaseKind !== 'postgres' && 'PostgreSQL only (the SQLite case is the next test)',
  },
  async () => {
    const url = new URL(site.url);
    proxy = new Proxy(await freePort(), { host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.port = String(proxy.port);
    const { server, base } = await site.serve({ DATABASE_URL: url.toString() });
    const articles = await site.db.selectFrom('articles').select('slug').where('status', '=', 'published').limit(3).execute();
    assert.equal(articles.length, 3);
    const [html, json, later] = articles.map((a) => `/articles/${a.slug}`) as [string, string, string];
    assert.equal((await visitor().get(base, '/readyz')).status, 200);

    await proxy.stop();
    assertUnavailablePage(await visitor().get(base, html), 'a page');
    assertUnavailableProblem(await visitor().get(base, json, { accept: 'application/json' }));
    const refused = await subscribe(base);
    assertUnavailablePage(refused.res, 'a form');
    const ready = await visitor().get(base, '/readyz');
    assert.equal(ready.status, 503);
    assert.equal((JSON.parse(ready.text) as { status: string }).status, 'not ready');
    assert.equal((await visitor().get(base, '/healthz')).status, 200, 'the process is alive');

    await proxy.start();
    assert.ok(await eventually(async () => (await visitor().get(base, '/readyz')).status === 200, 10_000, 100), 'ready again');
    for (const page of [html, json, later]) assert.equal((await visitor().get(base, page)).status, 200, page);
    const accepted = await subscribe(base);
    assert.equal(accepted.res.status, 200);
    const rows = await site.db.selectFrom('subscriptions').select('email').where('email', 'in', [refused.email, accepted.email]).execute();
    assert.deepEqual(
      rows.map((r) => r.email),
      [accepted.email],
      'the subscription sent while the database was away was not saved; the one after it was',
    );
    assert.equal(server.exited, false, `the same process serves: ${server.output}`);
    assert.deepEqual(server.watched, [], 'no request failed with a 500');
  },
);

test(
  'SQLite locked by another process past busy_timeout: writes answer 503, and succeed once the lock is released',
  {
    skip: databaseKind !== 'sqlite' && 'SQLite only (the PostgreSQL case is the previous test)',
  },
  async () => {
    const { server, base } = await site.serve();
    const slug = (await site.db.selectFrom('articles').select('slug').where('status', '=', 'published').executeTakeFirstOrThrow()).slug;
    const other = new SQLite(site.url.replace(/^sqlite:/, ''));
    try {
      other.exec('BEGIN EXCLUSIVE');
      const refused = await subscribe(base);
      assertUnavailablePage(refused.res, 'a form while the database is locked');
      // Reads go on (WAL): the article page, and readiness.
      assert.equal((await visitor().get(base, `/articles/${slug}`)).status, 200);
      assert.equal((await visitor().get(base, '/readyz')).status, 200);
      other.exec('ROLLBACK');

      const accepted = await subscribe(base);
      assert.equal(accepted.res.status, 200);
      const rows = await site.db
        .selectFrom('subscriptions')
        .select('email')
        .where('email', 'in', [refused.email, accepted.email])
        .execute();
      assert.deepEqual(
        rows.map((r) => r.email),
        [accepted.email],
      );
    } finally {
      other.close();
    }
    assert.equal(server.exited, false);
    assert.deepEqual(server.watched, [], 'no request failed with a 500');
  },
);
