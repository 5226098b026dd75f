import { sql } from 'kysely';
import type { ScopedDb } from '../../db/scoped.js';
import type { PersonRow, RoleName } from '../../db/schema.js';
import { PRIVACY_COLUMNS, type PrivacyRow } from './public-person.js';

/**
 * The people module's tables, and the sections (the articles module's) read for
 * role titles such as "Human Rights Section Editor": the one table read across
 * a boundary, named here so that any other one fails to compile.
 */
type Executor = ScopedDb<'people' | 'role_assignments' | 'newsrooms' | 'newsroom_members' | 'sections'>;

/** Everything a public page may show of a person: birth date and account link are not selected. */
const PUBLIC_PERSON_COLUMNS = [
  'people.id',
  'people.slug',
  'people.name',
  'people.photo_media_id',
  'people.birthplace',
  'people.show_birthplace',
  'people.locations',
  'people.languages',
  'people.bio_html',
  ...PRIVACY_COLUMNS,
] as const;

export type PublicPersonRow = Pick<
  PersonRow,
  'id' | 'slug' | 'name' | 'photo_media_id' | 'birthplace' | 'show_birthplace' | 'locations' | 'languages' | 'bio_html'
> &
  PrivacyRow;

export async function findPersonBySlug(db: Executor, slug: string): Promise<PublicPersonRow | undefined> {
  return db.selectFrom('people').select(PUBLIC_PERSON_COLUMNS).where('slug', '=', slug).executeTakeFirst();
}

export async function findPeopleByIds(db: Executor, ids: string[]): Promise<PublicPersonRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(PUBLIC_PERSON_COLUMNS).where('id', 'in', ids).execute();
}

/** Birth dates, for the byline's age arithmetic only: never handed to a view. */
export async function findBirthDates(db: Executor, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'birth_date']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.birth_date]));
}

export interface RoleRow {
  person_id: string;
  role: RoleName;
  section_name: string | null;
  section_slug: string | null;
  newsroom_name: string | null;
  newsroom_slug: string | null;
  starts_on: string;
  ends_on: string | null;
}

export async function findRolesOfPeople(db: Executor, ids: string[]): Promise<RoleRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('role_assignments as r')
    .leftJoin('sections as s', 's.id', 'r.section_id')
    .leftJoin('newsrooms as n', 'n.id', 'r.newsroom_id')
    .select([
      'r.person_id',
      'r.role',
      's.name as section_name',
      's.slug as section_slug',
      'n.name as newsroom_name',
      'n.slug as newsroom_slug',
      'r.starts_on',
      'r.ends_on',
    ])
    .where('r.person_id', 'in', ids)
    .orderBy('r.starts_on', 'asc')
    .execute();
}

export async function findNewsroomBySlug(db: Executor, slug: string) {
  return db.selectFrom('newsrooms').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findNewsroomMembers(db: Executor, newsroomId: string) {
  return db
    .selectFrom('newsroom_members')
    .select(['person_id', 'role', 'starts_on', 'ends_on'])
    .where('newsroom_id', '=', newsroomId)
    .orderBy('starts_on', 'asc')
    .execute();
}

/** A person's newsroom memberships: oldest first for the public page, newest first for the people desk. */
export async function findNewsroomsOfPerson(db: Executor, personId: string, order: 'asc' | 'desc' = 'asc') {
  return db
    .selectFrom('newsroom_members as m')
    .innerJoin('newsrooms as n', 'n.id', 'm.newsroom_id')
    .select(['m.id', 'n.slug', 'n.name', 'm.role', 'm.starts_on', 'm.ends_on'])
    .where('m.person_id', '=', personId)
    .orderBy('m.starts_on', order)
    .execute();
}

/** The people directory lists only the profiles their owners leave listed (byline privacy). */
export async function listPeopleIds(db: Executor, limit: number, offset: number): Promise<string[]> {
  const rows = await db
    .selectFrom('people')
    .select('id')
    .where('listed', '=', 1)
    // By the name shown: a pen name does not stand where the real name would.
    .orderBy(sql`case when name_shown = 'pen' then pen_name else name end`, 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => r.id);
}

export async function countPeople(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('listed', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listNewsrooms(db: Executor) {
  return db
    .selectFrom('newsrooms')
    .select(['slug', 'name', 'description', 'kind', 'starts_on', 'ends_on'])
    .orderBy('starts_on', 'desc')
    .execute();
}

/** The roles a person holds on a day (open assignments), each with its section. */
export async function findRolesHeldOn(db: Executor, personId: string, day: string) {
  return db
    .selectFrom('role_assignments')
    .select(['role', 'section_id'])
    .where('person_id', '=', personId)
    .where('starts_on', '<=', day)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', day)]))
    .execute();
}
