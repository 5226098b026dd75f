// People and roles show the truth: the role on article cards, promotions and
// corrections of roles, who may give which role, and sessions after a new role.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayUtc } from '../../../src/lib/dates.js';
import { newId } from '../../../src/lib/ids.js';
import * as peopleAdmin from '../../../src/modules/people/people.admin.js';
import type { RoleName } from '../../../src/db/schema.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

let t: TestApp;
let chief: Browserish; // Aarav Kulkarni, editor-in-chief (not an administrator)
const today = todayUtc();
const idOf = async (slug: string) => (await t.db.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;

/** A person of the newsroom with these roles from today, who is not in the demo. */
async function addPerson(slug: string, name: string, roles: RoleName[]): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await t.db
    .insertInto('people')
    .values({
      id,
      slug,
      name,
      photo_media_id: null,
      birth_date: null,
      birthplace: null,
      show_birthplace: 0,
      locations: '[]',
      languages: '[]',
      bio_json: '{"type":"doc","content":[]}',
      bio_html: '',
      user_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const role of roles) {
    await t.db
      .insertInto('role_assignments')
      .values({ id: newId(), person_id: id, role, section_id: null, newsroom_id: null, starts_on: today, ends_on: null, created_at: now })
      .execute();
  }
  return id;
}

const rolesOf = (personId: string) =>
  t.db.selectFrom('role_assignments').select(['id', 'role', 'starts_on', 'ends_on']).where('person_id', '=', personId).execute();
const cardRole = (html: string, name: string) => {
  const at = html.indexOf(`>${name}</a>`);
  return at < 0 ? null : (/<p class="person-card__role">([^<]*)<\/p>/.exec(html.slice(at))?.[1] ?? null);
};

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(() => t.close());

describe('the role on article cards', () => {
  it('is the role held today, not the one held on the publication day', async () => {
    // Tavita was a contributor when the shoreline piece was published (2023), Climate Section Editor since 2024.
    const page = await t.app.inject({
      method: 'GET',
      url: '/articles/mapping-a-shrinking-shoreline-samoan-students-turn-data-into-evidence',
    });
    assert.equal(page.statusCode, 200);
    assert.equal(cardRole(page.body, 'Tavita Leaupepe'), 'Climate Section Editor');
  });

  it('reads “former …” once the role ended, on the article page as on the person page', async () => {
    const marta = await idOf('marta-quiroga');
    const role = (await rolesOf(marta)).find((r) => r.ends_on === null)!;
    await chief.get(`/newsroom/people/${marta}`);
    assert.equal(
      (await chief.post(`/newsroom/people/${marta}/roles/${role.id}`, { startsOn: role.starts_on, endsOn: today })).statusCode,
      303,
    );
    const article = await t.app.inject({
      method: 'GET',
      url: '/articles/regional-court-orders-kestria-to-free-detained-student-protesters',
    });
    assert.equal(cardRole(article.body, 'Marta Quiroga'), 'former Human Rights Section Editor');
    const person = await t.app.inject({ method: 'GET', url: '/people/marta-quiroga' });
    assert.match(person.body, /<p class="profile__role">former Human Rights Section Editor<\/p>/);
  });
});

describe('promotions and corrections of roles', () => {
  it('ends the old role when the promotion is on the day the old role started', async () => {
    const id = await addPerson('sam-okafor', 'Sam Okafor', ['contributor']);
    await chief.get(`/newsroom/people/${id}`);
    assert.equal(
      (await chief.post(`/newsroom/people/${id}/roles`, { role: 'staff_writer', startsOn: today, promotion: '1' })).statusCode,
      303,
    );
    const roles = await rolesOf(id);
    assert.equal(roles.find((r) => r.role === 'contributor')!.ends_on, today);
    assert.equal(roles.find((r) => r.role === 'staff_writer')!.ends_on, null);
    const page = await t.app.inject({ method: 'GET', url: '/people/sam-okafor' });
    assert.match(page.body, /<p class="profile__role">Staff Writer<\/p>/);
  });

  it('ends a role on its first day', async () => {
    const id = await addPerson('lena-brandt', 'Lena Brandt', ['correspondent']);
    const role = (await rolesOf(id))[0]!;
    await chief.get(`/newsroom/people/${id}`);
    const res = await chief.post(`/newsroom/people/${id}/roles/${role.id}`, { startsOn: today, endsOn: today });
    assert.equal(res.statusCode, 303);
    assert.equal((await rolesOf(id))[0]!.ends_on, today);
    const reversed = await chief.post(`/newsroom/people/${id}/roles/${role.id}`, { startsOn: today, endsOn: '2001-01-01' });
    assert.equal(reversed.statusCode, 422);
    assert.match(reversed.body, /A role can’t end before it starts\./);
  });

  it('deletes a role entered by mistake only after a confirmation, and audits it', async () => {
    const id = await addPerson('omar-saleh', 'Omar Saleh', ['newsletter_editor']);
    const role = (await rolesOf(id))[0]!;
    const editPage = await chief.get(`/newsroom/people/${id}`);
    assert.ok(editPage.body.includes(`href="/newsroom/people/${id}/roles/${role.id}/delete"`));
    const confirm = await chief.get(`/newsroom/people/${id}/roles/${role.id}/delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Delete “Newsletter Editor” of Omar Saleh\?/);
    const unconfirmed = await chief.post(`/newsroom/people/${id}/roles/${role.id}/delete`, {});
    assert.equal(unconfirmed.statusCode, 303);
    assert.equal((await rolesOf(id)).length, 1, 'nothing is deleted without the confirmation');
    const done = await chief.post(`/newsroom/people/${id}/roles/${role.id}/delete`, { confirm: 'yes' });
    assert.equal(done.statusCode, 303);
    assert.equal((await rolesOf(id)).length, 0);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_name', 'details']).where('subject_id', '=', id).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.action, 'role.deleted');
    assert.equal((JSON.parse(audit[0]!.details) as { role: string }).role, 'newsletter_editor');
  });
});

describe('who gives which role', () => {
  it('refuses a mentor who tries to make herself, or anyone, an administrator', async () => {
    const mina = await addPerson('mina-mentor', 'Mina Mentor', ['mentor']);
    const mentor = await staffClient(t, 'mina-mentor');
    await mentor.get(`/newsroom/people/${mina}`);
    const self = await mentor.post(`/newsroom/people/${mina}/roles`, { role: 'admin', startsOn: today, promotion: '' });
    assert.equal(self.statusCode, 403);
    assert.match(self.body, /Nobody changes their own roles/);
    const sam = await idOf('sam-okafor');
    await mentor.get(`/newsroom/people/${sam}`);
    assert.equal((await mentor.post(`/newsroom/people/${sam}/roles`, { role: 'admin', startsOn: today })).statusCode, 403);
    assert.equal((await mentor.post(`/newsroom/people/${sam}/roles`, { role: 'editor_in_chief', startsOn: today })).statusCode, 403);
    assert.equal((await mentor.post(`/newsroom/people/${sam}/roles`, { role: 'correspondent', startsOn: today })).statusCode, 303);
    const granted = await t.db
      .selectFrom('role_assignments')
      .select('role')
      .where('role', 'in', ['admin', 'editor_in_chief'])
      .where('person_id', 'in', [mina, sam])
      .execute();
    assert.deepEqual(granted, []);
    const aarav = await idOf('aarav-kulkarni');
    await chief.get(`/newsroom/people/${aarav}`);
    assert.equal(
      (await chief.post(`/newsroom/people/${aarav}/roles`, { role: 'mentor', startsOn: today })).statusCode,
      403,
      'the editor-in-chief cannot change her own roles either',
    );
  });

  it('checks the rule in the service too, and lets an administrator give the editor-in-chief role', async () => {
    const mina = await idOf('mina-mentor');
    const mentor = { userId: null, personId: mina, name: 'Mina Mentor', roles: ['mentor' as const] };
    await assert.rejects(
      peopleAdmin.addRole(t.db, mentor, mina, {
        role: 'admin',
        sectionId: null,
        newsroomId: null,
        startsOn: today,
        endsOn: null,
        promotion: false,
      }),
      { status: 403 },
    );
    await addPerson('ada-admin', 'Ada Admin', ['admin']);
    const admin = await staffClient(t, 'ada-admin');
    const lena = await idOf('lena-brandt');
    await admin.get(`/newsroom/people/${lena}`);
    assert.equal((await admin.post(`/newsroom/people/${lena}/roles`, { role: 'editor_in_chief', startsOn: today })).statusCode, 303);
    assert.ok((await rolesOf(lena)).some((r) => r.role === 'editor_in_chief'));
  });

  it('ends the sessions of someone who gains a staff role', async () => {
    const id = await addPerson('rui-costa', 'Rui Costa', []);
    const before = await staffClient(t, 'rui-costa'); // signed in while still a reader
    assert.equal((await before.get('/newsroom')).statusCode, 403);
    await chief.get(`/newsroom/people/${id}`);
    assert.equal((await chief.post(`/newsroom/people/${id}/roles`, { role: 'contributor', startsOn: today })).statusCode, 303);
    const after = await before.get('/newsroom');
    assert.equal(after.statusCode, 303, 'the old session no longer signs anyone in');
    assert.match(String(after.headers.location), /^\/account\/sign-in/);
    const fresh = await staffClient(t, 'rui-costa');
    assert.equal((await fresh.get('/newsroom')).statusCode, 200);
  });
});
