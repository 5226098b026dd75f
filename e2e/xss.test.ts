// Stored XSS, in a real browser: every vector of test/fixtures/xss-vectors.ts is
// saved through the newsroom's own forms (an article's body, headline,
// standfirst, byline phrase, tags and picture text, an editorial comment, a
// person's biography and places, a static page) by the editor-in-chief, and the
// pages that show them (the article, its preview and editor, the section and
// tag lists, the search results, the person's page, the static page and the
// feeds) are opened in Chromium with `window.__xss` watching. None may run,
// whatever the Content-Security-Policy would have stopped; CSP reports in the
// console are listed as a sign that markup got through.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { xssVectors } from '../test/fixtures/xss-vectors.js';
import { signedInContext, startSite, type E2eSite } from './helpers.js';

const VECTORS = xssVectors();
const PAYLOADS = VECTORS.map((v) => v.payload);

let site: E2eSite;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

/** The vectors packed into as few texts of at most `limit` characters as they fit in (one that does not fit alone is left out). */
function packed(limit: number, separator: string): string[] {
  const texts: string[] = [];
  let current = '';
  for (const payload of PAYLOADS) {
    if (payload.length > limit) continue;
    const next = current ? `${current}${separator}${payload}` : payload;
    if (next.length <= limit) current = next;
    else {
      texts.push(current);
      current = payload;
    }
  }
  if (current) texts.push(current);
  return texts;
}

/** A document holding every vector as text, as a link's address, as a picture's text, in unknown nodes and attributes. */
function corpusDoc(mediaId: string): unknown {
  return {
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'Every vector of the corpus follows.' }] },
      ...VECTORS.flatMap(({ n, payload }) => [
        {
          type: 'paragraph',
          attrs: { onclick: `window.__xss(${n})`, style: payload },
          content: [
            { type: 'text', text: payload },
            { type: 'text', text: ` link ${n}`, marks: [{ type: 'link', attrs: { href: payload } }, { type: 'bold' }] },
          ],
        },
        { type: n % 2 ? 'script' : 'iframe', attrs: { src: payload }, content: [{ type: 'text', text: payload }] },
        ...(n % 10 === 0
          ? [
              { type: 'figure', attrs: { mediaId, alt: payload, caption: payload, creditCreator: payload, creditSource: payload } },
              { type: 'codeBlock', attrs: { language: payload }, content: [{ type: 'text', text: payload }] },
              { type: 'heading', attrs: { level: payload }, content: [{ type: 'text', text: payload }] },
            ]
          : []),
      ]),
      {
        type: 'paragraph',
        content: [{ type: 'text', text: 'Hidden link', marks: [{ type: 'link', attrs: { href: 'java\tscript:window.__xss(0)' } }] }],
      },
    ],
  };
}

interface Answer {
  status: number;
  url: string;
  html: string;
}

/**
 * Posts the form with this action, as the browser would send it: the form is
 * read from `html` (a page of the newsroom, with its CSRF token and current
 * values), some fields replaced. The answer is followed to its page.
 */
async function postForm(page: Page, html: string, action: string, fields: Record<string, string>): Promise<Answer> {
  return page.evaluate(
    async ({ html, action, fields }) => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const form = [...doc.forms].find((f) => f.getAttribute('action') === action);
      if (!form) throw new Error(`no form posts to ${action}`);
      const data = new URLSearchParams();
      for (const element of [...form.elements] as HTMLInputElement[]) {
        if (!element.name || element.disabled) continue;
        if (['submit', 'button', 'file', 'image', 'reset'].includes(element.type)) continue;
        if ((element.type === 'checkbox' || element.type === 'radio') && !element.checked) continue;
        if (element.name in fields) continue;
        data.append(element.name, element.value);
      }
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      const res = await fetch(action, { method: 'POST', body: data });
      return { status: res.status, url: res.url, html: await res.text() };
    },
    { html, action, fields },
  );
}

async function getHtml(page: Page, path: string): Promise<string> {
  return page.evaluate(async (path) => (await fetch(path)).text(), path);
}

it('runs none of the XSS vectors saved through the newsroom, on any page that shows them', { timeout: 300_000 }, async () => {
  const db = site.server.app.db;
  const { context, page: signingIn } = await signedInContext(site, 'aarav-kulkarni');
  const ran: string[] = [];
  const dialogs: string[] = [];
  const csp: string[] = [];
  await context.exposeBinding('__xssReport', ({ page: from }, n: number) => {
    ran.push(`vector ${n} ran on ${from.url()}`);
  });
  // As text, so the test's compiler adds nothing to it that the page lacks.
  await context.addInitScript({
    content: "Object.defineProperty(window, '__xss', { value: (n) => window.__xssReport(n), writable: false });",
  });
  context.on('page', (p) => watch(p));
  const watch = (p: Page) => {
    p.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()} "${dialog.message()}" on ${p.url()}`);
      void dialog.dismiss();
    });
    p.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) csp.push(`${p.url()}: ${message.text().slice(0, 200)}`);
    });
  };
  // Init scripts reach only pages opened after them: the page that signed in is done with.
  const page = await context.newPage();
  await signingIn.close();
  // The watcher itself works: a call made on purpose is seen.
  await page.goto(`${site.url}/`);
  await page.evaluate(() => (window as unknown as { __xss: (n: number) => Promise<void> }).__xss(0));
  assert.deepEqual(ran, [`vector 0 ran on ${site.url}/`], 'a call to window.__xss is reported');
  ran.length = 0;

  /** What a page holds that could run script: handlers, frames, foreign scripts, script URLs. */
  const unsafeMarkup = () =>
    page.evaluate(() => {
      const found: string[] = [];
      for (const element of document.querySelectorAll('*')) {
        for (const attr of element.getAttributeNames()) if (/^on/i.test(attr)) found.push(`<${element.localName} ${attr}>`);
        if (['iframe', 'frame', 'object', 'embed', 'base'].includes(element.localName)) found.push(`<${element.localName}>`);
        if (element.localName === 'meta' && element.getAttribute('http-equiv')?.toLowerCase() === 'refresh') found.push('<meta refresh>');
        if (element.localName === 'script') {
          const script = element as HTMLScriptElement;
          const own = script.src ? new URL(script.src).origin === location.origin : script.type === 'application/ld+json';
          if (!own) found.push(`<script ${script.src || script.textContent?.slice(0, 40)}>`);
        }
        for (const name of ['href', 'src', 'action', 'formaction', 'xlink:href', 'data']) {
          const value = element.getAttribute(name);
          if (value === null) continue;
          try {
            const url = new URL(value, location.href);
            if (!['http:', 'https:', 'mailto:'].includes(url.protocol))
              found.push(`<${element.localName} ${name}="${value.slice(0, 60)}">`);
          } catch {
            // Not an address a browser would follow.
          }
        }
      }
      return found;
    });

  const visited: string[] = [];
  const unsafe: string[] = [];
  /** Opens a page, lets its events fire, and checks its markup; answers the page's status. */
  const visit = async (path: string, { vectorsShown = true } = {}) => {
    const res = await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))));
    visited.push(path);
    assert.equal(res?.status(), 200, `${path} answers 200`);
    if (vectorsShown) assert.match(await page.content(), /__xss\(\d+\)/, `${path} shows some of the vectors`);
    for (const found of await unsafeMarkup()) unsafe.push(`${path}: ${found}`);
  };

  const section = await db.selectFrom('sections').select(['id', 'slug']).where('name', '=', 'Climate').executeTakeFirstOrThrow();
  const media = await db.selectFrom('media').select('id').where('purpose', '!=', 'prize_entry').executeTakeFirstOrThrow();

  // Articles: the first carries every vector in its body; each carries a share of them in its other fields.
  const titles = packed(200, ' ');
  const deks = packed(600, ' ');
  const bylines = packed(200, ' ');
  const tags = packed(500, ',');
  const alts = packed(300, ' ');
  const credits = packed(120, ' ');
  const count = Math.max(titles.length, deks.length, bylines.length, tags.length, alts.length);
  const articles: { id: string; slug: string }[] = [];
  for (let i = 0; i < count; i++) {
    const desk = await getHtml(page, '/newsroom/articles/new');
    const created = await postForm(page, desk, '/newsroom/articles', { title: `Corpus article ${i + 1}`, sectionId: section.id });
    const id = /\/newsroom\/articles\/([0-9a-f-]{36})/.exec(created.url)?.[1];
    assert.ok(id, `the draft is created (${created.status} ${created.url})`);
    const body =
      i === 0
        ? corpusDoc(media.id)
        : {
            type: 'doc',
            content: [`Corpus article ${i + 1}.`, ...PAYLOADS.slice((i * 5) % PAYLOADS.length, ((i * 5) % PAYLOADS.length) + 5)].map(
              (text) => ({ type: 'paragraph', content: [{ type: 'text', text }] }),
            ),
          };
    const saved = await postForm(page, created.html, `/newsroom/articles/${id}`, {
      title: titles[i] ?? `Corpus article ${i + 1}`,
      dek: deks[i] ?? '',
      bylinePhrase: bylines[i] ?? '',
      tags: tags[i] ?? '',
      heroMediaId: media.id,
      heroAlt: alts[i] ?? 'A picture',
      heroCaption: alts[alts.length - 1 - i] ?? '',
      heroCreditCreator: credits[i % credits.length] ?? '',
      heroCreditSource: credits[(i + 1) % credits.length] ?? '',
      bodyJson: JSON.stringify(body),
      bodyText: '',
      intent: 'submit',
    });
    assert.match(
      saved.url,
      /done=moved/,
      `article ${i + 1} is saved and submitted (${saved.status}): ${/field__error[^>]*>([^<]*)/.exec(saved.html)?.[1] ?? ''}`,
    );
    let current = saved.html;
    for (const to of ['approved', 'published']) {
      const moved = await postForm(page, current, `/newsroom/articles/${id}/move`, { to });
      assert.match(moved.url, /done=moved/, `article ${i + 1} moves to ${to} (${moved.status})`);
      current = moved.html;
    }
    articles.push({ id, ...(await db.selectFrom('articles').select('slug').where('id', '=', id).executeTakeFirstOrThrow()) });
  }
  const first = articles[0]!;

  // Editorial comments on the first article, every vector in one of them.
  for (const text of packed(5000, '\n')) {
    const editor = await getHtml(page, `/newsroom/articles/${first.id}`);
    const commented = await postForm(page, editor, `/newsroom/articles/${first.id}/comments`, { body: text });
    assert.match(commented.url, /done=commented/, `the comment is added (${commented.status})`);
  }

  // A person's biography, places and languages.
  const person = await db.selectFrom('people').select(['id', 'slug']).where('slug', '=', 'aarav-kulkarni').executeTakeFirstOrThrow();
  const profile = await getHtml(page, `/newsroom/people/${person.id}`);
  const profiled = await postForm(page, profile, `/newsroom/people/${person.id}`, {
    bio: PAYLOADS.join('\n\n'),
    locations: packed(190, ' ').slice(0, 5).join('\n'),
    languages: packed(290, ',')[0]!,
  });
  assert.match(
    profiled.url,
    /done=/,
    `the profile is saved (${profiled.status}): ${/field__error[^>]*>([^<]*)/.exec(profiled.html)?.[1] ?? ''}`,
  );

  // A static page, published.
  const newPage = await getHtml(page, '/newsroom/pages/new');
  const pageCreated = await postForm(page, newPage, '/newsroom/pages', { title: 'Corpus page', slug: 'corpus-page' });
  const pageId = /\/newsroom\/pages\/([0-9a-f-]{36})/.exec(pageCreated.url)?.[1];
  assert.ok(pageId, `the static page is created (${pageCreated.status})`);
  const pageSaved = await postForm(page, pageCreated.html, `/newsroom/pages/${pageId}`, {
    title: titles[0]!,
    dek: deks[0]!,
    bodyJson: JSON.stringify(corpusDoc(media.id)),
    bodyText: '',
  });
  assert.match(pageSaved.url, /done=saved/, `the static page is saved (${pageSaved.status})`);
  let pageHtml = pageSaved.html;
  for (const to of ['submitted', 'published']) {
    const moved = await postForm(page, pageHtml, `/newsroom/pages/${pageId}/move`, { to });
    if (moved.status === 200) pageHtml = moved.html;
  }
  const staticSlug = (await db.selectFrom('pages').select('slug').where('id', '=', pageId).executeTakeFirstOrThrow()).slug;

  // Every page that shows them.
  for (const article of articles) await visit(`/articles/${article.slug}`);
  await visit(`/newsroom/articles/${first.id}/preview`);
  await visit(`/newsroom/articles/${first.id}/preview?as=anonymous`);
  await visit(`/newsroom/articles/${first.id}`);
  await visit(`/newsroom/articles/${articles[1]!.id}`);
  await visit('/newsroom/articles');
  await visit(`/sections/${section.slug}`);
  await visit(`/sections/${section.slug}?page=2`);
  const tagSlugs = await db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .select('tags.slug')
    .where(
      'article_tags.article_id',
      'in',
      articles.slice(0, 3).map((a) => a.id),
    )
    .limit(4)
    .execute();
  assert.ok(tagSlugs.length > 0, 'the articles carry tags');
  for (const tag of tagSlugs) await visit(`/tags/${encodeURIComponent(tag.slug)}`);
  for (const q of ['window', 'script', 'onerror javascript', 'xss']) await visit(`/search?q=${encodeURIComponent(q)}`);
  await visit(`/people/${person.slug}`);
  await visit(`/${staticSlug}`);
  await visit(`/newsroom/pages/${pageId}`);
  await visit('/', { vectorsShown: false });
  for (const feed of ['/feed.xml', '/feed.atom', `/sections/${section.slug}/feed.xml`]) {
    await visit(feed, { vectorsShown: false });
    assert.match(await page.content(), /window\.__xss/, `${feed} carries the vectors`);
  }

  console.log(
    `${VECTORS.length} vectors in ${articles.length} articles, editorial comments, a profile and a static page; ${visited.length} pages opened; ${csp.length} CSP reports`,
  );
  if (csp.length) console.log(csp.slice(0, 20).join('\n'));
  await context.close();
  assert.deepEqual(ran, [], 'no vector ran');
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(unsafe, [], 'no page holds markup that could run script');
});
