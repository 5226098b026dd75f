// Byline privacy: a writer (or an editor for them) chooses how the public sees
// them. Amara Nwosu, a staff writer of the demo with published articles, tags, a
// place and a portrait, chooses "first name and initial, no place, no portrait,
// age hidden"; then every public surface reachable from the home page (and the
// feeds, sitemaps, search, her profile, a newsletter issue) is crawled, and her
// surname, her places, her old address and her portrait appear nowhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { newId } from '../../../src/lib/ids.js';
import { setRedirect } from '../../../src/modules/redirects/index.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import type { Browserish } from '../../browserish.js';

let t: TestApp;
let editor: Browserish; // Aarav Kulkarni, editor-in-chief
let amaraId: string;
let portraitHash: string;
let issueNumber: number;
let amaraArticle: string; // the slug of one of her published articles

const SITE = 'http://harbinger.test';
const get = (url: string) => t.app.inject({ method: 'GET', url });

before(async () => {
  t = await buildTestApp();
  editor = await staffClient(t, 'aarav-kulkarni');
  const amara = await t.db
    .selectFrom('people')
    .select(['id', 'photo_media_id'])
    .where('slug', '=', 'amara-nwosu')
    .executeTakeFirstOrThrow();
  amaraId = amara.id;
  // Her portrait's files are named by the picture's hash.
  portraitHash = (await t.db.selectFrom('media').select('hash').where('id', '=', amara.photo_media_id!).executeTakeFirstOrThrow()).hash;
  // An issue of the Weekly Brief sent before the change, its snapshot naming her in full.
  const newsletter = await t.db.selectFrom('newsletters').select('id').where('slug', '=', 'weekly-brief').executeTakeFirstOrThrow();
  const article = await t.db
    .selectFrom('articles')
    .innerJoin('article_authors', 'article_authors.article_id', 'articles.id')
    .select(['articles.id', 'articles.slug', 'articles.title', 'articles.dek', 'articles.published_at'])
    .where('article_authors.person_id', '=', amaraId)
    .where('articles.status', '=', 'published')
    .executeTakeFirstOrThrow();
  amaraArticle = article.slug;
  // The old site's author pages, one spelling only her first name, one her full name.
  await t.db.transaction().execute(async (trx) => {
    await setRedirect(trx, { from: '/author/amara/', to: '/people/amara-nwosu', source: 'wordpress' });
    await setRedirect(trx, { from: '/author/amara-nwosu/', to: '/people/amara-nwosu?from=old', source: 'wordpress' });
  });
  const now = new Date().toISOString();
  issueNumber = 1;
  const item = {
    articleId: article.id,
    slug: article.slug,
    title: article.title,
    dek: article.dek,
    byline: '17 year-old Amara Nwosu reports from Lagos, Nigeria',
    section: null,
    publishedAt: String(article.published_at),
    picture: null,
  };
  await t.db
    .insertInto('newsletter_issues')
    .values({
      id: newId(),
      newsletter_id: newsletter.id,
      number: issueNumber,
      subject: 'This week',
      intro_json: '{"type":"doc","content":[]}',
      intro_html: '',
      items: JSON.stringify([item]),
      status: 'sent',
      scheduled_at: null,
      started_at: now,
      sent_at: now,
      recipients_count: 0,
      sent_count: 0,
      failed_count: 0,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
});
after(() => t.close());

/** The addresses on this site a page links to: links, pictures, sitemap entries, JSON urls. */
function linksIn(body: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /(?:href|src|action)="([^"]+)"/g,
    /<loc>([^<]+)<\/loc>/g,
    /"(?:url|link|id|home_page_url|feed_url)":\s*"([^"]+)"/g,
    /<link>([^<]+)<\/link>/g,
  ];
  for (const pattern of patterns)
    for (const m of body.matchAll(pattern)) {
      const raw = m[1]!.replace(/&amp;/g, '&');
      const path = raw.startsWith(SITE) ? raw.slice(SITE.length) || '/' : raw;
      if (!path.startsWith('/') || path.startsWith('//')) continue;
      found.add(path.split('#')[0]!);
    }
  return [...found];
}

/** Not crawled: the newsroom and a reader's account (not public), and binary files (pictures, assets). */
const skipped = (path: string) => /^\/(newsroom|account|assets|media)\b/.test(path) || /\/(sign-out|unsubscribe|preferences)/.test(path);

/** Every public page reachable from the seeds, up to `limit` of them. */
async function crawl(seeds: string[], limit = 700): Promise<Map<string, LightMyRequestResponse>> {
  const seen = new Map<string, LightMyRequestResponse>();
  const queue = [...seeds];
  while (queue.length > 0 && seen.size < limit) {
    const path = queue.shift()!;
    if (seen.has(path) || skipped(path)) continue;
    const res = await get(path);
    seen.set(path, res);
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof res.headers.location === 'string')
      queue.push(linksIn(`href="${res.headers.location}"`)[0] ?? '/');
    if (res.statusCode === 200) for (const link of linksIn(res.body)) if (!seen.has(link)) queue.push(link);
  }
  return seen;
}

const SEEDS = (slug: string) => [
  '/',
  '/people',
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
  '/sitemap.xml',
  '/robots.txt',
  `/people/${slug}`,
  `/people/${slug}/feed.xml`,
  `/people/${slug}/feed.json`,
  `/people/${slug}/feed.atom`,
  '/search?q=Nwosu',
  '/search?q=Amara',
  '/search?q=Lagos',
  `/newsletters/weekly-brief/issues/${issueNumber}`,
  '/newsletters/weekly-brief',
  '/author/amara/',
];

/** Every place a crawled answer names one of these: its address, its headers and its body. */
function leaks(pages: Map<string, LightMyRequestResponse>, forbidden: RegExp[]): string[] {
  const found: string[] = [];
  for (const [path, res] of pages) {
    // A search page repeats the words searched for: those are the visitor's, not the page's.
    const searched = path.startsWith('/search?') ? (new URLSearchParams(path.slice(8)).get('q') ?? '') : '';
    const body = searched ? res.body.replaceAll(searched, '') : res.body;
    for (const pattern of forbidden) {
      if (!searched && pattern.test(path)) found.push(`${path}: the address matches ${pattern}`);
      if (pattern.test(JSON.stringify(searched ? { ...res.headers, link: '' } : res.headers)))
        found.push(`${path}: a header matches ${pattern}`);
      const at = body.search(pattern);
      if (at >= 0) found.push(`${path}: ${pattern} in …${body.slice(Math.max(0, at - 80), at + 40)}…`);
    }
  }
  return found;
}

async function choose(client: Browserish, id: string, form: Record<string, string>) {
  await client.get(`/newsroom/people/${id}/byline`);
  return client.post(`/newsroom/people/${id}/byline`, form);
}

describe('byline privacy: first name and initial, no place, no portrait, no age', () => {
  let pages: Map<string, LightMyRequestResponse>;

  it('before the choice, the public sees her full name, places and age (the crawl can find them)', async () => {
    const before = await crawl(['/', `/people/amara-nwosu`], 60);
    assert.ok(leaks(before, [/Nwosu/]).length > 0);
    const profile = (await get('/people/amara-nwosu')).body;
    assert.match(profile, /Lagos, Nigeria/);
    assert.ok(profile.includes(portraitHash), 'her portrait is on her page');
    assert.match((await get('/')).body, /\d+ year-old/);
  });

  it('is saved by an editor, audited, and gives her profile an address from the shown name', async () => {
    const res = await choose(editor, amaraId, { nameShown: 'initial', penName: '', listed: '1', hideAge: '1' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/newsroom/people/${amaraId}/byline?done=moved`);
    const page = await editor.follow(res);
    assert.match(
      page.body,
      /role="status"[^>]*>\s*<p>Saved: every public page now shows the new choice, and the profile has a new address/,
    );
    assert.match(page.body, /The magazine shows “Amara N\.”/);
    const row = await t.db.selectFrom('people').selectAll().where('id', '=', amaraId).executeTakeFirstOrThrow();
    assert.equal(row.slug, 'amara-n');
    assert.deepEqual([row.name_shown, row.show_place, row.show_portrait, row.listed, row.hide_age], ['initial', 0, 0, 1, 1]);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', amaraId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(audit.action, 'person.updated');
    assert.match(audit.details, /byline name.*places shown.*portrait shown.*age on bylines.*address/);
    assert.equal(audit.actor_name, 'Aarav Kulkarni');
  });

  it('leaves the old address answering 404, with no redirect to the new one', async () => {
    const res = await get('/people/amara-nwosu');
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers.location, undefined);
    assert.doesNotMatch(res.body, /amara-n\b/);
  });

  it('takes the old site’s links along, except one whose own address spells her surname', async () => {
    const first = await get('/author/amara/');
    assert.equal(first.statusCode, 301);
    assert.match(String(first.headers.location), /\/people\/amara-n$/);
    const full = await get('/author/amara-nwosu/');
    assert.equal(full.statusCode, 404);
    assert.equal(full.headers.location, undefined);
  });

  it('names her "Amara N." on her page and her articles, without age, place or portrait', async () => {
    const person = await get('/people/amara-n');
    assert.equal(person.statusCode, 200);
    assert.match(person.body, /<title>Amara N\./);
    assert.match(person.body, /<h1>Amara N\.<\/h1>/);
    assert.match(person.body, /"@type":"Person","name":"Amara N\."/);
    const page = await get(`/articles/${amaraArticle}`);
    assert.match(page.body, /<a href="\/people\/amara-n">Amara N\.<\/a>/);
    assert.doesNotMatch(page.body, /year-old (<[^>]+>)?Amara/);
  });

  it('names neither her surname nor her places, address or portrait on any public surface', async () => {
    pages = await crawl(SEEDS('amara-n'));
    assert.ok(pages.size > 60, `the crawl reached ${pages.size} addresses`);
    for (const must of [
      '/',
      '/people',
      '/people/amara-n',
      '/feed.json',
      '/sitemaps/people.xml',
      `/newsletters/weekly-brief/issues/${issueNumber}`,
    ])
      assert.equal(pages.get(must)?.statusCode, 200, `${must} was crawled`);
    assert.ok([...pages.keys()].some((p) => p.startsWith('/articles/')) && [...pages.keys()].some((p) => p.startsWith('/tags/')));
    const found = leaks(pages, [
      /Nwosu/i,
      /Enugu/i,
      /Lagos, Nigeria/i,
      /amara-nwosu/i,
      new RegExp(portraitHash),
      /year-old (<[^>]+>)?Amara/,
    ]);
    assert.deepEqual(found, []);
  });

  it('shows the new name in the feeds, the search results, the sitemap and the newsletter issue', async () => {
    assert.match(pages.get('/feed.json')!.body, /"name":"Amara N\."/);
    assert.match(pages.get('/search?q=Amara')!.body, /Amara N\./);
    assert.match(pages.get('/sitemaps/people.xml')!.body, /\/people\/amara-n<\/loc>/);
    const issue = pages.get(`/newsletters/weekly-brief/issues/${issueNumber}`)!.body;
    assert.match(issue, /Amara N\./);
  });

  it('renders the newsletter issue (HTML and text) with the new name', async () => {
    const issue = await t.db.selectFrom('newsletter_issues').select('id').where('number', '=', issueNumber).executeTakeFirstOrThrow();
    for (const kind of ['html', 'txt']) {
      const res = await editor.get(`/newsroom/newsletters/issues/${issue.id}/preview.${kind}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Amara N\./);
      assert.doesNotMatch(res.body, /Nwosu|Lagos, Nigeria|year-old Amara/);
    }
  });

  it('still shows the real name to the newsroom', async () => {
    const desk = await editor.get('/newsroom/people');
    assert.match(desk.body, /Amara Nwosu/);
  });
});

describe('byline privacy: the form', () => {
  it('refuses a pen name left empty, keeping what was chosen, with the message beside the field', async () => {
    const res = await choose(editor, amaraId, { nameShown: 'pen', penName: '  ', showPlace: '1' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /<p class="field__error" id="field-penName-error">Enter the pen name to show/);
    assert.match(res.body, /<input id="field-nameShown-pen" type="radio" name="nameShown" value="pen" checked/);
    assert.match(res.body, /id="field-showPlace" name="showPlace" value="1" checked/);
    assert.equal(
      (await t.db.selectFrom('people').select('name_shown').where('id', '=', amaraId).executeTakeFirstOrThrow()).name_shown,
      'initial',
    );
  });

  it('refuses a post without the CSRF token', async () => {
    await editor.get(`/newsroom/people/${amaraId}/byline`);
    const res = await editor.post(`/newsroom/people/${amaraId}/byline`, { nameShown: 'full' }, { csrf: null });
    assert.equal(res.statusCode, 403);
  });

  it('lets the writer choose for herself, but not for someone else', async () => {
    const amara = await staffClient(t, 'amara-n');
    const account = await amara.get('/account');
    assert.match(account.body, new RegExp(`<a href="/newsroom/people/${amaraId}/byline">How you are shown in public</a>`));
    const own = await amara.get(`/newsroom/people/${amaraId}/byline`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /How you are shown in public/);
    const yuki = await t.db.selectFrom('people').select('id').where('slug', '=', 'yuki-hartmann').executeTakeFirstOrThrow();
    assert.equal((await amara.get(`/newsroom/people/${yuki.id}/byline`)).statusCode, 403);
    await amara.get(`/newsroom/people/${amaraId}/byline`);
    const refused = await amara.post(`/newsroom/people/${yuki.id}/byline`, { nameShown: 'initial' });
    assert.equal(refused.statusCode, 403);
    assert.equal(
      (await t.db.selectFrom('people').select('name_shown').where('id', '=', yuki.id).executeTakeFirstOrThrow()).name_shown,
      'full',
    );
  });
});

describe('byline privacy: a pen name', () => {
  it('replaces her name everywhere, first name included', async () => {
    const amara = await staffClient(t, 'amara-n');
    const res = await choose(amara, amaraId, { nameShown: 'pen', penName: 'Ada Lark', showPlace: '1', showPortrait: '1', listed: '1' });
    assert.equal(res.statusCode, 303);
    assert.equal((await get('/people/amara-n')).statusCode, 404);
    assert.equal((await get('/author/amara/')).statusCode, 404, 'the old link spelling her first name leads nowhere');
    const person = await get('/people/ada-lark');
    assert.equal(person.statusCode, 200);
    assert.match(person.body, /<h1>Ada Lark<\/h1>/);
    assert.match(person.body, /Lagos, Nigeria/, 'places are shown again');
    const pages = await crawl(SEEDS('ada-lark'));
    assert.ok(pages.size > 60);
    assert.deepEqual(leaks(pages, [/Nwosu/i, /\bAmara\b/, /amara-n/]), []);
    assert.match(pages.get('/feed.atom')!.body, /<name>Ada Lark<\/name>/);
    assert.match((await get('/')).body, /\d+ year-old <span class="byline__name">Ada Lark<\/span>/, 'her age stays on bylines');
  });

  it('puts her in the directory by her pen name, not where her real name would stand', async () => {
    const res = await choose(editor, amaraId, { nameShown: 'pen', penName: 'Zora Wren', showPlace: '1', showPortrait: '1', listed: '1' });
    assert.equal(res.statusCode, 303);
    const shown = [...(await get('/people')).body.matchAll(/<a href="\/people\/[^"]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!.trim());
    assert.ok(shown.includes('Zora Wren'), 'she is listed');
    assert.equal(shown.at(-1), 'Zora Wren', 'last, by her pen name');
    assert.equal(
      (await choose(editor, amaraId, { nameShown: 'pen', penName: 'Ada Lark', showPlace: '1', showPortrait: '1', listed: '1' })).statusCode,
      303,
    );
  });
});

describe('byline privacy: an unlisted profile', () => {
  it('is absent from the directory, the sitemap and search, and its page asks not to be indexed', async () => {
    const res = await choose(editor, amaraId, { nameShown: 'full', showPlace: '1', showPortrait: '1', hideAge: '' });
    assert.equal(res.statusCode, 303);
    assert.equal((await t.db.selectFrom('people').select('slug').where('id', '=', amaraId).executeTakeFirstOrThrow()).slug, 'amara-nwosu');
    const directory = await get('/people');
    assert.doesNotMatch(directory.body, /\/people\/amara-nwosu/);
    assert.match(directory.body, /\/people\/yuki-hartmann/);
    const sitemap = await get('/sitemaps/people.xml');
    assert.doesNotMatch(sitemap.body, /amara-nwosu/);
    assert.match(sitemap.body, /yuki-hartmann/);
    const search = await get('/search?q=Nwosu');
    assert.doesNotMatch(search.body, /href="\/people\/amara-nwosu"/);
    const page = await get('/people/amara-nwosu');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<meta name="robots" content="noindex"/);
    assert.match((await get('/')).body, /\d+ year-old <span class="byline__name">Amara Nwosu<\/span>/, 'the age is back on bylines');
  });
});
