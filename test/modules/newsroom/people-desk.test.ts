import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayUtc } from '../../../src/lib/dates.js';
import { articles as demoArticles } from '../../../src/demo/content.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish;
let writer: Browserish;
const idOf = async (slug: string) => (await t.db.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
  writer = await staffClient(t, 'amara-nwosu');
});
after(() => t.close());

describe('people and roles in the newsroom', () => {
  it('promotes a correspondent to section editor, ending the old role the same day', async () => {
    const farah = await idOf('farah-haddad');
    const section = await t.db.selectFrom('sections').select('id').where('slug', '=', 'international-affairs').executeTakeFirstOrThrow();
    await chief.get(`/newsroom/people/${farah}`);
    const res = await chief.post(`/newsroom/people/${farah}/roles`, {
      role: 'section_editor',
      sectionId: section.id,
      startsOn: todayUtc(),
      promotion: '1',
    });
    assert.equal(res.statusCode, 303);
    const page = await t.app.inject({ method: 'GET', url: '/people/farah-haddad' });
    assert.match(page.body, /<p class="profile__role">International Affairs Section Editor<\/p>/);
    const roles = await t.db.selectFrom('role_assignments').select(['role', 'ends_on']).where('person_id', '=', farah).execute();
    assert.ok(
      roles.some((r) => r.role === 'correspondent' && r.ends_on === todayUtc()),
      'the correspondent role ends the day of the promotion',
    );
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_name']).where('subject_id', '=', farah).execute();
    assert.deepEqual(audit, [{ action: 'role.added', actor_name: 'Aarav Kulkarni' }]);
  });

  it('shows a role as former once it is ended', async () => {
    const ruth = await idOf('ruth-abernethy');
    const role = await t.db
      .selectFrom('role_assignments')
      .select(['id', 'starts_on'])
      .where('person_id', '=', ruth)
      .where('ends_on', 'is', null)
      .executeTakeFirstOrThrow();
    await chief.get(`/newsroom/people/${ruth}`);
    const res = await chief.post(`/newsroom/people/${ruth}/roles/${role.id}`, { startsOn: role.starts_on, endsOn: todayUtc() });
    assert.equal(res.statusCode, 303);
    const page = await t.app.inject({ method: 'GET', url: '/people/ruth-abernethy' });
    assert.match(page.body, /<p class="profile__role">former Managing Editor<\/p>/);
    const reversed = await chief.post(`/newsroom/people/${ruth}/roles/${role.id}`, { startsOn: '2030-01-01', endsOn: '2029-01-01' });
    assert.equal(reversed.statusCode, 422);
    assert.match(reversed.body, /A role can’t end before it starts\./);
  });

  it('adds a person, keeping what was typed when a field is wrong, and never shows the birth date', async () => {
    await chief.get('/newsroom/people/new');
    const bad = await chief.post('/newsroom/people', { name: 'Noor Rahman', birthDate: '17/05/2009', locations: 'Dhaka, Bangladesh' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Write the date of birth as YYYY-MM-DD/);
    assert.match(bad.body, /value="Noor Rahman"/);
    const ok = await chief.post('/newsroom/people', {
      name: 'Noor Rahman',
      birthDate: '2009-05-17',
      locations: 'Dhaka, Bangladesh\nLondon, United Kingdom',
      languages: 'Bengali, English',
      bio: 'Noor writes about cities.',
    });
    assert.equal(ok.statusCode, 303);
    const page = await t.app.inject({ method: 'GET', url: '/people/noor-rahman' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Dhaka, Bangladesh \| London, United Kingdom/);
    assert.doesNotMatch(page.body, /2009-05-17|17 May 2009/);
  });

  it('lets staff edit their own public fields but not roles or other people', async () => {
    const amara = await idOf('amara-nwosu');
    const page = await writer.get(`/newsroom/people/${amara}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Add a role/);
    const res = await writer.post(`/newsroom/people/${amara}`, {
      name: 'Amara Nwosu',
      birthDate: '2008-03-15',
      languages: 'English, Igbo, French, Spanish',
      locations: 'Lagos, Nigeria',
    });
    assert.equal(res.statusCode, 303);
    assert.match(
      (await t.app.inject({ method: 'GET', url: '/people/amara-nwosu' })).body,
      /Amara speaks English, Igbo, French and Spanish\./,
    );
    assert.equal((await writer.get('/newsroom/people')).statusCode, 403);
    assert.equal((await writer.post(`/newsroom/people/${amara}/roles`, { role: 'editor_in_chief', startsOn: todayUtc() })).statusCode, 403);
    assert.equal((await writer.get(`/newsroom/people/${await idOf('marta-quiroga')}`)).statusCode, 403);
  });

  it('links an account by email, refusing an unknown address', async () => {
    const noor = await idOf('noor-rahman');
    await chief.get(`/newsroom/people/${noor}`);
    const unknown = await chief.post(`/newsroom/people/${noor}/account`, { email: 'nobody@example.org' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /No account uses that email address/);
    const id = await t.app.accounts.createVerifiedUser('noor@example.org', 'Noor');
    assert.equal((await chief.post(`/newsroom/people/${noor}/account`, { email: 'Noor@Example.org' })).statusCode, 303);
    const row = await t.db.selectFrom('people').select('user_id').where('id', '=', noor).executeTakeFirstOrThrow();
    assert.equal(row.user_id, id);
  });
});

describe('the editor’s pick', () => {
  it('is chosen by the editor-in-chief and shows on the home page', async () => {
    const target = demoArticles.find((a) => a.status === 'published' && a.slug !== demoArticles[0]!.slug)!;
    const id = (await t.db.selectFrom('articles').select('id').where('slug', '=', target.slug).executeTakeFirstOrThrow()).id;
    await writer.get('/newsroom');
    assert.equal((await writer.post(`/newsroom/articles/${id}/pick`, {})).statusCode, 403);
    await chief.get(`/newsroom/articles/${id}`);
    assert.equal((await chief.post(`/newsroom/articles/${id}/pick`, {})).statusCode, 303);
    const home = (await t.app.inject({ method: 'GET', url: '/' })).body;
    const pick = home.slice(home.indexOf('pick-heading'), home.indexOf('latest-heading'));
    assert.ok(pick.includes(`/articles/${target.slug}`));
  });
});
