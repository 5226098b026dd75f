// The search index moves with the newsroom's own actions, in their transaction:
// unpublishing an article takes it out of the results and publishing it again
// brings it back; a person added on the people desk is found by name, accents
// and all. The newsroom's own list finds drafts by their body.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles as demoArticles } from '../../../src/demo/content.js';
import { newId } from '../../../src/lib/ids.js';
import { rt } from '../../../src/lib/rich-text.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish;

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(() => t.close());

const found = async (q: string, href: string) =>
  (await t.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}` })).body.includes(`href="${href}"`);

describe('the search index in step with the newsroom', () => {
  it('drops an unpublished article and finds it again once republished', async () => {
    const article = demoArticles[0]!;
    const href = `/articles/${article.slug}`;
    assert.ok(await found(`"${article.title}"`, href), 'the demo article is found by its headline');
    const row = await t.db.selectFrom('articles').select('id').where('slug', '=', article.slug).executeTakeFirstOrThrow();
    await chief.get(`/newsroom/articles/${row.id}`);
    assert.equal((await chief.post(`/newsroom/articles/${row.id}/move`, { to: 'unpublished' })).statusCode, 303);
    assert.equal(await found(`"${article.title}"`, href), false);
    assert.equal((await chief.post(`/newsroom/articles/${row.id}/move`, { to: 'published' })).statusCode, 303);
    assert.ok(await found(`"${article.title}"`, href));
  });

  it('finds a person added on the people desk, by a name typed without accents', async () => {
    await chief.get('/newsroom/people/new');
    const res = await chief.post('/newsroom/people', {
      name: 'Zoë Quillfeather',
      birthDate: '2009-05-17',
      locations: 'Oslo, Norway',
      bio: 'Zoë photographs harbours.',
    });
    assert.equal(res.statusCode, 303);
    const row = await t.db.selectFrom('people').select('slug').where('name', '=', 'Zoë Quillfeather').executeTakeFirstOrThrow();
    assert.ok(await found('zoe quillfeather', `/people/${row.slug}`));
    assert.ok(await found('harbours', `/people/${row.slug}`));
  });
});

describe('the newsroom article list', () => {
  it('finds a draft by a word in its body, which the public search never shows', async () => {
    const section = await t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await t.db
      .insertInto('articles')
      .values({
        id: newId(),
        slug: 'desk-draft',
        status: 'draft',
        title: 'A draft on the desk',
        section_id: section.id,
        body_json: JSON.stringify(rt.doc(rt.p('Only the obscurantword & friends are here.'))),
        body_html: '<p>Only the obscurantword &amp; friends are here.</p>',
        created_at: now,
        updated_at: now,
      })
      .execute();
    assert.match((await chief.get('/newsroom/articles?q=OBSCURANTWORD')).body, /A draft on the desk/);
    assert.match((await chief.get(`/newsroom/articles?q=${encodeURIComponent('obscurantword & friends')}`)).body, /A draft on the desk/);
    assert.doesNotMatch((await chief.get('/newsroom/articles?q=nowhere-at-all')).body, /A draft on the desk/);
    assert.equal(await found('obscurantword', '/articles/desk-draft'), false);
  });
});
