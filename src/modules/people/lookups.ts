// What other modules ask about people: who holds a role today, where to email
// them, the names on bylines and newsrooms, and the lists the newsroom's pickers offer. Kept here so that only the people
// module reads its tables; email addresses come from the accounts module.
import { containsInsensitive, parseJsonArray, type Db } from '../../db/database.js';
import type { RoleName } from '../../db/schema.js';
import { emailsOf } from '../accounts/index.js';
import type { PeopleDb } from './contributors.js';
import { shownName } from './public-person.js';

/** The ids of the people holding one of these roles today (optionally of one section). */
export async function peopleWithRole(db: PeopleDb, roles: RoleName[], today: string, sectionId?: string): Promise<string[]> {
  let q = db
    .selectFrom('role_assignments')
    .select('person_id')
    .where('role', 'in', roles)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', today)]));
  if (sectionId) q = q.where('section_id', '=', sectionId);
  return (await q.execute()).map((r) => r.person_id);
}

/** Where to reach these people: the name and address of each one whose profile is linked to an account. */
export async function emailsOfPeople(db: Db, personIds: string[]): Promise<{ email: string; name: string }[]> {
  if (personIds.length === 0) return [];
  const linked = await db
    .selectFrom('people')
    .select(['name', 'user_id'])
    .where('id', 'in', personIds)
    .where('user_id', 'is not', null)
    .execute();
  const emails = await emailsOf(
    db,
    linked.map((p) => p.user_id!),
  );
  return linked.flatMap((p) => {
    const email = emails.get(p.user_id!);
    return email ? [{ email, name: p.name }] : [];
  });
}

export async function listPeopleForPicker(db: PeopleDb): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('people').select(['id', 'name']).orderBy('name').execute();
}

export async function listNewsroomsForPicker(db: PeopleDb): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('newsrooms').select(['id', 'name']).orderBy('name').execute();
}

/**
 * The people in bylines as the public sees them (byline privacy: the shown name,
 * whether their age goes on the byline and whether their places are shown), for
 * lists; no other personal field.
 */
export async function bylineNames(
  db: PeopleDb,
  personIds: string[],
): Promise<{ id: string; slug: string; name: string; showAge: boolean; showPlace: boolean }[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('people')
    .select(['id', 'slug', 'name', 'name_shown', 'pen_name', 'hide_age', 'show_place'])
    .where('id', 'in', personIds)
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: shownName(r), showAge: r.hide_age !== 1, showPlace: r.show_place !== 0 }));
}

export async function newsroomNames(db: PeopleDb, ids: string[]): Promise<{ id: string; slug: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('newsrooms').select(['id', 'slug', 'name']).where('id', 'in', ids).execute();
}

/**
 * The people whose name holds these words (any case), in name order, at most `limit`:
 * the newsroom's Author filter, typed instead of chosen from everyone.
 */
export async function peopleNamed(db: PeopleDb, text: string, limit = 20): Promise<{ id: string; name: string }[]> {
  const words = text.trim();
  if (words === '') return [];
  return db
    .selectFrom('people')
    .select(['id', 'name'])
    .where(containsInsensitive('name', words))
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A person's name, when there is such a person. */
export async function personName(db: PeopleDb, id: string): Promise<string | undefined> {
  return (await db.selectFrom('people').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/**
 * Each person's own name and first place ("City, Country", as the profile lists
 * them, or null), in one query: where the consent module finds a writer's country.
 */
export async function namesAndFirstPlaces(
  db: PeopleDb,
  personIds: string[],
): Promise<Map<string, { name: string; firstPlace: string | null }>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'name', 'locations']).where('id', 'in', personIds).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, firstPlace: parseJsonArray(r.locations)[0] ?? null }]));
}
