// The newsroom's search is answered from an index (SQLite: the trigram FTS5 table
// desk_fts kept by triggers; PostgreSQL: pg_trgm GIN indexes on the searched
// expressions), with the same answers as a read of every article: a substring of
// the headline, dek or body, in any case, the body matched as its HTML. Writes
// and deletes keep the index right.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { drafts } from '../../../src/modules/articles/index.js';
import { newId } from '../../../src/lib/ids.js';
import { rt, renderRichText as renderHtml } from '../../../src/lib/rich-text.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, databaseKind, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish;
let sectionId: string;

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  sectionId = (await t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow()).id;
});
after(() => t.close());

async function draft(title: string, body: string, dek = ''): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  const doc = rt.doc(rt.p(body));
  await t.db
    .insertInto('articles')
    .values({
      id,
      slug: `desk-search-${id}`,
      status: 'draft',
      title,
      dek,
      section_id: sectionId,
      body_json: JSON.stringify(doc),
      body_html: renderHtml(doc),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The ids the desk lists for these words (as the editor-in-chief, who sees every article). */
async function search(q: string): Promise<string[]> {
  const { rows } = await drafts.listDesk(t.db, { q, visibleTo: { personId: 'nobody', sectionIds: [], all: true } }, 50, 0);
  return rows.map((r) => r.id);
}

/** The plan of the desk's query for these words, as text. */
async function planOf(q: string): Promise<string> {
  const query = (await drafts.deskQuery(t.db, { q }, 25, 0)).compile();
  if (databaseKind === 'sqlite') {
    const { rows } = await t.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    return rows.map((r) => r.detail).join('\n');
  }
  // A handful of demo articles: a sequential scan is cheaper, and an index walk in the desk's
  // order too; with both off, what is left is what the indexes answer.
  return t.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_indexscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('the desk search index', () => {
  it('finds a rare word in one draft: in its body, in any case, and only that draft', async () => {
    const id = await draft('A quiet headline', 'The committee met the Quibblewort family at noon.');
    await draft('Another headline', 'Nothing of note here.');
    assert.deepEqual(await search('quibblewort'), [id]);
    assert.deepEqual(await search('QUIBBLEWORT FAMILY'), [id]);
    assert.deepEqual(await search('bblew'), [id], 'a part of a word');
    const page = await chief.get('/newsroom/articles?q=quibblewort');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /A quiet headline/);
    assert.doesNotMatch(page.body, /Another headline/);
  });

  it('matches the body as its HTML, and headlines and deks as typed', async () => {
    const id = await draft('Fish & chips <tonight>', 'Salt & vinegar for the zephyrine crowd.', 'Grapes & wrath');
    assert.deepEqual(await search('salt & vinegar'), [id], 'an ampersand in the body (stored as &amp;)');
    assert.deepEqual(await search('fish & chips'), [id], 'an ampersand in the headline');
    assert.deepEqual(await search('grapes & wrath'), [id], 'in the dek');
    const quoted = await draft('She said "zorbulate now" twice', 'Quotes and all.');
    assert.deepEqual(await search('said "zorbulate'), [quoted], 'a double quote is text, not FTS syntax');
    assert.deepEqual(await search('zorbulate OR NOT x*'), [], 'and so are FTS operators');
  });

  it('answers a word in no article from the index, not by reading every article', async () => {
    assert.deepEqual(await search('zqxwvjk'), []);
    const plan = await planOf('zqxwvjk');
    if (databaseKind === 'sqlite') {
      assert.match(plan, /desk_fts VIRTUAL TABLE INDEX/, plan);
      assert.doesNotMatch(plan, /^SCAN articles$/m, plan);
    } else {
      for (const index of ['articles_title_trgm', 'articles_dek_trgm', 'articles_body_html_trgm'])
        assert.match(plan, new RegExp(`Bitmap Index Scan on ${index}`), plan);
    }
  });

  it('still finds words under three letters, which a trigram index cannot look up', async () => {
    const id = await draft('Qx marks the spot', 'Short words.');
    assert.ok((await search('qx')).includes(id));
  });

  it('pages through a word in a thousand articles or more (walked in the desk order, not sorted from the index)', async () => {
    const at = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString();
    const rows = Array.from({ length: 1100 }, (_, i) => ({
      id: newId(),
      slug: `common-${i}`,
      status: 'draft' as const,
      title: `Common word vexillology, number ${i}`,
      section_id: sectionId,
      body_json: '{}',
      body_html: '',
      created_at: at(i),
      updated_at: at(i),
    }));
    await t.db.insertInto('articles').values(rows).execute();
    const everyone = { personId: 'nobody', sectionIds: [], all: true };
    const first = await drafts.listDesk(t.db, { q: 'VEXILLOLOGY', visibleTo: everyone }, 25, 0);
    assert.deepEqual(
      first.rows.map((r) => r.title),
      Array.from({ length: 25 }, (_, i) => `Common word vexillology, number ${1099 - i}`),
    );
    assert.equal(first.more, true);
    const last = await drafts.listDesk(t.db, { q: 'vexillology', visibleTo: everyone }, 25, 1100 - 10);
    assert.equal(last.rows.length, 10);
    assert.equal(last.more, false);
    await t.db.deleteFrom('articles').where('slug', 'like', 'common-%').execute();
    assert.deepEqual(await search('vexillology'), []);
  });

  it('follows saves and deletes', async () => {
    const id = await draft('Moving target', 'The first word is marmalisk.');
    assert.deepEqual(await search('marmalisk'), [id]);
    const doc = rt.doc(rt.p('The second word is thrumbleweed.'));
    await t.db
      .updateTable('articles')
      .set({ body_json: JSON.stringify(doc), body_html: renderHtml(doc), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    assert.deepEqual(await search('marmalisk'), [], 'the old body is forgotten');
    assert.deepEqual(await search('thrumbleweed'), [id], 'the new body is found');
    await t.db.updateTable('articles').set({ title: 'Renamed cassowary piece' }).where('id', '=', id).execute();
    assert.deepEqual(await search('cassowary'), [id]);
    assert.deepEqual(await search('moving target'), []);
    await t.db.deleteFrom('articles').where('id', '=', id).execute();
    assert.deepEqual(await search('thrumbleweed'), []);
    assert.deepEqual(await search('cassowary'), []);
    if (databaseKind === 'sqlite') {
      const { rows } = await sql<{ n: number }>`select count(*) as n from desk_fts_keys where article_id = ${id}`.execute(t.db);
      assert.equal(Number(rows[0]!.n), 0, 'its index row is gone');
    }
  });
});
