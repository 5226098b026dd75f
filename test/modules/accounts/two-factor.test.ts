// Two-factor sign-in through the forms a browser without JavaScript posts:
// set-up, the code step, replays, drift, recovery codes, the limit on guesses,
// turning it off, and the roles that must use it. Codes are made with otpauth at
// a fixed moment the service's clock is set to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { recoveryCodesOnPage, secretOnPage, totpCode } from '../../two-factor.js';
import { insertAccount } from '../../readers.js';

const PASSWORD = 'correct horse battery staple';
/** The moment every code of this file is made for and checked at (a step's middle, so ±30 s stays in its neighbours). */
const NOW = Date.parse('2026-11-30T10:00:15Z');

let t: TestApp;

before(async () => {
  t = await buildTestApp();
  t.app.accounts.twoFactor.clock = () => NOW;
});
after(() => t.close());

async function accountWithPassword(email: string): Promise<string> {
  return insertAccount(t, email, { name: 'Dana', birthYear: 2007, password: PASSWORD });
}

async function passwordStep(email: string, password = PASSWORD, userAgent?: string) {
  const b = new Browserish(t.app, userAgent ? { 'user-agent': userAgent } : {});
  await b.get('/account/sign-in');
  const res = await b.post('/account/sign-in', { email, password, next: '/account' });
  return { b, res };
}

const sessionCount = async (userId: string) =>
  Number(
    (
      await t.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('two-factor sign-in for a reader who turns it on', () => {
  const email = 'dana@example.org';
  let userId: string;
  let secret: string;
  let recovery: string[];

  before(async () => {
    userId = await accountWithPassword(email);
  });

  it('is offered on the account page, and set up with the key shown as text and as an otpauth:// address', async () => {
    const { b, res } = await passwordStep(email);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account', 'without two-factor sign-in the password is enough');
    const account = await b.get('/account');
    assert.match(textOf(account.body), /Two-factor sign-in Off\./);
    assert.match(account.body, /href="\/account\/two-factor\/setup"/);

    const setup = await b.get('/account/two-factor/setup');
    assert.equal(setup.statusCode, 200);
    secret = secretOnPage(setup.body);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(setup.body, new RegExp(`otpauth://totp/[^"<]*secret=${secret}`));
    assert.match(setup.body, /algorithm=SHA1&amp;digits=6&amp;period=30/);
    const again = await b.get('/account/two-factor/setup');
    assert.equal(secretOnPage(again.body), secret, 'reloading keeps the key the app may have already');

    const wrong = await b.post('/account/two-factor/setup', { code: '000000' === totpCode(secret, NOW) ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 422);
    assert.match(textOf(wrong.body), /That code is not right/);
    assert.match(wrong.body, /name="code"[^>]*value="[01]{6}"|value="[01]{6}"[^>]*name="code"/, 'the typed code is kept');
    const stored = await t.db
      .selectFrom('users')
      .select(['two_factor_enabled_at', 'two_factor_secret'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(stored.two_factor_enabled_at, null, 'a wrong code turns nothing on');
    assert.ok(stored.two_factor_secret && !stored.two_factor_secret.includes(secret), 'the secret is stored encrypted');

    const done = await b.post('/account/two-factor/setup', { code: totpCode(secret, NOW) });
    assert.equal(done.statusCode, 200);
    recovery = recoveryCodesOnPage(done.body);
    assert.equal(recovery.length, 10);
    assert.equal(new Set(recovery).size, 10);
    assert.match(done.body, /role="status"/);
    const rows = await t.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', userId).execute();
    assert.equal(rows.length, 10);
    for (const code of recovery) assert.ok(!rows.some((r) => r.code_hash.includes(code)), 'recovery codes are stored hashed');
    assert.match(textOf((await b.get('/account')).body), /Recovery codes left: 10 of 10/);
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', userId).execute();
    assert.ok(audit.some((a) => a.action === 'two_factor.enabled'));
  });

  it('then asks for a code after the password, and makes no session until it is right', async () => {
    const before = await sessionCount(userId);
    const { b, res } = await passwordStep(email);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/two-factor');
    assert.ok(!b.cookies.has('hb_session'), 'no session yet');
    assert.equal(await sessionCount(userId), before);
    const pending = await t.db
      .selectFrom('tokens')
      .select('token_hash')
      .where('user_id', '=', userId)
      .where('purpose', '=', 'two_factor')
      .execute();
    assert.ok(pending.length >= 1);
    assert.ok(!pending.some((p) => p.token_hash === b.cookies.get('hb_2fa')), 'the pending token is stored hashed');
    assert.equal((await b.get('/account')).statusCode, 303, 'the account page still asks to sign in');

    const page = await b.get('/account/two-factor');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /autocomplete="one-time-code"/);
    const wrong = await b.post('/account/two-factor', { code: totpCode(secret, NOW + 10 * 60_000) });
    assert.equal(wrong.statusCode, 422, 'a code from ten minutes later is refused');
    assert.match(textOf(wrong.body), /That code is not right/);
    assert.equal(await sessionCount(userId), before);

    const right = await b.post('/account/two-factor', { code: totpCode(secret, NOW + 30_000) });
    assert.equal(right.statusCode, 303, 'a code one step ahead (a fast phone clock) is accepted');
    assert.equal(right.headers.location, '/account');
    assert.ok(b.cookies.has('hb_session'));
    assert.ok(!b.cookies.has('hb_2fa'), 'the pending cookie is cleared');
    assert.equal((await b.get('/account')).statusCode, 200);
    assert.equal(await sessionCount(userId), before + 1);
  });

  it('refuses a code used before, and codes of an earlier step once a later one was used', async () => {
    for (const at of [NOW + 30_000, NOW]) {
      const { b } = await passwordStep(email);
      const replay = await b.post('/account/two-factor', { code: totpCode(secret, at) });
      assert.equal(replay.statusCode, 422);
      assert.ok(!b.cookies.has('hb_session'));
    }
  });

  it('takes a recovery code once, and shows how many are left', async () => {
    const { b } = await passwordStep(email);
    const first = await b.post('/account/two-factor', { code: recovery[0]!.toUpperCase() });
    assert.equal(first.statusCode, 303, 'case does not matter');
    assert.match(textOf((await b.get('/account')).body), /Recovery codes left: 9 of 10/);
    const { b: other } = await passwordStep(email);
    assert.equal((await other.post('/account/two-factor', { code: recovery[0]! })).statusCode, 422, 'a used code is refused');
  });

  it('renews the recovery codes with the password: the old ones stop working', async () => {
    const { b } = await passwordStep(email);
    assert.equal((await b.post('/account/two-factor', { code: recovery[1]! })).statusCode, 303);
    await b.get('/account');
    assert.equal((await b.post('/account/two-factor/recovery-codes', { password: 'not my password' })).statusCode, 422);
    const renewed = await b.post('/account/two-factor/recovery-codes', { password: PASSWORD });
    assert.equal(renewed.statusCode, 200);
    const fresh = recoveryCodesOnPage(renewed.body);
    assert.equal(fresh.length, 10);
    assert.match(textOf((await b.get('/account')).body), /Recovery codes left: 10 of 10/);
    const { b: old } = await passwordStep(email);
    assert.equal((await old.post('/account/two-factor', { code: recovery[2]! })).statusCode, 422);
    recovery = fresh;
  });

  it('turns off only with the password', async () => {
    const { b } = await passwordStep(email);
    assert.equal((await b.post('/account/two-factor', { code: recovery[0]! })).statusCode, 303);
    await b.get('/account');
    const refused = await b.post('/account/two-factor/disable', { password: 'not my password' });
    assert.equal(refused.statusCode, 422);
    assert.match(textOf(refused.body), /That is not your password/);
    assert.equal((await b.post('/account/two-factor/disable', { password: PASSWORD })).statusCode, 303);
    assert.equal(await t.db.selectFrom('recovery_codes').select('id').where('user_id', '=', userId).executeTakeFirst(), undefined);
    const { res } = await passwordStep(email);
    assert.equal(res.headers.location, '/account', 'the password is enough again');
  });
});

describe('guessing codes', () => {
  it('is stopped after five wrong codes for the account, whatever the browser', async () => {
    const email = 'guess@example.org';
    const userId = await accountWithPassword(email);
    const { b: owner } = await passwordStep(email);
    const secret = secretOnPage((await owner.get('/account/two-factor/setup')).body);
    assert.equal((await owner.post('/account/two-factor/setup', { code: totpCode(secret, NOW) })).statusCode, 200);

    const right = totpCode(secret, NOW + 30_000);
    const wrongs = ['000000', '111111', '222222', '333333', '444444', '555555'].filter((c) => c !== right).slice(0, 5);
    for (const [i, code] of wrongs.entries()) {
      const { b: guesser } = await passwordStep(email);
      assert.equal((await guesser.post('/account/two-factor', { code })).statusCode, 422, `guess ${i + 1}`);
    }
    const { b: late } = await passwordStep(email);
    const refused = await late.post('/account/two-factor', { code: right });
    assert.equal(refused.statusCode, 429, 'even the right code waits once the limit is reached');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal(await sessionCount(userId), 1, 'only the owner’s session from before set-up');
  });
});

describe('the roles that must use two-factor sign-in', () => {
  async function linkFor(slug: string): Promise<{ b: Browserish; userId: string }> {
    const person = await t.db.selectFrom('people').select(['id', 'name', 'user_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    const userId = person.user_id ?? (await t.app.accounts.createVerifiedUser(`${slug}@newsroom.example`, person.name));
    if (!person.user_id) await t.db.updateTable('people').set({ user_id: userId }).where('id', '=', person.id).execute();
    const link = await t.app.accounts.signInLinkFor(userId, '/newsroom');
    const b = new Browserish(t.app);
    await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
    await b.post('/account/link', { token: new URL(link).searchParams.get('token')! }).then((res) => {
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/account/two-factor/setup', 'set-up comes right after the link');
    });
    return { b, userId };
  }

  it('asks the managing editor to set it up before any newsroom page, then shows the recovery codes once', async () => {
    const { b, userId } = await linkFor('ruth-abernethy');
    assert.ok(!b.cookies.has('hb_session'), 'no session before set-up');
    assert.equal((await b.get('/newsroom')).statusCode, 303, 'the newsroom asks to sign in');
    const page = await b.get('/account/two-factor/setup');
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Your role in the newsroom .* needs two-factor sign-in/);
    const secret = secretOnPage(page.body);
    const done = await b.post('/account/two-factor/setup', { code: totpCode(secret, NOW) });
    assert.equal(done.statusCode, 200);
    assert.equal(recoveryCodesOnPage(done.body).length, 10);
    assert.match(done.body, /href="\/newsroom"/, 'then on to where the link led');
    assert.ok(b.cookies.has('hb_session'));
    assert.equal((await b.get('/newsroom')).statusCode, 200);

    await b.get('/account');
    const refused = await b.post('/account/two-factor/disable', {});
    assert.equal(refused.statusCode, 403);
    assert.match(textOf(refused.body), /requires two-factor sign-in, so it stays on/);
    assert.notEqual(
      (await t.db.selectFrom('users').select('two_factor_enabled_at').where('id', '=', userId).executeTakeFirstOrThrow())
        .two_factor_enabled_at,
      null,
    );
  });

  it('is turned off from the command line for someone who lost their phone and codes: set-up comes again', async () => {
    const { userId } = await t.db
      .selectFrom('people')
      .select('user_id as userId')
      .where('slug', '=', 'ruth-abernethy')
      .executeTakeFirstOrThrow();
    assert.ok(userId);
    const { token } = await t.app.accounts.createSession(userId, false);
    await t.app.accounts.resetTwoFactor(userId);
    const row = await t.db
      .selectFrom('users')
      .select(['two_factor_enabled_at', 'two_factor_secret'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { two_factor_enabled_at: null, two_factor_secret: null });
    assert.equal(await t.app.accounts.viewerForSession(token), null, 'every session ended');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_name']).where('subject_id', '=', userId).execute();
    assert.ok(audit.some((a) => a.action === 'two_factor.disabled' && a.actor_name === 'command line'));
    await linkFor('ruth-abernethy');
  });

  it('sends a session made before set-up (the role came later) from the newsroom to set-up', async () => {
    const person = await t.db
      .selectFrom('people')
      .select(['id', 'name', 'user_id'])
      .where('slug', '=', 'aarav-kulkarni')
      .executeTakeFirstOrThrow();
    const userId = person.user_id ?? (await t.app.accounts.createVerifiedUser('aarav@newsroom.example', person.name));
    if (!person.user_id) await t.db.updateTable('people').set({ user_id: userId }).where('id', '=', person.id).execute();
    const { token } = await t.app.accounts.createSession(userId, false);
    const b = new Browserish(t.app);
    b.cookies.set('hb_session', token);
    const res = await b.get('/newsroom/articles');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/two-factor/setup?next=%2Fnewsroom%2Farticles');
    const json = await b.get('/newsroom', { accept: 'application/json' });
    assert.equal(json.statusCode, 403);
    assert.equal((JSON.parse(json.body) as { code: string }).code, 'two_factor_required');
    assert.equal((await b.get('/')).statusCode, 200, 'the magazine itself stays open');

    const page = await b.get('/account/two-factor/setup?next=%2Fnewsroom%2Farticles');
    const done = await b.post('/account/two-factor/setup', { code: totpCode(secretOnPage(page.body), NOW), next: '/newsroom/articles' });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /href="\/newsroom\/articles"/);
    assert.equal((await b.get('/newsroom/articles')).statusCode, 200, 'the session that set it up goes on');
  });

  it('is only offered to them when STAFF_TWO_FACTOR=optional', async () => {
    const optional = await buildTestApp({ env: { STAFF_TWO_FACTOR: 'optional' } });
    try {
      const person = await optional.db
        .selectFrom('people')
        .select(['id', 'name'])
        .where('slug', '=', 'ruth-abernethy')
        .executeTakeFirstOrThrow();
      const userId = await optional.app.accounts.createVerifiedUser('ruth@newsroom.example', person.name);
      await optional.db.updateTable('people').set({ user_id: userId }).where('id', '=', person.id).execute();
      const link = await optional.app.accounts.signInLinkFor(userId, '/newsroom');
      const b = new Browserish(optional.app);
      await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
      const res = await b.post('/account/link', { token: new URL(link).searchParams.get('token')! });
      assert.equal(res.headers.location, '/newsroom');
      assert.equal((await b.get('/newsroom')).statusCode, 200);
    } finally {
      await optional.close();
    }
  });
});
