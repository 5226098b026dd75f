// Several servers for real: two `harbinger serve` processes (A and B, each on a
// port of its own) and one `harbinger worker`, on one PostgreSQL database and one
// Redis. A runs no jobs (RUN_WORKER=false, the documented set-up); B runs them
// too (RUN_WORKER=true), so two processes race for every due job. An edit
// published through A is on B's page within a second; ten failed sign-ins spread
// over both servers trip the per-client limit on both; a scheduled article is
// published exactly once; a picture uploaded through A is served by B, once with
// a shared DATA_DIR and MEDIA_DIR and once with MEDIA_STORAGE=s3 (s3rver) and
// nothing shared on disk. PostgreSQL only: an in-memory SQLite database cannot be
// shared by processes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import sharp from 'sharp';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { articleFormFields } from '../forms.js';
import { Harbinger, freePort } from '../harbinger-process.js';
import { Browser, eventually, sleep } from '../http-browser.js';
import { startS3, type TestS3 } from '../s3.js';
import { REDIS_URL, redisAnswers } from '../redis.js';
import { secretOnPage, totpCode } from '../two-factor.js';
import { createTestDatabase, databaseKind, postgresUrl, TEST_MEDIA_DIR, textOf, type TestDatabase } from '../helpers.js';

const EDITOR_EMAIL = 'editor@harbinger.localhost';

const skip =
  databaseKind !== 'postgres'
    ? 'needs PostgreSQL (DATABASE_URL=postgres://...): two app servers and a worker share one database, which in-memory SQLite cannot be'
    : !(await redisAnswers(REDIS_URL))
      ? `Redis does not answer at ${REDIS_URL.replace(/\/\/[^@/]*@/, '//')}: start it (or set REDIS_URL) to run this test`
      : false;
if (skip) console.log(`# skipped: ${skip}`);

const set = (fields: [string, string][], name: string, value: string): [string, string][] => [
  ...fields.filter(([n]) => n !== name),
  [name, value],
];

async function started(p: Harbinger, ready: () => Promise<boolean>): Promise<void> {
  const ok = await eventually(async () => p.exited || (await ready().catch(() => false)), 120_000, 250);
  assert.ok(ok && !p.exited, `${p.name} starts:\n${p.output}`);
}

/**
 * One site on several processes: servers A and B, and `harbinger worker` when
 * asked, on a PostgreSQL database of their own. With `s3` the pictures are in
 * the bucket and each process has a DATA_DIR of its own (nothing on disk is
 * shared); without it they share DATA_DIR and MEDIA_DIR.
 */
class Site {
  A = '';
  B = '';
  db!: OpenDatabase['db'];
  readonly root = mkdtempSync(join(tmpdir(), 'harbinger-multi-'));
  /** The demo's editor-in-chief, signed in on A. */
  readonly editor = new Browser();
  private database: TestDatabase | null = null;
  private ownDatabase: string | null = null;
  private extra: OpenDatabase | null = null;
  private readonly processes: Harbinger[] = [];

  async start(options: { worker: boolean; s3?: TestS3 }): Promise<void> {
    this.database = await createTestDatabase({ seeded: true });
    let url: string;
    let seeded = true;
    const shared = join(this.root, 'shared');
    const mediaDir = join(shared, 'media');
    if (this.database.config.kind === 'postgres' && !this.database.config.schema) {
      url = this.database.config.url;
      if (!options.s3) cpSync(TEST_MEDIA_DIR, mediaDir, { recursive: true });
      this.db = this.database.db;
    } else {
      // Run on its own (no template databases): an empty database of its own, which server A fills with the demo.
      await this.database.drop();
      this.database = null;
      this.ownDatabase = `harbinger_multi_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgresUrl() });
      await admin.connect();
      await admin.query(`create database ${this.ownDatabase}`);
      await admin.end();
      url = postgresUrl(this.ownDatabase);
      mkdirSync(mediaDir, { recursive: true });
      seeded = false;
    }
    const [portA, portB] = [await freePort(), await freePort()];
    this.A = `http://127.0.0.1:${portA}`;
    this.B = `http://127.0.0.1:${portB}`;
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL,
      // One public address for every server of the site (and one of its own, so nothing else on this Redis mixes with it).
      SITE_URL: `http://multi-${randomBytes(4).toString('hex')}.test`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      ...(options.s3 ? options.s3.env : { DATA_DIR: shared, MEDIA_DIR: mediaDir }),
    };
    const own = (name: string): Record<string, string> => (options.s3 ? { DATA_DIR: join(this.root, name) } : {});
    const healthy = (base: string) => async () => (await fetch(`${base}/healthz`)).status === 200;
    const serverA = new Harbinger('server A', ['serve'], {
      ...env,
      ...own('a'),
      PORT: String(portA),
      RUN_WORKER: 'false',
      SEED_DEMO: String(!seeded),
    });
    this.processes.push(serverA);
    if (!seeded) await started(serverA, healthy(this.A));
    const serverB = new Harbinger('server B', ['serve'], { ...env, ...own('b'), PORT: String(portB), RUN_WORKER: 'true' });
    this.processes.push(serverB);
    const waits = [started(serverA, healthy(this.A)), started(serverB, healthy(this.B))];
    if (options.worker) {
      const worker = new Harbinger('the worker', ['worker'], { ...env, ...own('worker') });
      this.processes.push(worker);
      waits.push(started(worker, async () => worker.output.includes('The job worker is running')));
    }
    await Promise.all(waits);
    if (!seeded) {
      this.extra = openDatabase({ kind: 'postgres', url });
      this.db = this.extra.db;
    }

    // The demo's editor-in-chief signs in on A with a one-time link, as `harbinger user link` prints it.
    const link = new Harbinger('harbinger user link', ['user', 'link', '--email', EDITOR_EMAIL], {
      ...env,
      ...own('link'),
      LOG_LEVEL: 'silent',
    });
    this.processes.push(link);
    await new Promise((resolve) => link.child.once('exit', resolve));
    const printed = /https?:\/\/\S+\/account\/link\?token=\S+/.exec(link.output);
    assert.ok(printed, `a sign-in link is printed:\n${link.output}`);
    const linkUrl = new URL(printed[0]);
    await this.editor.get(this.A, linkUrl.pathname + linkUrl.search);
    const signIn = await this.editor.post(this.A, '/account/link', { token: linkUrl.searchParams.get('token')! });
    assert.equal(signIn.status, 303, `the editor-in-chief is signed in: ${signIn.text.slice(0, 600)}`);
    // The editor-in-chief's role requires two-factor sign-in: set up now, with the code an authenticator app would show.
    if (signIn.location === '/account/two-factor/setup') {
      const setup = await this.editor.get(this.A, signIn.location);
      const done = await this.editor.post(this.A, signIn.location, { code: totpCode(secretOnPage(setup.text)) });
      assert.equal(done.status, 200, 'two-factor sign-in is set up');
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    await this.extra?.close();
    if (this.ownDatabase) {
      const admin = new pg.Client({ connectionString: postgresUrl() });
      await admin.connect();
      await admin.query(`drop database if exists ${this.ownDatabase} with (force)`);
      await admin.end();
    }
    await this.database?.drop();
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Uploads a new picture to the media library through A; returns its row. */
  async uploadThroughA(): Promise<{ file: string; hash: string }> {
    const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 200, g: 60, b: 30 } } })
      .png()
      .toBuffer();
    await this.editor.get(this.A, '/newsroom/media');
    const alt = `A red test card ${randomBytes(3).toString('hex')}`;
    const form = new FormData();
    form.append('_csrf', this.editor.csrf);
    form.append('picture', new Blob([png], { type: 'image/png' }), 'card.png');
    form.append('alt', alt);
    form.append('caption', '');
    form.append('creditCreator', 'Test');
    form.append('creditSource', '');
    const uploaded = await this.editor.send(this.A, '/newsroom/media', { method: 'POST', body: form });
    assert.equal(uploaded.status, 303, uploaded.text.slice(0, 300));
    return this.db.selectFrom('media').select(['file', 'hash']).where('alt', '=', alt).executeTakeFirstOrThrow();
  }
}

describe('two app servers and a worker on one PostgreSQL database, Redis and a shared disk', { skip }, () => {
  const site = new Site();
  const editor = site.editor;
  let A = '';
  let B = '';
  let db: OpenDatabase['db'];

  before(async () => {
    await site.start({ worker: true });
    ({ A, B, db } = site);
  });
  after(() => site.stop());

  it('shows an edit published through A on B’s page within a second', async () => {
    const article = await db
      .selectFrom('articles')
      .select(['id', 'slug', 'title'])
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .executeTakeFirstOrThrow();
    const page = `/articles/${article.slug}`;
    // B has the page cached (the second answer comes from its render cache).
    assert.equal((await editor.get(B, '/')).status, 200);
    const anonymous = new Browser();
    for (let i = 0; i < 2; i++) assert.ok(textOf((await anonymous.get(B, page)).text).includes(article.title));

    const form = await editor.get(A, `/newsroom/articles/${article.id}`);
    assert.equal(form.status, 200);
    const title = `Corrected on server A ${randomBytes(3).toString('hex')}`;
    const saved = await editor.post(A, `/newsroom/articles/${article.id}`, set(articleFormFields(form.text), 'title', title));
    assert.equal(saved.status, 303, `the edit is saved: ${saved.text.slice(0, 300)}`);

    assert.ok(
      await eventually(async () => (await anonymous.get(B, page)).text.includes(title), 1000),
      'B serves the new headline within a second',
    );
  });

  it('trips the sign-in limit with ten failed sign-ins spread over both servers', async () => {
    const visitor = new Browser();
    await visitor.get(A, '/account/sign-in');
    // A different address each time: only the per-client limit (10 a minute, counted in Redis) can trip.
    for (let i = 0; i < 10; i++) {
      const res = await visitor.post(i % 2 ? B : A, '/account/sign-in', { email: `nobody-${i}@example.org`, password: 'not it' });
      assert.equal(res.status, 401, `attempt ${i + 1} is answered`);
    }
    for (const server of [A, B]) {
      const res = await visitor.post(server, '/account/sign-in', { email: 'nobody-else@example.org', password: 'not it' });
      assert.equal(res.status, 429, `the 11th is refused by ${server === A ? 'A' : 'B'}`);
    }
  });

  it('publishes scheduled articles exactly once, with the worker and server B both running jobs', async () => {
    const section = await db.selectFrom('sections').select('id').orderBy('name').executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await editor.get(A, '/newsroom/articles/new');
      const created = await editor.post(A, '/newsroom/articles', {
        title: `Due at once ${i} ${randomBytes(3).toString('hex')}`,
        sectionId: section.id,
      });
      assert.equal(created.status, 303, created.text.slice(0, 300));
      const id = /\/newsroom\/articles\/([^/?]+)/.exec(created.location!)![1]!;
      const form = await editor.get(A, `/newsroom/articles/${id}`);
      const body = 'The council voted late on Tuesday. Everyone in the room had something to say about it.';
      const saved = await editor.post(
        A,
        `/newsroom/articles/${id}`,
        set(set(articleFormFields(form.text), 'bodyJson', ''), 'bodyText', body),
      );
      assert.equal(saved.status, 303, saved.text.slice(0, 300));
      for (const to of ['submitted', 'approved']) {
        await editor.get(A, `/newsroom/articles/${id}`);
        assert.equal((await editor.post(A, `/newsroom/articles/${id}/move`, { to })).status, 303, `moved to ${to}`);
      }
      const at = new Date(Date.now() + 3_600_000).toLocaleString('sv-SE', { timeZone: 'Europe/London' }).slice(0, 16).replace(' ', 'T');
      await editor.get(A, `/newsroom/articles/${id}`);
      assert.equal((await editor.post(A, `/newsroom/articles/${id}/move`, { to: 'scheduled', scheduledAt: at })).status, 303);
      ids.push(id);
    }
    // The form takes minutes: the jobs are brought forward to one second from now, all at once.
    await db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() + 1000).toISOString() })
      .where(
        'unique_key',
        'in',
        ids.map((id) => `publish:${id}`),
      )
      .execute();

    const published = async () =>
      (await db.selectFrom('articles').select('id').where('id', 'in', ids).where('status', '=', 'published').execute()).length ===
      ids.length;
    assert.ok(await eventually(published, 30_000, 200), 'the scheduled articles are published');
    // Long enough for a second claimer to have run a job again, had it claimed one.
    await sleep(3000);

    for (const id of ids) {
      const jobs = await db.selectFrom('jobs').select(['status', 'attempts']).where('unique_key', '=', `publish:${id}`).execute();
      assert.deepEqual(
        jobs.map((j) => [j.status, Number(j.attempts)]),
        [['done', 1]],
        'one job, run once',
      );
      const events = await db
        .selectFrom('workflow_events')
        .select('id')
        .where('article_id', '=', id)
        .where('to_status', '=', 'published')
        .execute();
      assert.equal(events.length, 1, 'one "published" entry on the timeline');
      const audit = await db
        .selectFrom('audit_log')
        .select('id')
        .where('subject_id', '=', id)
        .where('action', '=', 'article.published')
        .execute();
      assert.equal(audit.length, 1, 'published once in the audit log');
    }
    // The worker's change reached both servers' caches.
    const slug = (await db.selectFrom('articles').select('slug').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).slug;
    for (const server of [A, B]) assert.equal((await fetch(`${server}/articles/${slug}`)).status, 200);
  });

  it('serves a picture uploaded through A’s media library from B', async () => {
    const row = await site.uploadThroughA();
    const fromA = await fetch(`${A}/media/${row.file}`);
    const fromB = await fetch(`${B}/media/${row.file}`);
    assert.equal(fromA.status, 200);
    assert.equal(fromB.status, 200);
    assert.deepEqual(Buffer.from(await fromB.arrayBuffer()), Buffer.from(await fromA.arrayBuffer()));
  });
});

describe('two app servers with pictures in S3-compatible storage and nothing shared on disk', { skip }, () => {
  const site = new Site();
  let s3: TestS3;

  before(async () => {
    s3 = await startS3();
    await site.start({ worker: false, s3 });
  });
  after(async () => {
    await site.stop();
    await s3?.stop();
  });

  it('serves a picture uploaded through A from B, which sends readers to the bucket', async () => {
    const row = await site.uploadThroughA();
    const fromB = await fetch(`${site.B}/media/${row.file}`, { redirect: 'manual' });
    assert.equal(fromB.status, 302);
    assert.equal(fromB.headers.get('location'), `${s3.publicUrl}/${row.file}`);
    const picture = await fetch(fromB.headers.get('location')!);
    assert.equal(picture.status, 200);
    assert.ok((await sharp(Buffer.from(await picture.arrayBuffer())).metadata()).width > 0, 'a picture');
    assert.equal(existsSync(join(site.root, 'a', 'media', row.file)), false, 'A kept no copy on its disk');
  });
});
