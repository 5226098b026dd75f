// The newsletter desk in the newsroom: who may use it, the subscriber list
// (counts, search, export, removal), CSV imports and their bad inputs (nothing
// is ever imported in part), the composer's bad inputs, and newsletters' settings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_IMPORT_BYTES } from '../../../src/modules/newsletter/csv.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { postMultipart } from '../media/multipart.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import { drainJobs, messagesTo, postPairs, readerClient, subscriptionOf } from './helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish;
const IMPORT = '/newsroom/newsletters/weekly-brief/subscribers/import';

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(async () => {
  await t.close();
  await inbox.close();
});

async function count(): Promise<number> {
  return (await t.db.selectFrom('subscriptions').select('id').execute()).length;
}

async function importCsv(csv: string | Buffer, consent: boolean) {
  await chief.get(IMPORT);
  const parts: [string, string | { filename: string; contentType: string; bytes: Buffer }][] = [
    ...(consent ? ([['consent', '1']] as [string, string][]) : []),
    ['file', { filename: 'list.csv', contentType: 'text/csv', bytes: Buffer.isBuffer(csv) ? csv : Buffer.from(csv) }],
  ];
  return postMultipart(t.app, chief, IMPORT, parts);
}

describe('the newsletter desk', () => {
  it('is for the newsletter editor, the chiefs and mentors only', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/newsroom/newsletters' });
    assert.equal(anonymous.statusCode, 303);
    const reader = await readerClient(t, 'desk.reader@example.net');
    assert.equal((await reader.get('/newsroom/newsletters')).statusCode, 403);
    const writer = await staffClient(t, 'amara-nwosu');
    assert.equal((await writer.get('/newsroom/newsletters')).statusCode, 403);
    assert.equal((await writer.get('/newsroom/newsletters/weekly-brief/subscribers.csv')).statusCode, 403, 'addresses are private');
    const mentor = await staffClient(t, 'ruth-abernethy');
    assert.equal((await mentor.get('/newsroom/newsletters')).statusCode, 200);
    const page = await chief.get('/newsroom/newsletters');
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Weekly Brief 2 confirmed subscribers/);
  });
});

describe('CSV import', () => {
  it('adds addresses as confirmed when the importer ticks that they consented', async () => {
    const res = await importCsv('Email,Name\nann@example.org,Ann\nBOB@example.org,Bob\nann@example.org,Ann twice\n', true);
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /2 added as confirmed subscribers .* 1 repeated lines counted once/);
    const ann = await subscriptionOf(t, 'ann@example.org');
    assert.equal(ann?.status, 'confirmed');
    assert.equal(ann?.consent, 'import_attested');
    assert.ok(ann?.consent_by, 'the importer is named');
    assert.equal((await subscriptionOf(t, 'bob@example.org'))?.status, 'confirmed');
  });

  it('asks everyone else to confirm by email, and leaves people who unsubscribed alone', async () => {
    await t.db.updateTable('subscriptions').set({ status: 'unsubscribed' }).where('email', '=', 'bob@example.org').execute();
    const res = await importCsv('email\ncarl@example.org\ndora@example.org\nbob@example.org\nann@example.org\n', false);
    assert.equal(res.statusCode, 200);
    assert.match(
      textOf(res.body),
      /0 added as confirmed subscribers 2 sent an email asking them to confirm 1 already subscribed 1 left out because they had unsubscribed/,
    );
    assert.equal((await subscriptionOf(t, 'carl@example.org'))?.status, 'pending');
    assert.equal((await subscriptionOf(t, 'bob@example.org'))?.status, 'unsubscribed');
    await drainJobs(t);
    await inbox.waitFor('carl@example.org', /Confirm your subscription to the Weekly Brief/);
    await inbox.waitFor('dora@example.org', /Confirm your subscription/);
    assert.equal(messagesTo(inbox, 'bob@example.org').length, 0);
  });

  it('refuses malformed addresses, naming the lines, and imports nothing', async () => {
    const before = await count();
    const res = await importCsv('email\ngood1@example.org\nbroken@\ngood2@example.org\nalso broken\n', true);
    assert.equal(res.statusCode, 422);
    const text = textOf(res.body);
    assert.match(text, /Nothing was imported/);
    assert.match(text, /Line 3: “broken@” is not a valid email address\./);
    assert.match(text, /Line 5: “also broken” is not a valid email address\./);
    assert.equal(await count(), before);
    assert.equal(await subscriptionOf(t, 'good1@example.org'), undefined);
  });

  it('refuses a file with a wrong header, and imports nothing', async () => {
    const before = await count();
    const res = await importCsv('address,name\nann2@example.org,Ann\n', true);
    assert.equal(res.statusCode, 422);
    assert.match(
      textOf(res.body),
      /The first line must name the columns, and one of them must be called “email”\. This file’s first line is: “address”, “name”/,
    );
    assert.equal(await count(), before);
  });

  it('refuses an oversized file with a clear message, and imports nothing', async () => {
    const before = await count();
    const line = 'someone@example.org\n';
    const big = Buffer.from(`email\n${line.repeat(Math.ceil(MAX_IMPORT_BYTES / line.length) + 10)}`);
    assert.ok(big.length > MAX_IMPORT_BYTES);
    const res = await importCsv(big, true);
    assert.equal(res.statusCode, 413);
    assert.match(textOf(res.body), /The file is larger than 2 MB\. Split it into smaller files/);
    assert.equal(await count(), before);
  });

  it('asks for a file when none was chosen, and needs the CSRF token', async () => {
    await chief.get(IMPORT);
    const none = await postMultipart(t.app, chief, IMPORT, [['consent', '1']]);
    assert.equal(none.statusCode, 422);
    assert.match(textOf(none.body), /Choose a CSV file to import\./);
    const forged = await postMultipart(
      t.app,
      chief,
      IMPORT,
      [['file', { filename: 'x.csv', contentType: 'text/csv', bytes: Buffer.from('email\nforged@example.org\n') }]],
      { csrf: null },
    );
    assert.equal(forged.statusCode, 403);
    assert.equal(await subscriptionOf(t, 'forged@example.org'), undefined);
  });
});

describe('the subscriber list', () => {
  it('counts by status, searches, filters, pages and exports', async () => {
    const page = await chief.get('/newsroom/newsletters/weekly-brief/subscribers');
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /All 6 Confirmed 3 Waiting for confirmation 2 Unsubscribed 1/);
    const search = textOf((await chief.get('/newsroom/newsletters/weekly-brief/subscribers?q=ANN')).body);
    assert.match(search, /1 address matching “ANN”/);
    assert.match(search, /ann@example\.org Confirmed import import attested/);
    const pending = textOf((await chief.get('/newsroom/newsletters/weekly-brief/subscribers?status=pending')).body);
    assert.match(pending, /2 addresses/);
    assert.equal((await chief.get('/newsroom/newsletters/weekly-brief/subscribers?page=9')).statusCode, 404);

    const csv = await chief.get('/newsroom/newsletters/weekly-brief/subscribers.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="weekly-brief-subscribers-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines[0], 'email,status,source,consent,consent_at,confirmed_at,unsubscribed_at,created_at');
    assert.equal(lines.length, 7);
    assert.ok(lines.some((l) => l.startsWith('carl@example.org,pending,import,')));
  });

  it('removes a subscriber by hand', async () => {
    const sub = (await subscriptionOf(t, 'dora@example.org'))!;
    await chief.get('/newsroom/newsletters/weekly-brief/subscribers');
    const forged = await chief.post(`/newsroom/newsletters/weekly-brief/subscribers/${sub.id}/remove`, {}, { csrf: null });
    assert.equal(forged.statusCode, 403);
    const res = await chief.post(`/newsroom/newsletters/weekly-brief/subscribers/${sub.id}/remove`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(await subscriptionOf(t, 'dora@example.org'), undefined);
    assert.match(textOf((await chief.follow(res)).body), /dora@example\.org is removed from the list\./);
    assert.equal((await chief.post(`/newsroom/newsletters/weekly-brief/subscribers/${sub.id}/remove`, {})).statusCode, 404);
  });
});

describe('the composer’s bad input', () => {
  it('keeps what was typed and says what is wrong; nothing is scheduled or sent', async () => {
    await chief.get('/newsroom/newsletters');
    const created = await chief.post('/newsroom/newsletters/weekly-brief/issues', {});
    const url = created.headers.location as string;
    const page = (await chief.get(url)).body;
    const ids = [...page.matchAll(/name="item" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    const base: [string, string][] = [
      ['bodyText', 'My careful intro.'],
      ...ids.map((x): [string, string] => ['item', x]),
      ...ids.map((x): [string, string] => ['keep', x]),
    ];

    const noSubject = await postPairs(t, chief, url, [['subject', '   '], ...base, ['intent', 'save']]);
    assert.equal(noSubject.statusCode, 422);
    assert.match(noSubject.body, /Give the issue a subject of up to 150 characters/);
    assert.match(noSubject.body, /My careful intro\./);

    const past = await postPairs(t, chief, url, [
      ['subject', 'A subject'],
      ...base,
      ['scheduledAt', '2020-01-03T16:00'],
      ['intent', 'schedule'],
    ]);
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /Choose a time in the future, or send the issue now\./);
    assert.match(past.body, /value="2020-01-03T16:00"/);

    const garbled = await postPairs(t, chief, url, [
      ['subject', 'A subject'],
      ...base,
      ['scheduledAt', 'next friday'],
      ['intent', 'schedule'],
    ]);
    assert.equal(garbled.statusCode, 422);
    assert.match(garbled.body, /Choose a day and a time to send the issue\./);

    const unconfirmed = await postPairs(t, chief, url, [['subject', 'A subject'], ...base, ['intent', 'send_now']]);
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Tick the box to confirm/);

    const empty = await postPairs(t, chief, url, [
      ['subject', 'Empty'],
      ['bodyText', ''],
      ...ids.map((x): [string, string] => ['item', x]),
      ['confirmSend', '1'],
      ['intent', 'send_now'],
    ]);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /The issue is empty/);

    const issueId = url.split('/').pop()!;
    const issue = await t.db
      .selectFrom('newsletter_issues')
      .select(['status', 'subject'])
      .where('id', '=', issueId)
      .executeTakeFirstOrThrow();
    assert.equal(issue.status, 'draft');
    assert.equal((await t.db.selectFrom('jobs').select('id').where('kind', '=', 'newsletter_send').execute()).length, 0);
  });

  it('refuses a crafted intro document (wrong shape, too deep) with a clear message and keeps the stored intro', async () => {
    await chief.get('/newsroom/newsletters');
    const url = (await chief.post('/newsroom/newsletters/weekly-brief/issues', {})).headers.location as string;
    await postPairs(t, chief, url, [
      ['subject', 'Kept'],
      ['bodyText', 'The intro that was saved.'],
      ['intent', 'save'],
    ]);
    const issueId = url.split('/').pop()!;
    const stored = async () =>
      (await t.db.selectFrom('newsletter_issues').select('intro_json').where('id', '=', issueId).executeTakeFirstOrThrow()).intro_json;
    const before = await stored();
    const deep = `${'{"type":"doc","content":['.repeat(1)}${'{"type":"blockquote","content":['.repeat(600)}{"type":"paragraph"}${']}'.repeat(600)}]}`;
    for (const bodyJson of [deep, '{"type":"doc","content":"not a list"}', '{"type":"doc","content":[null]}']) {
      const res = await postPairs(t, chief, url, [
        ['subject', 'Crafted'],
        ['bodyJson', bodyJson],
        ['intent', 'save'],
      ]);
      assert.equal(res.statusCode, 422, bodyJson.slice(0, 60));
      assert.match(res.body, /data-error-summary/);
      assert.equal(await stored(), before);
    }
  });
});

describe('newsletters', () => {
  it('can be started by the chiefs, with their own sender and usual time, and are offered on /newsletters', async () => {
    await chief.get('/newsroom/newsletters/new');
    const bad = await chief.post('/newsroom/newsletters/new', {
      name: '',
      description: '',
      senderName: '',
      senderEmail: 'nope@',
      sendWeekday: '9',
      sendTime: '25:00',
      timeZone: 'Mars/Base',
    });
    assert.equal(bad.statusCode, 422);
    const text = textOf(bad.body);
    for (const message of [
      'Give the newsletter a name',
      'Enter an address like brief@example.org',
      'Choose a day.',
      'Write the time as HH:MM',
      'Enter a time zone such as Europe/London.',
    ])
      assert.ok(text.includes(message), message);
    const reserved = await chief.post('/newsroom/newsletters/new', {
      name: 'Issues',
      description: '',
      senderName: '',
      senderEmail: '',
      sendWeekday: '1',
      sendTime: '09:00',
      timeZone: 'Europe/London',
    });
    assert.equal(reserved.statusCode, 422);
    const ok = await chief.post('/newsroom/newsletters/new', {
      name: 'Prize Alerts',
      description: 'Deadlines and winners.',
      senderName: 'Harbinger Prize',
      senderEmail: 'prize@harbinger.test',
      sendWeekday: '1',
      sendTime: '09:00',
      timeZone: 'Europe/Paris',
    });
    assert.equal(ok.statusCode, 303);
    const list = await t.app.inject({ method: 'GET', url: '/newsletters' });
    assert.match(list.body, /Prize Alerts/);
    assert.match(list.body, /Deadlines and winners\./);
    const row = await t.db.selectFrom('newsletters').selectAll().where('slug', '=', 'prize-alerts').executeTakeFirstOrThrow();
    assert.equal(row.time_zone, 'Europe/Paris');
    const writer = await staffClient(t, 'amara-nwosu');
    assert.equal((await writer.get('/newsroom/newsletters/new')).statusCode, 403);
  });
});
