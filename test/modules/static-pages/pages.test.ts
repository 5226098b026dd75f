// Static pages: the public page at /<slug>, drafts never public, the footer menu
// in the editor-in-chief's order, the newsroom's page editor (reserved slugs,
// version conflicts, the no-JavaScript form, publishing rights, deleting with a
// confirmation) and importPage for the importers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rt } from '../../../src/lib/rich-text.js';
import { importPage } from '../../../src/modules/static-pages/index.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let managing: Browserish; // Ruth Abernethy, managing editor
let writer: Browserish; // Amara Nwosu, staff writer

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  managing = await staffClient(t, 'ruth-abernethy');
  writer = await staffClient(t, 'amara-nwosu');
});
after(() => t.close());

const pageRow = (slug: string) => t.db.selectFrom('pages').selectAll().where('slug', '=', slug).executeTakeFirst();
const visitor = (url: string) => t.app.inject({ method: 'GET', url });

/** The footer menu's links, in order. */
function footerLinks(html: string): string[] {
  const nav = /<nav aria-label="About the magazine"[\s\S]*?<\/nav>/.exec(html);
  return nav ? [...nav[0].matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!) : [];
}

/** Creates a draft through the newsroom and answers its id. */
async function newDraft(client: Browserish, title: string, slug: string): Promise<string> {
  await client.get('/newsroom/pages/new');
  const res = await client.post('/newsroom/pages', { title, slug });
  assert.equal(res.statusCode, 303, res.body);
  const match = /^\/newsroom\/pages\/([0-9a-f-]{36})/.exec(res.headers.location as string);
  assert.ok(match, `redirected to the editor (${res.headers.location})`);
  return match[1]!;
}

describe('the public page', () => {
  it('serves a published page with its title, summary, body, canonical link, Open Graph and last updated date', async () => {
    const res = await visitor('/about');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>About us<\/h1>/);
    assert.match(res.body, /<p class="dek">A magazine written and edited by teenagers/);
    assert.match(res.body, /<h2>What we publish<\/h2>/);
    assert.match(res.body, /<link rel="canonical" href="http:\/\/harbinger\.test\/about"\/?>/);
    assert.match(res.body, /<meta property="og:title" content="About us"\/?>/);
    assert.match(res.body, /<meta property="og:url" content="http:\/\/harbinger\.test\/about"\/?>/);
    assert.match(textOf(res.body), /Last updated \d{1,2} \w+ \d{4}/);
    const again = await visitor('/about');
    assert.equal(again.body, res.body, 'the second visit gets the same bytes (from the render cache)');
  });

  it('answers 404 for a slug that names no page, and for a malformed one', async () => {
    assert.equal((await visitor('/no-such-page')).statusCode, 404);
    assert.equal((await visitor('/About_Us')).statusCode, 404);
  });

  it('lists the demo pages in the footer menu of every page, in order', async () => {
    const home = await visitor('/');
    assert.deepEqual(footerLinks(home.body), ['/about', '/join', '/code-of-conduct', '/privacy', '/contact']);
  });

  it('lists published pages in the sitemap', async () => {
    const index = await visitor('/sitemap.xml');
    assert.match(index.body, /<loc>http:\/\/harbinger\.test\/sitemaps\/pages\.xml<\/loc>/);
    const file = await visitor('/sitemaps/pages.xml');
    assert.equal(file.statusCode, 200);
    assert.match(file.body, /<loc>http:\/\/harbinger\.test\/code-of-conduct<\/loc>/);
  });
});

describe('the workflow', () => {
  it('keeps a draft off the site until the editor-in-chief publishes it; only they may', async () => {
    const id = await newDraft(managing, 'Our mentors', 'mentors');
    assert.equal((await visitor('/mentors')).statusCode, 404, 'a new draft is not public');

    await managing.get(`/newsroom/pages/${id}`);
    const submitted = await managing.post(`/newsroom/pages/${id}/move`, { to: 'submitted' });
    assert.equal(submitted.statusCode, 303);
    assert.equal((await pageRow('mentors'))!.status, 'submitted');
    assert.equal((await visitor('/mentors')).statusCode, 404, 'a submitted page is not public');
    assert.match(textOf((await chief.get('/newsroom/pages')).body), /One page waits for publication: Our mentors/);

    const refused = await managing.post(`/newsroom/pages/${id}/move`, { to: 'published' });
    assert.equal(refused.statusCode, 403, 'the managing editor does not publish pages');
    assert.match(textOf(refused.body), /Only the editor-in-chief publishes/);
    assert.equal((await pageRow('mentors'))!.status, 'submitted');

    const preview = await managing.get(`/newsroom/pages/${id}/preview`);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /readers cannot see this page yet/);

    await chief.get(`/newsroom/pages/${id}`);
    const published = await chief.post(`/newsroom/pages/${id}/move`, { to: 'published' });
    assert.equal(published.statusCode, 303);
    const page = await visitor('/mentors');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Our mentors<\/h1>/);
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['page.published'],
    );

    const unpublished = await chief.post(`/newsroom/pages/${id}/move`, { to: 'unpublished' });
    assert.equal(unpublished.statusCode, 303);
    assert.equal((await visitor('/mentors')).statusCode, 404, 'an unpublished page is gone at once');
  });

  it('keeps writers without page rights out of the pages desk', async () => {
    assert.equal((await writer.get('/newsroom/pages')).statusCode, 403);
    assert.doesNotMatch((await writer.get('/newsroom')).body, /href="\/newsroom\/pages"/);
    assert.match((await managing.get('/newsroom')).body, /href="\/newsroom\/pages"/);
  });
});

describe('the editor', () => {
  it('refuses a slug the site uses itself, with the message, keeping what was typed', async () => {
    await managing.get('/newsroom/pages/new');
    const res = await managing.post('/newsroom/pages', { title: 'Our newsroom at work', slug: 'newsroom' });
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /“\/newsroom” is one of the site's own addresses: choose another/);
    assert.match(res.body, /name="title" type="text" value="Our newsroom at work"/);
    assert.match(res.body, /name="slug" type="text" value="newsroom"/);
    assert.equal(await pageRow('newsroom'), undefined);

    const id = await newDraft(managing, 'Masthead', 'masthead');
    await managing.get(`/newsroom/pages/${id}`);
    const edit = await managing.post(`/newsroom/pages/${id}`, {
      version: '1',
      title: 'Masthead',
      slug: 'articles',
      dek: '',
      bodyText: 'Who does what, week by week.',
      bodyJson: '',
      intent: 'save',
    });
    assert.equal(edit.statusCode, 422);
    assert.match(textOf(edit.body), /“\/articles” is one of the site's own addresses/);
    assert.match(edit.body, /Who does what, week by week\./, 'the body typed is kept');
    assert.equal((await pageRow('masthead'))!.version, 1, 'nothing was saved');
  });

  it('saves the no-JavaScript form from its textarea, and brings the text back', async () => {
    const id = await newDraft(managing, 'Style notes', 'style-notes');
    const form = await managing.get(`/newsroom/pages/${id}`);
    assert.match(form.body, /<textarea id="field-body" name="bodyText"/);
    assert.match(form.body, /<input type="hidden" name="bodyJson" value=""\/?>/, 'bodyJson is left for the script to fill');
    const res = await managing.post(`/newsroom/pages/${id}`, {
      version: '1',
      title: 'Style notes',
      slug: 'style-notes',
      dek: 'How we write.',
      bodyText: '## Numbers\n\nWrite one to nine in words.\n\nUse figures from 10.',
      bodyJson: '',
      intent: 'save',
    });
    assert.equal(res.statusCode, 303);
    const row = (await pageRow('style-notes'))!;
    assert.equal(row.version, 2);
    assert.match(row.body_html, /<h2>Numbers<\/h2><p>Write one to nine in words\.<\/p><p>Use figures from 10\.<\/p>/);
    const again = await managing.follow(res);
    assert.match(again.body, /Saved\./);
    assert.match(again.body, /## Numbers\n\nWrite one to nine in words\.\n\nUse figures from 10\./);
  });

  it('tells the second of two editors that the first saved, keeping their text', async () => {
    const id = await newDraft(managing, 'Awards', 'awards');
    await managing.get(`/newsroom/pages/${id}`);
    await chief.get(`/newsroom/pages/${id}`);
    const fields = { version: '1', title: 'Awards', slug: 'awards', dek: '', bodyJson: '', intent: 'save' };
    const first = await managing.post(`/newsroom/pages/${id}`, { ...fields, bodyText: 'The first text.' });
    assert.equal(first.statusCode, 303);
    const second = await chief.post(`/newsroom/pages/${id}`, { ...fields, bodyText: 'The second text.' });
    assert.equal(second.statusCode, 409);
    assert.match(textOf(second.body), /Someone else saved a newer version of this page/);
    assert.match(second.body, /The second text\./, 'the second editor’s text is still in the form');
    const row = (await pageRow('awards'))!;
    assert.equal(row.version, 2);
    assert.match(row.body_html, /The first text\./);
  });

  it('autosaves from the editor script as JSON, and answers a stale version with a 409 problem', async () => {
    const id = await newDraft(managing, 'Glossary', 'glossary');
    await managing.get(`/newsroom/pages/${id}`);
    const autosave = (version: number, text: string) =>
      t.app.inject({
        method: 'POST',
        url: `/newsroom/pages/${id}/autosave`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-csrf-token': managing.csrf,
          cookie: [...managing.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        payload: JSON.stringify({
          version,
          fields: { title: 'Glossary', slug: 'glossary', dek: '', bodyJson: JSON.stringify(rt.doc(rt.p(text))) },
        }),
      });
    const saved = await autosave(1, 'Lede: the first paragraph.');
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json<{ version: number }>().version, 2);
    assert.match((await pageRow('glossary'))!.body_html, /Lede: the first paragraph\./);
    const stale = await autosave(1, 'Something else.');
    assert.equal(stale.statusCode, 409);
    assert.match(stale.headers['content-type'] as string, /^application\/problem\+json/);
    assert.match((await pageRow('glossary'))!.body_html, /Lede: the first paragraph\./, 'nothing was overwritten');
  });

  it('leads the old address of a published page to its new one', async () => {
    const privacy = (await pageRow('privacy'))!;
    await chief.get(`/newsroom/pages/${privacy.id}`);
    const res = await chief.post(`/newsroom/pages/${privacy.id}`, {
      version: String(privacy.version),
      title: privacy.title,
      slug: 'your-privacy',
      dek: privacy.dek,
      bodyText: 'We keep as little as we can.',
      bodyJson: '',
      intent: 'save',
    });
    assert.equal(res.statusCode, 303);
    const old = await visitor('/privacy');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, '/your-privacy');
    assert.equal((await visitor('/your-privacy')).statusCode, 200);
    assert.ok(footerLinks((await visitor('/')).body).includes('/your-privacy'), 'the footer follows the new address');
  });

  it('deletes a page only once the confirmation is ticked, and only for the editor-in-chief', async () => {
    const id = await newDraft(managing, 'Old page', 'old-page');
    assert.equal((await managing.get(`/newsroom/pages/${id}/delete`)).statusCode, 403);
    const ask = await chief.get(`/newsroom/pages/${id}/delete`);
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /Delete the page “Old page”\?/);
    const unticked = await chief.post(`/newsroom/pages/${id}/delete`, {});
    assert.equal(unticked.statusCode, 422);
    assert.ok(await pageRow('old-page'), 'still there without the confirmation');
    const done = await chief.post(`/newsroom/pages/${id}/delete`, { confirm: 'yes' });
    assert.equal(done.statusCode, 303);
    assert.equal(await pageRow('old-page'), undefined);
    assert.match((await chief.follow(done)).body, /The page is deleted\./);
    const audit = textOf((await chief.get('/newsroom/audit')).body);
    assert.match(audit, /Deleted a page “Old page” \/old-page/);
  });
});

describe('the footer menu', () => {
  it('follows the order the editor-in-chief sets', async () => {
    const contact = (await pageRow('contact'))!;
    const about = (await pageRow('about'))!;
    await chief.get('/newsroom/pages/menu');
    assert.equal((await chief.post('/newsroom/pages/menu', { pageId: contact.id, change: 'up' })).statusCode, 303);
    assert.equal((await chief.post('/newsroom/pages/menu', { pageId: about.id, change: 'down' })).statusCode, 303);
    assert.deepEqual(footerLinks((await visitor('/')).body), ['/join', '/about', '/code-of-conduct', '/contact', '/your-privacy']);
    await chief.post('/newsroom/pages/menu', { pageId: about.id, change: 'remove' });
    assert.deepEqual(footerLinks((await visitor('/join')).body), ['/join', '/code-of-conduct', '/contact', '/your-privacy']);
    await chief.post('/newsroom/pages/menu', { pageId: about.id, change: 'add' });
    assert.deepEqual(footerLinks((await visitor('/')).body), ['/join', '/code-of-conduct', '/contact', '/your-privacy', '/about']);
    assert.equal((await managing.get('/newsroom/pages/menu')).statusCode, 403, 'the managing editor does not order the menu');
  });
});

describe('importPage', () => {
  it('creates a page with a free slug, then updates the same page (no duplicate)', async () => {
    const first = await t.db.transaction().execute((trx) =>
      importPage(trx, {
        id: null,
        slug: 'search',
        title: 'Search tips',
        dek: '',
        doc: rt.doc(rt.p('Old words.')),
        status: 'draft',
        publishedAt: null,
      }),
    );
    assert.equal(first.slug, 'search-page', 'a reserved slug is never taken');
    const second = await t.db.transaction().execute((trx) =>
      importPage(trx, {
        id: first.id,
        slug: 'search',
        title: 'Search tips',
        dek: 'How to find things.',
        doc: rt.doc(rt.p('New words.')),
        status: 'published',
        publishedAt: '2020-05-01T10:00:00.000Z',
      }),
    );
    assert.deepEqual(second, first);
    const rows = await t.db.selectFrom('pages').selectAll().where('title', '=', 'Search tips').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'published');
    assert.match(rows[0]!.body_html, /<p>New words\.<\/p>/);
    await t.app.contentVersion.bump();
    assert.equal((await visitor('/search-page')).statusCode, 200);
  });
});
