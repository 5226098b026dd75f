// Inviting a person to the newsroom by email from the people desk: a one-time
// link through the job queue, the typed address kept on errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayUtc } from '../../../src/lib/dates.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(async () => {
  await t.close();
  await inbox.close();
});

async function newPerson(name: string): Promise<string> {
  await chief.get('/newsroom/people/new');
  const res = await chief.post('/newsroom/people', { name });
  assert.equal(res.statusCode, 303);
  const id = /\/newsroom\/people\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
  await chief.get(`/newsroom/people/${id}`);
  assert.equal((await chief.post(`/newsroom/people/${id}/roles`, { role: 'contributor', startsOn: todayUtc() })).statusCode, 303);
  return id;
}

const drain = async () => {
  while ((await t.app.worker.runOnce()) > 0);
};

describe('inviting staff by email', () => {
  it('keeps the typed address on an error and links it to the error summary', async () => {
    const id = await newPerson('Iris Novak');
    const page = await chief.get(`/newsroom/people/${id}`);
    assert.match(page.body, /Invite by email/);
    const bad = await chief.post(`/newsroom/people/${id}/invite`, { email: 'iris.novak-at-example' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /<a href="#field-inviteEmail">Enter an email address like name@example\.com\.<\/a>/);
    assert.match(bad.body, /id="field-inviteEmail"[^>]*value="iris\.novak-at-example"/);
    const row = await t.db.selectFrom('people').select('user_id').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.user_id, null);
  });

  it('creates the account, emails a one-time link through the queue, and the link opens the newsroom once', async () => {
    const id = (await t.db.selectFrom('people').select('id').where('name', '=', 'Iris Novak').executeTakeFirstOrThrow()).id;
    await chief.get(`/newsroom/people/${id}`);
    const res = await chief.post(`/newsroom/people/${id}/invite`, { email: 'Iris.Novak@Example.org' });
    assert.equal(res.statusCode, 303);
    assert.match((await chief.follow(res)).body, /The invitation is on its way/);
    const person = await t.db
      .selectFrom('people')
      .innerJoin('users', 'users.id', 'people.user_id')
      .select('users.email')
      .where('people.id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(person.email, 'iris.novak@example.org');
    assert.equal(inbox.messages.length, 0, 'nothing is sent inside the request');
    await drain();
    const mail = await inbox.waitFor('iris.novak@example.org', /You are invited to the .* newsroom/);
    const link = inbox.linkIn(mail, `${t.app.config.siteUrl}/account/link?token=`);
    const token = new URL(link).searchParams.get('token')!;
    const iris = new Browserish(t.app);
    assert.equal((await iris.get(link.replace(/^https?:\/\/[^/]+/, ''))).statusCode, 200);
    const signedIn = await iris.post('/account/link', { token });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/newsroom');
    assert.equal((await iris.get('/newsroom')).statusCode, 200);
    const again = new Browserish(t.app);
    await again.get(link.replace(/^https?:\/\/[^/]+/, ''));
    assert.notEqual((await again.post('/account/link', { token })).statusCode, 303, 'the link works once');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('subject_id', '=', id)
      .where('action', '=', 'user.invited')
      .execute();
    assert.equal(audit.length, 1);
    assert.doesNotMatch(audit[0]!.details, /iris/i);
  });

  it('answers the same for an address with a reader account, and ends that account’s sessions', async () => {
    const id = await newPerson('Pablo Ruiz');
    const userId = await t.app.accounts.createVerifiedUser('pablo@example.org', 'Pablo');
    const reader = new Browserish(t.app);
    const link = await t.app.accounts.signInLinkFor(userId);
    await reader.get(link.replace(/^https?:\/\/[^/]+/, ''));
    assert.equal((await reader.post('/account/link', { token: new URL(link).searchParams.get('token')! })).statusCode, 303);
    assert.equal((await reader.get('/account')).statusCode, 200);

    await chief.get(`/newsroom/people/${id}`);
    const res = await chief.post(`/newsroom/people/${id}/invite`, { email: 'pablo@example.org' });
    assert.equal(res.statusCode, 303);
    assert.match((await chief.follow(res)).body, /The invitation is on its way/);
    assert.equal((await t.db.selectFrom('people').select('user_id').where('id', '=', id).executeTakeFirstOrThrow()).user_id, userId);
    assert.equal((await reader.get('/account')).statusCode, 303, 'the session from before the invitation is over');
  });

  it('refuses an address already used by someone on staff, saying who', async () => {
    const id = await newPerson('Tomas Lind');
    await chief.get(`/newsroom/people/${id}`);
    const res = await chief.post(`/newsroom/people/${id}/invite`, { email: 'iris.novak@example.org' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That address belongs to the account of Iris Novak/);
    assert.match(res.body, /value="iris\.novak@example\.org"/);
  });
});
