// Per-address rate limits (an attacker with many IPs still gets ten tries at one
// account) and the accounts routes' answers to malformed bodies and queries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../../src/lib/ids.js';
import { hashPassword } from '../../../src/modules/accounts/index.js';
import { deleteExpiredKeyLimits, KeyLimiter, RateLimitedError } from '../../../src/web/key-limit.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ seed: false });
});
after(async () => {
  await t.close();
});

const PASSWORD = 'correct horse battery';
let n = 0;

async function account(): Promise<string> {
  const email = `limited${++n}-${Date.now()}@example.org`;
  const now = new Date().toISOString();
  await t.db
    .insertInto('users')
    .values({
      id: newId(),
      email,
      email_verified_at: now,
      password_hash: await hashPassword(PASSWORD),
      display_name: 'Limited',
      birth_year: 2008,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return email;
}

/** A client from an address of its own (Browserish picks a new one each time). */
async function fromNewAddress(path: string): Promise<Browserish> {
  const b = new Browserish(t.app);
  await b.get(path);
  return b;
}

describe('per-address limits, whatever the client address', () => {
  it('answers 429 after 10 failed sign-ins for one address from 10 IPs, even with the right password', async () => {
    const email = await account();
    const addresses = new Set<string>();
    for (let i = 1; i <= 10; i++) {
      const b = await fromNewAddress('/account/sign-in');
      addresses.add(b.remoteAddress);
      const res = await b.post('/account/sign-in', { email, password: `wrong password ${i}` });
      assert.equal(res.statusCode, 401, `attempt ${i}`);
    }
    assert.equal(addresses.size, 10, 'ten client addresses');
    const b = await fromNewAddress('/account/sign-in');
    const locked = await b.post('/account/sign-in', { email: email.toUpperCase(), password: PASSWORD });
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /too many failed sign-ins for this email address/);
    assert.match(locked.body, /wait 15 minutes/);
    assert.ok(Number(locked.headers['retry-after']) > 800, 'Retry-After in seconds');
    assert.equal(b.cookies.has('hb_session'), false);

    // Another address from the same client is not affected.
    const other = await account();
    assert.equal((await b.post('/account/sign-in', { email: other, password: PASSWORD })).statusCode, 303);
  });

  it('a successful sign-in clears the count', async () => {
    const email = await account();
    for (let i = 1; i <= 9; i++)
      await (await fromNewAddress('/account/sign-in')).post('/account/sign-in', { email, password: 'wrong password!' });
    assert.equal(
      (await (await fromNewAddress('/account/sign-in')).post('/account/sign-in', { email, password: PASSWORD })).statusCode,
      303,
    );
    for (let i = 1; i <= 9; i++) {
      assert.equal(
        (await (await fromNewAddress('/account/sign-in')).post('/account/sign-in', { email, password: 'wrong password!' })).statusCode,
        401,
      );
    }
  });

  for (const path of ['/account/reset', '/account/sign-in/link']) {
    it(`limits ${path} to 5 emails an hour per address, with or without an account`, async () => {
      for (const email of [await account(), `nobody${++n}@example.org`]) {
        for (let i = 1; i <= 5; i++)
          assert.equal((await (await fromNewAddress(path)).post(path, { email })).statusCode, 200, `${email} ${i}`);
        const refused = await (await fromNewAddress(path)).post(path, { email });
        assert.equal(refused.statusCode, 429);
        assert.match(refused.body, /Too many attempts/);
        assert.match(refused.body, /Wait (\d+ minutes|an hour|60 minutes)/);
      }
      const jobs = await t.db.selectFrom('jobs').select('payload').where('kind', '=', 'account_email').execute();
      assert.ok(jobs.length > 0);
    });
  }

  it('counts in the database, so every app server shares the count', async () => {
    const a = new KeyLimiter(t.db, { scope: 'test', max: 2, windowMs: 60_000 });
    const b = new KeyLimiter(t.db, { scope: 'test', max: 2, windowMs: 60_000 });
    await a.hit('Someone@Example.org');
    await b.hit('someone@example.org');
    await assert.rejects(a.hit('someone@example.org'), RateLimitedError);
    await assert.rejects(b.assertOpen('someone@example.org'), RateLimitedError);
    // A new window starts afresh.
    await b.hit('someone@example.org', Date.now() + 61_000);
    const rows = await t.db.selectFrom('key_limits').selectAll().execute();
    assert.ok(
      rows.every((r) => !r.key.includes('someone')),
      'keys are stored hashed',
    );
    // The hourly maintenance deletes the counters whose window has ended.
    assert.ok((await deleteExpiredKeyLimits(t.db, Date.now() + 2 * 3_600_000)) >= rows.length);
    assert.equal((await t.db.selectFrom('key_limits').select('key').execute()).length, 0);
  });
});

describe('malformed input to the accounts routes', () => {
  const forms = [
    ['/account/sign-up', '/account/sign-up'],
    ['/account/sign-in', '/account/sign-in'],
    ['/account/sign-in/link', '/account/sign-in/link'],
    ['/account/reset', '/account/reset'],
    ['/account/reset/new', '/account/reset'],
    ['/account/link', '/account/sign-in'],
    ['/account/verify', '/account/sign-in'],
  ] as const;

  it('answers JSON bodies with wrong types, arrays and bare values with 400 or 422, never 500', async () => {
    for (const [path, formPage] of forms) {
      const b = await fromNewAddress(formPage);
      const headers = {
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': b.csrf,
      };
      const bodies = [
        { email: 5, password: ['a', 'b'], displayName: { x: 1 }, birthYear: true, token: 12345, next: 7, bookmark: ['x'], remember: 1 },
        [1, 2, 3],
        '"just a string"',
        'null',
      ];
      for (const body of bodies) {
        const res = await t.app.inject({
          method: 'POST',
          url: path,
          remoteAddress: b.remoteAddress,
          headers,
          payload: typeof body === 'string' ? body : JSON.stringify(body),
        });
        assert.ok([400, 422].includes(res.statusCode), `${path} ${JSON.stringify(body)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/, `${path}: a problem for a JSON client`);
        assert.ok(res.json<{ detail: string }>().detail.length > 10, 'with a message');
      }
    }
  });

  it('answers repeated form fields with 400 or 422 and keeps what was typed on the form', async () => {
    for (const [path, formPage] of forms) {
      const b = await fromNewAddress(formPage);
      const payload = `_csrf=${encodeURIComponent(b.csrf)}&email=a%40example.org&email=b%40example.org&password=x&password=y&token=a&token=b&displayName=Kim&birthYear=2008`;
      const res = await t.app.inject({
        method: 'POST',
        url: path,
        remoteAddress: b.remoteAddress,
        headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      assert.ok([400, 422].includes(res.statusCode), `${path}: ${res.statusCode}`);
      assert.match(String(res.headers['content-type']), /text\/html/);
      if (path === '/account/sign-up' && res.statusCode === 422) assert.match(res.body, /value="Kim"/, 'the name typed is kept');
    }
  });

  it('answers repeated or odd query parameters on the link pages with 400', async () => {
    for (const url of [
      '/account/verify?token=a&token=b',
      '/account/link?token[x]=1',
      '/account/reset/new?token=',
      '/account/email/confirm?token=a&token=b',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 400, url);
    }
    const email = await account();
    const b = await fromNewAddress('/account/sign-in');
    await b.post('/account/sign-in', { email, password: PASSWORD });
    for (const url of ['/account?notice=constructor', '/account?notice=a&notice=b', '/account?notice=__proto__']) {
      const res = await b.get(url);
      assert.ok([200, 400].includes(res.statusCode), url);
      assert.doesNotMatch(res.body, /function Object|\[native code\]/);
    }
  });

  it('refuses a non-text deletion confirmation without deleting', async () => {
    const email = await account();
    const b = await fromNewAddress('/account/sign-in');
    await b.post('/account/sign-in', { email, password: PASSWORD });
    await b.get('/account/delete');
    const res = await t.app.inject({
      method: 'POST',
      url: '/account/delete',
      remoteAddress: b.remoteAddress,
      headers: {
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        'x-csrf-token': b.csrf,
      },
      payload: JSON.stringify({ password: 12345, confirm: ['DELETE'] }),
    });
    assert.ok([400, 422].includes(res.statusCode), String(res.statusCode));
    assert.ok(await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), 'the account is still there');
  });
});
