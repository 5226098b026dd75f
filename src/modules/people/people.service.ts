import type { Db } from '../../db/database.js';
import { parseJsonArray } from '../../db/database.js';
import { ageOn } from '../../lib/dates.js';
import type { RoleName } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { BadRequestError } from '../../web/errors.js';
import { picturesByIds, type Picture } from '../media/index.js';
import { paginate, type Pagination } from '../../web/http.js';
import {
  countPeople,
  findBirthDates,
  listNewsrooms,
  listPeopleIds,
  findNewsroomBySlug,
  findNewsroomMembers,
  findNewsroomsOfPerson,
  findPeopleByIds,
  findPersonBySlug,
  findRolesHeldOn,
  findRolesOfPeople,
  type PublicPersonRow,
  type RoleRow,
} from './people.repository.js';
import { displayedRole, roleTitle, SECTION_ROLES, type RoleSpan } from './roles.js';
import { endSessionsOf } from '../accounts/index.js';
import { createContributor } from './contributors.js';
import { publicPerson } from './public-person.js';

export interface PersonCard {
  id: string;
  slug: string;
  name: string;
  photo: Picture | null;
  role: { title: string; current: boolean } | null;
  locations: string[];
  languages: string[];
  /** Rendered by the rich-text sanitizer when saved; '' when it names what the person hides (byline privacy). */
  safeBioHtml: string;
  /** False when the person keeps their profile out of the directory, sitemaps and search. */
  listed: boolean;
}

export interface RoleTimelineEntry {
  title: string;
  sectionSlug: string | null;
  newsroomSlug: string | null;
  startsOn: string;
  endsOn: string | null;
}

export interface PersonProfile {
  card: PersonCard;
  birthplace: string | null;
  timeline: RoleTimelineEntry[];
  newsrooms: { slug: string; name: string; role: string; startsOn: string; endsOn: string | null }[];
}

function toSpan(r: RoleRow): RoleSpan {
  return { role: r.role, sectionName: r.section_name, newsroomName: r.newsroom_name, startsOn: r.starts_on, endsOn: r.ends_on };
}

function toCard(row: PublicPersonRow, roles: RoleRow[], photos: Map<string, Picture>, today: string): PersonCard {
  const shown = publicPerson(row);
  return {
    id: row.id,
    slug: row.slug,
    name: shown.name,
    photo: shown.photoMediaId ? (photos.get(shown.photoMediaId) ?? null) : null,
    role: displayedRole(roles.map(toSpan), today),
    locations: shown.locations,
    languages: parseJsonArray(row.languages),
    safeBioHtml: shown.safeBioHtml,
    listed: shown.listed,
  };
}

async function cardsFor(db: Db, rows: PublicPersonRow[], today: string): Promise<Map<string, PersonCard>> {
  const ids = rows.map((r) => r.id);
  const [roles, photos] = await Promise.all([
    findRolesOfPeople(db, ids),
    picturesByIds(
      db,
      rows.map((r) => publicPerson(r).photoMediaId),
    ),
  ]);
  return new Map(
    rows.map((row) => [
      row.id,
      toCard(
        row,
        roles.filter((r) => r.person_id === row.id),
        photos,
        today,
      ),
    ]),
  );
}

export async function personCards(db: Db, ids: string[], today: string): Promise<Map<string, PersonCard>> {
  return cardsFor(db, await findPeopleByIds(db, [...new Set(ids)]), today);
}

export async function personProfile(db: Db, slug: string, today: string): Promise<PersonProfile | null> {
  const row = await findPersonBySlug(db, slug);
  if (!row) return null;
  const [roles, photos, newsrooms] = await Promise.all([
    findRolesOfPeople(db, [row.id]),
    picturesByIds(db, [publicPerson(row).photoMediaId]),
    findNewsroomsOfPerson(db, row.id),
  ]);
  return {
    card: toCard(row, roles, photos, today),
    birthplace: publicPerson(row).birthplace,
    timeline: roles
      .map((r) => ({
        title: roleTitle(toSpan(r)),
        sectionSlug: r.section_slug,
        newsroomSlug: r.newsroom_slug,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
      }))
      .reverse(),
    newsrooms: newsrooms.map((n) => ({ slug: n.slug, name: n.name, role: n.role, startsOn: n.starts_on, endsOn: n.ends_on })),
  };
}

/**
 * Each author's age on the publication day: the age frozen at publication when
 * there is one, otherwise computed from the private birth date (drafts and
 * previews). Only the number leaves this function.
 */
export async function agesOn(
  db: Db,
  authors: { personId: string; frozenAge: number | null }[],
  day: string,
): Promise<Map<string, number | null>> {
  const missing = authors.filter((a) => a.frozenAge === null).map((a) => a.personId);
  const births = await findBirthDates(db, missing);
  return new Map(
    authors.map((a) => {
      if (a.frozenAge !== null) return [a.personId, a.frozenAge];
      const birth = births.get(a.personId);
      return [a.personId, birth ? ageOn(birth, day) : null];
    }),
  );
}

/**
 * Ages on bylines for many articles at once, each on its own publication day: one
 * query for the birth dates, whatever the number of articles. Keyed by `key`.
 */
export async function agesOnEach(
  db: Db,
  authors: { key: string; personId: string; frozenAge: number | null; day: string }[],
): Promise<Map<string, number | null>> {
  const missing = [...new Set(authors.filter((a) => a.frozenAge === null).map((a) => a.personId))];
  const births = await findBirthDates(db, missing);
  return new Map(
    authors.map((a) => {
      if (a.frozenAge !== null) return [a.key, a.frozenAge];
      const birth = births.get(a.personId);
      return [a.key, birth ? ageOn(birth, a.day) : null];
    }),
  );
}

export interface NewsroomProfile {
  id: string;
  slug: string;
  name: string;
  description: string;
  place: string;
  kind: 'standing' | 'pop-up';
  startsOn: string;
  endsOn: string | null;
  members: { card: PersonCard; role: string; startsOn: string; endsOn: string | null; current: boolean }[];
}

export async function newsroomProfile(db: Db, slug: string, today: string): Promise<NewsroomProfile | null> {
  const room = await findNewsroomBySlug(db, slug);
  if (!room) return null;
  const members = await findNewsroomMembers(db, room.id);
  const cards = await personCards(
    db,
    members.map((m) => m.person_id),
    today,
  );
  return {
    id: room.id,
    slug: room.slug,
    name: room.name,
    description: room.description,
    place: room.place,
    kind: room.kind,
    startsOn: room.starts_on,
    endsOn: room.ends_on,
    members: members.flatMap((m) => {
      const card = cards.get(m.person_id);
      const current = m.starts_on <= today && (m.ends_on === null || m.ends_on > today);
      return card ? [{ card, role: m.role, startsOn: m.starts_on, endsOn: m.ends_on, current }] : [];
    }),
  };
}

/** "English, Polish and Spanish" */
export function joinWithAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One page of the people directory, alphabetical. */
export async function peopleDirectory(
  db: Db,
  page: number,
  pageSize: number,
  today: string,
): Promise<{ people: PersonCard[]; pagination: Pagination }> {
  const pagination = paginate(page, pageSize, await countPeople(db));
  const ids = await listPeopleIds(db, pageSize, pagination.offset);
  const cards = await personCards(db, ids, today);
  return { people: ids.flatMap((id) => cards.get(id) ?? []), pagination };
}

export async function newsroomDirectory(db: Db) {
  return listNewsrooms(db);
}

/**
 * Links an account to a person profile (an existing one by slug, or a new one
 * with this name) and gives the person a role from today, unless they hold it.
 */
export async function linkStaffAccount(
  db: Db,
  input: { userId: string; role: RoleName; sectionId?: string | null; personSlug?: string; name: string },
): Promise<{ slug: string }> {
  const sectionId = input.sectionId ?? null;
  if (SECTION_ROLES.includes(input.role) && !sectionId) throw new BadRequestError('A section editor needs a section.', 'section_required');
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const today = now.slice(0, 10);
    let person = input.personSlug
      ? await trx.selectFrom('people').select(['id', 'slug']).where('slug', '=', input.personSlug).executeTakeFirst()
      : undefined;
    if (input.personSlug && !person) throw new BadRequestError(`There is no person with the slug ${input.personSlug}.`);
    person ??= await createContributor(trx, { name: input.name, fallbackSlug: 'staff', now });
    await trx.updateTable('people').set({ user_id: input.userId, updated_at: now }).where('id', '=', person.id).execute();
    const held = await trx
      .selectFrom('role_assignments')
      .select('id')
      .where('person_id', '=', person.id)
      .where('role', '=', input.role)
      .where((eb) => (sectionId ? eb('section_id', '=', sectionId) : eb('section_id', 'is', null)))
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', today)]))
      .executeTakeFirst();
    if (!held) {
      await trx
        .insertInto('role_assignments')
        .values({
          id: newId(),
          person_id: person.id,
          role: input.role,
          section_id: sectionId,
          newsroom_id: null,
          starts_on: today,
          ends_on: null,
          created_at: now,
        })
        .execute();
    }
    // The account now opens the newsroom: whatever sessions it had end.
    await endSessionsOf(trx, input.userId);
    return { slug: person.slug };
  });
}

/**
 * Makes a prize winner who accepted a place a contributor, inside the caller's
 * transaction: the profile linked to their account (created with the facts
 * given when there is none; missing private facts filled in, never overwriting
 * what the person or the newsroom entered) and a contributor role from `today`
 * unless they hold one, which ends the account's sessions. Returns the person's id.
 */
export async function makeContributorOfAccount(
  trx: Db,
  input: {
    userId: string;
    name: string;
    birthDate: string | null;
    locations: string[];
    bio: { json: string; html: string };
    today: string;
    now: string;
  },
): Promise<string> {
  const { now, today } = input;
  const locations = JSON.stringify(input.locations);
  let personId = (await trx.selectFrom('people').select('id').where('user_id', '=', input.userId).executeTakeFirst())?.id;
  if (personId) {
    if (input.birthDate)
      await trx
        .updateTable('people')
        .set({ birth_date: input.birthDate, updated_at: now })
        .where('id', '=', personId)
        .where('birth_date', 'is', null)
        .execute();
    await trx.updateTable('people').set({ locations, updated_at: now }).where('id', '=', personId).where('locations', '=', '[]').execute();
  } else {
    const fields = {
      name: input.name,
      fallbackSlug: 'contributor',
      now,
      userId: input.userId,
      birthDate: input.birthDate,
      locations: input.locations,
      bio: input.bio,
    };
    personId = (await createContributor(trx, fields)).id;
  }
  const held = await trx
    .selectFrom('role_assignments')
    .select('id')
    .where('person_id', '=', personId)
    .where('role', '=', 'contributor')
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', today)]))
    .executeTakeFirst();
  if (!held) {
    await trx
      .insertInto('role_assignments')
      .values({
        id: newId(),
        person_id: personId,
        role: 'contributor',
        section_id: null,
        newsroom_id: null,
        starts_on: today,
        ends_on: null,
        created_at: now,
      })
      .execute();
    // The account now opens the newsroom: whatever sessions it had end (the caller may start a fresh one).
    await endSessionsOf(trx, input.userId);
  }
  return personId;
}

/**
 * Names for the audit log: people by id, and accounts by the person they are
 * linked to. Only names and ids leave this function.
 */
export async function staffNames(
  db: Db,
  personIds: string[],
  userIds: string[],
): Promise<{ people: Map<string, string>; byUser: Map<string, { personId: string; name: string }> }> {
  const ids = [...new Set(personIds)];
  const users = [...new Set(userIds)];
  const [people, linked] = await Promise.all([
    ids.length ? db.selectFrom('people').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]),
    users.length ? db.selectFrom('people').select(['id', 'name', 'user_id']).where('user_id', 'in', users).execute() : Promise.resolve([]),
  ]);
  return {
    people: new Map(people.map((p) => [p.id, p.name])),
    byUser: new Map(linked.map((p) => [p.user_id!, { personId: p.id, name: p.name }])),
  };
}

/** The roles a person holds on a day, each with its section: what access rules are checked against. */
export async function rolesHeldOn(db: Db, personId: string, day: string): Promise<{ role: RoleName; sectionId: string | null }[]> {
  const rows = await findRolesHeldOn(db, personId, day);
  return rows.map((r) => ({ role: r.role, sectionId: r.section_id }));
}
