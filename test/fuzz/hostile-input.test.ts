// The hostile inputs that used to answer 500: JSON with numbers where a form's
// text goes, repeated fields, repeated query parameters, NUL characters, and a
// `next=` with characters above U+00FF that broke the redirect after the session
// row was written. Each answers a clear 4xx now, and nothing is half written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { newId } from '../../src/lib/ids.js';
import { databaseRefusal } from '../../src/web/error-handler.js';
import { asciiLocation } from '../../src/web/http.js';
import { Browserish } from '../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../helpers.js';
import { staffClient } from '../staff.js';
import { insertAccount } from '../readers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t.close();
});

const countSubscriptions = async () =>
  Number(
    (
      await t.db
        .selectFrom('subscriptions')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a form route sent JSON or repeated fields', () => {
  it('answers a JSON {"email":5} to the newsletter sign-up with a 400 problem, and subscribes nobody', async () => {
    const before = await countSubscriptions();
    const res = await t.app.inject({
      method: 'POST',
      url: '/newsletters/subscribe',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: JSON.stringify({ email: 5 }),
    });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const problem = res.json<{ status: number; detail: string; code: string }>();
    assert.equal(problem.status, 400);
    assert.equal(problem.code, 'invalid_input');
    assert.match(problem.detail, /“email” must be text/);
    assert.equal(await countSubscriptions(), before);
  });

  it('answers an HTML page naming the field when a browser-style post repeats a one-value field', async () => {
    const before = await countSubscriptions();
    const res = await t.app.inject({
      method: 'POST',
      url: '/newsletters/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'email=a%40example.org&email=b%40example.org',
    });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(textOf(res.body), /The field “email” was sent more than once; it takes one value\./);
    assert.equal(await countSubscriptions(), before);
  });

  it('refuses a JSON body that is not an object (null) on a form route with 400, not a crash', async () => {
    for (const url of ['/account/link', '/account/reset/new', '/newsletters/subscribe']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        payload: 'null',
      });
      assert.equal(res.statusCode, 400, url);
    }
  });

  it('refuses a repeated query parameter where one is expected, on a page and on a write, and answers 404 to a NUL in an address', async () => {
    const staff = await staffClient(t, 'aarav-kulkarni');
    const repeated = await staff.get('/newsroom/articles?q=Kestria&q=zzzz');
    assert.equal(repeated.statusCode, 400);
    assert.match(textOf(repeated.body), /The field “q” was sent more than once; it takes one value\./);
    assert.equal((await staff.get('/newsroom/articles?q=Kestria')).statusCode, 200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/newsletters/subscribe?email=a%40example.org&email=b%40example.org',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=c%40example.org',
    });
    assert.equal(write.statusCode, 400);
    assert.match(textOf(write.body), /“email” was sent more than once/);
    // The error page keeps a signed-in writer's own navigation.
    const refusedTwice = await t.app.inject({
      method: 'POST',
      url: '/newsroom/articles',
      remoteAddress: staff.remoteAddress,
      headers: { cookie: [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(staff.csrf)}&title=a&title=b`,
    });
    assert.equal(refusedTwice.statusCode, 400);
    assert.match(refusedTwice.body, /href="\/newsroom"/);
    assert.doesNotMatch(refusedTwice.body, />\s*Create account\s*</);
    assert.equal((await t.app.inject({ method: 'GET', url: '/people/a%00b' })).statusCode, 404);
  });

  it('saves typed text without the NUL characters PostgreSQL cannot store', async () => {
    const staff = await staffClient(t, 'amara-nwosu');
    await staff.get('/account');
    const res = await staff.post('/account/profile', { displayName: 'Ama\u0000ra N.' });
    assert.equal(res.statusCode, 303);
    const person = await t.db.selectFrom('people').select('user_id').where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow();
    const user = await t.db.selectFrom('users').select('display_name').where('id', '=', person.user_id!).executeTakeFirstOrThrow();
    assert.equal(user.display_name, 'Amara N.');
  });

  it('still takes the lists the forms send: several authors for an article', async () => {
    const staff = await staffClient(t, 'aarav-kulkarni');
    const me = await t.db.selectFrom('people').select('id').where('slug', '=', 'aarav-kulkarni').executeTakeFirstOrThrow();
    const other = await t.db.selectFrom('people').select('id').where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow();
    const section = await t.db.selectFrom('sections').select('id').limit(1).executeTakeFirstOrThrow();
    await staff.get('/newsroom/articles/new');
    const created = await staff.post('/newsroom/articles', { title: 'Two writers, one story', sectionId: section.id });
    assert.equal(created.statusCode, 303);
    const editorUrl = String(created.headers.location);
    const editor = await staff.get(editorUrl);
    assert.equal(editor.statusCode, 200);
    // The editor's form as a browser sends it, with two authors chosen.
    const form = /<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g;
    const fields: [string, string][] = [];
    for (const match of editor.body.matchAll(form)) {
      if (match[1] !== editorUrl) continue;
      for (const input of match[2]!.matchAll(/<(input|textarea)\b([^>]*)>([^<]*)/g)) {
        const name = /\bname="([^"]+)"/.exec(input[2]!)?.[1];
        const type = /\btype="([^"]+)"/.exec(input[2]!)?.[1] ?? '';
        if (
          !name ||
          ['authorIds', 'editorIds', 'submit', 'button'].includes(name) ||
          ['submit', 'button', 'checkbox', 'radio', 'file'].includes(type)
        )
          continue;
        fields.push([name, input[1] === 'textarea' ? input[3]! : (/\bvalue="([^"]*)"/.exec(input[2]!)?.[1] ?? '')]);
      }
    }
    const sent = new URLSearchParams([
      ...fields.filter(([n]) => n !== 'sectionId' && n !== 'bodyText'),
      ['sectionId', section.id],
      ['authorIds', me.id],
      ['authorIds', other.id],
      ['bodyText', 'A paragraph they wrote together.'],
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: editorUrl,
      remoteAddress: staff.remoteAddress,
      headers: { cookie: [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: sent.toString(),
    });
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    const id = editorUrl.split('/').pop()!;
    const authors = await t.db.selectFrom('article_authors').select('person_id').where('article_id', '=', id).execute();
    assert.deepEqual(authors.map((a) => a.person_id).sort(), [me.id, other.id].sort());
  });
});

describe('a next= with characters above U+00FF', () => {
  async function passwordAccount(email: string): Promise<string> {
    return insertAccount(t, email, { name: 'Zoë', password: 'correct horse battery' });
  }
  const sessionsOf = async (userId: string) => t.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();

  for (const [label, next, encoded] of [
    ['a euro sign', '/sections/€uro', '/sections/%E2%82%ACuro'],
    ['an emoji', '/search?q=😀', '/search?q=%F0%9F%98%80'],
    ['an accented letter', '/people/zoë', '/people/zo%C3%AB'],
  ] as const) {
    it(`signs in with ${label} in next: a redirect HTTP allows, one complete session`, async () => {
      const email = `next-${encoded.length}-${label.length}@example.org`;
      const userId = await passwordAccount(email);
      const b = new Browserish(t.app);
      const page = await b.get(`/account/sign-in?next=${encodeURIComponent(next)}`);
      assert.equal(page.statusCode, 200);
      const res = await b.post('/account/sign-in', { email, password: 'correct horse battery', next });
      assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 200));
      assert.equal(res.headers.location, encoded);
      assert.ok(b.cookies.has('hb_session'), 'the session cookie is set');
      assert.equal((await sessionsOf(userId)).length, 1, 'one session row, and it is the one the cookie names');
      const account = await b.get('/account');
      assert.equal(account.statusCode, 200, 'the session works');

      // Already signed in, the sign-in page sends the visitor on to the same place.
      const again = await b.get(`/account/sign-in?next=${encodeURIComponent(next)}`);
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, encoded);
    });
  }

  it('leaves no session behind when the sign-in fails, whatever the next', async () => {
    const email = 'next-wrong@example.org';
    const userId = await passwordAccount(email);
    const b = new Browserish(t.app);
    await b.get('/account/sign-in');
    const res = await b.post('/account/sign-in', { email, password: 'not the password', next: '/€😀' });
    assert.equal(res.statusCode, 401);
    assert.equal((await sessionsOf(userId)).length, 0);
  });

  it('encodes every character outside printable ASCII, lone surrogates included', () => {
    assert.equal(asciiLocation('/a b/€?x=é#ü'), '/a%20b/%E2%82%AC?x=%C3%A9#%C3%BC');
    assert.equal(asciiLocation('/x\ud800y'), '/x%EF%BF%BDy');
    assert.equal(asciiLocation('/already%20encoded?q=1'), '/already%20encoded?q=1');
  });
});

describe('the database refusing what was sent', () => {
  it('is a 409 for a reference to a missing row and a duplicate, not a 500', async () => {
    let refused: unknown;
    try {
      await t.db
        .insertInto('sessions')
        .values({
          id: newId(),
          token_hash: 'x',
          user_id: newId(),
          persistent: 0,
          created_at: new Date().toISOString(),
          expires_at: new Date().toISOString(),
        })
        .execute();
    } catch (error) {
      refused = error;
    }
    assert.ok(refused, 'the foreign key is enforced');
    assert.equal(databaseRefusal(refused)?.status, 409);

    const section = await t.db.selectFrom('sections').selectAll().limit(1).executeTakeFirstOrThrow();
    let duplicate: unknown;
    try {
      await t.db
        .insertInto('sections')
        .values({ ...section })
        .execute();
    } catch (error) {
      duplicate = error;
    }
    assert.ok(duplicate, 'the primary key is enforced');
    assert.equal(databaseRefusal(duplicate)?.status, 409);
    assert.equal(databaseRefusal(new Error('boom')), null);
  });
});
