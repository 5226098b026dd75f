// An approved article waits for a publisher: the dashboard of those who may
// publish lists it, and the editor-in-chief and managing editor are emailed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { DEMO_EDITOR_EMAIL } from '../../../src/demo/seed.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let inbox: Inbox;
let writer: Browserish; // Amara Nwosu, staff writer
let climateEditor: Browserish; // Tavita Leaupepe, Climate section editor
let chief: Browserish; // Aarav Kulkarni, editor-in-chief

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  writer = await staffClient(t, 'amara-nwosu');
  climateEditor = await staffClient(t, 'tavita-leaupepe');
  chief = await staffClient(t, 'aarav-kulkarni');
  await staffClient(t, 'ruth-abernethy'); // the managing editor, with an account to be emailed
});
after(async () => {
  await t.close();
  await inbox.close();
});

/** A submitted article by Amara in the Climate section. */
async function submittedArticle(title: string): Promise<string> {
  const amara = await t.db
    .selectFrom('people')
    .select(['id', 'name', 'user_id'])
    .where('slug', '=', 'amara-nwosu')
    .executeTakeFirstOrThrow();
  const climate = await t.db.selectFrom('sections').select('id').where('slug', '=', 'climate').executeTakeFirstOrThrow();
  const id = await t.app.desk.create(
    { userId: amara.user_id!, personId: amara.id, name: amara.name, roles: [{ role: 'staff_writer', sectionId: null }] },
    { title, sectionId: climate.id },
  );
  await t.db.updateTable('articles').set({ status: 'submitted', word_count: 400 }).where('id', '=', id).execute();
  return id;
}

const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  return start < 0 ? null : html.slice(start, html.indexOf('</section>', start));
};

describe('approved articles and their publishers', () => {
  it('lists an approved article on the publishers’ dashboard and emails them, not only the author', async () => {
    const id = await submittedArticle('Tide gauges tell the story');
    await climateEditor.get(`/newsroom/articles/${id}`);
    assert.equal((await climateEditor.post(`/newsroom/articles/${id}/move`, { to: 'approved', note: 'Lovely piece.' })).statusCode, 303);
    while ((await t.app.worker.runOnce()) > 0);

    await inbox.waitFor('amara-nwosu@newsroom.example', /Approved: Tide gauges tell the story/);
    const toChief = await inbox.waitFor(DEMO_EDITOR_EMAIL, /Ready to publish: Tide gauges tell the story/);
    assert.match(toChief.text ?? '', /Tavita Leaupepe approved “Tide gauges tell the story”/);
    assert.match(toChief.text ?? '', new RegExp(`/newsroom/articles/${id}`));
    await inbox.waitFor('ruth-abernethy@newsroom.example', /Ready to publish: Tide gauges tell the story/);
    assert.ok(
      !inbox.messages.some((m) => /Ready to publish/.test(m.subject ?? '') && JSON.stringify(m.to).includes('tavita-leaupepe')),
      'the approver is not told what she did',
    );

    const dashboard = await chief.get('/newsroom');
    const approved = section(dashboard.body, 'approved-heading');
    assert.ok(approved, 'the editor-in-chief’s dashboard has the list');
    assert.match(textOf(approved), /Approved, ready to publish[\s\S]*Tide gauges tell the story/);
    assert.equal(section((await writer.get('/newsroom')).body, 'approved-heading'), null, 'a writer, who cannot publish, has no such list');
  });
});
