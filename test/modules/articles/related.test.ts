// Further reading at the end of an article: "More from <author>" and "Related",
// their contents and order, published articles only, never the article itself,
// refreshed when something is published, and nothing from behind the wall.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles as demoArticles } from '../../../src/demo/content.js';
import { newId } from '../../../src/lib/ids.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const titlesIn = (html: string) => [...html.matchAll(/<h[23] class="teaser__title"><a href="\/articles\/([^"]+)">/g)].map((m) => m[1]!);

/** The teasers' slugs under the heading with this id, in order (none when the list is absent). */
function listUnder(html: string, headingId: string): string[] {
  const start = html.indexOf(`id="${headingId}"`);
  if (start < 0) return [];
  return titlesIn(html.slice(start, html.indexOf('</section>', start)));
}

async function page(slug: string) {
  const res = await get(`/articles/${slug}`);
  assert.equal(res.statusCode, 200);
  return res.body;
}

const idOf = async (table: 'sections' | 'people', slug: string) =>
  (await t.db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;

interface Fixture {
  slug: string;
  section: string;
  tags: string[];
  publishedAt: string;
  status?: 'published' | 'draft' | 'scheduled';
  author?: string;
}

async function addTag(slug: string): Promise<string> {
  const id = newId();
  await t.db.insertInto('tags').values({ id, slug, name: slug }).execute();
  return id;
}

async function addArticle(a: Fixture, tagIds: Map<string, string>): Promise<void> {
  const id = newId();
  const now = new Date().toISOString();
  const published = (a.status ?? 'published') === 'published';
  await t.db
    .insertInto('articles')
    .values({
      id,
      slug: a.slug,
      status: a.status ?? 'published',
      title: `Title of ${a.slug}`,
      dek: `Dek of ${a.slug}.`,
      section_id: await idOf('sections', a.section),
      body_json: '{"type":"doc","content":[]}',
      body_html: '',
      published_at: published ? a.publishedAt : null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (a.author) {
    const personId = await idOf('people', a.author);
    await t.db.insertInto('article_authors').values({ article_id: id, person_id: personId, position: 0, age_at_publication: 17 }).execute();
  }
  for (const [position, tag] of a.tags.entries()) {
    await t.db
      .insertInto('article_tags')
      .values({ article_id: id, tag_id: tagIds.get(tag)!, position })
      .execute();
  }
}

describe('more from the author and related articles on the demo', () => {
  it('lists the first author’s other published pieces newest first, then articles sharing tags', async () => {
    const html = await page('regional-court-orders-kestria-to-free-detained-student-protesters');
    assert.match(html, /<h2 id="more-from-heading" class="section-label">More from Marta Quiroga<\/h2>/);
    assert.deepEqual(listUnder(html, 'more-from-heading'), [
      'free-but-not-cleared-what-became-of-kestrias-detained-students',
      'free-pads-at-school-inside-a-student-campaign-against-period-poverty',
    ]);
    assert.match(html, /<a href="\/people\/marta-quiroga">All articles by Marta Quiroga<\/a>/);
    // One tag in common (Education) each: none in Human Rights, so newest first; the draft about
    // uniforms shares the tag too and is left out, as is the article "More from" already shows.
    assert.deepEqual(listUnder(html, 'related-heading'), [
      'points-of-order-inside-a-model-un-run-by-refugee-teenagers',
      'what-would-get-you-to-vote-first-time-voters-answer',
      'phones-in-lockers-what-happened-when-two-schools-went-screen-free',
      'mapping-a-shrinking-shoreline-samoan-students-turn-data-into-evidence',
    ]);
  });

  it('never lists the article itself, nor a draft', async () => {
    const drafts = demoArticles.filter((a) => a.status !== 'published').map((a) => a.slug);
    for (const a of demoArticles.filter((d) => d.status === 'published')) {
      const html = await page(a.slug);
      const listed = [...listUnder(html, 'more-from-heading'), ...listUnder(html, 'related-heading')];
      assert.ok(!listed.includes(a.slug), `${a.slug} lists itself`);
      assert.deepEqual(
        listed.filter((s) => drafts.includes(s)),
        [],
      );
      assert.equal(new Set(listed).size, listed.length, `${a.slug} lists an article twice`);
    }
  });

  it('names its landmark and headings, and shows teasers only: no article text from behind the wall', async () => {
    const html = await page('regional-court-orders-kestria-to-free-detained-student-protesters');
    assert.match(html, /<aside class="further-reading wrap narrow" aria-label="Further reading">/);
    assert.match(html, /<section class="further-reading__list" aria-labelledby="related-heading">/);
    const registered = await t.db
      .selectFrom('articles')
      .select(['slug', 'body_html'])
      .where('slug', '=', 'points-of-order-inside-a-model-un-run-by-refugee-teenagers')
      .executeTakeFirstOrThrow();
    assert.ok(listUnder(html, 'related-heading').includes(registered.slug));
    const paragraphs = [...registered.body_html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => textOf(m[1]!)).filter((p) => p.length > 40);
    assert.ok(paragraphs.length > 2);
    const text = textOf(html);
    for (const paragraph of paragraphs) assert.ok(!text.includes(paragraph), `a body paragraph is on the page: ${paragraph.slice(0, 60)}`);
  });

  it('is on the registered article’s walled page too', async () => {
    const html = await page('points-of-order-inside-a-model-un-run-by-refugee-teenagers');
    assert.match(html, /More from Farah Haddad/);
    assert.deepEqual(listUnder(html, 'more-from-heading'), [
      'half-the-world-votes-what-a-record-election-year-means-for-first-time-voters',
    ]);
    assert.equal(listUnder(html, 'related-heading').length, 4);
  });
});

describe('ranking related articles', () => {
  const tagIds = new Map<string, string>();
  before(async () => {
    for (const tag of ['ranking-one', 'ranking-two', 'ranking-lonely']) tagIds.set(tag, await addTag(tag));
    const both = ['ranking-one', 'ranking-two'];
    const fixtures: Fixture[] = [
      { slug: 'anchor', section: 'culture', tags: both, publishedAt: '2023-05-01T09:00:00.000Z', author: 'farah-haddad' },
      { slug: 'two-tags-old', section: 'society', tags: both, publishedAt: '2019-01-01T09:00:00.000Z' },
      { slug: 'one-tag-same-section', section: 'culture', tags: ['ranking-one'], publishedAt: '2020-01-01T09:00:00.000Z' },
      { slug: 'one-tag-newer', section: 'climate', tags: ['ranking-two'], publishedAt: '2022-01-01T09:00:00.000Z' },
      { slug: 'one-tag-older', section: 'climate', tags: ['ranking-one'], publishedAt: '2021-01-01T09:00:00.000Z' },
      { slug: 'one-tag-oldest', section: 'climate', tags: ['ranking-one'], publishedAt: '2018-01-01T09:00:00.000Z' },
      { slug: 'two-tags-draft', section: 'culture', tags: both, publishedAt: '', status: 'draft' },
      { slug: 'two-tags-scheduled', section: 'culture', tags: both, publishedAt: '', status: 'scheduled' },
      { slug: 'two-tags-by-farah', section: 'culture', tags: both, publishedAt: '2017-01-01T09:00:00.000Z', author: 'farah-haddad' },
      { slug: 'lonely', section: 'culture', tags: ['ranking-lonely'], publishedAt: '2016-01-01T09:00:00.000Z' },
    ];
    for (const f of fixtures) await addArticle(f, tagIds);
    await t.app.contentVersion.bump();
  });

  it('ranks by tags in common, then the same section, then the newest, leaving out what "More from" shows', async () => {
    const html = await page('anchor');
    assert.deepEqual(listUnder(html, 'more-from-heading'), [
      'points-of-order-inside-a-model-un-run-by-refugee-teenagers',
      'half-the-world-votes-what-a-record-election-year-means-for-first-time-voters',
      'two-tags-by-farah',
    ]);
    assert.deepEqual(listUnder(html, 'related-heading'), ['two-tags-old', 'one-tag-same-section', 'one-tag-newer', 'one-tag-older']);
  });

  it('fills the list with the newest of the section when too few share a tag', async () => {
    const html = await page('lonely');
    assert.equal(listUnder(html, 'more-from-heading').length, 0, 'no author, no "More from"');
    assert.doesNotMatch(html, /more-from-heading/);
    const culture = await t.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select('articles.slug')
      .where('sections.slug', '=', 'culture')
      .where('articles.status', '=', 'published')
      .where('articles.slug', '!=', 'lonely')
      .orderBy('articles.published_at', 'desc')
      .limit(4)
      .execute();
    assert.deepEqual(
      listUnder(html, 'related-heading'),
      culture.map((r) => r.slug),
    );
  });

  it('shows a newly published article once the content changes', async () => {
    assert.ok(!listUnder(await page('anchor'), 'related-heading').includes('two-tags-fresh'));
    await addArticle(
      { slug: 'two-tags-fresh', section: 'culture', tags: ['ranking-one', 'ranking-two'], publishedAt: new Date().toISOString() },
      tagIds,
    );
    await t.app.contentVersion.bump();
    assert.deepEqual(listUnder(await page('anchor'), 'related-heading').slice(0, 2), ['two-tags-fresh', 'two-tags-old']);
  });
});

describe('the newsroom’s publishing', () => {
  it('takes an unpublished article out of the lists and puts it back when it is published again', async () => {
    const chief = await staffClient(t, 'aarav-kulkarni');
    const reading = 'regional-court-orders-kestria-to-free-detained-student-protesters';
    const moved = 'points-of-order-inside-a-model-un-run-by-refugee-teenagers';
    const { id } = await t.db.selectFrom('articles').select('id').where('slug', '=', moved).executeTakeFirstOrThrow();
    const move = async (to: string) => {
      await chief.get(`/newsroom/articles/${id}`);
      assert.equal((await chief.post(`/newsroom/articles/${id}/move`, { to })).statusCode, 303);
    };
    assert.ok(listUnder(await page(reading), 'related-heading').includes(moved));
    await move('unpublished');
    assert.ok(!listUnder(await page(reading), 'related-heading').includes(moved));
    await move('published');
    assert.ok(listUnder(await page(reading), 'related-heading').includes(moved));
  });
});
