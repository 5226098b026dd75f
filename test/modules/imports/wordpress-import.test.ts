// A WordPress export (classic and block content, shortcodes, pages, attachments,
// scheduled, private and trashed posts, two authors, categories and tags,
// Cyrillic and Greek slugs) through the import engine into a real database,
// article by article, and through the site: each old address answers a
// permanent redirect. Running it again changes nothing; a dry run writes nothing.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/db/database.js';
import { applyImport, ImportReport, openWordpress } from '../../../src/modules/imports/index.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

const FIXTURES = resolve('test/fixtures/imports/wordpress');
const UPLOADS = join(FIXTURES, 'uploads');
const SITE = join(FIXTURES, 'tidewater.xml');

let t: TestApp;
let mediaDir: string;
let work: string;
let first: ImportReport;

async function importFile(file: string, options: { dryRun?: boolean; uploads?: string } = {}) {
  const opened = await openWordpress(file, { uploads: options.uploads ?? UPLOADS });
  const report = new ImportReport({
    format: 'wordpress',
    source: `wordpress:${opened.source.siteUrl}`,
    file,
    dryRun: options.dryRun === true,
    startedAt: new Date().toISOString(),
  });
  await applyImport(opened.source, opened.items, {
    db: t.db,
    media: t.app.mediaStorage,
    report,
    dryRun: options.dryRun === true,
    batchSize: 4,
  });
  await t.app.contentVersion.bump();
  return report;
}

async function count(
  db: Db,
  table: 'articles' | 'people' | 'pages' | 'media' | 'redirects' | 'tags' | 'sections' | 'import_items' | 'jobs',
) {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function counts(db: Db) {
  const tables = ['articles', 'people', 'pages', 'media', 'redirects', 'tags', 'sections', 'import_items', 'jobs'] as const;
  return Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await count(db, name)] as const)));
}

async function article(slug: string) {
  const row = await t.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirst();
  assert.ok(row, `no article /articles/${slug}`);
  const section = await t.db.selectFrom('sections').select('slug').where('id', '=', row.section_id).executeTakeFirstOrThrow();
  const authors = await t.db
    .selectFrom('article_authors')
    .innerJoin('people', 'people.id', 'article_authors.person_id')
    .select(['people.name', 'article_authors.age_at_publication'])
    .where('article_id', '=', row.id)
    .orderBy('position')
    .execute();
  const tags = await t.db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.name')
    .where('article_id', '=', row.id)
    .orderBy('position')
    .execute();
  return { ...row, section: section.slug, authors, tags: tags.map((x) => x.name) };
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

async function redirected(path: string): Promise<string | undefined> {
  const res = await t.app.inject({ method: 'GET', url: path });
  assert.equal(res.statusCode, 301, `${path} answered ${res.statusCode}`);
  return res.headers.location;
}

before(async () => {
  mediaDir = mkdtempSync(join(tmpdir(), 'harbinger-wp-media-'));
  work = mkdtempSync(join(tmpdir(), 'harbinger-wp-'));
  t = await buildTestApp({ seed: false, env: { MEDIA_DIR: mediaDir } });
  first = await importFile(SITE);
});

after(async () => {
  await t.close();
  rmSync(mediaDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('importing a WordPress export', () => {
  it('reports what it made of every item', () => {
    const s = first.summary;
    assert.deepEqual(s.byKind.article, { created: 7, updated: 0, unchanged: 0, skipped: 2, failed: 0 });
    assert.deepEqual(s.byKind.page, { created: 2, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    assert.equal(s.byKind.person?.created, 2);
    assert.equal(s.byKind.section?.created, 2);
    assert.equal(s.byKind.tag?.created, 4);
    assert.equal(s.byKind.nav_menu_item?.skipped, 1);
    const trashed = first.items.find((i) => i.sourceId === '106')!;
    assert.equal(trashed.outcome, 'skipped');
    assert.match(trashed.reason!, /trash/);
    assert.match(first.items.find((i) => i.sourceId === '109')!.reason!, /automatic draft/);
    assert.deepEqual(s.editorsPickCandidates, ['Harbour clean-up draws a hundred volunteers']);
    const cyrillic = first.items.find((i) => i.sourceId === '103')!;
    assert.equal(cyrillic.address, '/articles/privet');
    assert.ok(
      cyrillic.warnings.some((w) => /lost-photo\.jpg/.test(w)),
      cyrillic.warnings.join('\n'),
    );
    assert.ok(
      cyrillic.warnings.some((w) => /[Gg]allery/.test(w)),
      cyrillic.warnings.join('\n'),
    );
  });

  it('brings a classic post in with its text, headings, links, captioned picture, byline, section, tags and date', async () => {
    const a = await article('harbour-clean-up');
    assert.equal(a.status, 'published');
    assert.equal(a.title, 'Harbour clean-up draws a hundred volunteers');
    assert.equal(a.dek, 'A hundred students spent Saturday clearing the harbour.');
    assert.equal(iso(a.published_at), '2019-04-12T10:00:00.000Z');
    assert.equal(a.section, 'news');
    assert.deepEqual(a.tags, ['Environment', 'Volunteering', 'Coast']);
    // No birth date came with the author: no age on the byline.
    assert.deepEqual(a.authors, [{ name: 'Jo Marsh', age_at_publication: null }]);
    assert.equal(a.hero_alt, 'Students in gloves along the harbour wall');
    assert.equal(a.hero_caption, 'Students on the harbour wall at nine');
    assert.ok(a.hero_media_id);

    const page = await t.app.inject({ method: 'GET', url: '/articles/harbour-clean-up' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2>What they found<\/h2>/);
    assert.match(page.body, /<strong>four hundred<\/strong> bottle caps/);
    // A link to the old site became a link on this one (the redirect carries it on); others stay as they were.
    assert.match(page.body, /<a href="\/2019\/03\/01\/tide-tables\/">our earlier piece on the tides<\/a>/);
    assert.match(page.body, /href="https:\/\/council\.example\.gov\/bay"/);
    assert.match(page.body, /<figcaption[^>]*>[\s\S]*Bags of rubbish lined up by noon/);
    assert.match(page.body, /alt="Volunteers on the harbour wall"/);
    assert.match(page.body, /Jo Marsh/);
    assert.doesNotMatch(page.body, /tidewater\.example\/wp-content|jo\.marsh@/);
  });

  it('brings a block post with a Greek slug in, its picture stored once though used twice', async () => {
    const a = await article('mia-mera');
    assert.equal(a.title, 'Μια μέρα στο εργαστήριο');
    assert.equal(a.section, 'culture');
    assert.deepEqual(a.tags, ['School life']);
    assert.deepEqual(
      a.authors.map((x) => x.name),
      ['Sam Okafor'],
    );
    assert.equal(iso(a.published_at), '2020-01-20T14:30:00.000Z');
    const doc = JSON.parse(a.body_json) as { content: { type: string; attrs?: Record<string, unknown> }[] };
    assert.deepEqual(
      doc.content.map((n) => n.type),
      ['paragraph', 'heading', 'figure', 'bulletList'],
    );
    const figure = doc.content[2]!.attrs!;
    assert.equal(figure.mediaId, a.hero_media_id, 'the body picture and the featured picture are one stored picture');
    assert.equal(figure.caption, 'Three experiments, three colours');
    assert.equal(figure.src, undefined);
    const page = await t.app.inject({ method: 'GET', url: '/articles/mia-mera' });
    assert.match(page.body, /<h3>The results<\/h3>/);
    assert.match(page.body, /<li><p>Measure twice<\/p><\/li>/);
    // harbour.jpg (hero and, as harbour-300x200.jpg, in the body), chart.png twice, notice-board.jpg: three pictures.
    assert.equal(await count(t.db, 'media'), 3);
  });

  it('notes a missing picture where it was, shows a gallery as its pictures, and keeps both authors in order', async () => {
    const a = await article('privet');
    assert.equal(a.title, 'Привет из редакции');
    assert.deepEqual(
      a.authors.map((x) => x.name),
      ['Jo Marsh', 'Sam Okafor'],
    );
    const page = await t.app.inject({ method: 'GET', url: '/articles/privet' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /\[Picture not imported: lost-photo\.jpg\]/);
    // [gallery ids="201,202"]: the two attachments of the export, stored once however often they are used.
    assert.doesNotMatch(page.body, /Gallery from the old site/);
    assert.equal((page.body.match(/<figure class="body-figure"/g) ?? []).length, 2);
    assert.match(page.body, /See you in the lab\./);
  });

  it('schedules a future post through the job queue, and keeps private, draft and pending posts in the newsroom', async () => {
    const scheduled = await article('exam-timetable');
    assert.equal(scheduled.status, 'scheduled');
    assert.equal(iso(scheduled.scheduled_at), '2031-01-15T09:00:00.000Z');
    assert.equal(scheduled.published_at, null);
    const job = await t.db.selectFrom('jobs').selectAll().where('unique_key', '=', `publish:${scheduled.id}`).executeTakeFirstOrThrow();
    assert.equal(job.kind, 'publish_article');
    assert.equal(iso(job.run_at), '2031-01-15T09:00:00.000Z');
    assert.equal((await t.app.inject({ method: 'GET', url: '/articles/exam-timetable' })).statusCode, 404);
    // Its old address already leads where it will be.
    assert.equal(await redirected('/?p=104'), '/articles/exam-timetable');

    const secret = await article('editors-notes');
    assert.equal(secret.status, 'draft');
    const events = await t.db.selectFrom('workflow_events').selectAll().where('article_id', '=', secret.id).execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor_name, 'Import from WordPress');
    assert.match(events[0]!.note, /Imported from WordPress\. This was a private post on the old site/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/articles/editors-notes' })).statusCode, 404);
    // A private post's old address does not give its new one away.
    assert.notEqual((await t.app.inject({ method: 'GET', url: '/2022/02/02/editors-notes/' })).statusCode, 301);

    assert.equal((await article('canteen-survey-half-written')).status, 'draft');
    assert.equal((await article('sports-day-results')).status, 'submitted');
    assert.equal(await t.db.selectFrom('articles').select('id').where('title', '=', 'An old mistake').executeTakeFirst(), undefined);
  });

  it('makes pages static pages, with their pictures', async () => {
    const pages = await t.db.selectFrom('pages').select(['slug', 'title', 'status', 'body_html']).orderBy('slug').execute();
    assert.deepEqual(
      pages.map((p) => [p.slug, p.status]),
      [
        ['about-the-courier', 'published'],
        ['write-for-us', 'published'],
      ],
    );
    assert.match(pages[0]!.body_html, /We meet on Thursdays after lunch\./);
    assert.match(pages[0]!.body_html, /alt="The newsroom notice board"/);
  });

  it('answers every old address with a permanent redirect to the new one', async () => {
    assert.equal(await redirected('/2019/04/12/harbour-clean-up/'), '/articles/harbour-clean-up');
    assert.equal(await redirected('/?p=101'), '/articles/harbour-clean-up');
    assert.equal(await redirected('/2020/01/20/%ce%bc%ce%b9%ce%b1-%ce%bc%ce%ad%cf%81%ce%b1/'), '/articles/mia-mera');
    assert.equal(await redirected('/2021/09/01/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/'), '/articles/privet');
    assert.equal(await redirected('/about-the-courier/write-for-us/'), '/write-for-us');
    assert.equal(await redirected('/?page_id=7'), '/about-the-courier');
    assert.equal(await redirected('/category/news/'), '/sections/news');
    assert.equal(await redirected('/category/news/environment/'), '/tags/environment');
    assert.equal(await redirected('/tag/coast/'), '/tags/coast');
    assert.equal(await redirected('/author/jmarsh/'), '/people/jo-marsh');
    const person = await t.app.inject({ method: 'GET', url: '/people/jo-marsh' });
    assert.equal(person.statusCode, 200);
    assert.doesNotMatch(person.body, /jo\.marsh@tidewater\.example/);
  });

  it('creates each author once, with no account, and only those who wrote a post', async () => {
    const people = await t.db.selectFrom('people').select(['name', 'user_id', 'birth_date']).orderBy('name').execute();
    assert.deepEqual(people, [
      { name: 'Jo Marsh', user_id: null, birth_date: null },
      { name: 'Sam Okafor', user_id: null, birth_date: null },
    ]);
    // The email is a matching key only, never stored as it was.
    const keys = await t.db.selectFrom('import_items').select('source_id').where('kind', '=', 'person').execute();
    assert.ok(keys.every((k) => !k.source_id.includes('@')));
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await counts(t.db);
    const stamps = await t.db.selectFrom('articles').select(['id', 'updated_at', 'version']).orderBy('id').execute();
    const again = await importFile(SITE);
    assert.equal(again.summary.totals.created, 0);
    assert.equal(again.summary.totals.updated, 0);
    assert.equal(again.summary.totals.unchanged, 17);
    assert.equal(again.summary.totals.skipped, 3);
    assert.deepEqual(await counts(t.db), before);
    assert.deepEqual(await t.db.selectFrom('articles').select(['id', 'updated_at', 'version']).orderBy('id').execute(), stamps);
  });

  it('changes nothing either when the same uploads are given from another place', async () => {
    const copy = join(work, 'uploads-copy');
    cpSync(UPLOADS, copy, { recursive: true });
    const before = await counts(t.db);
    const again = await importFile(SITE, { uploads: copy });
    assert.equal(again.summary.totals.unchanged, 17);
    assert.deepEqual(await counts(t.db), before);
  });

  it('updates what changed on the old site, without duplicating it', async () => {
    const edited = join(work, 'edited.xml');
    writeFileSync(
      edited,
      readFileSync(SITE, 'utf8').replace(
        'Harbour clean-up draws a hundred volunteers',
        'Harbour clean-up draws a hundred and twenty volunteers',
      ),
    );
    const before = await counts(t.db);
    const report = await importFile(edited);
    assert.equal(report.summary.totals.updated, 1);
    assert.equal(report.summary.totals.created, 0);
    const a = await article('harbour-clean-up');
    assert.equal(a.title, 'Harbour clean-up draws a hundred and twenty volunteers');
    assert.equal(a.version, 2);
    assert.deepEqual(await counts(t.db), before);
  });

  it('writes nothing in a dry run, while reporting what it would do', async () => {
    const extra = join(work, 'extra.xml');
    writeFileSync(
      extra,
      readFileSync(SITE, 'utf8').replace(
        '</channel>',
        `<item><title>Rowing club returns</title><link>https://old.tidewater.example/2024/03/01/rowing/</link>
<dc:creator>newcomer</dc:creator><content:encoded><![CDATA[Eight rowers and a cox.]]></content:encoded>
<wp:post_id>110</wp:post_id><wp:post_date_gmt>2024-03-01 08:00:00</wp:post_date_gmt><wp:post_name>rowing</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="sport"><![CDATA[Sport]]></category></item></channel>`,
      ),
    );
    const before = await counts(t.db);
    const files = readdirSync(mediaDir, { recursive: true }).length;
    const report = await importFile(extra, { dryRun: true });
    assert.equal(report.items.find((i) => i.sourceId === '110')?.outcome, 'created');
    assert.equal(report.summary.byKind.person?.created, 1);
    assert.equal(report.summary.byKind.section?.created, 1);
    assert.deepEqual(await counts(t.db), before);
    assert.equal(readdirSync(mediaDir, { recursive: true }).length, files);
    assert.equal((await t.app.inject({ method: 'GET', url: '/2024/03/01/rowing/' })).statusCode, 404);
  });
});
