// Accounts cannot be taken over: verification links do not switch the signed-in
// account, security changes end the other sessions and void pending links.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
const PASSWORD = 'correct horse battery';
let n = 0;
const freshEmail = () => `takeover${++n}-${Date.now()}@example.org`;

async function mail(to: string, subject?: RegExp) {
  while ((await t.app.worker.runOnce()) > 0);
  return inbox.waitFor(to, subject);
}

/** Signs up and returns the (unused) verification link and the client that asked. */
async function signUp(email: string, name: string): Promise<{ b: Browserish; link: string }> {
  const b = new Browserish(t.app);
  await b.get('/account/sign-up');
  const res = await b.post('/account/sign-up', { email, password: PASSWORD, displayName: name, birthYear: '2008' });
  assert.equal(res.statusCode, 200);
  const link = inbox.linkIn(await mail(email, /Confirm your email/), `${SITE}/account/verify?token=`);
  return { b, link: link.replace(SITE, '') };
}

async function verifiedReader(email: string, name: string): Promise<Browserish> {
  const { b, link } = await signUp(email, name);
  await b.get(link);
  const res = await b.post('/account/verify', { token: new URL(link, SITE).searchParams.get('token')! });
  assert.equal(res.statusCode, 303);
  return b;
}

async function signedInAs(b: Browserish): Promise<string | null> {
  const page = await b.get('/account');
  if (page.statusCode !== 200) return null;
  return /Signed in as <strong>([^<]+)<\/strong>/.exec(page.body)?.[1] ?? null;
}

describe('verification links (login CSRF)', () => {
  it('opening a verification link signs no browser in and switches no account', async () => {
    const victim = await verifiedReader(freshEmail(), 'Victim Vera');
    assert.equal(await signedInAs(victim), 'Victim Vera');
    // The attacker signs up with an address they own and keeps the link unclicked.
    const attackerEmail = freshEmail();
    const { link } = await signUp(attackerEmail, 'Attacker Al');

    // The victim's browser is made to open it (a link, an image, a redirect).
    const opened = await victim.get(link);
    assert.equal(opened.statusCode, 200);
    assert.equal(String(opened.headers['set-cookie'] ?? '').includes('hb_session'), false);
    assert.match(opened.body, /You are signed in as <strong>Victim Vera<\/strong>/);
    assert.equal(await signedInAs(victim), 'Victim Vera');

    // Even pressing the button keeps the victim in her own account.
    const pressed = await victim.post('/account/verify', { token: new URL(link, SITE).searchParams.get('token')! });
    assert.equal(pressed.statusCode, 200);
    assert.match(pressed.body, /still signed in as Victim Vera/);
    assert.equal(String(pressed.headers['set-cookie'] ?? '').includes('hb_session'), false);
    assert.equal(await signedInAs(victim), 'Victim Vera');

    // A browser opening someone's link anonymously is not signed in either without the button.
    const { link: other } = await signUp(freshEmail(), 'Third Tess');
    const anonymous = new Browserish(t.app);
    const page = await anonymous.get(other);
    assert.equal(page.statusCode, 200);
    assert.equal(anonymous.cookies.has('hb_session'), false);
    assert.equal(await signedInAs(anonymous), null);
  });

  it('refuses a verification POST without the CSRF token', async () => {
    const { link } = await signUp(freshEmail(), 'Csrf Cam');
    const b = new Browserish(t.app);
    await b.get(link);
    const res = await b.post('/account/verify', { token: new URL(link, SITE).searchParams.get('token')! }, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.equal(b.cookies.has('hb_session'), false);
  });
});

describe('security changes end the other sessions', () => {
  it('changing the password signs out every other session (30-day ones too) and voids pending links', async () => {
    const email = freshEmail();
    const b = await verifiedReader(email, 'Pat Password');
    const thief = new Browserish(t.app);
    await thief.get('/account/sign-in');
    assert.equal((await thief.post('/account/sign-in', { email, password: PASSWORD, remember: '1' })).statusCode, 303);
    assert.equal(await signedInAs(thief), 'Pat Password');
    // A reset link asked for before the change.
    const r = new Browserish(t.app);
    await r.get('/account/reset');
    await r.post('/account/reset', { email });
    const resetLink = inbox.linkIn(await mail(email, /new password/), `${SITE}/account/reset/new?token=`).replace(SITE, '');

    await b.get('/account');
    assert.equal((await b.post('/account/password', { current: 'wrong one here', password: 'next passphrase 2' })).statusCode, 422);
    assert.equal(await signedInAs(thief), 'Pat Password', 'a wrong current password changes nothing');
    const changed = await b.post('/account/password', { current: PASSWORD, password: 'next passphrase 2' });
    assert.equal(changed.statusCode, 303);

    const signedOut = await thief.get('/account');
    assert.equal(signedOut.statusCode, 303, 'the other session is over');
    assert.match(String(signedOut.headers.location), /^\/account\/sign-in/);
    assert.equal(await signedInAs(b), 'Pat Password', 'the browser that changed it stays signed in');
    const stale = await new Browserish(t.app).get(resetLink);
    assert.equal(stale.statusCode, 400);
    assert.match(stale.body, /not valid/);
  });

  it('changing the email ends other sessions and refuses a reset link sent to the old address', async () => {
    const email = freshEmail();
    const b = await verifiedReader(email, 'Eli Email');
    const other = new Browserish(t.app);
    await other.get('/account/sign-in');
    await other.post('/account/sign-in', { email, password: PASSWORD, remember: '1' });
    assert.equal(await signedInAs(other), 'Eli Email');
    const r = new Browserish(t.app);
    await r.get('/account/reset');
    await r.post('/account/reset', { email });
    const resetLink = inbox.linkIn(await mail(email, /new password/), `${SITE}/account/reset/new?token=`).replace(SITE, '');

    const newEmail = freshEmail();
    await b.get('/account');
    assert.equal((await b.post('/account/email', { email: newEmail, password: PASSWORD })).statusCode, 200);
    const confirm = inbox.linkIn(await mail(newEmail, /new email/), `${SITE}/account/email/confirm?token=`).replace(SITE, '');
    assert.equal((await b.get(confirm)).statusCode, 303);

    assert.equal((await other.get('/account')).statusCode, 303, 'the other session is over');
    assert.equal(await signedInAs(b), 'Eli Email');
    const stale = await r.get(resetLink);
    assert.equal(stale.statusCode, 400, 'the old address’s reset link is void');
    const used = await r.post('/account/reset/new', {
      token: new URL(resetLink, SITE).searchParams.get('token')!,
      password: 'attacker passphrase',
    });
    assert.equal(used.statusCode, 400);
    const c = new Browserish(t.app);
    await c.get('/account/sign-in');
    assert.equal((await c.post('/account/sign-in', { email: newEmail, password: PASSWORD })).statusCode, 303, 'the password is unchanged');
  });

  it('a completed reset ends every session, and voids the other links', async () => {
    const email = freshEmail();
    const b = await verifiedReader(email, 'Ray Reset');
    const r = new Browserish(t.app);
    await r.get('/account/reset');
    await r.post('/account/reset', { email });
    await r.post('/account/reset', { email });
    while ((await t.app.worker.runOnce()) > 0);
    const links = inbox.messages
      .filter((m) => JSON.stringify(m.to).includes(email) && /new password/.test(m.subject ?? ''))
      .map((m) => inbox.linkIn(m, `${SITE}/account/reset/new?token=`).replace(SITE, ''));
    assert.equal(links.length, 2);
    const res = await r.post('/account/reset/new', {
      token: new URL(links[0]!, SITE).searchParams.get('token')!,
      password: 'a brand new passphrase',
    });
    assert.equal(res.statusCode, 303);
    assert.equal((await b.get('/account')).statusCode, 303, 'the old session is gone');
    assert.equal((await r.get(links[1]!)).statusCode, 400, 'the second link is void');
  });
});

describe('sign-ups for an address nobody has confirmed yet', () => {
  it('a second sign-up does not put its password on the account the owner confirms', async () => {
    const email = freshEmail();
    const owner = new Browserish(t.app);
    await owner.get('/account/sign-up');
    await owner.post('/account/sign-up', { email, password: PASSWORD, displayName: 'Owner Olu', birthYear: '2008' });
    const ownLink = inbox.linkIn(await mail(email, /Confirm your email/), `${SITE}/account/verify?token=`).replace(SITE, '');
    // Someone else signs up with the owner's address before she confirms.
    const intruder = new Browserish(t.app);
    await intruder.get('/account/sign-up');
    assert.equal(
      (await intruder.post('/account/sign-up', { email, password: 'intruder passphrase', displayName: 'Intruder', birthYear: '2000' }))
        .statusCode,
      200,
    );
    while ((await t.app.worker.runOnce()) > 0);

    await owner.get(ownLink);
    assert.equal((await owner.post('/account/verify', { token: new URL(ownLink, SITE).searchParams.get('token')! })).statusCode, 303);
    assert.equal(await signedInAs(owner), 'Owner Olu');
    const i = new Browserish(t.app);
    await i.get('/account/sign-in');
    assert.equal(
      (await i.post('/account/sign-in', { email, password: 'intruder passphrase' })).statusCode,
      401,
      'the intruder’s password does not open the account',
    );
    const o = new Browserish(t.app);
    await o.get('/account/sign-in');
    assert.equal((await o.post('/account/sign-in', { email, password: PASSWORD })).statusCode, 303);
    // The intruder's link, sent to the owner's mailbox, is void now.
    const intruderLink = inbox.messages
      .filter((m) => JSON.stringify(m.to).includes(email) && /Confirm your email/.test(m.subject ?? ''))
      .map((m) => inbox.linkIn(m, `${SITE}/account/verify?token=`).replace(SITE, ''))
      .find((l) => l !== ownLink)!;
    assert.equal((await new Browserish(t.app).get(intruderLink)).statusCode, 400);
  });

  it('signing in by email link to an unconfirmed account drops the password an unconfirmed sign-up set', async () => {
    const email = freshEmail();
    const intruder = new Browserish(t.app);
    await intruder.get('/account/sign-up');
    await intruder.post('/account/sign-up', { email, password: 'intruder passphrase', displayName: 'Intruder', birthYear: '2000' });
    while ((await t.app.worker.runOnce()) > 0);
    // The owner of the address asks for a sign-in link and follows it.
    const owner = new Browserish(t.app);
    await owner.get('/account/sign-in/link');
    await owner.post('/account/sign-in/link', { email });
    const link = inbox.linkIn(await mail(email, /sign-in link/), `${SITE}/account/link?token=`);
    await owner.get(link.replace(SITE, ''));
    assert.equal((await owner.post('/account/link', { token: new URL(link).searchParams.get('token')! })).statusCode, 303);
    const i = new Browserish(t.app);
    await i.get('/account/sign-in');
    assert.equal((await i.post('/account/sign-in', { email, password: 'intruder passphrase' })).statusCode, 401);
  });
});
