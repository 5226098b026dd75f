import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles as demoArticles, people as demoPeople } from '../../../src/demo/content.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';

const anatomy = demoArticles[0]!;

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

async function get(url: string) {
  return t.app.inject({ method: 'GET', url });
}

/** Index of the first match of a pattern, failing the test when absent. */
function at(html: string, pattern: RegExp | string, what: string): number {
  const i = typeof pattern === 'string' ? html.indexOf(pattern) : html.search(pattern);
  assert.ok(i >= 0, `expected ${what} on the page`);
  return i;
}

describe('the article page', () => {
  it('shows the anatomy of the magazine page, in order', async () => {
    const res = await get(`/articles/${anatomy.slug}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    const html = res.body;
    const main = html.slice(html.indexOf('<main'));

    const hero = at(main, /<figure class="article__hero"><picture>/, 'the hero figure');
    const alt = at(main, `alt="${anatomy.hero.alt}"`, 'the hero alt text');
    const caption = at(main, /<figcaption[^>]*><span class="article__caption">/, 'the caption');
    const credit = at(main, `Picture by: ${anatomy.hero.creditCreator} | ${anatomy.hero.creditSource}`, 'the credit');
    const h1 = at(main, '<h1>', 'the headline');
    const byline = at(main, '<p class="byline">', 'the byline');
    const dek = at(main, '<p class="dek">', 'the dek');
    const body = at(main, '<div class="prose article__body">', 'the body');
    const written = at(main, 'Written by:', 'the author cards');
    const edited = at(main, 'Edited by:', 'the editor cards');
    const copy = at(main, 'data-copy-link=', 'the copy-link control');
    const date = at(main, 'Published <time datetime="2024-02-02T09:00:00.000Z">2 February 2024</time>', 'the date');
    const section = at(main, '</time> in <a href="/sections/human-rights">Human Rights</a>', 'the section link');
    const tags = at(main, '<ul class="tags"', 'the tags');
    const order = [hero, alt, caption, credit, h1, byline, dek, body, written, edited, copy, date, section, tags];
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'elements appear in the documented order',
    );

    const figcaption = main.slice(caption, main.indexOf('</figcaption>', caption));
    assert.equal(textOf(figcaption), `${anatomy.hero.caption} Picture by: ${anatomy.hero.creditCreator} | ${anatomy.hero.creditSource}`);
    assert.equal(textOf(main.slice(h1, main.indexOf('</h1>', h1))), anatomy.title);
    assert.equal(textOf(main.slice(byline, main.indexOf('</p>', byline))), `16 year-old Marta Quiroga ${anatomy.bylinePhrase}`);
    assert.equal(textOf(main.slice(dek, main.indexOf('</p>', dek))), anatomy.dek);
  });

  it('renders the body with its repeated subheading, quotes and links', async () => {
    const html = (await get(`/articles/${anatomy.slug}`)).body;
    const bodyHtml = html.slice(html.indexOf('<div class="prose article__body">'), html.indexOf('<section class="credits"'));
    assert.equal((bodyHtml.match(/<h2>What happens next\?<\/h2>/g) ?? []).length, 2);
    assert.match(bodyHtml, /<blockquote><p>/);
    assert.match(bodyHtml, /<a href="https:\/\/example\.org[^"]*" rel="noopener noreferrer nofollow">/);
    const words = textOf(bodyHtml).split(' ').length;
    assert.ok(words > 1100 && words < 1350, `about 1,200 words, got ${words}`);
  });

  it('credits the writer with her current role and the editor with her former one', async () => {
    const html = (await get(`/articles/${anatomy.slug}`)).body;
    const written = html.slice(html.indexOf('Written by:'), html.indexOf('Edited by:'));
    assert.match(written, /<a href="\/people\/marta-quiroga">Marta Quiroga<\/a>/);
    assert.match(written, /<p class="person-card__role">Human Rights Section Editor<\/p>/);
    assert.match(written, /<p class="person-card__places">Buenos Aires, Argentina<\/p>/);
    assert.match(written, /<p class="person-card__languages">Marta speaks Spanish, English and Portuguese\.<\/p>/);
    assert.match(written, /<div class="person-card__bio"><p>/);
    const edited = html.slice(html.indexOf('Edited by:'), html.indexOf('data-copy-link'));
    assert.match(edited, /<p class="person-card__role">former Editor-in-chief<\/p>/);
    assert.match(edited, /<p class="person-card__places">Izmir, Turkey \| Edinburgh, United Kingdom<\/p>/);
  });

  it('names both authors of a co-authored article with their ages', async () => {
    const coAuthored = demoArticles.find((a) => a.authors.length === 2)!;
    const html = (await get(`/articles/${coAuthored.slug}`)).body;
    const byline = html.slice(html.indexOf('<p class="byline">'));
    assert.equal(
      textOf(byline.slice(0, byline.indexOf('</p>'))),
      `16 year-old Amara Nwosu and 16 year-old Yuki Hartmann ${coAuthored.bylinePhrase}`,
    );
  });

  it('gives the leap-day author her age on 28 February of a common year', async () => {
    const article = demoArticles.find((a) => a.publishedAt === '2025-02-28T12:00:00.000Z')!;
    const html = (await get(`/articles/${article.slug}`)).body;
    assert.match(html, /<p class="byline">16 year-old <a class="byline__name" href="\/people\/yuki-hartmann">Yuki Hartmann<\/a>/);
  });

  it('keeps the age frozen at publication when the birth date is corrected later', async () => {
    await t.db.updateTable('people').set({ birth_date: '2000-01-01' }).where('slug', '=', 'marta-quiroga').execute();
    await t.app.contentVersion.bump();
    const html = (await get(`/articles/${anatomy.slug}`)).body;
    assert.match(html, /<p class="byline">16 year-old <a/);
    await t.db.updateTable('people').set({ birth_date: '2007-06-14' }).where('slug', '=', 'marta-quiroga').execute();
  });

  it('offers the link to copy, readable without JavaScript', async () => {
    const html = (await get(`/articles/${anatomy.slug}`)).body;
    const url = `http://harbinger.test/articles/${anatomy.slug}`;
    assert.ok(html.includes(`<div class="copy-link" data-copy-link="${url}">`));
    assert.ok(html.includes(`<input id="copy-link-url" type="url" readonly value="${url}"/>`));
    assert.match(html, /<p class="copy-link__status" role="status" aria-live="polite"><\/p>/);
    assert.match(html, /<button type="button" class="button" hidden>Copy link<\/button>/);
  });

  it('describes itself to search engines and social networks', async () => {
    const html = (await get(`/articles/${anatomy.slug}`)).body;
    assert.match(html, /^<!doctype html><html lang="en-GB">/);
    assert.ok(html.includes(`<link rel="canonical" href="http://harbinger.test/articles/${anatomy.slug}"/>`));
    assert.ok(html.includes('<meta property="og:type" content="article"/>'));
    assert.match(html, /<meta property="og:image" content="http:\/\/harbinger\.test\/media\/[0-9a-f]{64}-1600\.jpg"\/>/);
    assert.match(html, /<meta name="twitter:card" content="summary_large_image"\/>/);
    assert.match(html, /<a class="skip-link" href="#main">/);
    assert.match(html, /<main id="main"/);
    const block = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html);
    assert.ok(block, 'JSON-LD is present');
    const ld = JSON.parse(block[1]!) as {
      '@type': string;
      headline: string;
      datePublished: string;
      author: { name: string }[];
      publisher: { name: string };
      isAccessibleForFree: boolean;
      image: { url: string }[];
    };
    assert.equal(ld['@type'], 'NewsArticle');
    assert.equal(ld.headline, anatomy.title);
    assert.equal(ld.datePublished, anatomy.publishedAt);
    assert.deepEqual(
      ld.author.map((a) => a.name),
      ['Marta Quiroga'],
    );
    assert.equal(ld.publisher.name, 'The Harbinger');
    assert.equal(ld.isAccessibleForFree, true);
    assert.ok(ld.image[0]!.url.startsWith('http://harbinger.test/media/'));
  });

  it('serves pictures in modern formats with sizes and lazy loading below the fold', async () => {
    const html = (await get(`/articles/${anatomy.slug}`)).body;
    assert.match(html, /<source type="image\/avif" srcset="\/media\/[0-9a-f]{64}-480\.avif 480w, /);
    assert.match(
      html,
      /<img src="[^"]+" srcset="[^"]+" sizes="[^"]+" width="1600" height="1000" alt="[^"]+" loading="eager" decoding="sync" fetchpriority="high"\/>/,
    );
    assert.match(html, /alt="Portrait of Marta Quiroga" loading="lazy"/);
    const file = /\/media\/([0-9a-f]{64}-480\.avif)/.exec(html)![1]!;
    const picture = await get(`/media/${file}`);
    assert.equal(picture.statusCode, 200);
    assert.equal(picture.headers['content-type'], 'image/avif');
    assert.equal(picture.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('answers a repeated request from the render cache with an ETag', async () => {
    const first = await get(`/articles/${anatomy.slug}`);
    const etag = first.headers.etag as string;
    assert.ok(etag);
    const again = await t.app.inject({ method: 'GET', url: `/articles/${anatomy.slug}`, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    const zipped = await t.app.inject({ method: 'GET', url: `/articles/${anatomy.slug}`, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
  });

  it('sends a strict Content-Security-Policy', async () => {
    const res = await get(`/articles/${anatomy.slug}`);
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
  });

  it('does not show drafts', async () => {
    const draft = demoArticles.find((a) => a.status === 'draft')!;
    const res = await get(`/articles/${draft.slug}`);
    assert.equal(res.statusCode, 404);
    assert.doesNotMatch(res.body, new RegExp(draft.title.slice(0, 20)));
  });
});

describe('private fields', () => {
  it('never sends a birth date, on any page', async () => {
    const pages = ['/', '/people', '/newsrooms/womens-rights-newsroom', '/newsrooms/election-year-2024', '/tags/courts'];
    pages.push(...demoPeople.map((p) => `/people/${p.slug}`));
    pages.push(...demoArticles.filter((a) => a.status === 'published').map((a) => `/articles/${a.slug}`));
    const sectionSlugs = new Set(demoArticles.map((a) => a.section));
    pages.push(...[...sectionSlugs].map((s) => `/sections/${s}`));
    for (const url of pages) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      for (const person of demoPeople) {
        assert.ok(!res.body.includes(person.birthDate), `${url} shows the birth date of ${person.name}`);
        const [y, m, d] = person.birthDate.split('-');
        assert.ok(
          !res.body.includes(
            `${Number(d)} ${new Date(`${person.birthDate}T00:00:00Z`).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${y}`,
          ),
          `${url} shows a formatted birth date`,
        );
        assert.ok(!res.body.includes(`${m}/${d}/${y}`));
      }
      assert.doesNotMatch(res.body, /birth_?date/i, url);
    }
  });
});
