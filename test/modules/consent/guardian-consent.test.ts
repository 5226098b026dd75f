import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_EDITOR_EMAIL } from '../../../src/demo/seed.js';
import { addDays, todayUtc } from '../../../src/lib/dates.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import { addWriter, approvedArticle, bornFor, drainJobs, moveTo, statusOf } from './consent-helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let lenaId: string; // 14, in Berlin: Germany's age of digital consent is 16
const GUARDIAN = 'katrin.vogel@example.org';

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
  lenaId = await addWriter(t, 'Lena Vogel', bornFor(14, 100), 'Berlin, Germany');
});
after(async () => {
  await t.close();
  await inbox.close();
});

async function latestConsent() {
  return t.db
    .selectFrom('guardian_consents')
    .selectAll()
    .where('person_id', '=', lenaId)
    .orderBy('requested_at', 'desc')
    .executeTakeFirstOrThrow();
}

/** The path and query of a link in the guardian's email. */
const pathOf = (link: string) => link.replace(/^https?:\/\/[^/]+/, '');

let confirmLink = '';
/** The guardian's browser: it keeps the consent page's CSRF token, as a second click on its button would send it. */
let guardian: Browserish;
let withdrawLink = '';
let firstArticle = '';

describe('guardian consent before publication', () => {
  it('refuses to publish a young writer without consent, naming her and linking to her consent page', async () => {
    firstArticle = await approvedArticle(t, chief, lenaId, 'Our school garden');
    const res = await moveTo(chief, firstArticle, 'published');
    assert.equal(res.statusCode, 409);
    const text = textOf(res.body);
    assert.match(text, /Not published: a guardian’s consent is needed/);
    assert.match(
      text,
      /Lena Vogel is 14 on .*, under the age of digital consent in Germany \(16\), and there is no guardian’s consent on record/,
    );
    assert.match(res.body, new RegExp(`<a href="/newsroom/people/${lenaId}/consent">Open Lena Vogel’s consent page</a>`));
    assert.equal(await statusOf(t, firstArticle), 'approved');

    const desk = await chief.get('/newsroom/people');
    assert.match(desk.body, new RegExp(`<a href="/newsroom/people/${lenaId}/consent">None</a>`));
  });

  it('records the guardian’s details and emails her through the queue; the link shows a page and does nothing by itself', async () => {
    const page = await chief.get(`/newsroom/people/${lenaId}/consent`);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Consent text, version 1/);

    const bad = await chief.post(`/newsroom/people/${lenaId}/consent`, {
      guardianName: 'Katrin Vogel',
      guardianEmail: 'not an address',
      version: '1',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /value="Katrin Vogel"/, 'what was typed comes back');
    assert.match(textOf(bad.body), /Enter the guardian’s email address/);
    assert.equal(await t.db.selectFrom('guardian_consents').select('id').where('person_id', '=', lenaId).executeTakeFirst(), undefined);

    const sent = await chief.post(`/newsroom/people/${lenaId}/consent`, {
      guardianName: 'Katrin Vogel',
      guardianEmail: GUARDIAN,
      version: '1',
    });
    assert.equal(sent.statusCode, 303);
    const after = await chief.get(sent.headers.location as string);
    assert.match(textOf(after.body), /The request is on its way to the guardian/);
    assert.match(textOf(after.body), /Waiting for the guardian/);

    // Still waiting: publishing is refused, and says why.
    const waiting = await moveTo(chief, firstArticle, 'published');
    assert.equal(waiting.statusCode, 409);
    assert.match(textOf(waiting.body), /their guardian has not confirmed consent yet/);

    await drainJobs(t);
    const mail = await inbox.waitFor(GUARDIAN, /Your consent for Lena Vogel/);
    assert.match(mail.text ?? '', /I am the parent or legal guardian of Lena Vogel\./);
    confirmLink = inbox.linkIn(mail, 'http://harbinger.test/consent/confirm?token=');
    withdrawLink = inbox.linkIn(mail, 'http://harbinger.test/consent/withdraw?token=');
    const row = await latestConsent();
    assert.equal(row.status, 'waiting');
    const token = new URL(confirmLink).searchParams.get('token')!;
    assert.notEqual(row.confirm_token_hash, token, 'only a hash of the token is stored');
    assert.ok(!JSON.stringify(await t.db.selectFrom('jobs').select('payload').execute()).includes(token), 'no token in the queue');

    const scanner = new Browserish(t.app);
    const shown = await scanner.get(pathOf(confirmLink));
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<form method="post" action="\/consent\/confirm">/);
    assert.match(textOf(shown.body), /I agree that The Harbinger may publish articles written by Lena Vogel/);
    assert.equal((await latestConsent()).status, 'waiting', 'opening the link (as a mail scanner does) gives no consent');
  });

  it('publishes once the guardian clicks, with the time, the version and the exact text recorded', async () => {
    guardian = new Browserish(t.app);
    await guardian.get(pathOf(confirmLink));
    const token = new URL(confirmLink).searchParams.get('token')!;
    const given = await guardian.post('/consent/confirm', { token, version: '1' });
    assert.equal(given.statusCode, 200);
    assert.match(textOf(given.body), /Your consent for Lena Vogel is recorded \(consent text version 1\)/);
    const row = await latestConsent();
    assert.equal(row.status, 'given');
    assert.ok(row.given_at);
    assert.equal(row.given_text_version, 1);
    assert.equal(row.given_text, row.consent_text);
    assert.match(row.given_text, /^I am the parent or legal guardian of Lena Vogel\./);

    const desk = await chief.get('/newsroom/people');
    assert.match(desk.body, /Given on \d{1,2} \w+ \d{4}/);
    assert.equal((await moveTo(chief, firstArticle, 'published')).statusCode, 303);
    assert.equal(await statusOf(t, firstArticle), 'published');
  });

  it('answers a consent link used twice, or forged, without changing anything', async () => {
    const token = new URL(confirmLink).searchParams.get('token')!;
    const before = await latestConsent();
    const twice = await guardian.post('/consent/confirm', { token, version: '1' });
    assert.equal(twice.statusCode, 409);
    assert.match(textOf(twice.body), /Consent already given/);
    assert.equal((await latestConsent()).given_at, before.given_at, 'the first click’s time stays');
    assert.match(textOf((await guardian.get(pathOf(confirmLink))).body), /this link has been used/);

    const forged = 'A'.repeat(43);
    const forgedPage = await guardian.get(`/consent/confirm?token=${forged}`);
    assert.equal(forgedPage.statusCode, 400);
    assert.match(textOf(forgedPage.body), /This link is not valid/);
    assert.equal((await guardian.post('/consent/confirm', { token: forged, version: '1' })).statusCode, 400);
    assert.equal((await guardian.post('/consent/withdraw', { token: forged })).statusCode, 400);
    assert.equal((await latestConsent()).status, 'given');
    // Without the page's CSRF token the click is refused.
    assert.equal((await new Browserish(t.app).post('/consent/confirm', { token, version: '1' }, { csrf: null })).statusCode, 403);
  });

  it('stops new publications when the guardian withdraws, keeps what is published, and lists the writer for the editor-in-chief', async () => {
    const ask = await guardian.get(pathOf(withdrawLink));
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /Withdraw my consent/);
    assert.equal((await latestConsent()).status, 'given', 'opening the link withdraws nothing');
    const token = new URL(withdrawLink).searchParams.get('token')!;
    const withdrawn = await guardian.post('/consent/withdraw', { token });
    assert.equal(withdrawn.statusCode, 200);
    assert.match(textOf(withdrawn.body), /Nothing new by Lena Vogel will be published/);
    const row = await latestConsent();
    assert.equal(row.status, 'revoked');
    assert.ok(row.revoked_at);

    const second = await approvedArticle(t, chief, lenaId, 'The bike lane petition');
    const refused = await moveTo(chief, second, 'published');
    assert.equal(refused.statusCode, 409);
    assert.match(textOf(refused.body), /their guardian withdrew consent/);
    assert.equal(await statusOf(t, second), 'approved');
    const schedule = await moveTo(chief, second, 'scheduled', { scheduledAt: `${addDays(todayUtc(), 3)}T12:00` });
    assert.equal(schedule.statusCode, 409);
    assert.match(textOf(schedule.body), /Not scheduled/);
    assert.equal(await statusOf(t, firstArticle), 'published', 'withdrawing unpublishes nothing by itself');

    const list = await chief.get('/newsroom/consent');
    assert.equal(list.statusCode, 200);
    const section = textOf(list.body.slice(list.body.indexOf('>', list.body.indexOf(`id="writer-${lenaId}"`)) + 1));
    assert.match(section, /^Lena Vogel/);
    assert.match(section, /Their guardian withdrew consent on/);
    assert.match(list.body, new RegExp(`<a href="/newsroom/articles/${firstArticle}">Our school garden</a>`));
    assert.doesNotMatch(list.body, /The bike lane petition/, 'only published pieces are listed');
    assert.match((await chief.get('/newsroom/people')).body, /Revoked on/);

    await drainJobs(t);
    await inbox.waitFor(DEMO_EDITOR_EMAIL, /Guardian’s consent withdrawn: Lena Vogel/);
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', lenaId).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['consent.given', 'consent.requested', 'consent.revoked']);

    // A second withdrawal changes nothing.
    assert.equal((await guardian.post('/consent/withdraw', { token })).statusCode, 409);
  });

  it('is for the writer, editors and chiefs: another writer cannot open it', async () => {
    const other = await staffClient(t, 'farah-haddad');
    assert.equal((await other.get(`/newsroom/people/${lenaId}/consent`)).statusCode, 403);
    assert.equal((await other.get('/newsroom/consent')).statusCode, 403);
  });
});

describe('a request sent again', () => {
  it('sends new links, and the earlier ones stop working', async () => {
    const ellaId = await addWriter(t, 'Ella Nowak', bornFor(14, 30), 'Warsaw, Poland');
    const address = 'marta.nowak@example.org';
    await chief.get(`/newsroom/people/${ellaId}/consent`);
    assert.equal(
      (await chief.post(`/newsroom/people/${ellaId}/consent`, { guardianName: 'Marta Nowak', guardianEmail: address, version: '1' }))
        .statusCode,
      303,
    );
    await drainJobs(t);
    const first = inbox.linkIn(await inbox.waitFor(address, /Ella Nowak/), 'http://harbinger.test/consent/confirm?token=');

    const page = await chief.get(`/newsroom/people/${ellaId}/consent`);
    assert.match(page.body, /Send the email again/);
    const resent = await chief.post(`/newsroom/people/${ellaId}/consent/resend`, {});
    assert.equal(resent.statusCode, 303);
    assert.match(textOf((await chief.get(resent.headers.location as string)).body), /The email is on its way again/);
    await drainJobs(t);
    const mails = inbox.messages.filter((m) => (m.text ?? '').includes('Ella Nowak'));
    assert.equal(mails.length, 2);
    const second = inbox.linkIn(mails[1]!, 'http://harbinger.test/consent/confirm?token=');
    assert.notEqual(second, first);

    const mailbox = new Browserish(t.app);
    assert.equal((await mailbox.get(pathOf(first))).statusCode, 400);
    const fresh = await mailbox.get(pathOf(second));
    assert.equal(fresh.statusCode, 200);
    assert.match(fresh.body, /I agree: give my consent/);
  });

  it('refuses when no request is waiting', async () => {
    await chief.get(`/newsroom/people/${lenaId}/consent`);
    assert.equal((await chief.post(`/newsroom/people/${lenaId}/consent/resend`, {})).statusCode, 400);
  });
});

describe('the age on the day of publication', () => {
  it('lets a writer who turns 16 before the scheduled day be scheduled, but not published today', async () => {
    const miaId = await addWriter(t, 'Mia Brandt', bornFor(15, 10), 'Hamburg, Germany');
    const id = await approvedArticle(t, chief, miaId, 'Harbour ferries at night');
    const early = await moveTo(chief, id, 'scheduled', { scheduledAt: `${addDays(todayUtc(), 5)}T12:00` });
    assert.equal(early.statusCode, 409);
    assert.match(textOf(early.body), /Mia Brandt is 15 on/);
    assert.equal((await moveTo(chief, id, 'published')).statusCode, 409);
    assert.equal(await statusOf(t, id), 'approved');

    const late = await moveTo(chief, id, 'scheduled', { scheduledAt: `${addDays(todayUtc(), 20)}T12:00` });
    assert.equal(late.statusCode, 303);
    assert.equal(await statusOf(t, id), 'scheduled');
  });

  it('does not publish a scheduled article whose writer lost consent since: it goes back to approved, with the reason', async () => {
    const noahId = await addWriter(t, 'Noah Keller', bornFor(13, 200), 'Dublin, Ireland');
    const id = await approvedArticle(t, chief, noahId, 'The river clean-up');
    await t.db
      .insertInto('guardian_consents')
      .values({
        id: '019ad000-0000-7000-8000-000000000001',
        person_id: noahId,
        guardian_name: 'Siobhan Keller',
        guardian_email: 'siobhan@example.org',
        text_version: 1,
        consent_text: 'I agree.',
        status: 'given',
        requested_by: null,
        requested_by_name: 'Test',
        requested_at: new Date().toISOString(),
        email_sent_at: null,
        confirm_token_hash: null,
        revoke_token_hash: null,
        given_at: new Date().toISOString(),
        given_text_version: 1,
        given_text: 'I agree.',
        revoked_at: null,
      })
      .execute();
    assert.equal((await moveTo(chief, id, 'scheduled', { scheduledAt: `${addDays(todayUtc(), 2)}T12:00` })).statusCode, 303);
    await t.db
      .updateTable('guardian_consents')
      .set({ status: 'revoked', revoked_at: new Date().toISOString() })
      .where('person_id', '=', noahId)
      .execute();
    await t.app.desk.publishScheduled({ articleId: id, userId: null, actorName: 'Aarav Kulkarni' });
    assert.equal(await statusOf(t, id), 'approved');
    const event = await t.db
      .selectFrom('workflow_events')
      .select('note')
      .where('article_id', '=', id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(event.note, /Not published: no guardian’s consent on record for Noah Keller/);
  });
});
