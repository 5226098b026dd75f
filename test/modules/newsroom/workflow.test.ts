import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ageOn } from '../../../src/lib/dates.js';
import { people } from '../../../src/demo/content.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import type { Browserish } from '../../browserish.js';

let t: TestApp;
let inbox: Inbox;
let writer: Browserish; // Amara Nwosu, staff writer
let climateEditor: Browserish; // Tavita Leaupepe, Climate section editor
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let climateId: string;

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  writer = await staffClient(t, 'amara-nwosu');
  climateEditor = await staffClient(t, 'tavita-leaupepe');
  chief = await staffClient(t, 'aarav-kulkarni');
  climateId = (await t.db.selectFrom('sections').select('id').where('slug', '=', 'climate').executeTakeFirstOrThrow()).id;
});
after(async () => {
  await t.close();
  await inbox.close();
});

async function newDraft(client: Browserish, title: string): Promise<string> {
  await client.get('/newsroom/articles/new');
  const res = await client.post('/newsroom/articles', { title, sectionId: climateId });
  assert.equal(res.statusCode, 303);
  return /\/newsroom\/articles\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
}

async function formOf(client: Browserish, id: string): Promise<Record<string, string>> {
  const page = await client.get(`/newsroom/articles/${id}`);
  const value = (name: string) =>
    new RegExp(`name="${name}"[^>]*value="([^"]*)"`)
      .exec(page.body)?.[1]
      ?.replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&') ?? '';
  const selected = [...page.body.matchAll(/name="authorIds" value="([0-9a-f-]{36})" checked/g)].map((m) => m[1]!);
  return { version: value('version'), title: value('title'), sectionId: climateId, authorIds: selected[0]!, access: 'free' };
}

async function drainJobs(): Promise<void> {
  while ((await t.app.worker.runOnce()) > 0);
}

const fullText = [
  'Coral gardens off the coast are recovering faster than scientists expected after two cool summers.',
  '## What the divers found',
  'Volunteer divers counted more young corals this spring than in any survey since the project began.',
].join('\n\n');

describe('the editorial workflow', () => {
  it('takes an article from draft to published, with notices, a timeline and credits', async () => {
    const id = await newDraft(writer, 'Reefs bounce back');
    const form = await formOf(writer, id);
    const saved = await writer.post(`/newsroom/articles/${id}`, {
      ...form,
      dek: 'Divers report more young corals.',
      bylinePhrase: 'reports on a reef that refused to give up',
      bodyText: fullText,
    });
    assert.equal(saved.statusCode, 303);

    await writer.get(`/newsroom/articles/${id}`);
    assert.equal((await writer.post(`/newsroom/articles/${id}/move`, { to: 'submitted', note: 'Ready for a look' })).statusCode, 303);
    await drainJobs();
    const notice = await inbox.waitFor('tavita-leaupepe@newsroom.example', /Submitted for review: Reefs bounce back/);
    assert.match(notice.text ?? '', /\/newsroom\/articles\//);

    await climateEditor.get(`/newsroom/articles/${id}`);
    assert.equal((await climateEditor.post(`/newsroom/articles/${id}/move`, { to: 'in_review' })).statusCode, 303);
    assert.equal(
      (await climateEditor.post(`/newsroom/articles/${id}/move`, { to: 'changes_requested', note: 'Add who runs the survey.' })).statusCode,
      303,
    );
    assert.equal(
      (await climateEditor.post(`/newsroom/articles/${id}/comments`, { body: 'Great start. Name the project in paragraph two.' }))
        .statusCode,
      303,
    );
    await drainJobs();
    await inbox.waitFor('amara-nwosu@newsroom.example', /Changes requested: Reefs bounce back/);

    const revised = await formOf(writer, id);
    assert.equal(
      (
        await writer.post(`/newsroom/articles/${id}`, {
          ...revised,
          bodyText: `${fullText}\n\nThe survey is run by the Reef Watch Project.`,
        })
      ).statusCode,
      303,
    );
    await writer.get(`/newsroom/articles/${id}`);
    assert.equal((await writer.post(`/newsroom/articles/${id}/move`, { to: 'submitted' })).statusCode, 303);
    await climateEditor.get(`/newsroom/articles/${id}`);
    assert.equal((await climateEditor.post(`/newsroom/articles/${id}/move`, { to: 'approved' })).statusCode, 303);
    await chief.get(`/newsroom/articles/${id}`);
    assert.equal((await chief.post(`/newsroom/articles/${id}/move`, { to: 'published' })).statusCode, 303);
    await drainJobs();
    await inbox.waitFor('amara-nwosu@newsroom.example', /Published: Reefs bounce back/);

    const editor = await writer.get(`/newsroom/articles/${id}`);
    const timeline = textOf(editor.body.slice(editor.body.indexOf('timeline-heading'), editor.body.indexOf('comments-heading')));
    for (const step of [
      'Amara Nwosu: Draft → Submitted',
      'Tavita Leaupepe: Submitted → In review',
      'Tavita Leaupepe: In review → Changes requested',
      'Add who runs the survey.',
      'Amara Nwosu: Changes requested → Submitted',
      'Tavita Leaupepe: Submitted → Approved',
      'Aarav Kulkarni: Approved → Published',
    ]) {
      assert.ok(timeline.includes(step), `timeline shows “${step}”`);
    }
    assert.match(editor.body, /Great start\. Name the project in paragraph two\./);

    const slug = (await t.db.selectFrom('articles').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
    const page = await t.app.inject({ method: 'GET', url: `/articles/${slug}` });
    assert.equal(page.statusCode, 200);
    const amara = people.find((p) => p.slug === 'amara-nwosu')!;
    const age = ageOn(amara.birthDate, new Date().toISOString().slice(0, 10));
    assert.match(
      page.body,
      new RegExp(`<p class="byline">${age} year-old <a class="byline__name" href="/people/amara-nwosu">Amara Nwosu</a>`),
    );
    const edited = page.body.slice(page.body.indexOf('Edited by:'));
    assert.match(edited, /Tavita Leaupepe/);
    assert.match(page.body, /<h2>What the divers found<\/h2>/);
    const frozen = await t.db
      .selectFrom('article_authors')
      .select('age_at_publication')
      .where('article_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(frozen.age_at_publication, age);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('subject_id', '=', id)
      .where('action', 'like', 'article.%')
      .execute();
    assert.deepEqual(audit, [{ action: 'article.published', actor_name: 'Aarav Kulkarni' }]);
  });

  it('refuses a contributor publishing, or editing someone else’s draft, with 403', async () => {
    const id = await newDraft(writer, 'My own piece');
    await writer.get(`/newsroom/articles/${id}`);
    const publish = await writer.post(`/newsroom/articles/${id}/move`, { to: 'published' });
    assert.equal(publish.statusCode, 403);
    assert.match(publish.body, /You cannot move this article/);

    const otherId = await newDraft(climateEditor, 'The editor’s own draft');
    const form = await formOf(climateEditor, otherId);
    await writer.get('/newsroom');
    const edit = await writer.post(`/newsroom/articles/${otherId}`, { ...form, title: 'Hijacked' });
    assert.equal(edit.statusCode, 403);
    assert.equal((await writer.get(`/newsroom/articles/${otherId}`)).statusCode, 403);
    const row = await t.db.selectFrom('articles').select('title').where('id', '=', otherId).executeTakeFirstOrThrow();
    assert.equal(row.title, 'The editor’s own draft');
  });

  it('answers a stale save with a conflict and leaves the newer text untouched', async () => {
    const id = await newDraft(writer, 'Two tabs open');
    const stale = await formOf(writer, id);
    assert.equal((await writer.post(`/newsroom/articles/${id}`, { ...stale, bodyText: 'The newer text, saved first.' })).statusCode, 303);
    const res = await writer.post(`/newsroom/articles/${id}`, { ...stale, bodyText: 'The older tab’s text.' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Someone else saved a newer version/);
    assert.match(res.body, /The older tab’s text\./, 'what was typed is still in the form');
    const row = await t.db.selectFrom('articles').select(['body_html', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.body_html, '<p>The newer text, saved first.</p>');

    const auto = await writer.post(
      `/newsroom/articles/${id}/autosave`,
      {},
      { csrf: null, headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': writer.csrf } },
    );
    assert.equal(auto.statusCode, 400, 'a body that is not JSON is refused');
    const conflict = await t.app.inject({
      method: 'POST',
      url: `/newsroom/articles/${id}/autosave`,
      remoteAddress: writer.remoteAddress,
      headers: {
        cookie: [...writer.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': writer.csrf,
      },
      payload: JSON.stringify({
        version: Number(stale.version),
        fields: {
          ...stale,
          bodyJson: JSON.stringify({
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Autosaved over it?' }] }],
          }),
        },
      }),
    });
    assert.equal(conflict.statusCode, 409);
    assert.equal(conflict.json<{ currentVersion: number }>().currentVersion, row.version);
  });

  it('keeps revisions, coalesces autosaves, compares and restores', async () => {
    const id = await newDraft(writer, 'Revisions');
    const autosave = async (text: string) => {
      const version = Number((await t.db.selectFrom('articles').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
      const form = await formOf(writer, id);
      return t.app.inject({
        method: 'POST',
        url: `/newsroom/articles/${id}/autosave`,
        remoteAddress: writer.remoteAddress,
        headers: {
          cookie: [...writer.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/json',
          accept: 'application/json',
          'x-csrf-token': writer.csrf,
        },
        payload: JSON.stringify({
          version,
          fields: {
            ...form,
            bodyJson: JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }),
          },
        }),
      });
    };
    assert.equal((await autosave('The council voted on Monday.')).statusCode, 200);
    assert.equal((await autosave('The city council voted on Monday.')).statusCode, 200);
    const revisions = await t.db
      .selectFrom('article_revisions')
      .select(['id', 'kind'])
      .where('article_id', '=', id)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      revisions.map((r) => r.kind),
      ['save', 'autosave'],
      'two autosaves in a row are one revision',
    );
    const form = await formOf(writer, id);
    await writer.post(`/newsroom/articles/${id}`, { ...form, bodyText: 'The city council voted on Tuesday.' });
    const all = await t.db
      .selectFrom('article_revisions')
      .select(['id', 'kind'])
      .where('article_id', '=', id)
      .orderBy('created_at')
      .execute();
    assert.equal(all.length, 3);

    const compare = await writer.get(`/newsroom/articles/${id}/revisions/compare?a=${all[1]!.id}&b=${all[2]!.id}`);
    assert.equal(compare.statusCode, 200);
    assert.match(compare.body, /<del>Monday<\/del>/);
    assert.match(compare.body, /<ins>Tuesday<\/ins>/);

    await writer.get(`/newsroom/articles/${id}/revisions`);
    const restored = await writer.post(`/newsroom/articles/${id}/revisions/${all[1]!.id}/restore`, {});
    assert.equal(restored.statusCode, 303);
    const row = await t.db.selectFrom('articles').select('body_html').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.body_html, '<p>The city council voted on Monday.</p>');
    const after = await t.db.selectFrom('article_revisions').select('kind').where('article_id', '=', id).orderBy('created_at').execute();
    assert.equal(after.at(-1)!.kind, 'restore');
  });

  it('schedules publishing through the job queue', async () => {
    const id = await newDraft(writer, 'Scheduled piece');
    const form = await formOf(writer, id);
    await writer.post(`/newsroom/articles/${id}`, { ...form, bodyText: 'Text.' });
    await writer.post(`/newsroom/articles/${id}/move`, { to: 'submitted' });
    await climateEditor.get(`/newsroom/articles/${id}`);
    await climateEditor.post(`/newsroom/articles/${id}/move`, { to: 'approved' });
    await chief.get(`/newsroom/articles/${id}`);
    const past = await chief.post(`/newsroom/articles/${id}/move`, { to: 'scheduled', scheduledAt: '2020-01-01T10:00' });
    assert.equal(past.statusCode, 400);
    const at = new Date(Date.now() + 3_600_000).toLocaleString('sv-SE', { timeZone: 'Europe/London' }).slice(0, 16).replace(' ', 'T');
    assert.equal((await chief.post(`/newsroom/articles/${id}/move`, { to: 'scheduled', scheduledAt: at })).statusCode, 303);
    const job = await t.db.selectFrom('jobs').selectAll().where('unique_key', '=', `publish:${id}`).executeTakeFirstOrThrow();
    assert.equal(job.status, 'pending');
    await drainJobs();
    assert.equal(
      (await t.db.selectFrom('articles').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      'scheduled',
      'not before its time',
    );
    await t.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', job.id)
      .execute();
    await drainJobs();
    const row = await t.db.selectFrom('articles').select(['status', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'published');
    assert.ok(row.published_at);
  });
});

describe('newsroom pages', () => {
  it('lists and filters articles for the editor-in-chief', async () => {
    const res = await chief.get('/newsroom/articles?status=draft');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /The hidden price of the school uniform/i);
    const search = await chief.get('/newsroom/articles?q=zzzz-nothing');
    assert.match(search.body, /No article matches these filters\./);
  });

  it('shows the audit log to mentors but not to writers', async () => {
    const mentor = await staffClient(t, 'ruth-abernethy');
    assert.equal((await mentor.get('/newsroom/audit')).statusCode, 200);
    assert.equal((await writer.get('/newsroom/audit')).statusCode, 403);
  });

  it('previews a draft as a visitor behind the wall', async () => {
    const id = await newDraft(writer, 'Preview me');
    const form = await formOf(writer, id);
    await writer.post(`/newsroom/articles/${id}`, {
      ...form,
      access: 'registered',
      previewParagraphs: '1',
      bodyText: 'First paragraph shown.\n\nSecond paragraph hidden behind the wall.',
    });
    const anon = await writer.get(`/newsroom/articles/${id}/preview?as=anonymous`);
    assert.match(anon.body, /First paragraph shown\./);
    assert.doesNotMatch(anon.body, /Second paragraph hidden/);
    assert.match(anon.body, /Create an account to continue reading/);
    const reader = await writer.get(`/newsroom/articles/${id}/preview?as=reader`);
    assert.match(reader.body, /Second paragraph hidden behind the wall\./);
    // The draft has no public address yet: nothing offers to report it.
    for (const page of [anon, reader]) assert.doesNotMatch(page.body, /Report a problem/);
  });
});
