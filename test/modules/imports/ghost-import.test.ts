// Ghost exports (versions 2, 4 and 5+) through the import engine into a real
// database, article by article: text, headings, links, pictures with captions,
// authors in order, section, tags, dates, status, access, the old address's
// permanent redirect, members as subscribers with consent; a re-run changes
// nothing, a dry run writes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/db/database.js';
import type { RichNode } from '../../../src/lib/rich-text.js';
import { applyImport, ImportReport } from '../../../src/modules/imports/index.js';
import { readGhost, type GhostOptions } from '../../../src/modules/imports/ghost.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

const FIXTURES = resolve('test/fixtures/imports/ghost');
const CONTENT = join(FIXTURES, 'content');

async function importGhost(t: TestApp, file: string, options: GhostOptions & { dryRun?: boolean; newsletterSlug?: string } = {}) {
  const read = await readGhost(join(FIXTURES, file), { contentDir: CONTENT, ...options });
  const report = new ImportReport({
    format: 'ghost',
    source: `ghost:${read.source.siteUrl}`,
    file,
    dryRun: options.dryRun === true,
    startedAt: new Date().toISOString(),
  });
  await applyImport(read.source, read.items, {
    db: t.db,
    media: t.app.mediaStorage,
    report,
    dryRun: options.dryRun === true,
    ...(options.newsletterSlug ? { newsletterSlug: options.newsletterSlug } : {}),
  });
  await t.app.contentVersion.bump();
  return report;
}

interface Imported {
  id: string;
  title: string;
  dek: string;
  status: string;
  access: string;
  published_at: string | null;
  scheduled_at: string | null;
  body_html: string;
  doc: RichNode;
  section: string;
  tags: string[];
  authors: string[];
  hero: { alt: string; caption: string; mediaId: string | null };
}

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

async function article(db: Db, slug: string): Promise<Imported> {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.title',
      'articles.dek',
      'articles.status',
      'articles.access',
      'articles.published_at',
      'articles.scheduled_at',
      'articles.body_html',
      'articles.body_json',
      'articles.hero_alt',
      'articles.hero_caption',
      'articles.hero_media_id',
      'sections.slug as section',
    ])
    .where('articles.slug', '=', slug)
    .executeTakeFirst();
  assert.ok(row, `no article ${slug}`);
  const tags = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.slug')
    .where('article_tags.article_id', '=', row.id)
    .orderBy('article_tags.position')
    .execute();
  const authors = await db
    .selectFrom('article_authors')
    .innerJoin('people', 'people.id', 'article_authors.person_id')
    .select('people.name')
    .where('article_authors.article_id', '=', row.id)
    .orderBy('article_authors.position')
    .execute();
  return {
    id: row.id,
    title: row.title,
    dek: row.dek,
    status: row.status,
    access: row.access,
    published_at: iso(row.published_at),
    scheduled_at: iso(row.scheduled_at),
    body_html: row.body_html,
    doc: JSON.parse(row.body_json) as RichNode,
    section: row.section,
    tags: tags.map((t) => t.slug),
    authors: authors.map((a) => a.name),
    hero: { alt: row.hero_alt, caption: row.hero_caption, mediaId: row.hero_media_id },
  };
}

function figures(doc: RichNode): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (n: RichNode) => {
    if (n.type === 'figure') out.push(n.attrs ?? {});
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
}

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['articles', 'people', 'sections', 'tags', 'media', 'pages', 'redirects', 'subscriptions', 'import_items'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function redirectOf(t: TestApp, path: string): Promise<{ status: number; location: string | undefined }> {
  const res = await t.app.inject({ method: 'GET', url: path });
  return { status: res.statusCode, location: res.headers.location };
}

describe('importing Ghost exports', () => {
  let t: TestApp;
  const mediaDir = mkdtempSync(join(tmpdir(), 'harbinger-ghost-media-'));
  before(async () => {
    t = await buildTestApp({ seed: false, env: { MEDIA_DIR: mediaDir } });
  });
  after(async () => {
    await t.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  describe('a Ghost 2 export (mobiledoc, page flag, author_id)', () => {
    let report: ImportReport;
    before(async () => {
      report = await importGhost(t, 'ghost-2.json');
    });

    it('reports what it made and fails nothing', () => {
      assert.equal(report.summary.totals.failed, 0, JSON.stringify(report.items.filter((i) => i.outcome === 'failed')));
      assert.equal(report.summary.byKind.article?.created, 2);
      assert.equal(report.summary.byKind.page?.created, 1);
    });

    it('brings the article over with its text, heading, links, picture and caption', async () => {
      const a = await article(t.db, 'river-clean-up');
      assert.equal(a.title, 'Forty bags of litter pulled from the river');
      assert.equal(a.dek, 'Students spent a Saturday cleaning the river, and the council has noticed.');
      assert.match(a.body_html, /waded into the shallows below the old mill/);
      assert.match(a.body_html, /<h2[^>]*>What we found<\/h2>/);
      assert.match(a.body_html, /<strong>three shopping trolleys<\/strong>/);
      assert.match(a.body_html, /<a href="https:\/\/council\.example\/rivers"[^>]*>council's river page<\/a>|council&#39;s river page/);
      // A link to the old site itself is made relative, so its redirect answers it.
      assert.match(a.body_html, /href="\/about-us\/"/);
      const [figure] = figures(a.doc);
      assert.ok(figure, 'the picture is in the body');
      assert.ok(figure.mediaId, 'the picture was stored');
      assert.equal(figure.caption, 'Volunteers at the weir');
      assert.equal(figure.alt, 'Volunteers in waders');
      assert.match(a.body_html, /<figcaption[^>]*>[\s\S]*Volunteers at the weir/);
    });

    it('keeps the author, section, tags, date, status and access, and the feature picture', async () => {
      const a = await article(t.db, 'river-clean-up');
      assert.deepEqual(a.authors, ['Maya Okafor']);
      assert.equal(a.section, 'environment');
      assert.deepEqual(a.tags, ['volunteering']);
      assert.equal(a.status, 'published');
      assert.equal(a.published_at, '2019-05-10T09:30:00.000Z');
      assert.equal(a.access, 'free');
      assert.ok(a.hero.mediaId, 'the feature picture was stored');
    });

    it('keeps a draft a draft, with its list', async () => {
      const a = await article(t.db, 'summer-ideas');
      assert.equal(a.status, 'draft');
      assert.equal(a.published_at, null);
      assert.deepEqual(a.authors, ['Sam Lee']);
      assert.match(a.body_html, /<ul>[\s\S]*the new skate park[\s\S]*exam stress[\s\S]*<\/ul>/);
    });

    it('makes the page flag a static page', async () => {
      const page = await t.db.selectFrom('pages').selectAll().where('slug', '=', 'about-us').executeTakeFirst();
      assert.ok(page);
      assert.equal(page.status, 'published');
      assert.match(page.body_html, /a newsroom of students from Riverside Academy/);
    });

    it('answers the old addresses with permanent redirects', async () => {
      assert.deepEqual(await redirectOf(t, '/river-clean-up/'), { status: 301, location: '/articles/river-clean-up' });
      assert.deepEqual(await redirectOf(t, '/tag/environment/'), { status: 301, location: '/sections/environment' });
      assert.deepEqual(await redirectOf(t, '/tag/volunteering/'), { status: 301, location: '/tags/volunteering' });
      assert.deepEqual(await redirectOf(t, '/author/maya/'), { status: 301, location: '/people/maya' });
      const page = await t.app.inject({ method: 'GET', url: '/articles/river-clean-up' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /What we found/);
      assert.match(page.body, /Maya Okafor/);
    });

    it('makes people without their email or password on the public page', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/people/maya' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Writes about the river/);
      assert.ok(!res.body.includes('maya@river-times.example'));
      const person = await t.db.selectFrom('people').selectAll().where('slug', '=', 'maya').executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(person).includes('$2a$'));
    });

    it('changes nothing when run again', async () => {
      const before = await counts(t.db);
      const stamp = await t.db.selectFrom('articles').select(['slug', 'updated_at', 'version']).orderBy('slug').execute();
      const again = await importGhost(t, 'ghost-2.json');
      assert.equal(again.summary.totals.created, 0);
      assert.equal(again.summary.totals.updated, 0);
      assert.equal(again.summary.totals.failed, 0);
      assert.deepEqual(await counts(t.db), before);
      assert.deepEqual(await t.db.selectFrom('articles').select(['slug', 'updated_at', 'version']).orderBy('slug').execute(), stamp);
    });
  });

  describe('a Ghost 4 export (mobiledoc and html, __GHOST_URL__, posts_authors, members)', () => {
    let report: ImportReport;
    before(async () => {
      report = await importGhost(t, 'ghost-4.json', { members: true });
    });

    it('fails nothing', () => {
      assert.equal(report.summary.totals.failed, 0, JSON.stringify(report.items.filter((i) => i.outcome === 'failed')));
    });

    it('puts the authors in posts_authors order and the first tag as the section', async () => {
      const a = await article(t.db, 'late-bus');
      assert.deepEqual(a.authors, ['Priya Nair', 'Theo Marsh']);
      assert.equal(a.section, 'transport');
      assert.deepEqual(a.tags, ['local-council']);
      assert.equal(a.published_at, '2021-03-03T07:45:00.000Z');
    });

    it('reads a mobiledoc body with a __GHOST_URL__ link and picture', async () => {
      const a = await article(t.db, 'late-bus');
      assert.match(a.body_html, /<h2[^>]*>Ten minutes, on average<\/h2>/);
      assert.match(a.body_html, /href="\/tag\/transport\/"/);
      assert.ok(!a.body_html.includes('__GHOST_URL__'));
      const [figure] = figures(a.doc);
      assert.ok(figure?.mediaId);
      assert.equal(figure.caption, 'The timetable at the stop');
    });

    it('takes the feature picture with its alt and plain-text caption; members-only becomes registered', async () => {
      const a = await article(t.db, 'late-bus');
      assert.ok(a.hero.mediaId);
      assert.equal(a.hero.alt, 'A bus stop in the rain');
      assert.equal(a.hero.caption, 'The stop on Mill Lane');
      assert.equal(a.access, 'registered');
    });

    it('reads an html-only body, a paid post as registered', async () => {
      const a = await article(t.db, 'youth-council');
      assert.match(a.body_html, /<h2[^>]*>Nobody asked us<\/h2>/);
      assert.match(a.body_html, /<a href="https:\/\/example\.org\/youth-councils"[^>]*>Other towns<\/a>/);
      assert.equal(figures(a.doc)[0]?.caption, 'Where we wait');
      assert.equal(a.access, 'registered');
      assert.deepEqual(a.authors, ['Priya Nair']);
      assert.equal(a.section, 'opinion');
    });

    it('gives a person their profile picture', async () => {
      const theo = await t.db.selectFrom('people').selectAll().where('slug', '=', 'theo').executeTakeFirstOrThrow();
      assert.ok(theo.photo_media_id, 'Theo has a picture');
      assert.equal(
        (await t.db.selectFrom('people').select('photo_media_id').where('slug', '=', 'priya').executeTakeFirstOrThrow()).photo_media_id,
        null,
      );
    });

    it('confirms only the members who subscribed, with a consent record naming the import', async () => {
      const subs = await t.db.selectFrom('subscriptions').selectAll().where('source', '=', 'import').orderBy('email').execute();
      assert.deepEqual(
        subs.map((s) => [s.email, s.status]),
        [
          ['ana@example.org', 'confirmed'],
          ['cleo@example.org', 'confirmed'],
        ],
      );
      for (const s of subs) {
        assert.match(s.consent ?? '', /Ghost/);
        assert.match(s.consent ?? '', /ghost-4\.json/);
        assert.ok(s.consent_at);
      }
      const ben = report.items.find((i) => i.kind === 'subscriber' && i.outcome === 'skipped');
      assert.ok(ben?.reason, 'the unsubscribed member is skipped with a reason');
    });

    it('changes nothing when run again, members included', async () => {
      const before = await counts(t.db);
      const again = await importGhost(t, 'ghost-4.json', { members: true });
      assert.equal(again.summary.totals.created, 0);
      assert.equal(again.summary.totals.updated, 0);
      assert.deepEqual(await counts(t.db), before);
    });
  });

  describe('a Ghost 5 export (lexical, posts_meta, newsletters, tiers)', () => {
    let report: ImportReport;
    let before5: Record<string, number>;
    before(async () => {
      before5 = await counts(t.db);
    });

    it('writes nothing on a dry run', async () => {
      const dry = await importGhost(t, 'ghost-5.json', { members: true, dryRun: true });
      assert.ok(dry.summary.totals.created > 0);
      assert.deepEqual(await counts(t.db), before5);
    });

    it('imports the lexical article with its picture, the feature picture from posts_meta, tiers as registered', async () => {
      report = await importGhost(t, 'ghost-5.json', { members: true, newsletterSlug: 'weekly-brief' });
      assert.equal(report.summary.totals.failed, 0, JSON.stringify(report.items.filter((i) => i.outcome === 'failed')));
      const a = await article(t.db, 'robot-arm');
      assert.match(a.body_html, /It took a term, a box of servos/);
      assert.match(a.body_html, /<h2[^>]*>How it sees<\/h2>/);
      assert.match(a.body_html, /<strong>a colour check<\/strong>/);
      assert.match(a.body_html, /<a href="https:\/\/code\.example\/robot-arm"[^>]*>The code is online<\/a>/);
      assert.ok(!a.body_html.includes('HTML copy that should not be used'));
      const [figure] = figures(a.doc);
      assert.ok(figure?.mediaId);
      assert.equal(figure.caption, 'Testing in Lab 3');
      assert.equal(a.hero.alt, 'A cardboard robot arm');
      assert.equal(a.hero.caption, 'Built from cardboard & servos');
      assert.equal(a.access, 'registered');
      assert.deepEqual(a.authors, ['Ife Adeyemi', 'Jonah Reyes']);
      assert.equal(a.section, 'science');
      assert.deepEqual(a.tags, ['robotics']);
    });

    it('keeps a scheduled post scheduled for its time, and a mobiledoc draft a draft', async () => {
      const open = await article(t.db, 'open-day');
      assert.equal(open.status, 'scheduled');
      assert.equal(open.scheduled_at ?? open.published_at, '2030-01-15T09:00:00.000Z');
      assert.equal(open.section, 'robotics');
      const draft = await article(t.db, 'first-meeting');
      assert.equal(draft.status, 'draft');
      assert.match(draft.body_html, /Twelve of us turned up/);
    });

    it('redirects the old address of the post and of a tag that became a section', async () => {
      assert.deepEqual(await redirectOf(t, '/robot-arm/'), { status: 301, location: '/articles/robot-arm' });
      assert.deepEqual(await redirectOf(t, '/tag/robotics/'), { status: 301, location: '/sections/robotics' });
    });

    it('confirms the member with a members_newsletters row, and no other', async () => {
      const subs = await t.db
        .selectFrom('subscriptions')
        .select(['email', 'status'])
        .where('email', 'in', ['dev@example.org', 'eli@example.org', 'fay@example.org'])
        .execute();
      assert.deepEqual(subs, [{ email: 'dev@example.org', status: 'confirmed' }]);
    });
  });
});
