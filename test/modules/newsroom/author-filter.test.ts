// The article list's Author filter is a text field (a name or part of one)
// resolved on the server, not a list of every person on the magazine: one
// person's name filters by them, several are offered as links, none says so.
// Links made before (`?author=<id>`) keep working.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish;

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(() => t.close());

const MARTAS = /Regional court orders Kestria/;
const TAVITAS = /Mapping a shrinking shoreline/;

describe('the Author filter of the newsroom article list', () => {
  it('is a labelled text field with a hint, not a list of everyone', async () => {
    const page = await chief.get('/newsroom/articles');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="filter-author">Author<\/label>/);
    assert.match(page.body, /<input id="filter-author" name="by" type="text" value=""[^>]*aria-describedby="filter-author-hint"/);
    assert.match(page.body, /id="filter-author-hint">\s*A name or part of one/);
    assert.doesNotMatch(page.body, /<select id="filter-author"/);
    assert.doesNotMatch(page.body, /<option[^>]*>Ruth Abernethy<\/option>/, 'no option per person');
  });

  it('filters by the one person whose name holds the words, in any case', async () => {
    const page = await chief.get('/newsroom/articles?by=QUIROGA');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, MARTAS);
    assert.doesNotMatch(page.body, TAVITAS);
    assert.match(page.body, /name="by" type="text" value="QUIROGA"/, 'the field keeps what was typed');
  });

  it('keeps the old links by id working, and shows the name in the field', async () => {
    const tavita = await t.db.selectFrom('people').select('id').where('slug', '=', 'tavita-leaupepe').executeTakeFirstOrThrow();
    const page = await chief.get(`/newsroom/articles?author=${tavita.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, TAVITAS);
    assert.doesNotMatch(page.body, MARTAS);
    assert.match(page.body, /name="by" type="text" value="Tavita Leaupepe"/);
  });

  it('offers the people when the words are in several names, each a link that filters by them', async () => {
    const page = await chief.get('/newsroom/articles?by=ar&status=published');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /people’s names contain “ar”: whose articles\?/);
    const marta = await t.db.selectFrom('people').select('id').where('slug', '=', 'marta-quiroga').executeTakeFirstOrThrow();
    const link = new RegExp(`<a href="/newsroom/articles\\?status=published&author=${marta.id}">Marta Quiroga</a>`);
    assert.match(page.body, link);
    assert.doesNotMatch(page.body, MARTAS, 'no list until one is chosen');
    const chosen = await chief.get(`/newsroom/articles?status=published&author=${marta.id}`);
    assert.match(chosen.body, MARTAS);
  });

  it('says so when no name holds the words, tied to the field', async () => {
    const page = await chief.get('/newsroom/articles?by=Zebedee');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<p class="field__error" id="filter-author-error">No one’s name contains “Zebedee”/);
    assert.match(page.body, /aria-describedby="filter-author-hint filter-author-error" aria-invalid="true"/);
    assert.doesNotMatch(page.body, MARTAS);
  });
});
