// The age on a byline is frozen at the first publication: a republication keeps
// it after a birth-date correction, the editor says when it would change, and
// only the editor-in-chief may recompute it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let managing: Browserish; // Ruth Abernethy, managing editor
let articleId: string;
let amaraId: string;
const slug = 'phones-in-lockers-what-happened-when-two-schools-went-screen-free'; // published 2024-03-15, Amara's 16th birthday

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  managing = await staffClient(t, 'ruth-abernethy');
  articleId = (await t.db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  amaraId = (await t.db.selectFrom('people').select('id').where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow()).id;
});
after(() => t.close());

const byline = async () =>
  /\d+ year-old Amara Nwosu/.exec(textOf((await t.app.inject({ method: 'GET', url: `/articles/${slug}` })).body))?.[0];

async function republish(client: Browserish, extra: Record<string, string> = {}) {
  await client.get(`/newsroom/articles/${articleId}`);
  assert.equal((await client.post(`/newsroom/articles/${articleId}/move`, { to: 'unpublished' })).statusCode, 303);
  await client.get(`/newsroom/articles/${articleId}`);
  return client.post(`/newsroom/articles/${articleId}/move`, { to: 'published', ...extra });
}

describe('the frozen age on the byline', () => {
  it('stays as first published after a birth-date correction, and the editor says it would change', async () => {
    assert.equal(await byline(), '16 year-old Amara Nwosu');
    await chief.get(`/newsroom/people/${amaraId}`);
    const corrected = await chief.post(`/newsroom/people/${amaraId}`, {
      name: 'Amara Nwosu',
      birthDate: '2008-03-16',
      locations: 'Lagos, Nigeria',
      languages: 'English, Igbo, French',
    });
    assert.equal(corrected.statusCode, 303);

    assert.equal((await republish(chief)).statusCode, 303);
    assert.equal(await byline(), '16 year-old Amara Nwosu', 'republishing keeps the age frozen at the first publication');

    await chief.get(`/newsroom/articles/${articleId}`);
    await chief.post(`/newsroom/articles/${articleId}/move`, { to: 'unpublished' });
    const editor = await chief.get(`/newsroom/articles/${articleId}`);
    assert.match(textOf(editor.body), /Amara Nwosu: 16 on the byline, 15 from the date of birth now on file/);
    assert.match(editor.body, /name="recomputeAges" value="1"/);
    assert.doesNotMatch(editor.body, /2008-03-16/, 'the editor shows ages, not the date of birth');
  });

  it('lets only the editor-in-chief recompute it from the corrected date', async () => {
    const editor = await managing.get(`/newsroom/articles/${articleId}`);
    assert.match(textOf(editor.body), /only the editor-in-chief can recompute them/);
    assert.doesNotMatch(editor.body, /name="recomputeAges"/);
    assert.equal((await managing.post(`/newsroom/articles/${articleId}/move`, { to: 'published', recomputeAges: '1' })).statusCode, 403);
    assert.equal(await byline(), undefined, 'still unpublished');

    await chief.get(`/newsroom/articles/${articleId}`);
    assert.equal((await chief.post(`/newsroom/articles/${articleId}/move`, { to: 'published', recomputeAges: '1' })).statusCode, 303);
    assert.equal(await byline(), '15 year-old Amara Nwosu');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('subject_id', '=', articleId)
      .where('action', '=', 'article.published')
      .execute();
    assert.ok(audit.some((a) => (JSON.parse(a.details) as { agesRecomputed?: boolean }).agesRecomputed === true));
  });
});
