// `harbinger export` and `harbinger import harbinger`: the demo magazine plus a
// reader, a consented subscriber, a prize entry with a private photograph, a
// revision, a comment thread, a scheduled article, a page, a redirect and a
// reader's report of a problem with its note goes out as a bundle, into an
// empty database and out again with the same bytes; no password hash, token or
// session is in it; a non-empty database and a damaged bundle are refused with
// nothing written; the imported magazine serves its articles and finds them in
// search.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { openDatabase, type Db } from '../../../src/db/database.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { newId } from '../../../src/lib/ids.js';
import { BundleError, exportBundle, importBundle, bundleTables, LEFT_OUT } from '../../../src/modules/bundle/index.js';
import { exportCommand, importBundleCommand } from '../../../src/modules/bundle/cli.js';
import { mediaDirs, type LocalMediaStorage } from '../../../src/modules/media/index.js';
import { drafts } from '../../../src/modules/articles/index.js';
import { createTestDatabase, databaseKind, TEST_MEDIA_DIR, type TestDatabase } from '../../helpers.js';

const SECRETS = {
  password: 'scrypt$16384$8$1$bundletestsalt$bundle-test-password-hash',
  session: 'bundle-test-session-token-hash',
  token: 'bundle-test-sign-in-token-hash',
  confirm: 'bundle-test-confirmation-hash',
  nonce: 'bundle-test-confirmation-nonce',
  siteKey: 'bundle-test-site-secret-key',
};
const SESSION_ID = newId();
const PAGE_TEXT = 'Our newsroom meets on Thursdays after school in the library annexe.';

let work: string;
let source: TestDatabase;
let target: TestDatabase;
let sourceDirs: LocalMediaStorage;
let targetDirs: LocalMediaStorage;
let first: string;
let second: string;

const tempDir = (name: string) => join(work, name);

function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** A copy of the first bundle with bundle.json rewritten and the manifest's checksum of it made to match. */
function rewrittenBundle(name: string, rewrite: (text: string) => string): string {
  const dir = tempDir(name);
  cpSync(first, dir, { recursive: true });
  const bytes = Buffer.from(rewrite(readFileSync(join(dir, 'bundle.json'), 'utf8')));
  writeFileSync(join(dir, 'bundle.json'), bytes);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    files: Record<string, { sha256: string; bytes: number }>;
  };
  manifest.files['bundle.json'] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

async function count(db: Db, table: 'articles' | 'media' | 'users' | 'people' | 'newsletters' | 'jobs'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The rows the demo does not have: one of each kind of thing a magazine accumulates. */
async function addExtras(db: Db, dirs: LocalMediaStorage): Promise<void> {
  const at = '2026-03-01T10:00:00Z';
  const readerId = newId();
  await db
    .insertInto('users')
    .values({
      id: readerId,
      email: 'reader@bundle.test',
      email_verified_at: at,
      password_hash: SECRETS.password,
      display_name: 'Bundle Reader',
      birth_year: 2010,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('sessions')
    .values({
      id: SESSION_ID,
      token_hash: SECRETS.session,
      user_id: readerId,
      persistent: 1,
      created_at: at,
      expires_at: '2099-01-01T00:00:00.000Z',
    })
    .execute();
  await db
    .insertInto('tokens')
    .values({
      id: newId(),
      token_hash: SECRETS.token,
      purpose: 'magic_link',
      user_id: readerId,
      email: 'reader@bundle.test',
      data: '{}',
      created_at: at,
      expires_at: '2099-01-01T00:00:00.000Z',
      used_at: null,
    })
    .execute();
  await db.insertInto('settings').values({ key: 'secret_key', value: SECRETS.siteKey, updated_at: at }).execute();

  const newsletter = await db.selectFrom('newsletters').select('id').orderBy('position').executeTakeFirstOrThrow();
  const subscriptionId = newId();
  await db
    .insertInto('subscriptions')
    .values({
      id: subscriptionId,
      newsletter_id: newsletter.id,
      email: 'reader@bundle.test',
      user_id: readerId,
      status: 'pending',
      source: 'wall',
      consent: 'double_opt_in',
      consent_at: at,
      consent_by: null,
      confirm_token_hash: SECRETS.confirm,
      confirm_nonce: SECRETS.nonce,
      confirm_expires_at: '2099-01-01T00:00:00.000Z',
      confirm_sent_at: at,
      confirmed_at: null,
      unsubscribed_at: null,
      suppressed_at: null,
      last_bounce: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const issueId = newId();
  await db
    .insertInto('newsletter_issues')
    .values({
      id: issueId,
      newsletter_id: newsletter.id,
      number: 1,
      subject: 'Our first issue',
      intro_json: '{"type":"doc","content":[]}',
      intro_html: '',
      items: '[]',
      status: 'sent',
      scheduled_at: null,
      started_at: at,
      sent_at: at,
      recipients_count: 1,
      sent_count: 1,
      failed_count: 0,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('deliveries')
    .values({
      id: newId(),
      issue_id: issueId,
      subscription_id: subscriptionId,
      status: 'sent',
      attempts: 1,
      next_attempt_at: at,
      locked_until: '2026-03-01T10:05:00Z',
      last_error: null,
      sent_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();

  // A prize entry with its private photograph (and the uploaded original beside it).
  const hash = 'b'.repeat(64);
  mkdirSync(join(dirs.privateDir!, 'pictures'), { recursive: true });
  mkdirSync(join(dirs.privateDir!, 'originals'), { recursive: true });
  writeFileSync(join(dirs.privateDir!, 'pictures', `${hash}-full.jpg`), 'a served copy of an entrant photograph');
  writeFileSync(join(dirs.privateDir!, 'originals', `${hash}.jpg`), 'the bytes an entrant uploaded');
  const mediaId = newId();
  await db
    .insertInto('media')
    .values({
      id: mediaId,
      hash,
      mime: 'image/jpeg',
      bytes: 29,
      width: 1200,
      height: 800,
      file: `${hash}-full.jpg`,
      alt: 'A harbour at dawn',
      caption: '',
      credit_creator: '',
      credit_source: '',
      variants: '[]',
      uploaded_by: readerId,
      created_at: at,
      purpose: 'prize_entry',
      visibility: 'private',
      removed_at: null,
    })
    .execute();
  const competition = await db.selectFrom('competitions').select('id').executeTakeFirstOrThrow();
  const category = await db
    .selectFrom('competition_categories')
    .select('id')
    .where('competition_id', '=', competition.id)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('entries')
    .values({
      id: newId(),
      competition_id: competition.id,
      category_id: category.id,
      user_id: readerId,
      status: 'submitted',
      reference: 'HP-BUNDLE-1',
      submission_slot: 1,
      title: 'Morning at the harbour',
      body_json: '{"type":"doc","content":[]}',
      body_html: '',
      word_count: 0,
      media_id: mediaId,
      video_url: '',
      entrant_name: 'Bundle Reader',
      birth_date: '2010-05-04',
      school: 'Harbour Road School',
      country: 'Wales',
      school_year: 'Year 11',
      consent_school: 1,
      declarations: '{"own_work":true}',
      submitted_at: at,
      offered_at: null,
      person_id: null,
      article_id: null,
      created_at: at,
      updated_at: at,
    })
    .execute();

  // A revision, a workflow step and a comment thread whose reply sorts before its parent.
  const article = await db
    .selectFrom('articles')
    .select(['id', 'title', 'dek', 'body_json'])
    .where('status', '=', 'published')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('article_revisions')
    .values({
      id: newId(),
      article_id: article.id,
      version: 1,
      kind: 'save',
      user_id: null,
      author_name: 'An editor',
      title: article.title,
      dek: article.dek,
      body_json: article.body_json,
      fields: '{}',
      created_at: at,
      updated_at: at,
    })
    .execute();
  const parentId = newId(Date.parse('2026-03-02T00:00:00Z'));
  const replyId = newId(Date.parse('2026-03-01T00:00:00Z'));
  await db
    .insertInto('editorial_comments')
    .values([
      {
        id: parentId,
        article_id: article.id,
        parent_id: null,
        user_id: null,
        author_name: 'An editor',
        body: 'Check the second quote.',
        created_at: at,
      },
      {
        id: replyId,
        article_id: article.id,
        parent_id: parentId,
        user_id: null,
        author_name: 'A writer',
        body: 'Checked with the source.',
        created_at: at,
      },
    ])
    .execute();
  await db.insertInto('bookmarks').values({ user_id: readerId, article_id: article.id, created_at: at }).execute();

  // The newest published article waits to be published again, next year.
  const scheduled = await db
    .selectFrom('articles')
    .select('id')
    .where('status', '=', 'published')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('articles')
    .set({ status: 'scheduled', scheduled_at: '2099-06-01T08:00:00.000Z' })
    .where('id', '=', scheduled.id)
    .execute();
  await db
    .insertInto('workflow_events')
    .values({
      id: newId(),
      article_id: scheduled.id,
      user_id: null,
      actor_name: 'The chief',
      from_status: 'approved',
      to_status: 'scheduled',
      note: '',
      created_at: at,
    })
    .execute();

  await db
    .insertInto('pages')
    .values({
      id: newId(),
      slug: 'join-us',
      title: 'Join us',
      dek: '',
      status: 'published',
      body_json: JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: PAGE_TEXT }] }] }),
      body_html: `<p>${PAGE_TEXT}</p>`,
      menu_position: 0,
      published_at: at,
      version: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('redirects')
    .values({
      id: newId(),
      from_path: '/?p=42',
      to_path: '/join-us',
      status_code: 301,
      source: 'wordpress',
      created_at: at,
      updated_at: at,
    })
    .execute();
  const reportId = newId();
  await db
    .insertInto('problem_reports')
    .values({
      id: reportId,
      subject_type: 'article',
      subject_id: scheduled.id,
      subject_title: 'A reported article',
      kind: 'mistake',
      details: 'The date is wrong.',
      reporter_email: 'reporter@bundle.test',
      state: 'in_progress',
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('problem_report_notes')
    .values({
      id: newId(),
      report_id: reportId,
      user_id: null,
      author_name: 'The chief',
      body: 'Checking with the writer.',
      created_at: at,
    })
    .execute();
  await db
    .insertInto('import_items')
    .values({
      source: 'wordpress:https://old.example.org',
      kind: 'page',
      source_id: '42',
      target_id: newId(),
      checksum: 'c'.repeat(64),
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      user_id: null,
      actor_name: 'The chief',
      action: 'article.scheduled',
      subject_type: 'article',
      subject_id: scheduled.id,
      details: '{}',
      created_at: at,
    })
    .execute();
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'harbinger-bundle-'));
  sourceDirs = mediaDirs(TEST_MEDIA_DIR, tempDir('source-private'));
  targetDirs = mediaDirs(tempDir('target-public'), tempDir('target-private'));
  source = await createTestDatabase({ seeded: true });
  await addExtras(source.db, sourceDirs);
  target = await createTestDatabase();
  first = tempDir('first');
  second = tempDir('second');
  await exportBundle(source.db, sourceDirs, first);
  await importBundle(target.db, targetDirs, first, { previewParagraphs: 3 });
  await exportBundle(target.db, targetDirs, second);
});

after(async () => {
  await source.drop();
  await target.drop();
  rmSync(work, { recursive: true, force: true });
});

describe('export → import → export', () => {
  it('gives back the same bundle.json, byte for byte, and the same media files', () => {
    const a = filesUnder(first);
    const b = filesUnder(second);
    assert.ok(a.get('bundle.json')!.equals(b.get('bundle.json')!), 'bundle.json is byte-identical');
    const media = (files: Map<string, Buffer>) => [...files.keys()].filter((k) => k.startsWith('media')).sort();
    assert.deepEqual(media(b), media(a));
    assert.ok(media(a).length > 20, 'the demo pictures and their variants are in the bundle');
    for (const name of media(a)) assert.ok(a.get(name)!.equals(b.get(name)!), name);
    assert.ok(a.has('media/private/pictures/' + 'b'.repeat(64) + '-full.jpg'), 'a private picture goes under media/private');
    assert.ok(a.has('media/private/originals/' + 'b'.repeat(64) + '.jpg'), 'an original goes under media/private/originals');
    const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { tables: object; files: object };
    assert.deepEqual(manifest(second).tables, manifest(first).tables);
    assert.deepEqual(manifest(second).files, manifest(first).files);
  });

  it('holds every table a magazine needs, in key order, and writes nothing anyone but the owner can read', () => {
    const bundle = JSON.parse(readFileSync(join(first, 'bundle.json'), 'utf8')) as {
      format: string;
      version: number;
      tables: Record<string, Record<string, unknown>[]>;
    };
    assert.equal(bundle.format, 'harbinger-bundle');
    assert.equal(bundle.version, 1);
    for (const table of [
      'subscriptions',
      'entries',
      'article_revisions',
      'editorial_comments',
      'pages',
      'redirects',
      'problem_reports',
      'problem_report_notes',
      'import_items',
      'bookmarks',
      'deliveries',
    ])
      assert.ok(bundle.tables[table]!.length > 0, `${table} has rows`);
    const subscriber = bundle.tables.subscriptions!.find((s) => s.email === 'reader@bundle.test')!;
    assert.equal(subscriber.consent, 'double_opt_in');
    assert.equal(subscriber.consent_at, '2026-03-01T10:00:00.000Z', 'instants come out as toISOString writes them');
    assert.equal('confirm_token_hash' in subscriber, false);
    assert.equal('password_hash' in bundle.tables.users![0]!, false);
    const ids = bundle.tables.articles!.map((a) => String(a.id));
    assert.deepEqual(ids, [...ids].sort());
    for (const name of ['sessions', 'tokens', 'jobs', 'key_limits', 'search_documents']) assert.equal(name in bundle.tables, false, name);
    assert.equal(statSync(first).mode & 0o777, 0o700);
    for (const name of ['bundle.json', 'manifest.json']) assert.equal(statSync(join(first, name)).mode & 0o777, 0o600);
  });

  it('leaves out password hashes, session and token hashes, confirmation tokens and the site key', () => {
    for (const [name, bytes] of filesUnder(first)) {
      const text = bytes.toString('latin1');
      for (const secret of [...Object.values(SECRETS), SESSION_ID]) assert.equal(text.includes(secret), false, `${name} holds ${secret}`);
    }
  });

  it('gives the scheduled article its publish job back', async () => {
    const scheduled = await target.db.selectFrom('articles').select('id').where('status', '=', 'scheduled').executeTakeFirstOrThrow();
    const job = await target.db
      .selectFrom('jobs')
      .selectAll()
      .where('unique_key', '=', `publish:${scheduled.id}`)
      .executeTakeFirstOrThrow();
    assert.equal(job.kind, 'publish_article');
    assert.equal(job.run_at, '2099-06-01T08:00:00.000Z');
    assert.equal((JSON.parse(job.payload) as { actorName: string }).actorName, 'The chief');
  });

  it('comes out of SQLite with the same bytes as it went in (from either database)', async () => {
    const sqlite = openDatabase({ kind: 'sqlite', file: ':memory:' });
    try {
      await migrateToLatest(sqlite.db);
      await importBundle(sqlite.db, mediaDirs(tempDir('sqlite-public'), tempDir('sqlite-private')), first, { previewParagraphs: 3 });
      await exportBundle(sqlite.db, mediaDirs(tempDir('sqlite-public'), tempDir('sqlite-private')), tempDir('from-sqlite'));
      assert.ok(readFileSync(join(first, 'bundle.json')).equals(readFileSync(tempDir('from-sqlite/bundle.json'))));
    } finally {
      await sqlite.close();
    }
  });

  it('knows every table of the schema: bundled, or left out for a reason', async () => {
    const bundled = new Set<string>(bundleTables().map((s) => s.table));
    const tables = (await source.db.introspection.getTables())
      .map((t) => t.name)
      .filter((name) => !name.startsWith('kysely_') && !name.startsWith('search_fts') && !name.startsWith('desk_fts'));
    for (const name of new Set(tables)) assert.ok(bundled.has(name) || name in LEFT_OUT, `${name} is neither bundled nor left out`);
  });
});

describe('the imported magazine', () => {
  let app: FastifyInstance;
  before(async () => {
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        DATA_DIR: tempDir('target-data'),
        MEDIA_DIR: targetDirs.publicDir,
        LOG_LEVEL: 'silent',
        SITE_URL: 'http://harbinger.test',
      },
      { database: target.config },
    );
    app = await buildApp({ config, database: target.database, logger: false });
  });
  after(() => app.close());

  it('serves an article page with its text, and search finds it', async () => {
    const article = await target.db
      .selectFrom('articles')
      .select(['slug', 'title'])
      .where('status', '=', 'published')
      .where('access', '=', 'free')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const page = await app.inject({ method: 'GET', url: `/articles/${article.slug}` });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(article.title.replace(/&/g, '&amp;').replace(/'/g, '&#39;')), 'the page shows its headline');
    const search = await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(`"${article.title}"`)}` });
    assert.equal(search.statusCode, 200);
    assert.ok(search.body.includes(`href="/articles/${article.slug}"`), 'search finds the article');
  });

  it('has the newsroom search index rebuilt: the desk finds an imported article by a word of its headline', async () => {
    const article = await target.db.selectFrom('articles').select(['id', 'title']).orderBy('id').executeTakeFirstOrThrow();
    const word = article.title.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a));
    const { rows } = await drafts.listDesk(target.db, { q: word, visibleTo: { personId: 'nobody', sectionIds: [], all: true } }, 100, 0);
    assert.ok(
      rows.some((r) => r.id === article.id),
      `the desk finds “${word}”`,
    );
  });

  it('serves the imported page and answers the imported redirect', async () => {
    const page = await app.inject({ method: 'GET', url: '/join-us' });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(PAGE_TEXT));
    const moved = await app.inject({ method: 'GET', url: '/?p=42' });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/join-us');
  });
});

describe('refusals', () => {
  it('refuses a database that already holds a magazine, and writes nothing', async () => {
    const articles = await count(source.db, 'articles');
    const media = await count(source.db, 'media');
    await assert.rejects(importBundle(source.db, sourceDirs, first, { previewParagraphs: 3 }), (err: Error) => {
      assert.ok(err instanceof BundleError);
      assert.match(err.message, /already holds a magazine/);
      return true;
    });
    assert.equal(await count(source.db, 'articles'), articles);
    assert.equal(await count(source.db, 'media'), media);
  });

  it('refuses a database with only an account in it', async () => {
    const other = await createTestDatabase();
    try {
      const at = new Date().toISOString();
      await other.db
        .insertInto('users')
        .values({
          id: newId(),
          email: 'early@bundle.test',
          email_verified_at: null,
          password_hash: null,
          display_name: 'Early',
          birth_year: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await assert.rejects(importBundle(other.db, targetDirs, first, { previewParagraphs: 3 }), /users \(1\)/);
      assert.equal(await count(other.db, 'articles'), 0);
      assert.equal(await count(other.db, 'people'), 0);
    } finally {
      await other.drop();
    }
  });

  it('refuses a bundle whose files do not match their checksums, before writing anything', async () => {
    const other = await createTestDatabase();
    try {
      const damagedMedia = tempDir('damaged-media');
      cpSync(first, damagedMedia, { recursive: true });
      const picture = readdirSync(join(damagedMedia, 'media/public'))[0]!;
      writeFileSync(join(damagedMedia, 'media/public', picture), 'not the picture that was exported');
      await assert.rejects(importBundle(other.db, targetDirs, damagedMedia, { previewParagraphs: 3 }), /does not match its checksum/);

      const damagedJson = tempDir('damaged-json');
      cpSync(first, damagedJson, { recursive: true });
      const text = readFileSync(join(damagedJson, 'bundle.json'), 'utf8');
      writeFileSync(join(damagedJson, 'bundle.json'), text.replace('"Join us"', '"Join them"'));
      await assert.rejects(
        importBundle(other.db, targetDirs, damagedJson, { previewParagraphs: 3 }),
        /bundle\.json does not match its checksum/,
      );

      assert.equal(await count(other.db, 'articles'), 0);
      assert.equal(await count(other.db, 'media'), 0);
      assert.equal(await count(other.db, 'newsletters'), 1, "the fresh database's own newsletter is still there");
    } finally {
      await other.drop();
    }
  });

  it('refuses a bundle of a newer version, naming it', async () => {
    const other = await createTestDatabase();
    try {
      const newer = rewrittenBundle('newer', (text) => text.replace('"version": 1,', '"version": 2,'));
      await assert.rejects(
        importBundle(other.db, targetDirs, newer, { previewParagraphs: 3 }),
        /bundle\.json is version 2; this Harbinger reads version 1/,
      );
      assert.equal(await count(other.db, 'articles'), 0);
    } finally {
      await other.drop();
    }
  });

  it('refuses to export into a directory that is not empty', async () => {
    await assert.rejects(exportBundle(source.db, sourceDirs, first), /is not empty/);
  });
});

describe('a bundle.json laid out differently', () => {
  it('is read whole and loads the same rows', async () => {
    const other = await createTestDatabase();
    try {
      const reformatted = rewrittenBundle('reformatted', (text) => JSON.stringify(JSON.parse(text), null, 1));
      await importBundle(other.db, mediaDirs(tempDir('re-public'), tempDir('re-private')), reformatted, { previewParagraphs: 3 });
      await exportBundle(other.db, mediaDirs(tempDir('re-public'), tempDir('re-private')), tempDir('re-out'));
      assert.ok(readFileSync(join(first, 'bundle.json')).equals(readFileSync(tempDir('re-out/bundle.json'))));
    } finally {
      await other.drop();
    }
  });
});

describe('the commands', () => {
  it('import harbinger DIR (--dry-run first) and export DIR, through the CLI functions', async () => {
    const dataDir = tempDir('cli-data');
    const empty = databaseKind === 'sqlite' ? null : await createTestDatabase();
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, empty ? { database: empty.config } : {});
      const out: string[] = [];
      const print = (line: string) => void out.push(line);
      const codes = [
        await importBundleCommand([first], { 'dry-run': true }, config, print),
        await importBundleCommand([first], {}, config, print),
        await exportCommand([tempDir('cli-out')], {}, config, print),
      ];
      assert.deepEqual(codes, [0, 0, 0]);
      const text = out.join('\n');
      assert.match(text, /Would import \d+ rows/);
      assert.match(text, /Nothing was written \(--dry-run\)/);
      assert.match(text, /Imported \d+ rows and \d+ media files/);
      assert.match(text, /sign in with an emailed link or reset their password/);
      assert.ok(readFileSync(join(first, 'bundle.json')).equals(readFileSync(tempDir('cli-out/bundle.json'))));
      assert.ok(statSync(join(dataDir, 'media')).isDirectory(), 'the pictures went to the media directory');
      assert.ok(statSync(join(dataDir, 'private-media/originals')).isDirectory(), 'the originals went to the private one');
    } finally {
      await empty?.drop();
    }
  });

  it('runs as `harbinger import harbinger DIR` and `harbinger export DIR` in a process of its own', () => {
    const dataDir = tempDir('process-data');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/harbinger.js', ...args], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'false' },
      });
    const usage = run('export');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Usage: harbinger export DIR/);
    const imported = run('import', 'harbinger', first);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /Imported \d+ rows/);
    const again = run('import', 'harbinger', first);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already holds a magazine/);
    const exported = run('export', tempDir('process-out'));
    assert.equal(exported.status, 0, exported.stderr);
    assert.ok(readFileSync(join(first, 'bundle.json')).equals(readFileSync(tempDir('process-out/bundle.json'))));
  });
});
