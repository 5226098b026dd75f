// Durability of what the site said it saved: the real server (`harbinger serve`,
// NODE_ENV=production, on a SQLite file or a PostgreSQL database of its own)
// takes a concurrent stream of writes — a staff writer creating and saving
// articles through the newsroom's forms (with CSRF), visitors signing up,
// visitors subscribing to the newsletter — and is killed with SIGKILL (no
// shutdown, as a crash or the out-of-memory killer would) in the middle of it,
// at three points. After each restart on the same database every write that was
// answered with success (the form's 303, or the "check your email" page) is
// there: the rows in the database, and the writer's articles in the newsroom.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { articleFormFields } from '../forms.js';
import { Browser, type Answer } from '../http-browser.js';
import { Site } from './site.js';

/** Writes answered with success, by kind, to look for after the restart. */
interface Acknowledged {
  /** Article id → the titles it may have now: the last one answered 303, and one sent after it with no answer. */
  articles: Map<string, { acknowledged: string; maybe: string | null }>;
  signUps: string[];
  subscriptions: string[];
}

let addresses = 0;
/** A visitor from an address of its own (the server trusts X-Forwarded-For here). */
const visitor = () => {
  const n = ++addresses;
  return new Browser(() => ({ 'x-forwarded-for': `10.77.${n >> 8}.${n & 255}` }));
};
const unique = () => randomBytes(4).toString('hex');

const site = new Site();
let writer: Browser;
let sectionId = '';
const done: Acknowledged = { articles: new Map(), signUps: [], subscriptions: [] };

before(async () => {
  await site.open();
  sectionId = (await site.db.selectFrom('sections').select('id').orderBy('name').executeTakeFirstOrThrow()).id;
});
after(() => site.close());

/**
 * Sends writes from five concurrent clients until the server stops answering, recording each one answered with success. Any other
 * answer fails the test: the server was healthy until it was killed.
 */
function writeUntil(base: string, acknowledged: (kind: keyof Acknowledged) => void): { finished: Promise<void> } {
  let stopped = false;
  const ok = (res: Answer, status: number, kind: keyof Acknowledged, what: string) => {
    assert.equal(res.status, status, `${what}: ${res.text.slice(0, 300)}`);
    acknowledged(kind);
  };
  const articles = async () => {
    for (; !stopped;) {
      await writer.get(base, '/newsroom/articles/new');
      const title = `Durable ${unique()}`;
      const created = await writer.post(base, '/newsroom/articles', { title, sectionId });
      const id = /\/newsroom\/articles\/([^/?]+)/.exec(created.location ?? '')?.[1];
      assert.ok(id, `created: ${created.status} ${created.text.slice(0, 300)}`);
      done.articles.set(id, { acknowledged: title, maybe: null });
      ok(created, 303, 'articles', 'an article is created');
      for (let save = 0; save < 2 && !stopped; save++) {
        const form = await writer.get(base, `/newsroom/articles/${id}`);
        const next = `Saved ${save} ${unique()}`;
        const fields = articleFormFields(form.text).map(([n, v]): [string, string] => [n, n === 'title' ? next : v]);
        const entry = done.articles.get(id)!;
        entry.maybe = next;
        const saved = await writer.post(base, `/newsroom/articles/${id}`, fields);
        done.articles.set(id, { acknowledged: next, maybe: null });
        ok(saved, 303, 'articles', 'an article is saved');
      }
    }
  };
  const signUps = async () => {
    for (; !stopped;) {
      const reader = visitor();
      await reader.get(base, '/account/sign-up');
      const email = `reader-${unique()}@example.org`;
      const res = await reader.post(base, '/account/sign-up', {
        email,
        displayName: 'Durable Reader',
        password: 'a long enough password',
        birthYear: '2008',
      });
      done.signUps.push(email);
      ok(res, 200, 'signUps', 'a sign-up is answered');
    }
  };
  const subscriptions = async () => {
    for (; !stopped;) {
      const email = `subscriber-${unique()}@example.org`;
      const res = await visitor().post(base, '/newsletters/subscribe', { newsletter: '', email, website: '' });
      done.subscriptions.push(email);
      ok(res, 200, 'subscriptions', 'a subscription is answered');
    }
  };
  // A request cut by the kill rejects (the connection is reset or refused): that loop ends there.
  const run = (loop: () => Promise<void>) =>
    loop().catch((err: unknown) => {
      if (err instanceof assert.AssertionError) throw err;
      stopped = true;
    });
  const loops = [articles, articles, signUps, subscriptions, subscriptions];
  return { finished: Promise.all(loops.map(run)).then(() => undefined) };
}

async function assertAllThere(base: string): Promise<void> {
  const ids = [...done.articles.keys()];
  const rows = ids.length ? await site.db.selectFrom('articles').select(['id', 'title']).where('id', 'in', ids).execute() : [];
  const titles = new Map(rows.map((r) => [r.id, r.title]));
  for (const [id, { acknowledged, maybe }] of done.articles) {
    const title = titles.get(id);
    assert.ok(title === acknowledged || title === maybe, `article ${id} has the title it was saved with (${acknowledged}), not ${title}`);
    const page = await writer.get(base, `/newsroom/articles/${id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(title), `the newsroom shows article ${id} as saved`);
  }
  // Each subscription with the job that mails its confirmation link (queued in the same transaction).
  const subscribed = new Map((await site.db.selectFrom('subscriptions').select(['email', 'id']).execute()).map((r) => [r.email, r.id]));
  const mails = (await site.db.selectFrom('jobs').select('payload').where('kind', '=', 'newsletter_mail').execute()).map((r) => r.payload);
  for (const email of done.subscriptions) {
    const id = subscribed.get(email);
    assert.ok(id, `the subscription of ${email} is there`);
    assert.ok(
      mails.some((p) => p.includes(`"${id}"`)),
      `the confirmation email of ${email} is queued`,
    );
  }
  // A sign-up makes its account in the worker (so the page never tells whether the address had one): the job, or the account.
  const users = new Set((await site.db.selectFrom('users').select('email').execute()).map((r) => r.email));
  const payloads = (await site.db.selectFrom('jobs').select('payload').where('kind', '=', 'account_email').execute()).map((r) => r.payload);
  for (const email of done.signUps) {
    assert.ok(users.has(email) || payloads.some((p) => p.includes(`"${email}"`)), `the sign-up of ${email} is there`);
  }
}

test('every write answered with success is there after the server is killed in the middle of a stream of writes', async () => {
  const link = site.writerLink();
  let { server, base } = await site.serve();
  writer = await site.signIn(base, await link);
  // Killed once every kind of write was answered and so many in all: early, then warm.
  for (const killAfter of [3, 12]) {
    const answered = { articles: 0, signUps: 0, subscriptions: 0 };
    let reached!: () => void;
    const enough = new Promise<void>((resolve) => (reached = resolve));
    const load = writeUntil(base, (kind) => {
      answered[kind]++;
      if (Object.values(answered).every((n) => n > 0) && answered.articles + answered.signUps + answered.subscriptions >= killAfter)
        reached();
    });
    await Promise.race([enough, load.finished]);
    await server.kill();
    await load.finished;
    assert.ok(
      Object.values(answered).every((n) => n > 0),
      `every kind of write was answered before the kill:\n${server.output}`,
    );

    ({ server, base } = await site.serve({}, 'the restarted server'));
    await assertAllThere(base);
    assert.deepEqual(server.watched, [], 'no request failed');
  }
});
