// The newsroom's queue of reports: who may see it (the editor-in-chief, the
// managing editor and the mentors; a writer or a reader gets a 403, in the routes
// and in the service), open safety reports first, the filter by state, pages and
// the empty list, the detail page with the reporter's address, and every change
// of state and note in the audit log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProblemReportKind } from '../../../src/db/schema.js';
import { newId } from '../../../src/lib/ids.js';
import type { Actor } from '../../../src/modules/access/index.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { readerClient } from '../../readers.js';
import { staffClient } from '../../staff.js';

const QUEUE = '/newsroom/reports';
const ARTICLE = 'phones-in-lockers-what-happened-when-two-schools-went-screen-free';

let t: TestApp;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let managing: Browserish; // Ruth Abernethy, managing editor
let writer: Browserish; // Amara Nwosu, staff writer
let reader: Browserish;

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  managing = await staffClient(t, 'ruth-abernethy');
  writer = await staffClient(t, 'amara-nwosu');
  reader = await readerClient(t, 'queue-reader@example.org');
});
after(() => t.close());

/** Files a report through the service, as the form does, received at a fixed time. */
async function report(kind: ProblemReportKind, receivedAt: string, email: string | null = null): Promise<string> {
  const subject = await t.app.reports.articleSubject(ARTICLE);
  assert.ok(subject);
  const id = await t.app.reports.submit(
    subject,
    { kind, details: `A ${kind} report received at ${receivedAt}.`, email },
    `client-${newId()}`,
  );
  await t.db.updateTable('problem_reports').set({ created_at: receivedAt }).where('id', '=', id).execute();
  return id;
}

const idsInOrder = (html: string) => [...html.matchAll(/href="\/newsroom\/reports\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);

const auditOf = (id: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['action', 'actor_name', 'details'])
    .where('subject_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe('the queue', () => {
  it('says so when no reader has reported anything', async () => {
    const res = await chief.get(QUEUE);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /No reader has reported a problem yet./);
    assert.match(res.body, /<a href="\/newsroom\/reports" aria-current="page">Reports<\/a>/, 'the newsroom’s tabs name the queue');
  });

  it('lists open safety reports first, then the newest, and filters by state', async () => {
    const oldMistake = await report('mistake', '2026-11-01T09:00:00.000Z');
    const safety = await report('safety', '2026-11-02T09:00:00.000Z');
    const newest = await report('copyright', '2026-11-03T09:00:00.000Z');
    const page = await managing.get(QUEUE);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(idsInOrder(page.body), [safety, newest, oldMistake]);
    assert.match(page.body, /<strong class="badge badge--alert">Safety<\/strong>/);

    // Once resolved, the safety report takes its place by date.
    const resolved = await chief.post(`${QUEUE}/${safety}/state`, { state: 'resolved' });
    assert.equal(resolved.statusCode, 303);
    assert.deepEqual(idsInOrder((await chief.get(QUEUE)).body), [newest, safety, oldMistake]);

    assert.deepEqual(idsInOrder((await chief.get(`${QUEUE}?state=resolved`)).body), [safety]);
    assert.deepEqual(idsInOrder((await chief.get(`${QUEUE}?state=new`)).body), [newest, oldMistake]);
    const declined = await chief.get(`${QUEUE}?state=declined`);
    assert.deepEqual(idsInOrder(declined.body), []);
    assert.match(textOf(declined.body), /No report is declined. Show every report/);
  });

  it('pages a long queue', async () => {
    const now = new Date().toISOString();
    const rows = Array.from({ length: 35 }, (_, i) => ({
      id: newId(),
      subject_type: 'article' as const,
      subject_id: newId(),
      subject_title: `Old article ${i}`,
      kind: 'other' as const,
      details: 'Filed long ago.',
      reporter_email: null,
      state: 'declined' as const,
      created_at: `2025-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
      updated_at: now,
    }));
    await t.db.insertInto('problem_reports').values(rows).execute();
    const first = await chief.get(`${QUEUE}?state=declined`);
    assert.equal(idsInOrder(first.body).length, 30);
    assert.match(first.body, /href="\/newsroom\/reports\?state=declined(&amp;|&)page=2" rel="next"/);
    const second = await chief.get(`${QUEUE}?state=declined&page=2`);
    assert.equal(idsInOrder(second.body).length, 5);
    assert.equal((await chief.get(`${QUEUE}?state=declined&page=3`)).statusCode, 404);
  });
});

describe('a report', () => {
  it('shows the request, the reporter’s address and the reported page to the queue’s staff', async () => {
    const id = await report('mistake', '2026-11-04T09:00:00.000Z', 'reporter@example.org');
    const page = await chief.get(`${QUEUE}/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /A mistake report received at 2026-11-04T09:00:00.000Z./);
    assert.match(page.body, /<a href="mailto:reporter@example.org">reporter@example.org<\/a>/);
    assert.match(page.body, new RegExp(`<a href="/articles/${ARTICLE}">Phones in lockers`));
    const article = await t.app.inject({ method: 'GET', url: `/articles/${ARTICLE}` });
    assert.ok(!article.body.includes('reporter@example.org'), 'the address is never on a public page');
  });

  it('records every change of state and every note in the audit log', async () => {
    const id = await report('other', '2026-11-05T09:00:00.000Z');
    const moved = await chief.post(`${QUEUE}/${id}/state`, { state: 'in_progress' });
    assert.equal(moved.statusCode, 303);
    assert.equal(moved.headers.location, `${QUEUE}/${id}?done=state`);
    const after = await chief.follow(moved);
    assert.match(after.body, /role="status" aria-live="polite"[\s\S]*The report’s state is changed./);

    const noted = await managing.post(`${QUEUE}/${id}/notes`, { note: 'Asked the author to check the quote.' });
    assert.equal(noted.statusCode, 303);
    const withNote = await managing.follow(noted);
    assert.match(withNote.body, /Asked the author to check the quote./);
    assert.match(withNote.body, /Ruth Abernethy/);

    const row = await t.db.selectFrom('problem_reports').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'in_progress');
    const notes = await t.db.selectFrom('problem_report_notes').select(['body', 'author_name']).where('report_id', '=', id).execute();
    assert.deepEqual(notes, [{ body: 'Asked the author to check the quote.', author_name: 'Ruth Abernethy' }]);

    const audit = await auditOf(id);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_name]),
      [
        ['problem_report.state', 'Aarav Kulkarni'],
        ['problem_report.note', 'Ruth Abernethy'],
      ],
    );
    assert.deepEqual(JSON.parse(audit[0]!.details), { kind: 'other', from: 'new', to: 'in_progress' });
    assert.ok(!audit[1]!.details.includes('check the quote'), 'the note’s words stay with the report');

    const log = await chief.get('/newsroom/audit');
    assert.match(textOf(log.body), /Changed the state of a report/);
  });

  it('keeps a note that was refused, and refuses a state that does not exist', async () => {
    const id = await report('other', '2026-11-06T09:00:00.000Z');
    const empty = await chief.post(`${QUEUE}/${id}/notes`, { note: '   ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="field-note-error"[^>]*>Write the note first.</);
    const long = 'n'.repeat(5001);
    const tooLong = await chief.post(`${QUEUE}/${id}/notes`, { note: long });
    assert.equal(tooLong.statusCode, 422);
    assert.ok(tooLong.body.includes(`>${long}</textarea>`), 'the typed note comes back');
    assert.equal((await chief.post(`${QUEUE}/${id}/state`, { state: 'archived' })).statusCode, 422);
    assert.deepEqual(await auditOf(id), []);
  });

  it('records who read a report about personal information', async () => {
    const id = await report('personal_information', '2026-11-07T09:00:00.000Z');
    assert.equal((await managing.get(`${QUEUE}/${id}`)).statusCode, 200);
    assert.deepEqual(
      (await auditOf(id)).map((a) => [a.action, a.actor_name]),
      [['problem_report.viewed', 'Ruth Abernethy']],
    );
  });

  it('answers 404 for a report that does not exist', async () => {
    assert.equal((await chief.get(`${QUEUE}/${newId()}`)).statusCode, 404);
    assert.equal((await chief.post(`${QUEUE}/${newId()}/notes`, { note: 'Hello' })).statusCode, 404);
  });
});

describe('who may see the queue', () => {
  it('refuses a writer and a reader (403) and sends a visitor to sign in', async () => {
    const id = await report('safety', '2026-11-08T09:00:00.000Z', 'private@example.org');
    for (const [who, client] of [
      ['writer', writer],
      ['reader', reader],
    ] as const) {
      assert.equal((await client.get(QUEUE)).statusCode, 403, `${who}: the list`);
      const detail = await client.get(`${QUEUE}/${id}`);
      assert.equal(detail.statusCode, 403, `${who}: a report`);
      assert.ok(!detail.body.includes('private@example.org'));
      assert.equal((await client.post(`${QUEUE}/${id}/state`, { state: 'declined' })).statusCode, 403, `${who}: a change`);
      assert.equal((await client.post(`${QUEUE}/${id}/notes`, { note: 'Hi' })).statusCode, 403, `${who}: a note`);
    }
    assert.ok(!(await writer.get('/newsroom')).body.includes('href="/newsroom/reports"'), 'a writer has no tab for it');
    const anonymous = await t.app.inject({ method: 'GET', url: QUEUE });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/account\/sign-in/);
    const row = await t.db.selectFrom('problem_reports').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'new');
    assert.deepEqual(await auditOf(id), []);
  });

  it('is checked by the service too, not only by the routes', async () => {
    const amara = await t.db.selectFrom('people').select(['id', 'user_id']).where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow();
    const actor: Actor = {
      userId: amara.user_id!,
      personId: amara.id,
      name: 'Amara Nwosu',
      roles: [{ role: 'staff_writer', sectionId: null }],
    };
    await assert.rejects(t.app.reports.list(actor, null, 1, 30), { status: 403 });
    const id = await report('other', '2026-11-09T09:00:00.000Z');
    await assert.rejects(t.app.reports.changeState(actor, id, 'declined'), { status: 403 });
    await assert.rejects(t.app.reports.addNote(actor, id, 'Hi'), { status: 403 });
    await assert.rejects(t.app.reports.detail(actor, id), { status: 403 });
  });
});
