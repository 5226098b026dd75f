// Site search through HTTP, on the demo plus a few articles written here: body
// words found, title above body, accents folded, phrases and exclusions, the wall
// kept (a visitor never matches nor sees gated text, a signed-in reader does),
// hostile queries answered without a 500, and the index kept in step by the
// articles module's change notice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../../src/lib/ids.js';
import { rt, type RichNode } from '../../../src/lib/rich-text.js';
import { drafts } from '../../../src/modules/articles/index.js';
import { putDocument } from '../../../src/modules/search/search.repository.js';
import type { Browserish } from '../../browserish.js';
import { readerClient } from '../../readers.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';

let t: TestApp;
let reader: Browserish;

interface Fixture {
  slug: string;
  title: string;
  body: RichNode;
  access?: 'free' | 'registered';
  previewParagraphs?: number;
  publishedAt: string;
}

async function publish(f: Fixture): Promise<string> {
  const id = newId();
  const section = await t.db.selectFrom('sections').select('id').orderBy('position').executeTakeFirstOrThrow();
  const author = await t.db.selectFrom('people').select('id').orderBy('slug').executeTakeFirstOrThrow();
  await t.db
    .insertInto('articles')
    .values({
      id,
      slug: f.slug,
      status: 'published',
      title: f.title,
      section_id: section.id,
      access: f.access ?? 'free',
      preview_paragraphs: f.previewParagraphs ?? null,
      body_json: JSON.stringify(f.body),
      body_html: '',
      published_at: f.publishedAt,
      created_at: f.publishedAt,
      updated_at: f.publishedAt,
    })
    .execute();
  await t.db
    .insertInto('article_authors')
    .values({ article_id: id, person_id: author.id, position: 0, age_at_publication: null })
    .execute();
  await drafts.articleChanged(t.db, id);
  return id;
}

const search = (q: string, extra = '') => t.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}${extra}` });

/** The result titles of a search page, in order. */
function titles(html: string): string[] {
  return [...html.matchAll(/<h2 class="search-result__title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => textOf(m[1]!));
}

before(async () => {
  t = await buildTestApp();
  await publish({
    slug: 'quokka-festival',
    title: 'The quokkafest comes to town',
    body: rt.doc(rt.p('A story about a gathering.')),
    publishedAt: '2023-03-01T09:00:00.000Z',
  });
  await publish({
    slug: 'island-notes',
    title: 'Island notes',
    body: rt.doc(rt.p('We went to the quokkafest and to the zanzibarite quarry. Written with <b>care</b> & love.')),
    publishedAt: '2025-03-01T09:00:00.000Z',
  });
  await publish({
    slug: 'mural-by-jose',
    title: 'The mural José Quintanilla painted',
    body: rt.doc(rt.p('Colours on the wall.')),
    publishedAt: '2024-05-01T09:00:00.000Z',
  });
  await publish({
    slug: 'parade-one',
    title: 'Parade one',
    body: rt.doc(rt.p('A purple elephant marching through the square.')),
    publishedAt: '2024-06-01T09:00:00.000Z',
  });
  await publish({
    slug: 'parade-two',
    title: 'Parade two',
    body: rt.doc(rt.p('The elephant was purple, and calm.')),
    publishedAt: '2024-06-02T09:00:00.000Z',
  });
  await publish({
    slug: 'behind-the-wall',
    title: 'Behind the wall',
    access: 'registered',
    previewParagraphs: 1,
    body: rt.doc(rt.p('The open paragraph mentions lanterns.'), rt.p('The gated paragraph mentions xylographs and lanterns again.')),
    publishedAt: '2024-07-01T09:00:00.000Z',
  });
  reader = await readerClient(t, 'searcher@readers.example', 'Searcher', null);
});
after(() => t.close());

describe('site search', () => {
  it('finds a word that appears only in a body, and marks it in a snippet whose other text is escaped', async () => {
    const res = await search('zanzibarite');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), ['Island notes']);
    assert.match(res.body, /Text: <\/span>[^]*<mark>zanzibarite<\/mark>/);
    assert.match(res.body, /&lt;b&gt;care&lt;\/b&gt; &amp; love/);
    assert.doesNotMatch(res.body, /<b>care<\/b>/);
  });

  it('ranks a title match above a body match, even a newer one', async () => {
    assert.deepEqual(titles((await search('quokkafest')).body), ['The quokkafest comes to town', 'Island notes']);
  });

  it('finds "José" when asked for "Jose", and marks it', async () => {
    const res = await search('jose quintanilla');
    assert.deepEqual(titles(res.body), ['The mural José Quintanilla painted']);
    assert.match(res.body, /<mark>José<\/mark> <mark>Quintanilla<\/mark>/);
  });

  it('matches "exact phrases" and leaves out -words', async () => {
    assert.deepEqual(titles((await search('"purple elephant"')).body), ['Parade one']);
    assert.deepEqual(titles((await search('purple elephant -marching')).body), ['Parade two']);
    assert.deepEqual(titles((await search('purple elephant')).body).sort(), ['Parade one', 'Parade two']);
  });

  it('reads OR as either, a word* among them included', async () => {
    const either = new Set([...titles((await search('quokkafest')).body), ...titles((await search('zanzib*')).body)]);
    assert.deepEqual(titles((await search('quokkafest OR zanzib*')).body).sort(), [...either].sort());
    assert.deepEqual(titles((await search('nosuchwordanywhere OR zanzib*')).body), titles((await search('zanzib*')).body));
  });

  it('finds words by their beginning with a star', async () => {
    const res = await search('zanzib*');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), ['Island notes']);
  });

  it('never matches nor shows gated text to a visitor; a signed-in reader finds it', async () => {
    const visitor = await search('xylographs');
    assert.equal(visitor.statusCode, 200);
    assert.deepEqual(titles(visitor.body), []);
    assert.match(visitor.body, /Nothing matches that search/);
    const open = await search('lanterns');
    assert.deepEqual(titles(open.body), ['Behind the wall']);
    assert.doesNotMatch(open.body, /xylograph|gated paragraph/);

    const signedIn = await reader.get('/search?q=xylographs');
    assert.equal(signedIn.statusCode, 200);
    assert.deepEqual(titles(signedIn.body), ['Behind the wall']);
    assert.match(signedIn.body, /<mark>xylographs<\/mark>/);
    assert.match(signedIn.headers['cache-control'] as string, /private/);
  });

  it('finds people by name, and demo articles by their body', async () => {
    const person = await t.db.selectFrom('people').select(['name', 'slug']).orderBy('slug').executeTakeFirstOrThrow();
    const res = await search(person.name);
    assert.match(res.body, new RegExp(`href="/people/${person.slug}"`));
  });

  it('filters by section, author and year, keeps the query in the field, and is not indexed', async () => {
    const res = await search('purple', '&year=2023');
    assert.deepEqual(titles(res.body), []);
    assert.deepEqual(titles((await search('purple', '&year=2024')).body).length, 2);
    assert.match(res.body, /<input id="search-q" type="search" name="q" value="purple"/);
    assert.match(res.body, /<meta name="robots" content="noindex"/);
    assert.equal(res.headers['x-robots-tag'], 'noindex');
    const author = await t.db.selectFrom('people').select('slug').orderBy('slug').executeTakeFirstOrThrow();
    assert.equal(titles((await search('purple', `&author=${author.slug}`)).body).length, 2);
    assert.equal(titles((await search('purple', '&author=nobody-at-all')).body).length, 0);
  });

  it('pages through many results', async () => {
    for (let i = 0; i < 12; i += 1) {
      await publish({
        slug: `pager-${i}`,
        title: `Pager ${i}`,
        body: rt.doc(rt.p('Pagerword appears here.')),
        publishedAt: `2022-01-${String(i + 1).padStart(2, '0')}T09:00:00.000Z`,
      });
    }
    const first = await search('pagerword');
    assert.equal(titles(first.body).length, 10);
    assert.match(first.body, /12 results/);
    assert.match(first.body, /href="\/search\?q=pagerword&(amp;)?page=2" rel="next"/);
    assert.equal(titles((await search('pagerword', '&page=2')).body).length, 2);
  });

  it('stops counting past 1,000 matches and still ranks the page', async () => {
    await t.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1005; i += 1) {
        await putDocument(trx, {
          id: `article:multitude-${i}`,
          kind: 'article',
          slug: `multitude-${i}`,
          title: i === 500 ? 'Multitudeword in a headline' : `Crowd ${i}`,
          dek: '',
          people: '',
          tags: '',
          section: 'Society',
          public_body: 'A multitudeword in the text.',
          gated_body: '',
          section_slug: 'society',
          author_slugs: '',
          year: 2021,
          published_at: new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString(),
        });
      }
    });
    const res = await search('multitudeword');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /More than 1,000 results/);
    const found = titles(res.body);
    assert.equal(found.length, 10);
    assert.equal(found[0], 'Multitudeword in a headline');
    assert.equal(found[1], 'Crowd 1004', 'newer first among equals');
  });

  it('shows the header search form on every page, without scripts', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    assert.match(home.body, /<form class="site-search" role="search" action="\/search" method="get"/);
    assert.match(home.body, /<label for="site-search-q"/);
  });

  it('answers hostile queries with 200 or 400, never a 500', async () => {
    const hostile = [
      '"unbalanced',
      'a"b"c"',
      '*',
      '**',
      '-',
      '-word',
      'OR',
      'a OR',
      'NEAR(a b)',
      'title:x',
      '{title}: x',
      '^a',
      'a AND',
      'NOT',
      '(',
      ')',
      'x'.repeat(2000),
      'nul\u0000byte',
      '\u0000',
      '😀',
      'café 😀 "emoji',
      "'; drop table articles; --",
      '%',
      '_',
      'a*',
      '*a',
      'a* OR b*',
      '-a*',
      '"a*"',
      'é*',
      'x'.repeat(40) + '*',
    ];
    for (const q of hostile) {
      for (const client of [null, reader]) {
        const url = `/search?q=${encodeURIComponent(q)}`;
        const res = client ? await client.get(url) : await t.app.inject({ method: 'GET', url });
        assert.ok([200, 400].includes(res.statusCode), `${JSON.stringify(q.slice(0, 20))} answered ${res.statusCode}`);
      }
    }
    assert.match((await search('*')).body, /nothing to look up/);
    assert.match((await search('x'.repeat(2000))).body, /too long/);
  });

  it('keeps the index in step when an article is unpublished', async () => {
    const id = await publish({
      slug: 'soon-gone',
      title: 'Soon gone',
      body: rt.doc(rt.p('Evanescentword.')),
      publishedAt: '2024-01-01T09:00:00.000Z',
    });
    assert.deepEqual(titles((await search('evanescentword')).body), ['Soon gone']);
    await t.db.transaction().execute(async (trx) => {
      await drafts.updateArticle(trx, id, { status: 'unpublished' });
      await drafts.articleChanged(trx, id);
    });
    await t.app.contentVersion.bump();
    assert.deepEqual(titles((await search('evanescentword')).body), []);
  });
});
