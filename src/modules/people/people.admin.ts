// Changing people, their roles over time, their newsrooms and account links.
// Used by the newsroom's people pages; every change is one transaction.
import type { Db } from '../../db/database.js';
import { nowIso, parseJsonArray } from '../../db/database.js';
import type { RoleName } from '../../db/schema.js';
import { newId, slugify } from '../../lib/ids.js';
import { renderRichText, type RichNode } from '../../lib/rich-text.js';
import { BadRequestError, NotFoundError } from '../../web/errors.js';
import { roleTitle } from './roles.js';

export interface PersonFields {
  name: string;
  birthDate: string | null;
  birthplace: string;
  showBirthplace: boolean;
  locations: string[];
  languages: string[];
  bio: RichNode;
  photoMediaId: string | null;
}

/** The columns a person's editable fields fill. */
function personColumns(fields: PersonFields) {
  return {
    name: fields.name,
    photo_media_id: fields.photoMediaId,
    birth_date: fields.birthDate,
    birthplace: fields.birthplace || null,
    show_birthplace: fields.showBirthplace ? 1 : 0,
    locations: JSON.stringify(fields.locations),
    languages: JSON.stringify(fields.languages),
    bio_json: JSON.stringify(fields.bio),
    bio_html: renderRichText(fields.bio),
  };
}

export async function listPeopleAdmin(db: Db) {
  const people = await db.selectFrom('people').leftJoin('users', 'users.id', 'people.user_id').select(['people.id', 'people.slug', 'people.name', 'users.email']).orderBy('people.name').execute();
  return people;
}

export async function personForEdit(db: Db, id: string) {
  const person = await db.selectFrom('people').leftJoin('users', 'users.id', 'people.user_id').select(['people.id', 'people.slug', 'people.name', 'people.birth_date', 'people.birthplace', 'people.show_birthplace', 'people.locations', 'people.languages', 'people.bio_json', 'people.photo_media_id', 'users.email']).where('people.id', '=', id).executeTakeFirst();
  if (!person) throw new NotFoundError('There is nobody with this address.');
  const roles = await db
    .selectFrom('role_assignments as r')
    .leftJoin('sections as s', 's.id', 'r.section_id')
    .leftJoin('newsrooms as n', 'n.id', 'r.newsroom_id')
    .select(['r.id', 'r.role', 'r.starts_on', 'r.ends_on', 's.name as section_name', 'n.name as newsroom_name'])
    .where('r.person_id', '=', id)
    .orderBy('r.starts_on', 'desc')
    .execute();
  const memberships = await db
    .selectFrom('newsroom_members as m')
    .innerJoin('newsrooms as n', 'n.id', 'm.newsroom_id')
    .select(['m.id', 'n.name', 'm.role', 'm.starts_on', 'm.ends_on'])
    .where('m.person_id', '=', id)
    .orderBy('m.starts_on', 'desc')
    .execute();
  return {
    ...person,
    locations: parseJsonArray(person.locations),
    languages: parseJsonArray(person.languages),
    roles: roles.map((r) => ({ ...r, title: roleTitle({ role: r.role, sectionName: r.section_name, newsroomName: r.newsroom_name }) })),
    memberships,
  };
}

async function uniqueSlug(db: Db, name: string, exceptId?: string): Promise<string> {
  const base = slugify(name) || 'person';
  let slug = base;
  for (let i = 2; ; i++) {
    const row = await db.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!row || row.id === exceptId) return slug;
    slug = `${base}-${i}`;
  }
}

export async function createPerson(db: Db, fields: PersonFields): Promise<{ id: string; slug: string }> {
  const id = newId();
  const now = nowIso();
  const slug = await uniqueSlug(db, fields.name);
  await db
    .insertInto('people')
    .values({ id, slug, ...personColumns(fields), user_id: null, created_at: now, updated_at: now })
    .execute();
  return { id, slug };
}

export async function updatePerson(db: Db, id: string, fields: PersonFields): Promise<void> {
  const result = await db
    .updateTable('people')
    .set({ ...personColumns(fields), updated_at: nowIso() })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError('There is nobody with this address.');
}

/**
 * Adds a role from a day. With `promotion`, every role the person holds that day
 * ends on it, so the new one follows without a gap or an overlap.
 */
export async function addRole(db: Db, personId: string, input: { role: RoleName; sectionId: string | null; newsroomId: string | null; startsOn: string; endsOn: string | null; promotion: boolean }): Promise<string> {
  if (input.role === 'section_editor' && !input.sectionId) throw new BadRequestError('A section editor needs a section.', 'section_required');
  if (input.endsOn && input.endsOn <= input.startsOn) throw new BadRequestError('A role must end after it starts.', 'dates_reversed');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    if (input.promotion) {
      await trx
        .updateTable('role_assignments')
        .set({ ends_on: input.startsOn })
        .where('person_id', '=', personId)
        .where('starts_on', '<', input.startsOn)
        .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', input.startsOn)]))
        .execute();
    }
    await trx
      .insertInto('role_assignments')
      .values({ id, person_id: personId, role: input.role, section_id: input.sectionId, newsroom_id: input.newsroomId, starts_on: input.startsOn, ends_on: input.endsOn, created_at: nowIso() })
      .execute();
  });
  return id;
}

export async function setRoleDates(db: Db, personId: string, roleId: string, startsOn: string, endsOn: string | null): Promise<void> {
  if (endsOn && endsOn <= startsOn) throw new BadRequestError('A role must end after it starts.', 'dates_reversed');
  const result = await db.updateTable('role_assignments').set({ starts_on: startsOn, ends_on: endsOn }).where('id', '=', roleId).where('person_id', '=', personId).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError('There is no such role.');
}

export async function addMembership(db: Db, personId: string, input: { newsroomId: string; role: string; startsOn: string; endsOn: string | null }): Promise<void> {
  await db.insertInto('newsroom_members').values({ id: newId(), newsroom_id: input.newsroomId, person_id: personId, role: input.role, starts_on: input.startsOn, ends_on: input.endsOn }).execute();
}

export async function endMembership(db: Db, personId: string, membershipId: string, endsOn: string): Promise<void> {
  const result = await db.updateTable('newsroom_members').set({ ends_on: endsOn }).where('id', '=', membershipId).where('person_id', '=', personId).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError('There is no such membership.');
}

/** Links the account with this email to the person (or unlinks with null). */
export async function linkAccount(db: Db, personId: string, email: string | null): Promise<void> {
  if (email === null) {
    await db.updateTable('people').set({ user_id: null }).where('id', '=', personId).execute();
    return;
  }
  const user = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!user) throw new BadRequestError('No account uses that email address. Ask the person to create one first.', 'no_such_account');
  const taken = await db.selectFrom('people').select('name').where('user_id', '=', user.id).where('id', '!=', personId).executeTakeFirst();
  if (taken) throw new BadRequestError(`That account is already linked to ${taken.name}.`, 'account_taken');
  await db.updateTable('people').set({ user_id: user.id }).where('id', '=', personId).execute();
}
