import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles as demoArticles, editorsPick } from '../../../src/demo/content.js';
import { newId } from '../../../src/lib/ids.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ env: { PAGE_SIZE: '2' } });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const titlesIn = (html: string) => [...html.matchAll(/<h[23] class="teaser__title"><a href="\/articles\/([^"]+)">/g)].map((m) => m[1]);

describe('the section page', () => {
  const humanRights = demoArticles
    .filter((a) => a.section === 'human-rights' && a.status === 'published')
    .sort((a, b) => b.publishedAt!.localeCompare(a.publishedAt!));

  it('lists the section newest first, one page at a time', async () => {
    const res = await get('/sections/human-rights');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      titlesIn(res.body),
      humanRights.slice(0, 2).map((a) => a.slug),
    );
    assert.match(res.body, /<h1>Human Rights<\/h1>/);
    assert.match(res.body, /<a href="\/sections\/human-rights\?page=2" rel="next">/);
    const page2 = await get('/sections/human-rights?page=2');
    assert.equal(page2.statusCode, 200);
    assert.deepEqual(
      titlesIn(page2.body),
      humanRights.slice(2, 4).map((a) => a.slug),
    );
    assert.match(page2.body, /<link rel="canonical" href="http:\/\/harbinger\.test\/sections\/human-rights\?page=2"\/>/);
  });

  it('shows date, title, dek, byline line and thumbnail for each article', async () => {
    const html = (await get('/sections/human-rights')).body;
    const first = humanRights[0]!;
    const teaser = html.slice(html.indexOf('<article class="teaser">'), html.indexOf('</article>'));
    assert.match(teaser, /<picture>/);
    assert.ok(teaser.includes(`<p class="teaser__dek">`));
    assert.ok(textOf(teaser).includes(first.dek));
    assert.match(textOf(teaser), new RegExp(`\\d+ year-old .+ ${first.bylinePhrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(teaser, /<time class="teaser__date" datetime="[^"]+">\d{1,2} [A-Z][a-z]+ \d{4}<\/time>/);
    assert.match(
      teaser,
      /<a class="bookmark-link" href="\/account\/sign-up\?next=%2Farticles%2F[a-z0-9-]+&bookmark=[0-9a-f-]{36}">Bookmark/,
    );
  });

  it('describes itself as a collection page', async () => {
    const html = (await get('/sections/human-rights')).body;
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!) as {
      '@type': string;
      mainEntity: { itemListElement: unknown[] };
    };
    assert.equal(ld['@type'], 'CollectionPage');
    assert.equal(ld.mainEntity.itemListElement.length, 2);
  });

  it('shows new articles as soon as they are published', async () => {
    const section = await t.db.selectFrom('sections').select('id').where('slug', '=', 'human-rights').executeTakeFirstOrThrow();
    await get('/sections/human-rights');
    const now = new Date().toISOString();
    await t.db
      .insertInto('articles')
      .values({
        id: newId(),
        slug: 'fresh-news',
        status: 'published',
        title: 'Fresh news from the desk',
        dek: 'Just in.',
        byline_phrase: 'reports',
        section_id: section.id,
        body_json: '{"type":"doc","content":[]}',
        body_html: '',
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.app.contentVersion.bump();
    assert.equal(titlesIn((await get('/sections/human-rights')).body)[0], 'fresh-news');
  });
});

describe('4xx answers, never a 500', () => {
  for (const [url, status] of [
    ['/articles/no-such-article', 404],
    ['/sections/no-such-section', 404],
    ['/people/nobody', 404],
    ['/newsrooms/nowhere', 404],
    ['/tags/nothing', 404],
    ['/no/such/page', 404],
    ['/articles/UPPER_case', 400],
    ['/articles/%3Cscript%3E', 400],
    ['/sections/human-rights?page=0', 400],
    ['/sections/human-rights?page=-1', 400],
    ['/sections/human-rights?page=abc', 400],
    ['/sections/human-rights?page=1.5', 400],
    ['/sections/human-rights?page=1&page=2', 400],
    ['/sections/human-rights?page=99999999999999999999', 400],
    ['/sections/human-rights?page=999', 404],
    ['/people?page=50', 404],
    [`/sections/human-rights?q=${'x'.repeat(5000)}`, 414],
    [`/articles/${'a'.repeat(300)}`, 400],
    [`/articles/${'a'.repeat(3000)}`, 414],
    ['/assets/site.0000.css', 404],
    ['/media/not-a-file.jpg', 404],
    [`/media/${'0'.repeat(64)}.jpg`, 404],
  ] as const) {
    it(`${url.slice(0, 60)} → ${status}`, async () => {
      const res = await get(url);
      assert.equal(res.statusCode, status);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /<main id="main"/, 'in the site layout');
      assert.match(res.body, /<meta name="robots" content="noindex"\/>/);
    });
  }

  it('answers JSON clients with an RFC 9457 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/articles/nope', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'detail', 'status', 'title', 'type']);
    assert.equal(res.json<{ status: number }>().status, 404);
  });

  it('hides the details of a 500', async () => {
    const broken = await buildTestApp({ seed: false });
    try {
      // The home page reads the editor's pick from the settings table.
      await broken.db.schema.dropTable('settings').execute();
      const res = await broken.app.inject({ method: 'GET', url: '/' });
      assert.equal(res.statusCode, 500);
      assert.match(res.body, /Something went wrong on our side/);
      assert.doesNotMatch(res.body, /no such table|does not exist|settings/i);
    } finally {
      await broken.close();
    }
  });
});

describe('the home page', () => {
  it('shows the editor’s pick, the latest articles, the sections and a featured person', async () => {
    const html = (await get('/')).body;
    const pick = demoArticles.find((a) => a.slug === editorsPick)!;
    assert.match(html, /<h2 id="pick-heading" class="section-label">Editor’s pick<\/h2>/);
    const pickBlock = html.slice(html.indexOf('pick-heading'), html.indexOf('latest-heading'));
    assert.ok(pickBlock.includes(`href="/articles/${pick.slug}"`));
    const latest = html.slice(html.indexOf('latest-heading'), html.indexOf('home-grid__side'));
    assert.equal(titlesIn(latest).length, 7);
    assert.ok(!titlesIn(latest).includes(pick.slug), 'the pick is not repeated in the latest list');
    for (const name of ['Human Rights', 'Society', 'International Affairs', 'Culture', 'Climate'])
      assert.ok(html.includes(`>${name}</a>`), name);
    assert.match(html, /Meet the newsroom[\s\S]*<a href="\/people\/marta-quiroga">Marta Quiroga<\/a>/);
  });

  it('gives every named region its own name, so a screen reader’s landmark list tells them apart', async () => {
    const html = (await get('/')).body;
    const headings = new Map([...html.matchAll(/<h[1-6] id="([^"]+)"[^>]*>([\s\S]*?)<\/h[1-6]>/g)].map((m) => [m[1]!, textOf(m[2]!)]));
    const names = [...html.matchAll(/<(?:nav|section|aside|form|footer|header)\b[^>]*?(aria-label(?:ledby)?)="([^"]+)"/g)].map((m) =>
      m[1] === 'aria-label' ? m[2]! : (headings.get(m[2]!) ?? m[2]!),
    );
    assert.ok(names.length >= 5, `named regions: ${names.join(', ')}`);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
      `named regions: ${names.join(', ')}`,
    );
  });
});

describe('people and newsrooms', () => {
  it('shows a person with roles over time and the articles they wrote and edited', async () => {
    const html = (await get('/people/marta-quiroga')).body;
    assert.match(html, /<h1>Marta Quiroga<\/h1>/);
    assert.match(html, /<p class="profile__role">Human Rights Section Editor<\/p>/);
    const timeline = textOf(
      html.slice(html.indexOf('<ol class="timeline">'), html.indexOf('</ol>', html.indexOf('<ol class="timeline">'))),
    );
    assert.equal(
      timeline,
      'Human Rights Section Editor September 2023 – present Human Rights Correspondent February 2023 – September 2023 Contributor March 2022 – February 2023',
    );
    assert.ok(html.includes('Articles written'));
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!) as {
      mainEntity: { '@type': string; jobTitle: string };
    };
    assert.equal(ld.mainEntity['@type'], 'Person');
    assert.equal(ld.mainEntity.jobTitle, 'Human Rights Section Editor');
  });

  it('shows a former editor as former, with what she edited', async () => {
    const html = (await get('/people/elif-demirci')).body;
    assert.match(html, /<p class="profile__role">former Editor-in-chief<\/p>/);
    assert.match(html, /<p class="profile__places">Izmir, Turkey \| Edinburgh, United Kingdom<\/p>/);
    assert.ok(html.includes('Articles edited'));
    assert.ok(html.includes(`/articles/${demoArticles[0]!.slug}`));
  });

  it('shows a newsroom with its description, place, dates, members and articles', async () => {
    const html = (await get('/newsrooms/womens-rights-newsroom')).body;
    assert.match(html, /<h1>Women’s Rights Newsroom<\/h1>/);
    assert.match(html, /Active since 1 September 2023/);
    assert.match(html, /Current members/);
    assert.match(html, /Past members[\s\S]*elif-demirci/);
    assert.ok(titlesIn(html).length >= 1);
    const popUp = (await get('/newsrooms/election-year-2024')).body;
    assert.match(popUp, /Pop-up newsroom/);
    assert.match(popUp, /Active 1 March 2024 – 30 November 2024/);
  });
});

describe('assets', () => {
  it('serves fingerprinted CSS and JS as immutable, compressed', async () => {
    const html = (await get('/')).body;
    const css = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{12}\.css)"\/>/.exec(html)![1]!;
    const js = /<script src="(\/assets\/site\.[0-9a-f]{12}\.js)" defer><\/script>/.exec(html)![1]!;
    for (const url of [css, js]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(res.headers['content-encoding'], 'br');
    }
  });
});
