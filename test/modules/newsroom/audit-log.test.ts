// The audit log names people, says what changed without private values, records
// live edits, restores, uploads and comments, and is open to the editor-in-chief;
// newsroom tabs show only where their page opens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { articleInputSchema } from '../../../src/modules/newsroom/article-input.js';
import { canRunNewsletter, newsroomTabs, type Actor } from '../../../src/modules/access/index.js';
import { ROLE_NAMES } from '../../../src/modules/people/roles.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import { postMultipart } from '../media/multipart.js';

let t: TestApp;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let writer: Browserish; // Amara Nwosu, staff writer
let chiefActor: Actor;
const slug = 'phones-in-lockers-what-happened-when-two-schools-went-screen-free';

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  writer = await staffClient(t, 'amara-nwosu');
  const aarav = await t.db
    .selectFrom('people')
    .select(['id', 'name', 'user_id'])
    .where('slug', '=', 'aarav-kulkarni')
    .executeTakeFirstOrThrow();
  chiefActor = { userId: aarav.user_id!, personId: aarav.id, name: aarav.name, roles: [{ role: 'editor_in_chief', sectionId: null }] };
});
after(() => t.close());

const tabs = (html: string) =>
  [...(/<nav class="newsroom-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
const auditRows = (action: string) =>
  t.db.selectFrom('audit_log').select(['subject_id', 'details', 'user_id']).where('action', '=', action).execute();

describe('the audit log', () => {
  it('opens for the editor-in-chief, whose tab it is', async () => {
    const dashboard = await chief.get('/newsroom');
    assert.ok(tabs(dashboard.body).includes('/newsroom/audit'));
    assert.equal((await chief.get('/newsroom/audit')).statusCode, 200);
  });

  it('records which profile fields changed, never their values, and names the person with a link', async () => {
    const amara = (await t.db.selectFrom('people').select('id').where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow()).id;
    await chief.get(`/newsroom/people/${amara}`);
    const res = await chief.post(`/newsroom/people/${amara}`, {
      name: 'Amara Nwosu',
      birthDate: '2008-03-16',
      locations: 'Lagos, Nigeria',
      languages: 'English, Igbo, French',
    });
    assert.equal(res.statusCode, 303);
    const [row] = (await auditRows('person.updated')).filter((r) => r.subject_id === amara);
    assert.ok(row);
    assert.deepEqual((JSON.parse(row.details) as { changed: string[] }).changed.includes('date of birth'), true);
    assert.doesNotMatch(row.details, /2008/);

    const page = await chief.get('/newsroom/audit');
    assert.ok(page.body.includes(`<a href="/newsroom/people/${amara}">Amara Nwosu</a>`), 'the subject is named and linked');
    assert.ok(!page.body.includes(`person ${amara}`), 'no raw ids');
    assert.match(textOf(page.body), /Changed a profile\s*Amara Nwosu\s*Changed: [^\n]*date of birth/);
    assert.doesNotMatch(page.body, /2008-03-1[56]/);
    const aarav = (await t.db.selectFrom('people').select('id').where('slug', '=', 'aarav-kulkarni').executeTakeFirstOrThrow()).id;
    assert.ok(page.body.includes(`<a href="/newsroom/people/${aarav}">Aarav Kulkarni</a>`), 'who did it is linked too');
  });

  it('records live edits of a published article, restores and comments', async () => {
    const article = await t.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
    const authors = await t.db
      .selectFrom('article_authors')
      .select('person_id')
      .where('article_id', '=', article.id)
      .orderBy('position')
      .execute();
    const input = articleInputSchema.parse({
      title: `${article.title} (updated)`,
      sectionId: article.section_id,
      authorIds: authors.map((a) => a.person_id),
      access: article.access,
      bodyJson: article.body_json,
    });
    await t.app.desk.save(chiefActor, article.id, input, article.version, 'save');
    assert.equal((await auditRows('article.edited_live')).filter((r) => r.subject_id === article.id).length, 1);

    const revisions = await t.db
      .selectFrom('article_revisions')
      .select('id')
      .where('article_id', '=', article.id)
      .orderBy('version')
      .execute();
    await t.app.desk.restore(chiefActor, article.id, revisions[0]!.id);
    assert.equal((await auditRows('article.restored')).filter((r) => r.subject_id === article.id).length, 1);

    await chief.get(`/newsroom/articles/${article.id}`);
    assert.equal((await chief.post(`/newsroom/articles/${article.id}/comments`, { body: 'Check the second quote.' })).statusCode, 303);
    const comments = (await auditRows('comment.added')).filter((r) => r.subject_id === article.id);
    assert.equal(comments.length, 1);
    assert.doesNotMatch(comments[0]!.details, /second quote/, 'the comment itself stays in the comments');

    const page = textOf((await chief.get('/newsroom/audit')).body);
    for (const words of ['Edited while published', 'Restored a revision', 'Commented']) assert.ok(page.includes(words), words);
  });

  it('records uploads to the media library', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 20, g: 120, b: 200 } } })
      .png()
      .toBuffer();
    await writer.get('/newsroom/media');
    const res = await postMultipart(t.app, writer, '/newsroom/media', [
      ['picture', { filename: 'sea.png', contentType: 'image/png', bytes: png }],
      ['alt', 'A blue sea'],
      ['caption', ''],
      ['creditCreator', 'Amara Nwosu'],
      ['creditSource', ''],
    ]);
    assert.equal(res.statusCode, 303);
    const rows = await auditRows('media.uploaded');
    assert.equal(rows.length, 1);
    assert.equal((JSON.parse(rows[0]!.details) as { alt: string }).alt, 'A blue sea');
  });
});

describe('newsroom tabs', () => {
  it('show a writer only the pages she may open, on every newsroom page', async () => {
    const expected = ['/newsroom', '/newsroom/articles', '/newsroom/articles/new', '/newsroom/media'];
    assert.deepEqual(tabs((await writer.get('/newsroom')).body), expected);
    const amara = (await t.db.selectFrom('people').select('id').where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow()).id;
    assert.deepEqual(tabs((await writer.get(`/newsroom/people/${amara}`)).body), expected, 'her own profile page shows the same');
    for (const href of ['/newsroom/people', '/newsroom/prizes', '/newsroom/newsletters', '/newsroom/audit']) {
      assert.equal((await writer.get(href)).statusCode, 403, `${href} is closed to a writer`);
    }
    const chiefTabs = tabs((await chief.get('/newsroom')).body);
    for (const href of chiefTabs) assert.equal((await chief.get(href!)).statusCode, 200, `${href} opens for the editor-in-chief`);
  });

  it('follow the newsletter desk’s own rule', () => {
    for (const role of ROLE_NAMES) {
      const actor: Actor = { userId: 'u', personId: 'p', name: 'n', roles: [{ role, sectionId: null }] };
      assert.equal(newsroomTabs([role]).has('/newsroom/newsletters'), canRunNewsletter(actor), role);
    }
  });
});
