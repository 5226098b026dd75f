import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles as demoArticles } from '../../../src/demo/content.js';
import { docToText } from '../../../src/lib/plain-text.js';
import type { RichNode } from '../../../src/lib/rich-text.js';
import { meterDecision } from '../../../src/modules/reading/access.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';

const registered = demoArticles.find((a) => a.access === 'registered')!;
const SITE = 'http://harbinger.test';

/** Every sentence of the paragraphs after the preview. */
function gatedSentences(body: RichNode, preview: number): string[] {
  const blocks = body.content ?? [];
  let paragraphs = 0;
  const gated: string[] = [];
  for (const block of blocks) {
    if (paragraphs >= preview) gated.push(docToText(block));
    if (block.type === 'paragraph') paragraphs += 1;
  }
  return gated
    .flatMap((text) => text.split(/(?<=[.!?”])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.length > 12);
}

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

/** Runs the queued jobs (account emails go through the queue), then waits for the message. */
async function mail(to: string) {
  while ((await t.app.worker.runOnce()) > 0);
  return inbox.waitFor(to);
}

/** Opens the verification link (a page with a button) and presses the button, as a reader does. */
async function verify(b: Browserish, link: string) {
  await b.get(link.replace(SITE, ''));
  return b.post('/account/verify', { token: new URL(link).searchParams.get('token')! });
}

async function reader(): Promise<{ b: Browserish; email: string }> {
  const email = `wall-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
  const b = new Browserish(t.app);
  await b.get('/account/sign-up');
  await b.post('/account/sign-up', { email, password: 'correct horse battery', displayName: 'Wall Reader', birthYear: '2008' });
  await verify(b, inbox.linkIn(await mail(email), `${SITE}/account/verify?token=`));
  return { b, email };
}

describe('the registration wall', () => {
  it('sends an anonymous visitor the preview and the wall, and not one gated sentence', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/articles/${registered.slug}` });
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const sentences = gatedSentences(registered.body, 3);
    assert.ok(sentences.length >= 10, 'the fixture has gated text to look for');
    for (const sentence of sentences) {
      assert.ok(!html.includes(sentence), `gated sentence leaked: ${sentence}`);
      assert.ok(!textOf(html).includes(sentence), `gated sentence leaked as text: ${sentence}`);
    }
    const preview = docToText({ type: 'doc', content: registered.body.content!.slice(0, 3) }).split('\n\n')[0]!;
    assert.ok(textOf(html).includes(preview), 'the first paragraph is shown');
    assert.match(html, /<h2 id="wall-heading">Create an account to continue reading<\/h2>/);
    assert.match(html, /bookmark your favourite articles/);
    assert.match(html, /Harbinger Prize/);
    assert.match(html, /Weekly Brief/);
    assert.match(html, /<form method="post" action="\/account\/sign-up" class="wall__form"/);
    assert.match(html, /<input type="hidden" name="_csrf" value="[^"]+">/);
    assert.match(html, new RegExp(`href="/account/sign-in\\?next=%2Farticles%2F${registered.slug}"`));
    assert.equal(res.headers['cache-control'], 'private, no-store');
  });

  it('describes the gated part in structured data and keeps the description to the dek', async () => {
    const html = (await t.app.inject({ method: 'GET', url: `/articles/${registered.slug}` })).body;
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
    assert.equal(ld.isAccessibleForFree, false);
    assert.deepEqual(ld.hasPart, { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.article__gated' });
    assert.equal(ld.articleBody, undefined);
    assert.match(html, /class="wall article__gated"/);
    const og = /<meta property="og:description" content="([^"]*)"\/>/.exec(html)![1]!;
    assert.equal(
      og
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
      registered.dek,
    );
  });

  it('honours a per-article preview length', async () => {
    await t.db.updateTable('articles').set({ preview_paragraphs: 1 }).where('slug', '=', registered.slug).execute();
    await t.app.contentVersion.bump();
    try {
      const html = (await t.app.inject({ method: 'GET', url: `/articles/${registered.slug}` })).body;
      const body = html.slice(html.indexOf('<div class="prose article__body">'), html.indexOf('<section class="wall'));
      assert.equal((body.match(/<p>/g) ?? []).length, 1);
    } finally {
      await t.db.updateTable('articles').set({ preview_paragraphs: null }).where('slug', '=', registered.slug).execute();
      await t.app.contentVersion.bump();
    }
  });

  it('shows the whole article once signed up through the wall', async () => {
    const email = `through-wall-${Date.now()}@example.org`;
    const b = new Browserish(t.app);
    await b.get(`/articles/${registered.slug}`);
    const res = await b.post('/account/sign-up', {
      email,
      password: 'correct horse battery',
      displayName: 'New Reader',
      birthYear: '2008',
      next: `/articles/${registered.slug}`,
    });
    assert.equal(res.statusCode, 200);
    const link = inbox.linkIn(await mail(email), `${SITE}/account/verify?token=`);
    const verified = await verify(b, link);
    assert.equal(verified.headers.location, `/articles/${registered.slug}`);
    const full = await b.follow(verified);
    assert.equal(full.statusCode, 200);
    for (const sentence of gatedSentences(registered.body, 3)) assert.ok(textOf(full.body).includes(sentence), `missing: ${sentence}`);
    assert.doesNotMatch(full.body, /Create an account to continue reading/);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(full.body)![1]!) as { isAccessibleForFree: boolean };
    assert.equal(ld.isAccessibleForFree, true);
  });

  it('lets anonymous visitors read a few registered articles with the meter, counted in a signed cookie', async () => {
    assert.deepEqual(meterDecision([], 'a', 0, 0).allowed, false);
    const metered = await buildTestApp({ env: { WALL_FREE_ARTICLES: '1' } });
    try {
      const b = new Browserish(metered.app);
      const first = await b.get(`/articles/${registered.slug}`);
      assert.doesNotMatch(first.body, /Create an account to continue reading/);
      assert.ok(b.cookies.has('hb_meter'));
      const again = await b.get(`/articles/${registered.slug}`);
      assert.doesNotMatch(again.body, /Create an account to continue reading/, 'the same article stays open');
      await metered.db.updateTable('articles').set({ access: 'registered' }).where('slug', '=', demoArticles[1]!.slug).execute();
      await metered.app.contentVersion.bump();
      const second = await b.get(`/articles/${demoArticles[1]!.slug}`);
      assert.match(second.body, /Create an account to continue reading/, 'the allowance is used up');
      const tampered = new Browserish(metered.app);
      tampered.cookies.set('hb_meter', 'forged');
      await metered.db.updateTable('articles').set({ access: 'free' }).where('slug', '=', demoArticles[1]!.slug).execute();
      const plain = await new Browserish(metered.app).get(`/articles/${registered.slug}`);
      assert.doesNotMatch(plain.body, /Create an account to continue reading/);
    } finally {
      await metered.close();
    }
  });
});

describe('bookmarks', () => {
  it('adds, lists newest first and removes bookmarks, with plain forms', async () => {
    const { b } = await reader();
    const [a1, a2] = demoArticles.filter((a) => a.status === 'published');
    const page = await b.get(`/articles/${a1!.slug}`);
    assert.match(
      page.body,
      /<button type="submit" class="bookmark-button" name="action" value="add" aria-pressed="false">Bookmark<\/button>/,
    );
    const id1 = /name="articleId" value="([0-9a-f-]{36})"/.exec(page.body)![1]!;
    const added = await b.post('/bookmarks', { articleId: id1, action: 'add', next: `/articles/${a1!.slug}` });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, `/articles/${a1!.slug}`);
    const after = await b.get(`/articles/${a1!.slug}`);
    assert.match(after.body, /value="remove" aria-pressed="true">Bookmarked<\/button>/);

    const page2 = await b.get(`/articles/${a2!.slug}`);
    const id2 = /name="articleId" value="([0-9a-f-]{36})"/.exec(page2.body)![1]!;
    const json = await b.post('/bookmarks', { articleId: id2, action: 'add' }, { headers: { accept: 'application/json' } });
    assert.deepEqual(json.json(), { bookmarked: true });

    const list = await b.get('/account/bookmarks');
    const order = [...list.body.matchAll(/<h2 class="teaser__title"><a href="\/articles\/([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, [a2!.slug, a1!.slug]);
    const removed = await b.post('/bookmarks', { articleId: id1, action: 'remove', next: '/account/bookmarks' });
    assert.equal(removed.headers.location, '/account/bookmarks');
    const list2 = await b.get('/account/bookmarks');
    assert.ok(!list2.body.includes(`/articles/${a1!.slug}"`));
    // The article page read its bookmark state a moment ago; the removal shows at once all the same.
    const unmarked = await b.get(`/articles/${a1!.slug}`);
    assert.match(unmarked.body, /value="add" aria-pressed="false">Bookmark<\/button>/);
  });

  it('takes a visitor through sign-up and saves the bookmark they asked for', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: `/articles/${demoArticles[0]!.slug}` });
    const href = /<a class="bookmark-link" href="([^"]+)"/.exec(anonymous.body)![1]!.replace(/&amp;/g, '&');
    const params = new URL(href, SITE).searchParams;
    const email = `bookmark-${Date.now()}@example.org`;
    const b = new Browserish(t.app);
    await b.get(href);
    await b.post('/account/sign-up', {
      email,
      password: 'correct horse battery',
      displayName: 'Keeper',
      birthYear: '2008',
      next: params.get('next')!,
      bookmark: params.get('bookmark')!,
    });
    const verified = await verify(b, inbox.linkIn(await mail(email), `${SITE}/account/verify?token=`));
    assert.equal(verified.headers.location, `/articles/${demoArticles[0]!.slug}`);
    const list = await b.get('/account/bookmarks');
    assert.ok(list.body.includes(`/articles/${demoArticles[0]!.slug}"`));
  });

  it('sends a signed-out bookmark post to sign-up', async () => {
    const b = new Browserish(t.app);
    await b.get('/account/sign-in');
    const res = await b.post('/bookmarks', { articleId: '01900000-0000-7000-8000-000000000000', next: '/articles/x' });
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, /^\/account\/sign-up\?next=%2Farticles%2Fx&bookmark=/);
  });

  it('reads a long list a page at a time, newest first; an article since withdrawn keeps its place but is not shown', async () => {
    const { b, email } = await reader();
    const user = await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const published = await t.db.selectFrom('articles').select(['id', 'slug']).where('status', '=', 'published').orderBy('id').execute();
    // Every published article (up to 45) bookmarked, a minute apart: the last one saved is the newest.
    const saved = published.slice(0, 45);
    await t.db
      .insertInto('bookmarks')
      .values(saved.map((a, i) => ({ user_id: user.id, article_id: a.id, created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() })))
      .execute();
    const newestFirst = saved.map((a) => a.slug).reverse();
    const slugsOn = async (page: number) => {
      const res = await b.get(`/account/bookmarks${page > 1 ? `?page=${page}` : ''}`);
      assert.equal(res.statusCode, 200);
      return [...res.body.matchAll(/<h2 class="teaser__title"><a href="\/articles\/([^"]+)"/g)].map((m) => m[1]);
    };
    assert.deepEqual(await slugsOn(1), newestFirst.slice(0, 20));
    if (saved.length > 20) assert.deepEqual(await slugsOn(2), newestFirst.slice(20, 40));
    const pages = Math.ceil(saved.length / 20);
    assert.equal((await b.get(`/account/bookmarks?page=${pages + 1}`)).statusCode, 404);

    const withdrawn = newestFirst[1]!;
    await t.db.updateTable('articles').set({ status: 'unpublished' }).where('slug', '=', withdrawn).execute();
    try {
      assert.deepEqual(
        await slugsOn(1),
        newestFirst.slice(0, 20).filter((s) => s !== withdrawn),
      );
      if (saved.length > 20) assert.deepEqual(await slugsOn(2), newestFirst.slice(20, 40), 'the next page starts where it did');
    } finally {
      await t.db.updateTable('articles').set({ status: 'published' }).where('slug', '=', withdrawn).execute();
    }
    assert.deepEqual(await slugsOn(1), newestFirst.slice(0, 20), 'back in its place once published again');
  });

  it('shows an empty state and paginates', async () => {
    const { b } = await reader();
    const empty = await b.get('/account/bookmarks');
    assert.match(empty.body, /You have not bookmarked anything yet/);
    assert.equal((await b.get('/account/bookmarks?page=2')).statusCode, 404);
  });
});
