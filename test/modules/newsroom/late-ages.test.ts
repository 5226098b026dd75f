// Ages entered later: an author with no birth date on file (as imported authors
// are) has bylines without an age; entering one on the people desk freezes, on
// each of their published articles, the age they had on that article's own
// publication day. Ages already frozen stay, and so do the new ones after a
// later correction.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish; // the editor-in-chief runs the people desk
let personId: string;
const NAME = 'Noor Halvorsen';
const articles: { id: string; slug: string }[] = [];

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  await chief.get('/newsroom/people/new');
  const created = await chief.post('/newsroom/people', { name: NAME, birthDate: '' });
  assert.equal(created.statusCode, 303);
  personId = /\/newsroom\/people\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1]!;

  // Three published articles of the archive get Noor as a second author: two years apart with no age
  // frozen (as an import leaves them), one whose age was frozen already.
  const published = await t.db
    .selectFrom('articles')
    .select(['id', 'slug'])
    .where('status', '=', 'published')
    .orderBy('slug')
    .limit(3)
    .execute();
  assert.equal(published.length, 3);
  articles.push(...published);
  const when = ['2019-06-01T10:00:00.000Z', '2023-06-01T10:00:00.000Z', '2021-06-01T10:00:00.000Z'];
  for (const [i, a] of published.entries()) {
    await t.db.updateTable('articles').set({ published_at: when[i]! }).where('id', '=', a.id).execute();
    await t.db
      .insertInto('article_authors')
      .values({ article_id: a.id, person_id: personId, position: 50, age_at_publication: i === 2 ? 15 : null })
      .execute();
  }
  await t.app.contentVersion.bump();
});
after(() => t.close());

async function bylineAge(slug: string): Promise<string | null> {
  const page = await t.app.inject({ method: 'GET', url: `/articles/${slug}` });
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.ok(text.includes(NAME), 'the byline names the author');
  return new RegExp(`(\\d+) year-old ${NAME}`).exec(text)?.[1] ?? null;
}

const frozenAges = async () =>
  (
    await t.db.selectFrom('article_authors').select(['article_id', 'age_at_publication']).where('person_id', '=', personId).execute()
  ).reduce<Record<string, number | null>>((all, row) => ({ ...all, [row.article_id]: row.age_at_publication }), {});

async function saveBirthDate(birthDate: string): Promise<void> {
  await chief.get(`/newsroom/people/${personId}`);
  const saved = await chief.post(`/newsroom/people/${personId}`, { name: NAME, birthDate });
  assert.equal(saved.statusCode, 303);
}

describe('ages entered later', () => {
  it('shows no age on the bylines of an author without a birth date', async () => {
    assert.equal(await bylineAge(articles[0]!.slug), null);
    assert.equal(await bylineAge(articles[1]!.slug), null);
    assert.equal(await bylineAge(articles[2]!.slug), '15', 'an age frozen before is shown');
  });

  it('freezes, once a birth date is entered, the age on each article’s own publication day', async () => {
    await saveBirthDate('2005-02-10');
    assert.equal(await bylineAge(articles[0]!.slug), '14', 'published 2019-06-01');
    assert.equal(await bylineAge(articles[1]!.slug), '18', 'published 2023-06-01');
    assert.equal(await bylineAge(articles[2]!.slug), '15', 'an age frozen before stays');
    assert.deepEqual(await frozenAges(), { [articles[0]!.id]: 14, [articles[1]!.id]: 18, [articles[2]!.id]: 15 });
  });

  it('keeps those ages when the birth date is corrected afterwards', async () => {
    await saveBirthDate('2006-02-10');
    assert.equal(await bylineAge(articles[0]!.slug), '14');
    assert.deepEqual(await frozenAges(), { [articles[0]!.id]: 14, [articles[1]!.id]: 18, [articles[2]!.id]: 15 });
    const page = await t.app.inject({ method: 'GET', url: `/articles/${articles[1]!.slug}` });
    assert.doesNotMatch(page.body, /2006-02-10|2005-02-10/, 'the birth date itself is never shown');
  });
});
