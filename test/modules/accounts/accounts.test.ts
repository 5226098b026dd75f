import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';

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

const SITE = 'http://harbinger.test';
let n = 0;
const freshEmail = () => `reader${++n}-${Date.now()}@example.org`;

/** Runs the queued jobs (account emails go through the queue), then waits for the message. */
async function mail(to: string, subject?: RegExp) {
  while ((await t.app.worker.runOnce()) > 0);
  return inbox.waitFor(to, subject);
}

/** Opens a verification link (a page with a button) and presses the button. */
async function verify(b: Browserish, link: string) {
  const page = await b.get(link.replace(SITE, ''));
  assert.equal(page.statusCode, 200, 'opening the link only shows a button');
  return b.post('/account/verify', { token: new URL(link).searchParams.get('token')! });
}

/** Signs up and verifies through the emailed link; returns the signed-in client. */
async function signedUpReader(email = freshEmail(), name = 'Robin Reader'): Promise<Browserish> {
  const b = new Browserish(t.app);
  await b.get('/account/sign-up');
  const res = await b.post('/account/sign-up', { email, password: 'correct horse battery', displayName: name, birthYear: '2009' });
  assert.equal(res.statusCode, 200);
  const link = inbox.linkIn(await mail(email, /Confirm your email/), `${SITE}/account/verify?token=`);
  const verified = await verify(b, link);
  assert.equal(verified.statusCode, 303);
  return b;
}

describe('signing up', () => {
  it('verifies the email by link, then signs the reader in with a safe session cookie', async () => {
    const email = freshEmail();
    const b = new Browserish(t.app);
    await b.get('/account/sign-up');
    const res = await b.post('/account/sign-up', { email, password: 'correct horse battery', displayName: 'Robin', birthYear: '2009' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Check your email/);
    assert.equal(b.cookies.has('hb_session'), false, 'not signed in before verifying');

    const message = await mail(email, /Confirm your email/);
    assert.match(message.text ?? '', /The Harbinger/);
    assert.match(message.text ?? '', /http:\/\/harbinger\.test/);
    assert.ok(message.html && message.html.includes('Confirm my email'), 'has an HTML part');
    const link = inbox.linkIn(message, `${SITE}/account/verify?token=`);
    const opened = await b.get(link.replace(SITE, ''));
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.headers['set-cookie']?.toString().includes('hb_session') ?? false, false, 'opening the link signs nobody in');
    assert.ok(opened.body.includes(email), 'the page names the address being confirmed');
    const verified = await verify(b, link);
    assert.equal(verified.statusCode, 303);
    assert.equal(verified.headers.location, '/');
    const cookie = String(verified.headers['set-cookie']);
    assert.match(cookie, /hb_session=[A-Za-z0-9_-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Max-Age|Expires/, 'a visit-long cookie unless "keep me signed in"');

    const row = await t.db
      .selectFrom('users')
      .select(['email_verified_at', 'password_hash', 'birth_year'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.ok(row.email_verified_at);
    assert.match(row.password_hash!, /^scrypt\$/);
    const token = /hb_session=([^;]+)/.exec(cookie)![1]!;
    const sessions = await t.db.selectFrom('sessions').select('token_hash').execute();
    assert.ok(
      sessions.every((s) => s.token_hash !== token),
      'the session token is stored hashed',
    );
  });

  it('refuses readers under 13 kindly and keeps what they typed', async () => {
    const b = new Browserish(t.app);
    await b.get('/account/sign-up');
    const year = String(new Date().getUTCFullYear() - 11);
    const res = await b.post('/account/sign-up', {
      email: 'young@example.org',
      password: 'correct horse battery',
      displayName: 'Sam Young',
      birthYear: year,
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Accounts are for readers who are 13 or older/);
    assert.match(res.body, /value="young@example\.org"/);
    assert.match(res.body, /value="Sam Young"/);
    assert.doesNotMatch(res.body, /correct horse battery/, 'the password is never sent back');
    const row = await t.db.selectFrom('users').select('id').where('email', '=', 'young@example.org').executeTakeFirst();
    assert.equal(row, undefined);
  });

  it('explains each invalid field', async () => {
    const b = new Browserish(t.app);
    await b.get('/account/sign-up');
    const res = await b.post('/account/sign-up', { email: 'not-an-email', password: 'short', displayName: '', birthYear: 'abc' });
    assert.equal(res.statusCode, 422);
    for (const text of [
      'Enter an email address like name@example.com.',
      'Use at least 10 characters',
      'Tell us what to call you.',
      'Enter the year you were born',
    ]) {
      assert.ok(res.body.includes(text), text);
    }
    assert.match(res.body, /aria-invalid="true"/);
  });

  it('answers a sign-up for a registered address like any other, and tells the owner by email', async () => {
    const email = freshEmail();
    await signedUpReader(email);
    const b = new Browserish(t.app);
    await b.get('/account/sign-up');
    const again = await b.post('/account/sign-up', { email, password: 'another password!', displayName: 'Impostor', birthYear: '2008' });
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Check your email/);
    await mail(email, /already have an account/);
    const row = await t.db.selectFrom('users').select('display_name').where('email', '=', email).executeTakeFirstOrThrow();
    assert.equal(row.display_name, 'Robin Reader', 'the account is untouched');
  });
});

describe('security of the forms', () => {
  it('refuses a form without its CSRF token with 403', async () => {
    const b = new Browserish(t.app);
    await b.get('/account/sign-in');
    const res = await b.post('/account/sign-in', { email: 'a@example.org', password: 'whatever123' }, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    const forged = await b.post('/account/sign-in', { email: 'a@example.org', password: 'whatever123' }, { csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
  });

  it('answers the 11th failed sign-in in a minute with 429', async () => {
    const b = new Browserish(t.app, { 'x-forwarded-for': '203.0.113.9' });
    await b.get('/account/sign-in');
    for (let i = 1; i <= 10; i++) {
      const res = await b.post('/account/sign-in', { email: 'nobody@example.org', password: `wrong password ${i}` });
      assert.equal(res.statusCode, 401, `attempt ${i}`);
      assert.match(res.body, /do not match an account/);
    }
    const eleventh = await b.post('/account/sign-in', { email: 'nobody@example.org', password: 'wrong password 11' });
    assert.equal(eleventh.statusCode, 429);
    assert.match(eleventh.body, /Too many attempts/);
    assert.match(eleventh.body, /<main id="main"/);
  });

  it('answers a reset for an unknown email exactly like one for a known email', async () => {
    const known = freshEmail();
    await signedUpReader(known);
    const unknown = 'no-account@example.org';
    const answer = async (email: string) => {
      const b = new Browserish(t.app);
      await b.get('/account/reset');
      const res = await b.post('/account/reset', { email });
      return { status: res.statusCode, body: res.body.replaceAll(email, 'EMAIL'), cookies: Object.keys(res.headers).sort() };
    };
    const a = await answer(known);
    const b = await answer(unknown);
    assert.deepEqual(a, b);
    await mail(known, /new password/);
    assert.equal(
      inbox.messages.some((m) => m.to && JSON.stringify(m.to).includes(unknown)),
      false,
    );
  });

  it('ignores an off-site ?next= after sign-in', async () => {
    const email = freshEmail();
    await signedUpReader(email);
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const b = new Browserish(t.app);
      await b.get(`/account/sign-in?next=${encodeURIComponent(next)}`);
      const res = await b.post('/account/sign-in', { email, password: 'correct horse battery', next });
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, '/', next);
    }
    const b = new Browserish(t.app);
    await b.get('/account/sign-in');
    const res = await b.post('/account/sign-in', { email, password: 'correct horse battery', next: '/sections/culture' });
    assert.equal(res.headers.location, '/sections/culture');
  });

  it('marks the session cookie Secure behind an https proxy, and keeps a reader signed in for 30 days on request', async () => {
    const secure = await buildTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      await secure.db
        .insertInto('users')
        .values({
          id: '0190a0a0-0000-7000-8000-000000000001',
          email: 'p@example.org',
          email_verified_at: new Date().toISOString(),
          password_hash: null,
          display_name: 'P',
          birth_year: 2008,
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      const link = await secure.app.accounts.signInLinkFor('0190a0a0-0000-7000-8000-000000000001');
      const b = new Browserish(secure.app, { 'x-forwarded-proto': 'https' });
      await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
      const res = await b.post('/account/link', { token: new URL(link).searchParams.get('token')! });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers['set-cookie']), /hb_session=[^;]+;.*Secure/);
    } finally {
      await secure.close();
    }
    const email = freshEmail();
    await signedUpReader(email);
    const b = new Browserish(t.app);
    await b.get('/account/sign-in');
    const res = await b.post('/account/sign-in', { email, password: 'correct horse battery', remember: '1' });
    const expires = /Expires=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
    const days = (Date.parse(expires) - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `${days} days`);
  });
});

describe('email links', () => {
  it('signs in with a one-time link, and refuses it the second time', async () => {
    const email = freshEmail();
    await signedUpReader(email);
    const b = new Browserish(t.app);
    await b.get('/account/sign-in/link');
    const asked = await b.post('/account/sign-in/link', { email, next: '/sections/society' });
    assert.equal(asked.statusCode, 200);
    const link = inbox.linkIn(await mail(email, /sign-in link/), `${SITE}/account/link?token=`);
    const page = await b.get(link.replace(SITE, ''));
    assert.equal(page.statusCode, 200, 'opening the link only shows a button');
    const token = new URL(link).searchParams.get('token')!;
    const used = await b.post('/account/link', { token });
    assert.equal(used.statusCode, 303);
    assert.equal(used.headers.location, '/sections/society');
    const again = await new Browserish(t.app).get(link.replace(SITE, ''));
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /already been used/);
  });

  it('refuses an expired link with a clear page', async () => {
    const email = freshEmail();
    await signedUpReader(email);
    const b = new Browserish(t.app);
    await b.get('/account/reset');
    await b.post('/account/reset', { email });
    const link = inbox.linkIn(await mail(email, /new password/), `${SITE}/account/reset/new?token=`);
    await t.db.updateTable('tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('purpose', '=', 'reset_password').execute();
    const res = await b.get(link.replace(SITE, ''));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /This link has expired/);
    const bogus = await b.get('/account/reset/new?token=not-a-real-token-at-all-0000');
    assert.equal(bogus.statusCode, 400);
    assert.match(bogus.body, /This link is not valid/);
  });

  it('resets a password, ending every other session', async () => {
    const email = freshEmail();
    const old = await signedUpReader(email);
    const b = new Browserish(t.app);
    await b.get('/account/reset');
    await b.post('/account/reset', { email });
    const link = inbox.linkIn(await mail(email, /new password/), `${SITE}/account/reset/new?token=`);
    await b.get(link.replace(SITE, ''));
    const res = await b.post('/account/reset/new', { token: new URL(link).searchParams.get('token')!, password: 'a brand new passphrase' });
    assert.equal(res.statusCode, 303);
    assert.equal((await old.get('/account')).statusCode, 303, 'the old session is gone');
    const c = new Browserish(t.app);
    await c.get('/account/sign-in');
    assert.equal((await c.post('/account/sign-in', { email, password: 'a brand new passphrase' })).statusCode, 303);
  });

  it('changes the email address only once the new one is confirmed', async () => {
    const email = freshEmail();
    const b = await signedUpReader(email);
    await b.get('/account');
    const newEmail = freshEmail();
    const res = await b.post('/account/email', { email: newEmail, password: 'correct horse battery' });
    assert.equal(res.statusCode, 200);
    assert.ok(await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), 'unchanged until confirmed');
    const link = inbox.linkIn(await mail(newEmail, /new email/), `${SITE}/account/email/confirm?token=`);
    assert.equal((await b.get(link.replace(SITE, ''))).statusCode, 303);
    assert.ok(await t.db.selectFrom('users').select('id').where('email', '=', newEmail).executeTakeFirst());
    await mail(email, /changed/);
  });
});

describe('my account', () => {
  it('signs out everywhere on request', async () => {
    const email = freshEmail();
    const b = await signedUpReader(email);
    const other = new Browserish(t.app);
    await other.get('/account/sign-in');
    await other.post('/account/sign-in', { email, password: 'correct horse battery' });
    await b.get('/account');
    const out = await b.post('/account/sign-out-everywhere', {});
    assert.equal(out.statusCode, 200);
    assert.equal((await other.get('/account')).statusCode, 303);
    assert.equal((await b.get('/account')).statusCode, 303);
  });

  it('exports everything stored about the reader as JSON', async () => {
    const email = freshEmail();
    const b = await signedUpReader(email, 'Export Me');
    const res = await b.get('/account/export.json');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-disposition'] as string, /attachment/);
    const data = res.json<{ account: { email: string; displayName: string; birthYear: number }; sessions: unknown; bookmarks: unknown }>();
    assert.equal(data.account.email, email);
    assert.equal(data.account.displayName, 'Export Me');
    assert.equal(data.account.birthYear, 2009);
    assert.ok(Array.isArray(data.sessions) && data.sessions.length >= 1);
    assert.ok(Array.isArray(data.bookmarks));
    assert.equal(JSON.stringify(data).includes('scrypt'), false, 'no password hash');
  });

  it('deletes the account after confirmation, leaving no row that names the reader', async () => {
    const email = freshEmail();
    const name = `Unique Name ${Date.now()}`;
    const b = await signedUpReader(email, name);
    const article = await t.db.selectFrom('articles').select('id').where('status', '=', 'published').executeTakeFirstOrThrow();
    await b.get('/');
    await b.get('/account/bookmarks');
    await b.post('/bookmarks', { articleId: article.id, action: 'add', next: '/' });
    await b.get('/account/delete');
    const wrong = await b.post('/account/delete', { password: 'not my password' });
    assert.equal(wrong.statusCode, 422);
    const res = await b.post('/account/delete', { password: 'correct horse battery' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Your account is deleted/);
    const tables = ['users', 'sessions', 'tokens', 'bookmarks', 'people', 'settings', 'audit_log'];
    for (const table of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.db);
      const text = JSON.stringify(rows.rows);
      assert.ok(!text.includes(email), `${table} still has the email`);
      assert.ok(!text.includes(name), `${table} still has the name`);
    }
    const userIds = await t.db.selectFrom('bookmarks').select('user_id').execute();
    const users = await t.db.selectFrom('users').select('id').execute();
    assert.ok(
      userIds.every((r) => users.some((u) => u.id === r.user_id)),
      'no orphan bookmark',
    );
  });
});

describe('the newsroom page', () => {
  it('is for signed-in staff only', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/newsroom' })).statusCode, 303);
    const reader = await signedUpReader();
    const refused = await reader.get('/newsroom');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /reader account/);

    const email = freshEmail();
    const staff = await signedUpReader(email, 'Amara');
    const user = await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    await t.db.updateTable('people').set({ user_id: user.id }).where('slug', '=', 'amara-nwosu').execute();
    const page = await staff.get('/newsroom');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /The hidden price of the school uniform/i, 'her draft is listed');
    assert.match(page.body, /Draft/);
    assert.match(page.body, /href="\/newsroom">Newsroom<\/a>/);
  });
});
