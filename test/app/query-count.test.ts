// A page's number of SQL queries does not grow with the number of articles it
// lists or the archive holds: every page is counted on the demo magazine, and
// again once the archive holds five times as many published articles (each
// copy with its authors, editors and tags, all of them bookmarked and in the
// search index). The render cache is off, so every request reaches the database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type KyselyPlugin } from 'kysely';
import type { Db } from '../../src/db/database.js';
import { buildTestApp, databaseKind } from '../helpers.js';
import { staffClient } from '../staff.js';

/** Counts every query that reaches the database (a result is transformed once per query run). */
function queryCounter(): { plugin: KyselyPlugin; count: () => number; reset: () => void } {
  let n = 0;
  return {
    plugin: {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        n++;
        return args.result;
      },
    },
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

/** Copies every published article of the demo `times` times, older than the originals, with their people and tags. */
async function copyPublishedArticles(db: Db, times: number): Promise<void> {
  const numbers = sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${times})`;
  const shifted =
    databaseKind === 'postgres'
      ? sql`a.published_at - n.i * interval '30 days'`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', a.published_at, '-' || (n.i * 30) || ' days')`;
  await sql`insert into articles (id, slug, status, title, dek, byline_phrase, section_id, newsroom_id, hero_media_id, hero_caption,
      hero_alt, hero_credit_creator, hero_credit_source, access, preview_paragraphs, body_json, body_html, word_count, published_at,
      version, created_at, updated_at)
    ${numbers}
    select a.id || '-' || n.i, a.slug || '-copy-' || n.i, a.status, a.title, a.dek, a.byline_phrase, a.section_id, a.newsroom_id,
      a.hero_media_id, a.hero_caption, a.hero_alt, a.hero_credit_creator, a.hero_credit_source, a.access, a.preview_paragraphs,
      a.body_json, a.body_html, a.word_count, ${shifted}, a.version, a.created_at, a.updated_at
    from articles a, n where a.status = 'published'`.execute(db);
  await sql`insert into article_authors (article_id, person_id, position, age_at_publication) ${numbers}
    select x.article_id || '-' || n.i, x.person_id, x.position, x.age_at_publication
    from article_authors x join articles a on a.id = x.article_id and a.status = 'published', n`.execute(db);
  await sql`insert into article_editors (article_id, person_id, position) ${numbers}
    select x.article_id || '-' || n.i, x.person_id, x.position
    from article_editors x join articles a on a.id = x.article_id and a.status = 'published', n`.execute(db);
  await sql`insert into article_tags (article_id, tag_id, position) ${numbers}
    select x.article_id || '-' || n.i, x.tag_id, x.position
    from article_tags x join articles a on a.id = x.article_id and a.status = 'published', n`.execute(db);
}

async function bookmarkEverything(db: Db, userId: string): Promise<void> {
  await sql`insert into bookmarks (user_id, article_id, created_at)
    select ${userId}, a.id, a.published_at from articles a
    where a.status = 'published' and not exists (select 1 from bookmarks b where b.user_id = ${userId} and b.article_id = a.id)`.execute(
    db,
  );
}

test('no page runs more queries when the archive holds five times as many articles', async () => {
  const counter = queryCounter();
  const t = await buildTestApp({ env: { RENDER_CACHE_ENTRIES: '0' }, plugins: [counter.plugin] });
  const { app, db } = t;
  try {
    const staff = await staffClient(t, 'aarav-kulkarni');
    const userId = (await db.selectFrom('people').select('user_id').where('slug', '=', 'aarav-kulkarni').executeTakeFirstOrThrow())
      .user_id!;
    // The newest published article with a tag and an author names the article, section, tag and person pages.
    const article = await db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.slug', 'sections.slug as section'])
      .where('articles.status', '=', 'published')
      .where((eb) => eb.exists(eb.selectFrom('article_tags').select('tag_id').whereRef('article_tags.article_id', '=', 'articles.id')))
      .where((eb) =>
        eb.exists(eb.selectFrom('article_authors').select('person_id').whereRef('article_authors.article_id', '=', 'articles.id')),
      )
      .orderBy('articles.published_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const tag = await db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.slug')
      .where('article_tags.article_id', '=', article.id)
      .limit(1)
      .executeTakeFirstOrThrow();
    const person = await db
      .selectFrom('article_authors')
      .innerJoin('people', 'people.id', 'article_authors.person_id')
      .select('people.slug')
      .where('article_authors.article_id', '=', article.id)
      .limit(1)
      .executeTakeFirstOrThrow();
    const word = article.slug.split('-').find((w) => w.length > 4) ?? 'students';
    const pages: { path: string; signedIn?: boolean }[] = [
      { path: '/' },
      { path: `/articles/${article.slug}` },
      { path: `/sections/${article.section}` },
      { path: `/tags/${tag.slug}` },
      { path: `/people/${person.slug}` },
      { path: '/people' },
      { path: `/search?q=${word}` },
      { path: '/feed.xml' },
      { path: `/sections/${article.section}/feed.xml` },
      { path: '/account/bookmarks', signedIn: true },
      { path: '/newsroom/articles', signedIn: true },
      { path: `/newsroom/articles?q=${word}`, signedIn: true },
    ];

    const countAll = async (): Promise<Map<string, number>> => {
      const counts = new Map<string, number>();
      for (const page of pages) {
        const get = () => (page.signedIn ? staff.get(page.path) : app.inject(page.path));
        const first = await get();
        assert.equal(first.statusCode, 200, `${page.path} answers`);
        // The second request is counted: what a service keeps between requests (the sections) is already kept.
        counter.reset();
        await get();
        counts.set(page.path, counter.count());
      }
      return counts;
    };

    await bookmarkEverything(db, userId);
    const before = await countAll();
    const published = async () =>
      Number(
        (
          await db
            .selectFrom('articles')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', 'published')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await published();

    await copyPublishedArticles(db, 4);
    await bookmarkEverything(db, userId);
    await app.siteSearch.reindex();
    await app.contentVersion.bump();
    assert.equal(await published(), 5 * n, 'five times as many published articles');
    const after = await countAll();

    for (const page of pages) {
      assert.ok(before.get(page.path)! > 0, `${page.path} was counted`);
      assert.equal(
        after.get(page.path),
        before.get(page.path),
        `${page.path}: ${before.get(page.path)} queries with ${n} articles, ${after.get(page.path)} with ${5 * n}`,
      );
    }
  } finally {
    await t.close();
  }
});
