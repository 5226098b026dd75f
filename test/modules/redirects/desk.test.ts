// The newsroom's redirects desk: the editor-in-chief adds, edits and deletes
// redirects with forms that work without scripts, keep what was typed when they
// refuse it, name each field's problem, ask before deleting, and say what
// happened. Every change is in the audit log and takes effect at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setRedirect } from '../../../src/modules/redirects/index.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief
const DESK = '/newsroom/redirects';
const target = '/articles/phones-in-lockers-what-happened-when-two-schools-went-screen-free';

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(() => t.close());

const rowFrom = (from: string) => t.db.selectFrom('redirects').selectAll().where('from_path', '=', from).executeTakeFirst();
const visit = (url: string) => t.app.inject({ method: 'GET', url });

describe('the redirects desk', () => {
  it('is in the newsroom’s tabs and lists the demo’s redirects, readable and with who made them', async () => {
    const page = await chief.get(DESK);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/newsroom\/redirects" aria-current="page">Redirects<\/a>/);
    assert.match(textOf(page.body), /5 redirects in all/);
    assert.match(textOf(page.body), /\/weekly → \/newsletters 302 temporary Newsroom/);
    assert.match(textOf(page.body), /\/\?p=1187 → \/articles\/phones-in-lockers-[a-z-]+ 301 permanent Import \(wordpress\)/);
    assert.match(page.body, /name="_csrf"/);
  });

  it('refuses an empty form with a summary and an error on each field', async () => {
    await chief.get(DESK);
    const res = await chief.post(DESK, { from: '', to: '', status: '' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /data-error-summary/);
    assert.match(res.body, /href="#field-from"/);
    assert.match(res.body, /id="field-from-error"/);
    assert.match(res.body, /id="field-to-error"/);
    assert.match(res.body, /id="field-status-error"/);
  });

  it('refuses a target on another site, keeping what was typed', async () => {
    await chief.get(DESK);
    const res = await chief.post(DESK, { from: '/2017/05/09/field-trip/', to: 'https://elsewhere.example/trip', status: '302' });
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /Addresses on other sites are not allowed/);
    assert.match(res.body, /id="field-to" name="to" type="text" value="https:\/\/elsewhere.example\/trip"/);
    assert.match(res.body, /value="\/2017\/05\/09\/field-trip\/"/);
    assert.match(res.body, /value="302" checked/);
    assert.equal(await rowFrom('/2017/05/09/field-trip'), undefined);
  });

  it('adds a redirect, says so, and the old address leads to the new one at once', async () => {
    await chief.get(DESK);
    const res = await chief.post(DESK, { from: 'https://old.example.org/2017/05/09/field-trip/', to: target, status: '301' });
    assert.equal(res.statusCode, 303);
    const page = await chief.follow(res);
    assert.match(page.body, /role="status" aria-live="polite"><p>Redirect added.<\/p>/);
    assert.match(textOf(page.body), /\/2017\/05\/09\/field-trip/);
    const row = await rowFrom('/2017/05/09/field-trip');
    assert.equal(row?.source, 'manual');
    const visitor = await visit('/2017/05/09/field-trip/');
    assert.equal(visitor.statusCode, 301);
    assert.equal(visitor.headers.location, target);
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', row.id).execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['redirect.create'],
    );
  });

  it('refuses a second redirect from the same address, and one that would close a loop', async () => {
    await chief.get(DESK);
    const again = await chief.post(DESK, { from: '/2017/05/09/field-trip', to: '/search', status: '301' });
    assert.equal(again.statusCode, 422);
    assert.match(textOf(again.body), /There is already a redirect from this old address/);
    await chief.get(DESK);
    assert.equal((await chief.post(DESK, { from: '/round/one', to: '/round/two', status: '301' })).statusCode, 303);
    await chief.get(DESK);
    const loop = await chief.post(DESK, { from: '/round/two', to: '/round/one/', status: '301' });
    assert.equal(loop.statusCode, 422);
    assert.match(textOf(loop.body), /go round in a loop/);
    assert.equal(await rowFrom('/round/two'), undefined);
  });

  it('says when a page of the site answers the old address, and refuses the home page', async () => {
    await chief.get(DESK);
    const res = await chief.post(DESK, { from: '/search/', to: target, status: '301' });
    assert.equal(res.statusCode, 303);
    assert.match(textOf((await chief.follow(res)).body), /Redirect added\. A page of this site answers that old address/);
    assert.equal((await visit('/search')).statusCode, 200, 'the page wins');
    await chief.get(DESK);
    const home = await chief.post(DESK, { from: 'https://old.example.org/', to: target, status: '301' });
    assert.equal(home.statusCode, 422);
    assert.match(textOf(home.body), /The home page always answers its own address/);
  });

  it('finds redirects by part of an address', async () => {
    const found = await chief.get(`${DESK}?q=field-trip`);
    assert.match(textOf(found.body), /1 redirect found for “field-trip”/);
    await t.db.transaction().execute((trx) => setRedirect(trx, { from: '/при-вет/', to: '/search', source: 'wordpress' }));
    const letters = await chief.get(`${DESK}?q=${encodeURIComponent('ПРИ-в')}`);
    assert.match(textOf(letters.body), /1 redirect found for “ПРИ-в”/, 'letters find their escaped address, in either case');
    assert.match(textOf(letters.body), /\/при-вет → \/search/, 'shown as letters');
    const none = await chief.get(`${DESK}?q=nothing-like-it`);
    assert.match(textOf(none.body), /No redirect has “nothing-like-it” in its addresses/);
  });

  it('edits an imported redirect, which an import then leaves alone', async () => {
    await t.db.transaction().execute((trx) => setRedirect(trx, { from: '/category/sport/', to: '/search', source: 'wordpress' }));
    await t.app.contentVersion.bump();
    const row = (await rowFrom('/category/sport'))!;
    const form = await chief.get(`${DESK}/${row.id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="\/category\/sport"/);
    assert.match(textOf(form.body), /An import \(wordpress\) made this redirect/);

    const refused = await chief.post(`${DESK}/${row.id}`, { from: '/category/sport', to: '/category/sport/', status: '301' });
    assert.equal(refused.statusCode, 422);
    assert.match(textOf(refused.body), /the same as the old one/);
    assert.match(refused.body, /id="field-to" name="to" type="text" value="\/category\/sport\/"/);

    await chief.get(`${DESK}/${row.id}`);
    const saved = await chief.post(`${DESK}/${row.id}`, { from: '/category/sport', to: target, status: '302' });
    assert.equal(saved.statusCode, 303);
    assert.match((await chief.follow(saved)).body, /Redirect saved./);
    const visitor = await visit('/category/sport/');
    assert.equal(visitor.statusCode, 302);
    assert.equal(visitor.headers.location, target);
    const again = await t.db
      .transaction()
      .execute((trx) => setRedirect(trx, { from: '/category/sport/', to: '/search', source: 'wordpress' }));
    assert.equal(again, 'kept');
  });

  it('asks before deleting, then deletes, and the old address is not found any more', async () => {
    const row = (await rowFrom('/2017/05/09/field-trip'))!;
    const ask = await chief.get(`${DESK}/${row.id}/delete`);
    assert.equal(ask.statusCode, 200);
    assert.match(textOf(ask.body), /Delete the redirect from \/2017\/05\/09\/field-trip\?/);
    assert.match(ask.body, /name="confirm" value="yes"/);

    const unconfirmed = await chief.post(`${DESK}/${row.id}/delete`, {});
    assert.equal(unconfirmed.statusCode, 303);
    assert.equal(unconfirmed.headers.location, `${DESK}/${row.id}/delete`);
    assert.ok(await rowFrom('/2017/05/09/field-trip'), 'nothing deleted without the confirmation');

    await chief.get(`${DESK}/${row.id}/delete`);
    const deleted = await chief.post(`${DESK}/${row.id}/delete`, { confirm: 'yes' });
    assert.equal(deleted.statusCode, 303);
    assert.match((await chief.follow(deleted)).body, /Redirect deleted./);
    assert.equal(await rowFrom('/2017/05/09/field-trip'), undefined);
    assert.equal((await visit('/2017/05/09/field-trip/')).statusCode, 404);
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', row.id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['redirect.create', 'redirect.delete']);
    assert.equal((await chief.get(`${DESK}/${row.id}`)).statusCode, 404);
    const log = textOf((await chief.get('/newsroom/audit')).body);
    assert.match(log, /Deleted a redirect/);
    assert.match(log, new RegExp(`Added a redirect .*/2017/05/09/field-trip → ${target} \\(301\\)`));
  });

  it('refuses a form sent without its CSRF token', async () => {
    const res = await chief.post(DESK, { from: '/no-token', to: '/search', status: '301' }, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.equal(await rowFrom('/no-token'), undefined);
  });
});
