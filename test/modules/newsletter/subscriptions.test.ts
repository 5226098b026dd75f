// Subscribing from the reader's side: the sign-up forms (home page, wall,
// footer), answers that never reveal whether an address is on the list, bad
// input, confirmation links, one-click unsubscribe, the preferences page, an
// account's subscriptions, its data export and its deletion.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken } from '../../../src/modules/newsletter/links.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { Browserish } from '../../browserish.js';
import { confirmFromInbox, drainJobs, messagesTo, readerClient, SITE, subscriptionOf, visitorSignUp } from './helpers.js';

let t: TestApp;
let inbox: Inbox;

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
});
after(async () => {
  await t.close();
  await inbox.close();
});

async function subscribeConfirmed(email: string): Promise<string> {
  await visitorSignUp(t, email);
  await confirmFromInbox(t, inbox, email);
  return (await subscriptionOf(t, email))!.id;
}

async function jobCount(kind: string): Promise<number> {
  return (await t.db.selectFrom('jobs').select('id').where('kind', '=', kind).execute()).length;
}

/** The personal links a subscriber's emails carry, made the way the sender makes them. */
async function linksOf(email: string): Promise<{ unsubscribe: string; preferences: string }> {
  const sub = (await subscriptionOf(t, email))!;
  const message = t.app.newsletter.sender.messageFor(
    await t.db.selectFrom('newsletters').selectAll().where('id', '=', sub.newsletter_id).executeTakeFirstOrThrow(),
    { subject: 's', html: '%%UNSUBSCRIBE_URL%% %%PREFERENCES_URL%%', text: '%%UNSUBSCRIBE_URL%% %%PREFERENCES_URL%%' },
    { subscriptionId: sub.id, email },
    'delivery-id',
  );
  const [unsubscribe, preferences] = message.text.split(' ') as [string, string];
  return { unsubscribe: unsubscribe.replace(SITE, ''), preferences: preferences.replace(SITE, '') };
}

describe('the sign-up forms', () => {
  it('sit on the home page, in the footer and on the wall, without a CSRF token, so anonymous pages stay cacheable', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.ok(home.headers.etag, 'the anonymous home page is still served from the cache with an ETag');
    assert.match(home.body, /<input type="hidden" name="source" value="home"/);
    assert.match(home.body, /<input type="hidden" name="source" value="footer"/);
    assert.match(home.body, /id="home-newsletter-email" name="email" type="email"/);
    assert.doesNotMatch(home.body, /name="_csrf"/);

    const registered = await t.db
      .selectFrom('articles')
      .select('slug')
      .where('access', '=', 'registered')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const article = await t.app.inject({ method: 'GET', url: `/articles/${registered.slug}` });
    assert.match(article.body, /<input type="hidden" name="source" value="wall"/);
    assert.match(article.body, /id="wall-newsletter-email"/);

    const list = await t.app.inject({ method: 'GET', url: '/newsletters' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Weekly Brief/);
  });

  it('answers a new, a pending and a confirmed address with the same page', async () => {
    const email = 'same.answer@example.net';
    const fresh = await visitorSignUp(t, email);
    const pending = await visitorSignUp(t, email);
    await confirmFromInbox(t, inbox, email);
    const confirmed = await visitorSignUp(t, email);
    for (const res of [fresh, pending, confirmed]) assert.equal(res.statusCode, 200);
    assert.equal(pending.body, fresh.body);
    assert.equal(confirmed.body, fresh.body);
    assert.match(textOf(fresh.body), /We have sent a message to same\.answer@example\.net about the Weekly Brief/);
    // The owner of a confirmed address learns by email that nothing changed.
    await drainJobs(t);
    const note = await inbox.waitFor(email, /You already get the Weekly Brief/);
    assert.match(note.text ?? '', /\/newsletters\/preferences\//);
  });

  it('sends at most one confirmation email every few minutes, however often the form is sent', async () => {
    const email = 'impatient@example.net';
    const before = await jobCount('newsletter_mail');
    for (let i = 0; i < 4; i++) assert.equal((await visitorSignUp(t, email)).statusCode, 200);
    assert.equal((await jobCount('newsletter_mail')) - before, 1);
    await drainJobs(t);
    await inbox.waitFor(email, /Confirm your subscription/);
    assert.equal(messagesTo(inbox, email).length, 1);
  });

  it('refuses a malformed address with a clear message, keeping what was typed, and stores nothing', async () => {
    for (const bad of ['', 'maya@', 'not an email', `${'x'.repeat(250)}@example.org`]) {
      const res = await visitorSignUp(t, bad);
      assert.equal(res.statusCode, 422, bad);
      assert.match(
        res.body,
        bad === '' ? /Enter your email address\./ : /Enter an email address like name@example\.com\.|That email address is too long\./,
      );
      assert.match(res.body, /aria-invalid="true"/);
    }
    const typed = await visitorSignUp(t, 'maya@');
    assert.match(typed.body, /value="maya@"/);
    assert.equal(await subscriptionOf(t, 'maya@'), undefined);
  });

  it('quietly ignores bots that fill the hidden field, and refuses posts from other sites', async () => {
    const bot = await t.app.inject({
      method: 'POST',
      url: '/newsletters/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: 'bot@example.net', website: 'http://spam.example', source: 'footer' }).toString(),
    });
    assert.equal(bot.statusCode, 200);
    assert.match(bot.body, /Check your email/);
    assert.equal(await subscriptionOf(t, 'bot@example.net'), undefined);

    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/newsletters/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: 'email=victim%40example.net',
    });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(await subscriptionOf(t, 'victim@example.net'), undefined);
    const sameSite = await t.app.inject({
      method: 'POST',
      url: '/newsletters/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SITE },
      payload: 'email=friend%40example.net',
    });
    assert.equal(sameSite.statusCode, 200);
  });
});

describe('the confirmation link', () => {
  it('opens a page with a button (mail scanners that fetch links confirm nothing), and works once pressed', async () => {
    const email = 'scanner@example.net';
    await visitorSignUp(t, email);
    await drainJobs(t);
    const link = inbox.linkIn(await inbox.waitFor(email, /Confirm/), `${SITE}/newsletters/confirm?token=`);
    for (let i = 0; i < 3; i++) assert.equal((await t.app.inject({ method: 'GET', url: link.replace(SITE, '') })).statusCode, 200);
    assert.equal((await subscriptionOf(t, email))?.status, 'pending');
    const sub = (await subscriptionOf(t, email))!;
    assert.equal(sub.confirm_token_hash, hashToken(new URL(link).searchParams.get('token')!), 'only the hash of the token is stored');
    assert.ok(!JSON.stringify(sub).includes(new URL(link).searchParams.get('token')!));
  });

  it('says clearly when a link is not valid or has expired', async () => {
    const invalid = await t.app.inject({ method: 'GET', url: '/newsletters/confirm?token=not-a-real-token-at-all-xxxxxxxx' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /This confirmation link is not valid/);
    const email = 'late@example.net';
    await visitorSignUp(t, email);
    await drainJobs(t);
    const link = inbox.linkIn(await inbox.waitFor(email, /Confirm/), `${SITE}/newsletters/confirm?token=`);
    await t.db.updateTable('subscriptions').set({ confirm_expires_at: '2000-01-01T00:00:00.000Z' }).where('email', '=', email).execute();
    const expired = await t.app.inject({ method: 'GET', url: link.replace(SITE, '') });
    assert.equal(expired.statusCode, 410);
    assert.match(expired.body, /has expired/);
    // Signing up again sends a fresh link that works.
    await visitorSignUp(t, email);
    const confirmed = await confirmFromInbox(t, inbox, email);
    assert.match(confirmed.body, /You are subscribed/);
  });
});

describe('unsubscribing and preferences', () => {
  it('asks first on the unsubscribe page, and the one-click POST accepts a multipart body too', async () => {
    const email = 'leaver@example.net';
    await subscribeConfirmed(email);
    const { unsubscribe } = await linksOf(email);
    const page = await t.app.inject({ method: 'GET', url: unsubscribe });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/newsletters\/unsubscribe\/[^"]+">/);
    assert.equal((await subscriptionOf(t, email))?.status, 'confirmed', 'opening the page changes nothing');
    const boundary = 'xyz';
    const res = await t.app.inject({
      method: 'POST',
      url: unsubscribe,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await subscriptionOf(t, email))?.status, 'unsubscribed');
  });

  it('refuses links that were tampered with, or signed for another purpose', async () => {
    const email = 'tamper@example.net';
    await subscribeConfirmed(email);
    const { unsubscribe, preferences } = await linksOf(email);
    const token = unsubscribe.split('/').pop()!;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.equal((await t.app.inject({ method: 'POST', url: `/newsletters/unsubscribe/${tampered}`, payload: '' })).statusCode, 404);
    // A preferences token cannot unsubscribe, and the other way round.
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/newsletters/unsubscribe/${preferences.split('/').pop()!}` })).statusCode,
      404,
    );
    assert.equal((await t.app.inject({ method: 'GET', url: `/newsletters/preferences/${token}` })).statusCode, 404);
    assert.equal((await subscriptionOf(t, email))?.status, 'confirmed');
  });

  it('lets a subscriber choose newsletters, or leave them all, by the signed link', async () => {
    const email = 'chooser@example.net';
    await subscribeConfirmed(email);
    const { preferences } = await linksOf(email);
    // A second newsletter to choose from.
    const now = new Date().toISOString();
    await t.db
      .insertInto('newsletters')
      .values({
        id: '01a218bf-0000-7000-8000-0000000000c1',
        slug: 'prize-news',
        name: 'Prize News',
        description: 'The prize.',
        sender_name: '',
        sender_email: '',
        send_weekday: 1,
        send_time: '09:00',
        time_zone: 'Europe/London',
        position: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const visitor = new Browserish(t.app);
    const page = await visitor.get(preferences);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /chooser@example\.net/);
    assert.match(page.body, /id="pref-weekly-brief" name="newsletters" value="weekly-brief" checked/);
    assert.doesNotMatch(page.body, /id="pref-prize-news" name="newsletters" value="prize-news" checked/);

    const both = await t.app.inject({
      method: 'POST',
      url: preferences,
      remoteAddress: visitor.remoteAddress,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: new URLSearchParams([
        ['_csrf', visitor.csrf],
        ['newsletters', 'weekly-brief'],
        ['newsletters', 'prize-news'],
        ['action', 'save'],
      ]).toString(),
    });
    assert.equal(both.statusCode, 303);
    const rows = await t.db.selectFrom('subscriptions').select(['newsletter_id', 'status', 'consent']).where('email', '=', email).execute();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.status === 'confirmed'));

    await visitor.get(preferences);
    const leave = await visitor.post(preferences, { action: 'leave_all', newsletters: 'weekly-brief' });
    assert.equal(leave.statusCode, 303);
    const after = await t.db.selectFrom('subscriptions').select('status').where('email', '=', email).execute();
    assert.deepEqual(
      after.map((r) => r.status),
      ['unsubscribed', 'unsubscribed'],
    );
    assert.match((await visitor.get(`${preferences}?saved=1`)).body, /Your choices are saved\./);
    await t.db.deleteFrom('newsletters').where('slug', '=', 'prize-news').execute();
  });
});

describe('an account’s newsletters', () => {
  it('needs a signed-in reader, and a CSRF token for the one-click form', async () => {
    const visitor = await t.app.inject({ method: 'GET', url: '/account/newsletters' });
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/account\/sign-in\?next=/);
    const reader = await readerClient(t, 'csrf.reader@example.net');
    const forged = await reader.post('/account/newsletters', { newsletter: 'weekly-brief', action: 'subscribe' }, { csrf: null });
    assert.equal(forged.statusCode, 403);
    assert.equal(await subscriptionOf(t, 'csrf.reader@example.net'), undefined);
  });

  it('subscribes and unsubscribes with one click, shows in the data export, and goes when the account is deleted', async () => {
    const email = 'account.holder@example.net';
    const reader = await readerClient(t, email);
    await reader.get('/account/newsletters');
    assert.equal(
      (await reader.post('/account/newsletters', { newsletter: 'weekly-brief', action: 'subscribe' })).headers.location,
      '/account/newsletters?done=subscribed',
    );
    assert.equal((await subscriptionOf(t, email))?.status, 'confirmed');
    assert.equal(
      (await reader.post('/account/newsletters', { newsletter: 'weekly-brief', action: 'unsubscribe' })).headers.location,
      '/account/newsletters?done=unsubscribed',
    );
    assert.equal((await subscriptionOf(t, email))?.status, 'unsubscribed');
    await reader.post('/account/newsletters', { newsletter: 'weekly-brief', action: 'subscribe' });

    const exported = JSON.parse((await reader.get('/account/export.json')).body) as {
      newsletterSubscriptions: { newsletter: string; status: string }[];
    };
    assert.deepEqual(
      exported.newsletterSubscriptions.map((s) => [s.newsletter, s.status]),
      [['Weekly Brief', 'confirmed']],
    );

    // A subscription made before the account, to the same address, goes too; and the deliveries with them.
    const subId = (await subscriptionOf(t, email))!.id;
    const actor = { userId: 'x', personId: 'x', name: 'Editor', roles: [{ role: 'newsletter_editor' as const, sectionId: null }] };
    const issueId = await t.app.newsletter.service.createIssue(actor, 'weekly-brief');
    const now = new Date().toISOString();
    await t.db
      .insertInto('deliveries')
      .values({
        id: '01a218bf-0000-7000-8000-0000000000d1',
        issue_id: issueId,
        subscription_id: subId,
        status: 'sent',
        attempts: 1,
        next_attempt_at: now,
        locked_until: null,
        last_error: null,
        sent_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();

    await reader.get('/account/delete');
    const deleted = await reader.post('/account/delete', { confirm: 'DELETE' });
    assert.equal(deleted.statusCode, 200);
    assert.equal(await subscriptionOf(t, email), undefined);
    assert.equal((await t.db.selectFrom('deliveries').select('id').where('subscription_id', '=', subId).execute()).length, 0);
    await t.app.newsletter.service.deleteDraft(actor, issueId);
  });
});
