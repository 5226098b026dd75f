// The scale benchmark's generator, at a tiny size: every table it fills holds
// what it should, every article has a section and an author, the prolific writer
// and the busy tag exist, and the generated site answers its pages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateScaleData, scaledOptions, type ScaleData } from '../../bench/scale-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers.js';

const options = scaledOptions(200);
let t: TestDatabase;
let data: ScaleData;

before(async () => {
  t = await createTestDatabase();
  data = await generateScaleData(t.db, options);
});
after(async () => t?.drop());

const countOf = async (table: 'articles' | 'people' | 'tags' | 'search_documents' | 'bookmarks' | 'subscriptions' | 'sections') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the generator fills each table with the numbers asked for', async () => {
  assert.equal(await countOf('sections'), 5);
  assert.equal(await countOf('articles'), 200);
  assert.equal(await countOf('people'), options.people);
  assert.equal(await countOf('tags'), options.tags);
  assert.equal(await countOf('search_documents'), 200);
  assert.equal(await countOf('subscriptions'), options.subscribers);
  const bookmarks = await countOf('bookmarks');
  assert.ok(bookmarks > options.bookmarks * 0.8 && bookmarks <= options.bookmarks, `${bookmarks} bookmarks`);
  // Readers, and the editor-in-chief's account.
  const users = Number(
    (
      await t.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  assert.equal(users, options.readers + 1);
});

test('every article is published, in a section, by at least one author, and in the search index', async () => {
  const orphans = await t.db
    .selectFrom('articles')
    .leftJoin('sections', 'sections.id', 'articles.section_id')
    .select('articles.slug')
    .where((eb) =>
      eb.or([
        eb('sections.id', 'is', null),
        eb('articles.status', '!=', 'published'),
        eb('articles.published_at', 'is', null),
        eb.not(eb.exists(eb.selectFrom('article_authors').select('person_id').whereRef('article_authors.article_id', '=', 'articles.id'))),
      ]),
    )
    .execute();
  assert.deepEqual(orphans, []);
  const unindexed = await t.db
    .selectFrom('articles')
    .select('slug')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('search_documents').select('id').whereRef('search_documents.slug', '=', 'articles.slug'))),
    )
    .execute();
  assert.deepEqual(unindexed, []);
  const years = await t.db
    .selectFrom('articles')
    .select((eb) => [eb.fn.min('published_at').as('first'), eb.fn.max('published_at').as('last')])
    .executeTakeFirstOrThrow();
  assert.ok(Date.parse(String(years.last)) - Date.parse(String(years.first)) > 9 * 365 * 86_400_000, 'spread over about ten years');
});

test('a prolific writer, a busy tag and a signed-in editor-in-chief exist', async () => {
  const byProlific = await t.db
    .selectFrom('article_authors')
    .innerJoin('people', 'people.id', 'article_authors.person_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('people.slug', '=', data.prolificPersonSlug)
    .executeTakeFirstOrThrow();
  assert.equal(Number(byProlific.n), data.prolificArticles);
  assert.ok(data.prolificArticles >= 6, `${data.prolificArticles} articles by the prolific writer`);
  const tagged = await t.db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tags.slug', '=', data.busyTagSlug)
    .executeTakeFirstOrThrow();
  assert.equal(Number(tagged.n), data.busyTagArticles);
  assert.equal(data.busyTagArticles, 10);
  const chief = await t.db
    .selectFrom('people')
    .innerJoin('role_assignments', 'role_assignments.person_id', 'people.id')
    .select(['people.user_id'])
    .where('role_assignments.role', '=', 'editor_in_chief')
    .where('role_assignments.ends_on', 'is', null)
    .executeTakeFirstOrThrow();
  assert.equal(chief.user_id, data.editorUserId);
  const readerBookmarks = await t.db.selectFrom('bookmarks').select('article_id').where('user_id', '=', data.readerUserId).execute();
  assert.equal(readerBookmarks.length, data.readerBookmarks);
  const issue = await t.db.selectFrom('newsletter_issues').select('status').where('id', '=', data.draftIssueId).executeTakeFirstOrThrow();
  assert.equal(issue.status, 'draft');
});

test("the site search finds a generated article by its headline and by its writer's filter", async () => {
  const { SearchService } = await import('../../src/modules/search/index.js');
  const search = new SearchService(t.db, 3);
  const newest = await t.db
    .selectFrom('articles')
    .select(['slug', 'title'])
    .where('slug', '=', data.newestArticleSlug)
    .executeTakeFirstOrThrow();
  const found = await search.search(`"${newest.title}"`, { section: '', author: '', year: '' }, 1, false);
  assert.equal(found.kind, 'results');
  assert.ok(
    found.kind === 'results' && found.results.some((r) => r.href === `/articles/${newest.slug}`),
    `"${newest.title}" finds /articles/${newest.slug}`,
  );
  const byWriter = await search.search('climate', { section: '', author: data.prolificPersonSlug, year: '' }, 1, true);
  assert.ok(byWriter.kind === 'results' && byWriter.total > 0, 'the prolific writer has articles tagged or mentioning climate');
});
