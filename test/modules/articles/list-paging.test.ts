// Every page of a list, read one after another, lists the list's articles once
// each, newest first: whether a page is read from the newest or the oldest end,
// and from the articles' order or from the tag's or person's own index (which
// the articles module chooses by the list's length).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ env: { PAGE_SIZE: '2' } });
});
after(() => t.close());

const slugsIn = (html: string) => [...html.matchAll(/<h[23] class="teaser__title"><a href="\/articles\/([^"]+)">/g)].map((m) => m[1]!);

/** The slugs of every page of a list, in order, and the number of pages its first page announces. */
async function readAllPages(path: string): Promise<{ slugs: string[]; pages: number }> {
  const first = await t.app.inject(path);
  assert.equal(first.statusCode, 200, path);
  const pages = Number(/Page \d+ of (\d+)/.exec(first.body)?.[1] ?? 1);
  const slugs = slugsIn(first.body);
  for (let page = 2; page <= pages; page += 1) {
    const res = await t.app.inject(`${path}?page=${page}`);
    assert.equal(res.statusCode, 200, `${path}?page=${page}`);
    slugs.push(...slugsIn(res.body));
  }
  const past = await t.app.inject(`${path}?page=${pages + 1}`);
  assert.equal(past.statusCode, 404, `${path}: the page after the last is not found`);
  return { slugs, pages };
}

/** The published articles with this tag or by this writer, newest first, as the database orders them. */
async function expected(filter: { tagId: string } | { authorId: string }): Promise<string[]> {
  let q = t.db.selectFrom('articles').select('articles.slug').where('articles.status', '=', 'published');
  q =
    'tagId' in filter
      ? q.where('articles.id', 'in', t.db.selectFrom('article_tags').select('article_id').where('tag_id', '=', filter.tagId))
      : q.where('articles.id', 'in', t.db.selectFrom('article_authors').select('article_id').where('person_id', '=', filter.authorId));
  const rows = await q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').execute();
  return rows.map((r) => r.slug);
}

describe('paging through a list', () => {
  it('lists every article of the busiest tag once, newest first, over all its pages', async () => {
    const tag = await t.db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .innerJoin('articles', 'articles.id', 'article_tags.article_id')
      .select(['tags.id', 'tags.slug', (eb) => eb.fn.countAll<number>().as('n')])
      .where('articles.status', '=', 'published')
      .groupBy(['tags.id', 'tags.slug'])
      .orderBy('n', 'desc')
      .orderBy('tags.slug')
      .executeTakeFirstOrThrow();
    const want = await expected({ tagId: tag.id });
    assert.ok(want.length >= 5, `the demo's busiest tag has ${want.length} articles: enough for three pages of two`);
    const { slugs, pages } = await readAllPages(`/tags/${tag.slug}`);
    assert.equal(pages, Math.ceil(want.length / 2));
    assert.deepEqual(slugs, want);
  });

  it('lists every article of the most prolific writer once, newest first, over all their pages', async () => {
    const person = await t.db
      .selectFrom('article_authors')
      .innerJoin('people', 'people.id', 'article_authors.person_id')
      .innerJoin('articles', 'articles.id', 'article_authors.article_id')
      .select(['people.id', 'people.slug', (eb) => eb.fn.countAll<number>().as('n')])
      .where('articles.status', '=', 'published')
      .groupBy(['people.id', 'people.slug'])
      .orderBy('n', 'desc')
      .orderBy('people.slug')
      .executeTakeFirstOrThrow();
    const want = await expected({ authorId: person.id });
    assert.ok(want.length >= 3, `the demo's most prolific writer has ${want.length} articles`);
    const { slugs } = await readAllPages(`/people/${person.slug}`);
    assert.deepEqual(slugs.slice(0, want.length), want);
  });

  it('lists every article of a section once, newest first, the last page read from the oldest end', async () => {
    const section = await t.db.selectFrom('sections').select(['id', 'slug']).orderBy('position').executeTakeFirstOrThrow();
    const rows = await t.db
      .selectFrom('articles')
      .select('slug')
      .where('section_id', '=', section.id)
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    assert.ok(rows.length >= 3, `the demo's first section has ${rows.length} articles`);
    const { slugs } = await readAllPages(`/sections/${section.slug}`);
    assert.deepEqual(
      slugs,
      rows.map((r) => r.slug),
    );
  });
});

describe('the home page’s sections', () => {
  it('names each section’s newest published article beside it', async () => {
    const html = (await t.app.inject('/')).body;
    const shown = new Map(
      [
        ...html.matchAll(
          /<a class="section-list__name" href="\/sections\/([^"]+)">[\s\S]*?class="section-list__latest"(?: href="\/articles\/([^"]+)")?/g,
        ),
      ].map((m) => [m[1]!, m[2] ?? null]),
    );
    const sections = await t.db.selectFrom('sections').select(['id', 'slug']).execute();
    assert.equal(shown.size, sections.length);
    for (const section of sections) {
      const newest = await t.db
        .selectFrom('articles')
        .select('slug')
        .where('section_id', '=', section.id)
        .where('status', '=', 'published')
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      assert.equal(shown.get(section.slug), newest?.slug ?? null, section.slug);
    }
  });
});
