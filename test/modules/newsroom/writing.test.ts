// Writing never loses words: the no-JavaScript save, submitting (which saves
// first), the authors picker that never locks a writer out silently, the
// rendered read-only body, long revisions and crafted documents.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import type { Browserish } from '../../browserish.js';
import { articleFormFields, unescapeHtml } from '../../forms.js';

let t: TestApp;
let writer: Browserish; // Amara Nwosu, staff writer
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
let climateId: string;
let amaraId: string;
let yukiId: string;

before(async () => {
  t = await buildTestApp();
  writer = await staffClient(t, 'amara-nwosu');
  chief = await staffClient(t, 'aarav-kulkarni');
  climateId = (await t.db.selectFrom('sections').select('id').where('slug', '=', 'climate').executeTakeFirstOrThrow()).id;
  amaraId = (await t.db.selectFrom('people').select('id').where('slug', '=', 'amara-nwosu').executeTakeFirstOrThrow()).id;
  yukiId = (await t.db.selectFrom('people').select('id').where('slug', '=', 'yuki-hartmann').executeTakeFirstOrThrow()).id;
});
after(() => t.close());

function set(fields: [string, string][], name: string, value: string): [string, string][] {
  return [...fields.filter(([n]) => n !== name), [name, value]];
}

async function postFields(client: Browserish, url: string, fields: [string, string][]): Promise<LightMyRequestResponse> {
  const res = await t.app.inject({
    method: 'POST',
    url,
    remoteAddress: client.remoteAddress,
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
  if (token) client.csrf = token[1]!;
  return res;
}

async function autosave(client: Browserish, id: string, fields: unknown, version?: number): Promise<LightMyRequestResponse> {
  const current =
    version ?? Number((await t.db.selectFrom('articles').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
  return t.app.inject({
    method: 'POST',
    url: `/newsroom/articles/${id}/autosave`,
    remoteAddress: client.remoteAddress,
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/json',
      accept: 'application/json',
      'x-csrf-token': client.csrf,
    },
    payload: JSON.stringify({ version: current, fields }),
  });
}

async function newDraft(client: Browserish, title: string): Promise<string> {
  await client.get('/newsroom/articles/new');
  const res = await client.post('/newsroom/articles', { title, sectionId: climateId });
  assert.equal(res.statusCode, 303);
  return /\/newsroom\/articles\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
}

async function article(id: string) {
  return t.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function authorsOf(id: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('article_authors')
    .select(['person_id', 'position'])
    .where('article_id', '=', id)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.person_id);
}

function textareaOf(html: string): string {
  return unescapeHtml(/<textarea id="field-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '');
}

const typed = 'The river rose two metres overnight.\n\nVolunteers filled sandbags until dawn.';

describe('saving without JavaScript', () => {
  it('saves exactly what was typed in the text box, and the page shows it after a reload', async () => {
    const id = await newDraft(writer, 'Flood night');
    await writer.post(`/newsroom/articles/${id}`, {
      ...Object.fromEntries(articleFormFields((await writer.get(`/newsroom/articles/${id}`)).body)),
      bodyText: 'First version.',
    });
    const page = await writer.get(`/newsroom/articles/${id}`);
    assert.match(page.body, /<input type="hidden" name="bodyJson" value=""/, 'the hidden document field is rendered empty');
    const res = await postFields(writer, `/newsroom/articles/${id}`, set(articleFormFields(page.body), 'bodyText', typed));
    assert.equal(res.statusCode, 303);
    const row = await article(id);
    assert.equal(row.body_html, '<p>The river rose two metres overnight.</p><p>Volunteers filled sandbags until dawn.</p>');
    const reloaded = await writer.get(`/newsroom/articles/${id}?done=saved`);
    assert.match(reloaded.body, /Saved\./);
    assert.equal(textareaOf(reloaded.body), typed);
  });

  it('saves a long article typed without JavaScript (far past the size of an ordinary form)', async () => {
    const id = await newDraft(writer, 'The long read');
    const page = await writer.get(`/newsroom/articles/${id}`);
    const paragraph = 'The council met again in the library and argued until the lights went out across the square. ';
    const long = Array.from({ length: 600 }, (_, i) => `Part ${i + 1}: ${paragraph.repeat(5)}`).join('\n\n');
    assert.ok(Buffer.byteLength(long) > 256 * 1024, 'the text is larger than the ordinary form limit');
    const res = await postFields(writer, `/newsroom/articles/${id}`, set(articleFormFields(page.body), 'bodyText', long));
    assert.equal(res.statusCode, 303);
    const row = await article(id);
    assert.match(row.body_html, /<p>Part 600: The council met again/);
  });

  it('submits a new article with its typed text, saved first in the same step', async () => {
    const id = await newDraft(writer, 'Sandbags and sirens');
    const page = await writer.get(`/newsroom/articles/${id}`);
    assert.match(page.body, /<button type="submit" class="button" name="intent" value="submit"[^>]*>\s*Submit for review/);
    const res = await postFields(writer, `/newsroom/articles/${id}`, [
      ...set(set(articleFormFields(page.body), 'bodyText', typed), 'submitNote', 'Ready'),
      ['intent', 'submit'],
    ]);
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, /done=moved/);
    const row = await article(id);
    assert.equal(row.status, 'submitted');
    assert.equal(row.word_count, 11);
    assert.match(row.body_html, /Volunteers filled sandbags until dawn\./);
    const event = await t.db
      .selectFrom('workflow_events')
      .select(['to_status', 'note'])
      .where('article_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(event, { to_status: 'submitted', note: 'Ready' });
    const revision = await t.db
      .selectFrom('article_revisions')
      .select('body_json')
      .where('article_id', '=', id)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(revision.body_json, /Volunteers filled sandbags until dawn\./, 'the submitted revision holds the typed words');
  });
});

describe('submitting for review', () => {
  it('refuses an empty article with a clear message and submits nothing', async () => {
    const id = await newDraft(writer, 'Nothing yet');
    const page = await writer.get(`/newsroom/articles/${id}`);
    const res = await postFields(writer, `/newsroom/articles/${id}`, [
      ...set(articleFormFields(page.body), 'bodyText', '   '),
      ['intent', 'submit'],
    ]);
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /The article is empty: write it before submitting it for review\./);
    assert.equal((await article(id)).status, 'draft');
    const move = await writer.post(`/newsroom/articles/${id}/move`, { to: 'submitted' });
    assert.equal(move.statusCode, 422, 'the workflow button refuses it too');
    assert.equal((await article(id)).status, 'draft');
  });

  it('applies the minimum the editor-in-chief sets, keeping the typed text when it refuses', async () => {
    assert.equal((await writer.get('/newsroom/writing-rules')).statusCode, 403, 'writers do not set the rules');
    const rules = await chief.get('/newsroom/writing-rules');
    assert.equal(rules.statusCode, 200);
    const bad = await chief.post('/newsroom/writing-rules', { minWords: 'lots' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose a whole number from 1 to 5,000\./);
    assert.match(bad.body, /value="lots"/);
    assert.equal((await chief.post('/newsroom/writing-rules', { minWords: '20' })).statusCode, 303);
    try {
      const id = await newDraft(writer, 'Short piece');
      const page = await writer.get(`/newsroom/articles/${id}`);
      assert.match(page.body, /Articles need at least 20 words to be submitted\./);
      const res = await postFields(writer, `/newsroom/articles/${id}`, [
        ...set(articleFormFields(page.body), 'bodyText', typed),
        ['intent', 'submit'],
      ]);
      assert.equal(res.statusCode, 422);
      assert.match(
        textOf(res.body),
        /The article has 11 words; the editor-in-chief asks for at least 20 before review\. Nothing was submitted\./,
      );
      assert.equal(textareaOf(res.body), typed, 'the typed text is still in the form');
      const row = await article(id);
      assert.equal(row.status, 'draft');
      assert.equal(row.word_count, 0, 'nothing was half-written');
      const longer = `${typed}\n\nBy morning the water had started to fall, and the council promised new flood walls.`;
      const retry = await postFields(writer, `/newsroom/articles/${id}`, [
        ...set(articleFormFields(res.body), 'bodyText', longer),
        ['intent', 'submit'],
      ]);
      assert.equal(retry.statusCode, 303);
      assert.equal((await article(id)).status, 'submitted');
    } finally {
      await chief.get('/newsroom/writing-rules');
      await chief.post('/newsroom/writing-rules', { minWords: '1' });
    }
  });
});

describe('the authors picker', () => {
  it('adds a co-author in byline order, without JavaScript', async () => {
    const id = await newDraft(writer, 'Two voices');
    const page = await writer.get(`/newsroom/articles/${id}`);
    assert.doesNotMatch(page.body, /<select[^>]*name="authorIds"[^>]*multiple/, 'no multi-select to Ctrl-click');
    const res = await postFields(
      writer,
      `/newsroom/articles/${id}`,
      set(set(articleFormFields(page.body), 'bodyText', typed), 'addAuthorId', yukiId),
    );
    assert.equal(res.statusCode, 303);
    assert.deepEqual(await authorsOf(id), [amaraId, yukiId]);
  });

  it('refuses a save that takes the writer off her own draft without confirmation, and keeps the text', async () => {
    const id = await newDraft(writer, 'Handing over');
    const page = await writer.get(`/newsroom/articles/${id}`);
    // Untick herself, add a colleague, type: the save is refused and nothing is lost.
    const fields = set(
      set(
        articleFormFields(page.body).filter(([n, v]) => !(n === 'authorIds' && v === amaraId)),
        'addAuthorId',
        yukiId,
      ),
      'bodyText',
      typed,
    );
    const refused = await postFields(writer, `/newsroom/articles/${id}`, fields);
    assert.equal(refused.statusCode, 422);
    assert.match(textOf(refused.body), /You took yourself off the authors: you would no longer be able to open or edit this draft\./);
    assert.equal(textareaOf(refused.body), typed);
    assert.match(refused.body, /name="confirmRemoveSelf" value="yes"/, 'the confirmation box is offered');
    assert.deepEqual(await authorsOf(id), [amaraId]);
    assert.equal((await article(id)).word_count, 0);

    const json = await autosave(writer, id, { title: 'Handing over', sectionId: climateId, authorIds: [yukiId], bodyText: typed });
    assert.equal(json.statusCode, 422);
    assert.equal(json.json<{ code: string }>().code, 'removes_own_access');
    assert.deepEqual(await authorsOf(id), [amaraId]);

    const confirmed = await postFields(
      writer,
      `/newsroom/articles/${id}`,
      set(articleFormFields(refused.body), 'confirmRemoveSelf', 'yes'),
    );
    assert.equal(confirmed.statusCode, 303);
    assert.deepEqual(await authorsOf(id), [yukiId]);
    assert.match((await article(id)).body_html, /Volunteers filled sandbags/);
  });
});

describe('the stored and shown body', () => {
  it('drops empty paragraphs left at the end by the editor', async () => {
    const id = await newDraft(writer, 'Trailing');
    const doc = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Only this.' }] },
        { type: 'paragraph' },
        { type: 'paragraph', content: [{ type: 'hardBreak' }] },
      ],
    };
    const res = await autosave(writer, id, {
      title: 'Trailing',
      sectionId: climateId,
      authorIds: [amaraId],
      bodyJson: JSON.stringify(doc),
    });
    assert.equal(res.statusCode, 200);
    const row = await article(id);
    assert.deepEqual(JSON.parse(row.body_json), { type: 'doc', content: [doc.content[0]] });
    assert.equal(row.body_html, '<p>Only this.</p>');
  });

  it('shows a submitted article rendered, with its lists and links, to a writer who can no longer edit it', async () => {
    const id = await newDraft(writer, 'Rendered');
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Read ' },
            { type: 'text', text: 'the report', marks: [{ type: 'link', attrs: { href: 'https://example.org/report' } }] },
            { type: 'text', text: '.' },
          ],
        },
        {
          type: 'bulletList',
          content: ['Sandbags', 'Pumps'].map((text) => ({
            type: 'listItem',
            content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          })),
        },
      ],
    };
    assert.equal(
      (await autosave(writer, id, { title: 'Rendered', sectionId: climateId, authorIds: [amaraId], bodyJson: JSON.stringify(doc) }))
        .statusCode,
      200,
    );
    await writer.get(`/newsroom/articles/${id}`);
    assert.equal((await writer.post(`/newsroom/articles/${id}/move`, { to: 'submitted' })).statusCode, 303);
    const page = await writer.get(`/newsroom/articles/${id}`);
    assert.doesNotMatch(page.body, /name="bodyText"/, 'no plain text box');
    assert.match(page.body, /<ul><li><p>Sandbags<\/p><\/li><li><p>Pumps<\/p><\/li><\/ul>/);
    assert.match(page.body, /<a href="https:\/\/example\.org\/report" rel="noopener noreferrer nofollow">the report<\/a>/);
  });
});

describe('comparing revisions', () => {
  it('compares two 10,000-word versions and marks only the real change', async () => {
    const id = await newDraft(writer, 'Long read');
    const words = Array.from({ length: 10_000 }, (_, i) => ['river', 'town', 'rain', 'wall', 'night', 'pump', 'field', 'road'][i % 8]!);
    const paragraphs = (list: string[]) => Array.from({ length: 100 }, (_, p) => list.slice(p * 100, p * 100 + 100).join(' ')).join('\n\n');
    const base = articleFormFields((await writer.get(`/newsroom/articles/${id}`)).body);
    assert.equal((await postFields(writer, `/newsroom/articles/${id}`, set(base, 'bodyText', paragraphs(words)))).statusCode, 303);
    const changed = [...words];
    changed[7_345] = 'lighthouse';
    const next = articleFormFields((await writer.get(`/newsroom/articles/${id}`)).body);
    assert.equal((await postFields(writer, `/newsroom/articles/${id}`, set(next, 'bodyText', paragraphs(changed)))).statusCode, 303);
    const revisions = await t.db.selectFrom('article_revisions').select('id').where('article_id', '=', id).orderBy('version').execute();
    const started = performance.now();
    const res = await writer.get(`/newsroom/articles/${id}/revisions/compare?a=${revisions[1]!.id}&b=${revisions[2]!.id}`);
    console.log(`compare page for two 10,000-word versions: ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(res.statusCode, 200);
    const body = res.body.slice(res.body.indexOf('Body'));
    assert.deepEqual(
      [...body.matchAll(/<del>([^<]*)<\/del>/g)].map((m) => m[1]),
      [words[7_345]],
    );
    assert.deepEqual(
      [...body.matchAll(/<ins>([^<]*)<\/ins>/g)].map((m) => m[1]),
      ['lighthouse'],
    );
  });
});

describe('crafted documents', () => {
  const deepJson = (levels: number) =>
    '{"type":"doc","content":[' + '{"type":"blockquote","content":['.repeat(levels) + '{"type":"paragraph"}' + ']}'.repeat(levels) + ']}';

  it('answers 422 with a clear message, never 500, and stores nothing', async () => {
    const id = await newDraft(writer, 'Crafted');
    const fields = { title: 'Crafted', sectionId: climateId, authorIds: [amaraId] };
    const cases: [string, RegExp][] = [
      [JSON.stringify({ type: 'doc', content: 'Hello' }), /not a valid document/],
      [JSON.stringify({ type: 'doc', content: [null] }), /not a valid document/],
      [JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 5 }] }] }), /not a valid document/],
      [deepJson(5_000), /nested too deeply/],
      ['{"type":"doc",', /could not be read/],
    ];
    for (const [bodyJson, message] of cases) {
      const res = await autosave(writer, id, { ...fields, bodyJson });
      assert.equal(res.statusCode, 422, bodyJson.slice(0, 60));
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      assert.match(res.json<{ detail: string }>().detail, message);
    }
    const odd = await autosave(writer, id, 'not an object');
    assert.equal(odd.statusCode, 422);

    const page = await writer.get(`/newsroom/articles/${id}`);
    // 1,000 levels: 5,000 would pass the form body limit (a 413) before reaching the check.
    const form = await postFields(writer, `/newsroom/articles/${id}`, [
      ...articleFormFields(page.body).filter(([n]) => n !== 'bodyText' && n !== 'bodyJson'),
      ['bodyJson', deepJson(1_000)],
    ]);
    assert.equal(form.statusCode, 422);
    assert.match(textOf(form.body), /The text is nested too deeply/);
    const row = await article(id);
    assert.equal(row.version, 1);
    assert.equal(row.body_html, '');
  });
});
