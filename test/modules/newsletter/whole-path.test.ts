// The whole path of the Weekly Brief against a real SMTP server in this process,
// on SQLite or PostgreSQL (DATABASE_URL): readers subscribe and confirm through
// the emailed link, the editor-in-chief composes an issue from the published
// articles, previews it, sends a test, schedules it for the default Friday
// 16:00 London time, the worker sends it, every confirmed subscriber gets
// exactly one message with valid List-Unsubscribe headers, a one-click POST
// unsubscribes, and the next issue does not reach that address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { DEMO_EDITOR_EMAIL } from '../../../src/demo/seed.js';
import { zonedToUtc } from '../../../src/lib/dates.js';
import { DEMO_SUBSCRIBERS } from '../../../src/modules/newsletter/index.js';
import { nextSendTime } from '../../../src/modules/newsletter/schedule.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import {
  confirmFromInbox,
  drainJobs,
  messagesTo,
  postPairs,
  readerClient,
  runAll,
  SITE,
  subscriptionOf,
  visitorSignUp,
  workerAhead,
} from './helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish;
let reader: Browserish;

const VISITORS = ['maya@example.net', 'leo@example.net'];
const NEVER_CONFIRMED = 'undecided@example.net';
const READER = 'reader.one@example.net';
/** Aarav Kulkarni, the demo's editor-in-chief, already has the demo's account. */
const CHIEF_EMAIL = DEMO_EDITOR_EMAIL;

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
  reader = await readerClient(t, READER);
});
after(async () => {
  await t.close();
  await inbox.close();
});

function field(html: string, name: string): string {
  return (
    new RegExp(`name="${name}"[^>]*value="([^"]*)"`)
      .exec(html)?.[1]
      ?.replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&') ?? ''
  );
}

function itemIds(html: string): string[] {
  return [...html.matchAll(/name="item" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

function headerLines(message: ParsedMail, name: string): string[] {
  return message.headerLines.filter((h) => h.key === name).map((h) => h.line);
}

/** The https URI in a message's List-Unsubscribe header. */
function unsubscribeUrl(message: ParsedMail): string {
  const line = headerLines(message, 'list-unsubscribe')[0]!;
  return /<(https?:\/\/[^>]+)>/.exec(line)![1]!;
}

async function newIssue(): Promise<{ id: string; page: string }> {
  await chief.get('/newsroom/newsletters');
  const created = await chief.post('/newsroom/newsletters/weekly-brief/issues', {});
  assert.equal(created.statusCode, 303);
  const location = created.headers.location as string;
  const id = /\/newsroom\/newsletters\/issues\/([0-9a-f-]{36})$/.exec(location)![1]!;
  const page = await chief.get(location);
  assert.equal(page.statusCode, 200);
  return { id, page: page.body };
}

describe('the Weekly Brief, from sign-up to the second issue', () => {
  it('subscribes visitors by double opt-in and signed-in readers with one click', async () => {
    for (const email of [...VISITORS, NEVER_CONFIRMED]) {
      const res = await visitorSignUp(t, email);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Check your email/);
      assert.equal((await subscriptionOf(t, email))?.status, 'pending');
    }
    for (const email of VISITORS) {
      const confirmed = await confirmFromInbox(t, inbox, email);
      assert.equal(confirmed.statusCode, 200);
      assert.match(confirmed.body, /You are subscribed/);
      assert.equal((await subscriptionOf(t, email))?.status, 'confirmed');
    }
    // Nothing was confirmed for the third address: it stays pending.
    assert.equal((await subscriptionOf(t, NEVER_CONFIRMED))?.status, 'pending');

    // The home page offers the signed-in reader a one-click button (its CSRF slot filled).
    const home = await reader.get('/');
    assert.match(
      home.body,
      /<form method="post" action="\/account\/newsletters" class="newsletter-form inline-form"><input type="hidden" name="_csrf" value="[^"]+">/,
    );
    const oneClick = await reader.post('/account/newsletters', { newsletter: 'weekly-brief', action: 'subscribe', source: 'home' });
    assert.equal(oneClick.statusCode, 303);
    assert.equal(oneClick.headers.location, '/account/newsletters?done=subscribed');
    const sub = await subscriptionOf(t, READER);
    assert.equal(sub?.status, 'confirmed');
    assert.equal(sub?.consent, 'account');
    assert.match((await reader.get('/account/newsletters')).body, /You get it\./);
  });

  let firstIssueId = '';
  let scheduledFor = new Date();

  it('composes an issue from the published articles, grouped by section, previews it and sends a test', async () => {
    const { id, page } = await newIssue();
    firstIssueId = id;
    const ids = itemIds(page);
    assert.ok(ids.length >= 4, `pre-filled with published articles (${ids.length})`);
    // Grouped by section: each section's stories come together, in the sections' order.
    const sectionCells = [...page.matchAll(/<td>([^<]*)<\/td>\s*<\/tr>/g)].map((m) => m[1]!);
    const firstSeen = sectionCells.filter((s, i) => sectionCells.indexOf(s) === i);
    for (const s of firstSeen) {
      const first = sectionCells.indexOf(s);
      const last = sectionCells.lastIndexOf(s);
      assert.ok(
        sectionCells.slice(first, last + 1).every((x) => x === s),
        `stories of “${s}” are together`,
      );
    }

    const dropped = ids[2]!;
    const kept = ids.filter((x) => x !== dropped);
    const pairs: [string, string][] = [
      ['subject', 'This week: reefs, rights and a prize'],
      ['bodyText', 'Hello readers!\n\nThis week our writers went diving. Read on.'],
      ...ids.map((x): [string, string] => ['item', x]),
      ...kept.map((x): [string, string] => ['keep', x]),
      // Move the second story to the top of the issue.
      ...ids.map((x, i): [string, string] => [`position-${x}`, String(i === 1 ? 0.5 : i + 1)]),
      ['intent', 'save'],
    ];
    const saved = await postPairs(t, chief, `/newsroom/newsletters/issues/${id}`, pairs);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    const after = await chief.get(`/newsroom/newsletters/issues/${id}`);
    const afterIds = itemIds(after.body);
    assert.deepEqual(afterIds, [ids[1], ids[0], ...ids.slice(3)], 'reordered, with the dropped story gone');

    const html = await chief.get(`/newsroom/newsletters/issues/${id}/preview.html`);
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-security-policy']), /style-src 'unsafe-inline'/);
    assert.match(html.body, /<table role="presentation"/);
    assert.match(html.body, /Hello readers!/);
    const text = await chief.get(`/newsroom/newsletters/issues/${id}/preview.txt`);
    assert.match(text.body, /^Subject: This week: reefs, rights and a prize/);
    assert.match(text.body, /Read the story: http:\/\/harbinger\.test\/articles\//);
    const web = await chief.get(`/newsroom/newsletters/issues/${id}/preview`);
    assert.equal(web.statusCode, 200);
    assert.match(web.body, /Preview of the web page/);

    const test = await postPairs(t, chief, `/newsroom/newsletters/issues/${id}`, [
      ...pairs.filter(([k]) => k !== 'intent' && !k.startsWith('position-')),
      ...afterIds.map((x, i): [string, string] => [`position-${x}`, String(i + 1)]),
      ['intent', 'test'],
    ]);
    assert.equal(test.statusCode, 303);
    assert.equal(messagesTo(inbox, CHIEF_EMAIL, /^\[Test\]/).length, 0, 'the request only queues the test');
    await drainJobs(t);
    const testMail = await inbox.waitFor(CHIEF_EMAIL, /^\[Test\] This week/);
    assert.match(testMail.html || '', /Hello readers!/);
    assert.equal(messagesTo(inbox, VISITORS[0]!, /This week/).length, 0, 'a test reaches nobody else');
  });

  it('schedules it for the next Friday 16:00 in London, shown in the editor’s zone too', async () => {
    const page = (await chief.get(`/newsroom/newsletters/issues/${firstIssueId}`)).body;
    scheduledFor = nextSendTime(new Date(), 5, '16:00', 'Europe/London');
    const local = field(page, 'scheduledAt');
    assert.match(local, /T16:00$/);
    assert.equal(zonedToUtc(local, 'Europe/London').toISOString(), scheduledFor.toISOString());
    assert.equal(new Date(`${local.slice(0, 10)}T12:00:00Z`).getUTCDay(), 5, 'a Friday');
    assert.match(
      page,
      new RegExp(`data-your-time data-utc="${scheduledFor.toISOString()}"`),
      'the page carries the instant for the editor’s own zone',
    );
    assert.match(page, /<script src="\/newsroom\/newsletters\/assets\/compose\.[0-9a-f]{12}\.js" defer>/);
    assert.match(textOf(page), /UTC/);

    const ids = itemIds(page);
    const res = await postPairs(t, chief, `/newsroom/newsletters/issues/${firstIssueId}`, [
      ['subject', 'This week: reefs, rights and a prize'],
      ['bodyText', 'Hello readers!\n\nThis week our writers went diving. Read on.'],
      ...ids.map((x): [string, string] => ['item', x]),
      ...ids.map((x): [string, string] => ['keep', x]),
      ['scheduledAt', local],
      ['intent', 'schedule'],
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    const issue = await t.db.selectFrom('newsletter_issues').selectAll().where('id', '=', firstIssueId).executeTakeFirstOrThrow();
    assert.equal(issue.status, 'scheduled');
    assert.equal(issue.scheduled_at, scheduledFor.toISOString());
    const job = await t.db.selectFrom('jobs').selectAll().where('kind', '=', 'newsletter_send').executeTakeFirstOrThrow();
    assert.equal(job.run_at, scheduledFor.toISOString());

    // Nothing goes before its time.
    await drainJobs(t);
    assert.equal(
      (await t.db.selectFrom('newsletter_issues').select('status').where('id', '=', firstIssueId).executeTakeFirstOrThrow()).status,
      'scheduled',
    );
  });

  let recipients: string[] = [];

  it('is sent by the worker when the time comes: one message per confirmed subscriber, with valid headers', async () => {
    const before = inbox.messages.length;
    await runAll(workerAhead(t, scheduledFor.getTime() - Date.now() + 60_000));
    const issue = await t.db.selectFrom('newsletter_issues').selectAll().where('id', '=', firstIssueId).executeTakeFirstOrThrow();
    assert.equal(issue.status, 'sent');
    assert.equal(issue.number, 1);
    recipients = [...VISITORS, READER, ...DEMO_SUBSCRIBERS];
    assert.equal(issue.recipients_count, recipients.length);
    assert.equal(issue.sent_count, recipients.length);
    assert.equal(issue.failed_count, 0);
    const received = inbox.messages.slice(before);
    assert.equal(received.length, recipients.length, 'one message per recipient, no more');
    assert.equal(messagesTo(inbox, NEVER_CONFIRMED, /This week/).length, 0, 'an unconfirmed address gets nothing');

    const messageIds = new Set<string>();
    for (const email of recipients) {
      const mine = messagesTo(inbox, email, /^This week: reefs, rights and a prize$/);
      assert.equal(mine.length, 1, `${email} got exactly one`);
      const m = mine[0]!;
      const lines = headerLines(m, 'list-unsubscribe');
      assert.equal(lines.length, 1, 'exactly one List-Unsubscribe header');
      // Only the web link: nothing reads mail sent to an unsubscribe address, so none is advertised.
      assert.match(
        lines[0]!,
        /^List-Unsubscribe:\s*<http:\/\/harbinger\.test\/newsletters\/unsubscribe\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{32}>$/i,
      );
      assert.doesNotMatch(lines[0]!, /mailto:/);
      assert.deepEqual(
        headerLines(m, 'list-unsubscribe-post').map((l) => l.replace(/^[^:]+:\s*/, '')),
        ['List-Unsubscribe=One-Click'],
      );
      assert.match(headerLines(m, 'list-id')[0] ?? '', /<weekly-brief\.harbinger\.test>/);
      assert.ok(m.messageId && !messageIds.has(m.messageId), 'a Message-ID of its own');
      messageIds.add(m.messageId);
      assert.match(m.from?.text ?? '', /The Weekly Brief/);
      // An HTML and a text part with the same stories, personal links in both, and no tracking pixel.
      assert.ok(m.html && m.text);
      assert.match(m.text, /Unsubscribe: http:\/\/harbinger\.test\/newsletters\/unsubscribe\//);
      assert.match(m.html, /href="http:\/\/harbinger\.test\/newsletters\/preferences\//);
      const images = [...m.html.matchAll(/<img [^>]*>/g)].map((x) => x[0]);
      for (const img of images) {
        assert.match(img, /src="http:\/\/harbinger\.test\/media\/[^"]+\.jpg"/, 'only article pictures');
        assert.match(img, / alt="[^"]+"/, 'with alt text');
        assert.doesNotMatch(img, /width="1"|height="1"/);
      }
      assert.doesNotMatch(m.html, /[?&](utm_|uid=|sub=)/, 'no per-reader tracking parameters');
    }
    // The sending page reports the outcome.
    const report = textOf((await chief.get(`/newsroom/newsletters/issues/${firstIssueId}/sending`)).body);
    assert.match(report, new RegExp(`sent to ${recipients.length} of ${recipients.length} subscribers; 0 failed`));
  });

  it('unsubscribes with a one-click POST to the List-Unsubscribe URL, without cookies or a CSRF token', async () => {
    const m = messagesTo(inbox, VISITORS[0]!, /^This week/)[0]!;
    const url = unsubscribeUrl(m);
    const res = await t.app.inject({
      method: 'POST',
      url: url.replace(SITE, ''),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /You are unsubscribed/);
    assert.equal(res.headers['set-cookie'], undefined, 'no cookie is needed or set');
    assert.equal((await subscriptionOf(t, VISITORS[0]!))?.status, 'unsubscribed');
    // A second POST (mail providers retry) is fine.
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: url.replace(SITE, ''),
          payload: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).statusCode,
      200,
    );
  });

  it('offers only what was published since, and the next issue does not reach the unsubscribed address', async () => {
    // One new story after the first issue went out.
    const article = await t.db
      .selectFrom('articles')
      .select(['id', 'title'])
      .where('status', '=', 'published')
      .orderBy('published_at')
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.db.updateTable('articles').set({ published_at: new Date().toISOString() }).where('id', '=', article.id).execute();
    t.app.articles.forget();

    const { id, page } = await newIssue();
    assert.deepEqual(itemIds(page), [article.id], 'only the article published since the last issue');
    const before = inbox.messages.length;
    const send = await postPairs(t, chief, `/newsroom/newsletters/issues/${id}`, [
      ['subject', 'Second brief'],
      ['bodyText', ''],
      ['item', article.id],
      ['keep', article.id],
      ['confirmSend', '1'],
      ['intent', 'send_now'],
    ]);
    assert.equal(send.statusCode, 303, send.body.slice(0, 300));
    assert.equal(send.headers.location, `/newsroom/newsletters/issues/${id}/sending`);
    await drainJobs(t);
    const issue = await t.db.selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(issue.status, 'sent');
    assert.equal(issue.number, 2);
    assert.equal(messagesTo(inbox, VISITORS[0]!, /^Second brief$/).length, 0, 'the unsubscribed address gets nothing');
    for (const email of recipients.filter((e) => e !== VISITORS[0]))
      assert.equal(messagesTo(inbox, email, /^Second brief$/).length, 1, `${email} got the second issue once`);
    assert.equal(inbox.messages.length - before, recipients.length - 1);
  });

  it('keeps a public archive of sent issues, linked from the newsletter’s page', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/newsletters/weekly-brief' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/newsletters\/weekly-brief\/issues\/1"/);
    assert.match(page.body, /href="\/newsletters\/weekly-brief\/issues\/2"/);
    const issue = await t.app.inject({ method: 'GET', url: '/newsletters/weekly-brief/issues/1' });
    assert.equal(issue.statusCode, 200);
    assert.match(issue.body, /This week: reefs, rights and a prize/);
    assert.match(issue.body, /Hello readers!/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/newsletters/weekly-brief/issues/3' })).statusCode, 404, 'no issue 3 yet');
    // Drafts are never in the archive.
    await newIssue();
    assert.equal((await t.app.inject({ method: 'GET', url: '/newsletters/weekly-brief/issues/3' })).statusCode, 404);
  });
});
