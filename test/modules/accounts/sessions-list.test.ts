// The account page's list of sessions (device, place, when made and last seen,
// "this device"), signing out one of them with a plain form, and a new staff
// role ending the person's sessions, on every path that grants one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { todayUtc } from '../../../src/lib/dates.js';
import { parsePlaces } from '../../../src/modules/accounts/places.js';
import { describeDevice } from '../../../src/modules/accounts/two-factor.js';
import { linkStaffAccount } from '../../../src/modules/people/index.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import { signInByLink } from '../../two-factor.js';

const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

let t: TestApp;
let placesDir: string;

before(async () => {
  placesDir = mkdtempSync(join(tmpdir(), 'harbinger-places-'));
  const places = join(placesDir, 'places.csv');
  // Test clients come from 10.x.y.z addresses (test/browserish.ts).
  writeFileSync(places, '# network,place\n2001:db8::/32,Test Town\n10.0.0.0/8,Newsroom office\n');
  t = await buildTestApp({ env: { SESSION_PLACES: places } });
});
after(async () => {
  await t.close();
  rmSync(placesDir, { recursive: true, force: true });
});

async function browsersOf(email: string, agents: string[]) {
  const userId = await t.app.accounts.createVerifiedUser(email, 'Sam');
  const browsers: Browserish[] = [];
  for (const agent of agents) {
    const b = new Browserish(t.app, { 'user-agent': agent });
    assert.equal((await signInByLink(t.app, b, userId)).statusCode, 303);
    browsers.push(b);
  }
  return { userId, browsers };
}

const sessionIds = async (userId: string) =>
  (await t.db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute()).map(
    (r) => r.id,
  );

describe('the session list', () => {
  it('names each device in a few words, with the place the session began and "this device"', async () => {
    const { browsers } = await browsersOf('sam@example.org', [FIREFOX_ANDROID, SAFARI_IPHONE, CHROME_WINDOWS]);
    const page = await browsers[1]!.get('/account');
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Where you are signed in/);
    assert.match(text, /Firefox on Android · Newsroom office Signed in/);
    assert.match(text, /Safari on iPhone \(this device\) · Newsroom office/);
    assert.match(text, /Chrome on Windows · Newsroom office/);
    assert.equal(text.match(/\(this device\)/g)?.length, 1);
    assert.equal(text.match(/Sign out this session/g)?.length, 2, 'a button for each other session');
    assert.match(text, /last seen/);
    assert.ok(!page.body.includes('10.'), 'no IP address on the page');
  });

  it('signs out one session: its cookie stops working at once, the others go on', async () => {
    const { userId, browsers } = await browsersOf('kim@example.org', [FIREFOX_ANDROID, SAFARI_IPHONE, CHROME_WINDOWS]);
    const [phone, iphone, laptop] = browsers as [Browserish, Browserish, Browserish];
    const [phoneSession] = await sessionIds(userId);
    assert.equal((await phone.get('/account')).statusCode, 200, 'the phone is signed in (and its viewer cached)');
    await laptop.get('/account');
    assert.equal((await laptop.post(`/account/sessions/${phoneSession}/sign-out`, {}, { csrf: null })).statusCode, 403, 'CSRF is checked');
    const res = await laptop.post(`/account/sessions/${phoneSession}/sign-out`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?notice=session');
    const after = await laptop.follow(res);
    assert.match(textOf(after.body), /That session is signed out\./);
    assert.ok(!textOf(after.body).includes('Firefox on Android'));
    assert.equal((await phone.get('/account')).statusCode, 303, 'the signed-out cookie no longer works');
    assert.equal((await iphone.get('/account')).statusCode, 200);
    assert.equal((await laptop.get('/account')).statusCode, 200);
    assert.equal((await sessionIds(userId)).length, 2);
  });

  it('cannot end another account’s session', async () => {
    const { userId: victim, browsers } = await browsersOf('lee@example.org', [FIREFOX_ANDROID]);
    const { browsers: others } = await browsersOf('max@example.org', [CHROME_WINDOWS]);
    const [victimSession] = await sessionIds(victim);
    await others[0]!.get('/account');
    assert.equal((await others[0]!.post(`/account/sessions/${victimSession}/sign-out`, {})).statusCode, 303);
    assert.equal((await browsers[0]!.get('/account')).statusCode, 200);
    assert.deepEqual(await sessionIds(victim), [victimSession]);
  });

  it('notes "last seen" when the viewer is looked up, at most once a minute, and keeps no IP address', async () => {
    const { userId, browsers } = await browsersOf('ali@example.org', [CHROME_WINDOWS]);
    const [id] = await sessionIds(userId);
    const seen = async () =>
      new Date(
        (await t.db.selectFrom('sessions').select('last_seen_at').where('id', '=', id!).executeTakeFirstOrThrow()).last_seen_at!,
      ).toISOString();
    const longAgo = '2026-01-01T00:00:00.000Z';
    await t.db.updateTable('sessions').set({ last_seen_at: longAgo }).where('id', '=', id!).execute();
    t.app.viewerCache.clear();
    await browsers[0]!.get('/account');
    const first = await seen();
    assert.ok(first > longAgo, 'an hour-old "last seen" is written');
    const recent = new Date(Date.now() - 5_000).toISOString();
    await t.db.updateTable('sessions').set({ last_seen_at: recent }).where('id', '=', id!).execute();
    t.app.viewerCache.clear();
    await browsers[0]!.get('/account');
    assert.equal(await seen(), recent, 'seen seconds ago: nothing is written');
    const row = await t.db.selectFrom('sessions').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes('10.'), 'the session row holds no IP address');
    assert.equal(row.place, 'Newsroom office');
  });

  it('reads places and devices as documented', () => {
    const places = parsePlaces('10.0.0.0/8,Office\n2001:db8::/32,"Test Town"\nnot a network,Nowhere\n');
    assert.equal(places.placeOf('10.1.2.3'), 'Office');
    assert.equal(places.placeOf('::ffff:10.1.2.3'), 'Office');
    assert.equal(places.placeOf('2001:db8::1'), 'Test Town');
    assert.equal(places.placeOf('192.0.2.1'), null);
    assert.equal(places.placeOf(undefined), null);
    assert.equal(describeDevice(undefined), 'An unknown browser');
    assert.equal(
      describeDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'),
      'Safari on macOS',
    );
  });
});

describe('a new staff role', () => {
  let chief: Browserish;
  before(async () => {
    chief = await staffClient(t, 'aarav-kulkarni');
  });

  async function personWithAccount(slug: string) {
    const person = await t.db.selectFrom('people').select(['id', 'name', 'user_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    const userId = person.user_id ?? (await t.app.accounts.createVerifiedUser(`${slug}@newsroom.example`, person.name));
    if (!person.user_id) await t.db.updateTable('people').set({ user_id: userId }).where('id', '=', person.id).execute();
    const browsers = [new Browserish(t.app, { 'user-agent': FIREFOX_ANDROID }), new Browserish(t.app, { 'user-agent': CHROME_WINDOWS })];
    for (const b of browsers) assert.equal((await signInByLink(t.app, b, userId)).statusCode, 303);
    for (const b of browsers) assert.equal((await b.get('/account')).statusCode, 200);
    return { personId: person.id, userId, browsers };
  }

  it('given on the people desk ends the person’s sessions; a mentor then sets up two-factor sign-in at the next sign-in', async () => {
    const { personId, userId, browsers } = await personWithAccount('yuki-hartmann');
    await chief.get(`/newsroom/people/${personId}`);
    const res = await chief.post(`/newsroom/people/${personId}/roles`, { role: 'mentor', startsOn: todayUtc() });
    assert.equal(res.statusCode, 303);
    for (const b of browsers) assert.equal((await b.get('/account')).statusCode, 303, 'signed out');
    assert.equal((await chief.get('/account')).statusCode, 200, 'the editor who gave it stays signed in');
    const again = new Browserish(t.app);
    const link = await t.app.accounts.signInLinkFor(userId, '/newsroom');
    await again.get(link.replace(/^https?:\/\/[^/]+/, ''));
    const signedIn = await again.post('/account/link', { token: new URL(link).searchParams.get('token')! });
    assert.equal(signedIn.headers.location, '/account/two-factor/setup', 'a mentor must set up two-factor sign-in');
  });

  it('given back by reopening an ended role ends them too', async () => {
    const { personId, browsers } = await personWithAccount('amara-nwosu');
    const role = await t.db
      .selectFrom('role_assignments')
      .select(['id', 'starts_on'])
      .where('person_id', '=', personId)
      .where('role', '=', 'contributor')
      .executeTakeFirstOrThrow();
    await chief.get(`/newsroom/people/${personId}`);
    const res = await chief.post(`/newsroom/people/${personId}/roles/${role.id}`, {
      startsOn: String(role.starts_on).slice(0, 10),
      endsOn: '',
    });
    assert.equal(res.statusCode, 303);
    for (const b of browsers) assert.equal((await b.get('/account')).statusCode, 303, 'signed out');
  });

  it('given from the command line ends them too', async () => {
    const { userId, browsers } = await personWithAccount('farah-haddad');
    await linkStaffAccount(t.db, { userId, role: 'staff_writer', personSlug: 'farah-haddad', name: 'Farah Haddad' });
    for (const b of browsers) assert.equal((await b.get('/account')).statusCode, 303, 'signed out');
  });
});
