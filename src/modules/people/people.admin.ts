// Changing people, their roles over time, their newsrooms and account links.
// Used by the newsroom's people pages; every change is one transaction. Each
// function takes the person acting and refuses (403) anyone the access rules
// leave out, whichever page or script calls it.
import type { Db } from '../../db/database.js';
import { nowIso, parseJsonArray } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import type { RoleName } from '../../db/schema.js';
import { todayUtc } from '../../lib/dates.js';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import { renderRichText, type RichNode } from '../../lib/rich-text.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../web/errors.js';
import { emailsOf, endSessionsOf, inviteStaff, userIdByEmail, viewersChanged } from '../accounts/index.js';
import type { SiteIdentity } from '../../mail/layout.js';
import { canManagePeople, holderOf } from '../access/index.js';
import { roleChangeRefusal, roleTitle } from './roles.js';
import { personChanged, personMoved } from './changes.js';
import { createContributor, uniquePersonSlug } from './contributors.js';
import { findNewsroomsOfPerson } from './people.repository.js';
import { NAME_SHOWN, privacyOf, shownName, showsFullName, type BylinePrivacy } from './public-person.js';
import { slugify } from '../../lib/slug.js';

/** Who makes a change: the rules about roles need their person and roles, the audit log their name. */
export interface PeopleEditor {
  userId: string | null;
  personId: string | null;
  name: string;
  roles: RoleName[];
}

/** The people desk is for the chiefs and administrators; anyone else may edit only their own profile (`own`). */
function mayManage(by: PeopleEditor, own?: string): void {
  if (canManagePeople(holderOf(by.roles)) || (own !== undefined && by.personId === own)) return;
  throw new ForbiddenError('Only the editor-in-chief, mentors and administrators manage people and roles.');
}

function refuseRoleChange(by: PeopleEditor, personId: string, role: RoleName): void {
  const refusal = roleChangeRefusal(by, personId, role);
  if (refusal) throw new ForbiddenError(refusal, 'role_change_refused');
}

async function audit(db: Db, by: PeopleEditor, action: string, personId: string, details: object): Promise<void> {
  await recordAudit(db, { userId: by.userId, actorName: by.name, action, subjectType: 'person', subjectId: personId, details });
}

/**
 * A person who gains a staff role gets new sessions: every session of their
 * account ends, so one opened (or planted) before the change never carries
 * the new rights.
 */
async function endSessionsOfPerson(db: Db, personId: string): Promise<void> {
  const row = await db.selectFrom('people').select('user_id').where('id', '=', personId).executeTakeFirst();
  if (row?.user_id) await endSessionsOf(db, row.user_id);
}

/** Names of the fields a change touches, as the audit log shows them: never their values. */
const FIELD_LABELS: Record<keyof ReturnType<typeof personColumns>, string> = {
  name: 'name',
  photo_media_id: 'photo',
  birth_date: 'date of birth',
  birthplace: 'birthplace',
  show_birthplace: 'birthplace shown',
  locations: 'places',
  languages: 'languages',
  bio_json: 'biography',
  bio_html: 'biography',
};

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

export async function listPeopleAdmin(db: Db, by: PeopleEditor) {
  mayManage(by);
  const people = await db.selectFrom('people').select(['id', 'slug', 'name', 'user_id']).orderBy('name').execute();
  const emails = await emailsOf(
    db,
    people.flatMap((p) => (p.user_id ? [p.user_id] : [])),
  );
  return people.map(({ user_id, ...p }) => ({ ...p, email: (user_id && emails.get(user_id)) ?? null }));
}

export async function personForEdit(db: Db, by: PeopleEditor, id: string) {
  mayManage(by, id);
  const row = await db
    .selectFrom('people')
    .select([
      'id',
      'slug',
      'name',
      'birth_date',
      'birthplace',
      'show_birthplace',
      'locations',
      'languages',
      'bio_json',
      'photo_media_id',
      'user_id',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('There is nobody with this address.');
  const { user_id: linkedUser, ...fields } = row;
  const person = { ...fields, email: linkedUser ? ((await emailsOf(db, [linkedUser])).get(linkedUser) ?? null) : null };
  const roles = await db
    .selectFrom('role_assignments as r')
    .leftJoin('sections as s', 's.id', 'r.section_id')
    .leftJoin('newsrooms as n', 'n.id', 'r.newsroom_id')
    .select(['r.id', 'r.role', 'r.starts_on', 'r.ends_on', 's.name as section_name', 'n.name as newsroom_name'])
    .where('r.person_id', '=', id)
    .orderBy('r.starts_on', 'desc')
    .execute();
  const memberships = await findNewsroomsOfPerson(db, id, 'desc');
  return {
    ...person,
    locations: parseJsonArray(person.locations),
    languages: parseJsonArray(person.languages),
    roles: roles.map((r) => ({ ...r, title: roleTitle({ role: r.role, sectionName: r.section_name, newsroomName: r.newsroom_name }) })),
    memberships,
  };
}

export async function createPerson(db: Db, by: PeopleEditor, fields: PersonFields): Promise<{ id: string; slug: string }> {
  mayManage(by);
  return db.transaction().execute(async (trx) => {
    const person = await createContributor(trx, { name: fields.name, fallbackSlug: 'person', now: nowIso() });
    await trx.updateTable('people').set(personColumns(fields)).where('id', '=', person.id).execute();
    await personChanged(trx, person.id);
    return person;
  });
}

/** Saves a person's fields and records which of them changed (their names only: a date of birth stays private). */
export async function updatePerson(db: Db, by: PeopleEditor, id: string, fields: PersonFields): Promise<void> {
  mayManage(by, id);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new NotFoundError('There is nobody with this address.');
    const columns = personColumns(fields);
    const changed = [
      ...new Set(
        (Object.keys(columns) as (keyof typeof columns)[])
          .filter((k) => String(columns[k] ?? '') !== String(before[k] ?? ''))
          .map((k) => FIELD_LABELS[k]),
      ),
    ];
    // A name shown as an initial follows the new name into the address (byline privacy).
    const slug = showsFullName(before) ? before.slug : await publicSlug(trx, id, before.slug, { ...before, name: fields.name });
    await trx
      .updateTable('people')
      .set({ ...columns, slug, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    if (changed.length) await audit(trx, by, 'person.updated', id, { name: fields.name, changed });
    await personMoved(trx, before.slug, slug);
    await personChanged(trx, id);
  });
}

/**
 * Adds a role from a day. With `promotion`, every role the person holds that day
 * ends on it, so the new one follows without a gap or an overlap; a role that
 * started that very day ends that day too (it was never held), instead of
 * staying open beside the new one.
 */
export async function addRole(
  db: Db,
  by: PeopleEditor,
  personId: string,
  input: {
    role: RoleName;
    sectionId: string | null;
    newsroomId: string | null;
    startsOn: string;
    endsOn: string | null;
    promotion: boolean;
  },
): Promise<string> {
  mayManage(by);
  refuseRoleChange(by, personId, input.role);
  if (input.role === 'section_editor' && !input.sectionId)
    throw new BadRequestError('A section editor needs a section.', 'section_required');
  if (input.endsOn && input.endsOn < input.startsOn) throw new BadRequestError('A role can’t end before it starts.', 'dates_reversed');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('people').select('id').where('id', '=', personId).executeTakeFirst();
    if (!person) throw new NotFoundError('There is nobody with this address.');
    let ended: string[] = [];
    if (input.promotion) {
      const open = await trx
        .selectFrom('role_assignments')
        .select(['id', 'role'])
        .where('person_id', '=', personId)
        .where('starts_on', '<=', input.startsOn)
        .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', input.startsOn)]))
        .execute();
      for (const r of open) refuseRoleChange(by, personId, r.role);
      ended = open.map((r) => r.id);
      if (ended.length) await trx.updateTable('role_assignments').set({ ends_on: input.startsOn }).where('id', 'in', ended).execute();
    }
    await trx
      .insertInto('role_assignments')
      .values({
        id,
        person_id: personId,
        role: input.role,
        section_id: input.sectionId,
        newsroom_id: input.newsroomId,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        created_at: nowIso(),
      })
      .execute();
    if (input.endsOn === null || input.endsOn > todayUtc()) await endSessionsOfPerson(trx, personId);
    await audit(trx, by, 'role.added', personId, {
      roleId: id,
      role: input.role,
      sectionId: input.sectionId,
      startsOn: input.startsOn,
      promotion: input.promotion,
      ...(ended.length ? { endedRoleIds: ended } : {}),
    });
    await personChanged(trx, personId);
  });
  return id;
}

async function roleOf(db: Db, personId: string, roleId: string) {
  const row = await db
    .selectFrom('role_assignments')
    .select(['id', 'role', 'section_id', 'starts_on', 'ends_on'])
    .where('id', '=', roleId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('There is no such role.');
  return row;
}

/** Changes a role's dates; ending it on its first day is allowed (it was then never held). */
export async function setRoleDates(
  db: Db,
  by: PeopleEditor,
  personId: string,
  roleId: string,
  startsOn: string,
  endsOn: string | null,
): Promise<void> {
  mayManage(by);
  if (endsOn && endsOn < startsOn) throw new BadRequestError('A role can’t end before it starts.', 'dates_reversed');
  await db.transaction().execute(async (trx) => {
    const role = await roleOf(trx, personId, roleId);
    refuseRoleChange(by, personId, role.role);
    await trx.updateTable('role_assignments').set({ starts_on: startsOn, ends_on: endsOn }).where('id', '=', roleId).execute();
    if (role.ends_on !== null && role.ends_on <= todayUtc() && (endsOn === null || endsOn > todayUtc()))
      await endSessionsOfPerson(trx, personId);
    await audit(trx, by, endsOn && endsOn !== role.ends_on ? 'role.ended' : 'role.updated', personId, {
      roleId,
      role: role.role,
      startsOn,
      endsOn,
    });
    await personChanged(trx, personId);
  });
}

/** What the confirmation page for deleting a role shows. */
export async function roleForDeletion(db: Db, by: PeopleEditor, personId: string, roleId: string) {
  mayManage(by);
  const role = await db
    .selectFrom('role_assignments as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('sections as s', 's.id', 'r.section_id')
    .leftJoin('newsrooms as n', 'n.id', 'r.newsroom_id')
    .select(['r.id', 'r.role', 'r.starts_on', 'r.ends_on', 's.name as section_name', 'n.name as newsroom_name', 'p.name as person_name'])
    .where('r.id', '=', roleId)
    .where('r.person_id', '=', personId)
    .executeTakeFirst();
  if (!role) throw new NotFoundError('There is no such role.');
  return { ...role, title: roleTitle({ role: role.role, sectionName: role.section_name, newsroomName: role.newsroom_name }) };
}

/** Deletes a role entered by mistake, as if it had never been given; the audit log keeps what it was. */
export async function deleteRole(db: Db, by: PeopleEditor, personId: string, roleId: string): Promise<void> {
  mayManage(by);
  await db.transaction().execute(async (trx) => {
    const role = await roleOf(trx, personId, roleId);
    refuseRoleChange(by, personId, role.role);
    await trx.deleteFrom('role_assignments').where('id', '=', roleId).execute();
    await audit(trx, by, 'role.deleted', personId, {
      roleId,
      role: role.role,
      sectionId: role.section_id,
      startsOn: role.starts_on,
      endsOn: role.ends_on,
    });
    await personChanged(trx, personId);
  });
}

export async function addMembership(
  db: Db,
  by: PeopleEditor,
  personId: string,
  input: { newsroomId: string; role: string; startsOn: string; endsOn: string | null },
): Promise<void> {
  mayManage(by);
  await db
    .insertInto('newsroom_members')
    .values({
      id: newId(),
      newsroom_id: input.newsroomId,
      person_id: personId,
      role: input.role,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
    })
    .execute();
}

export async function endMembership(db: Db, by: PeopleEditor, personId: string, membershipId: string, endsOn: string): Promise<void> {
  mayManage(by);
  const result = await db
    .updateTable('newsroom_members')
    .set({ ends_on: endsOn })
    .where('id', '=', membershipId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError('There is no such membership.');
}

/**
 * Links the account with this email to the person (or unlinks with null). The
 * account gains the person's roles, so the same rules hold as for giving them,
 * and the account's sessions end.
 */
export async function linkAccount(db: Db, by: PeopleEditor, personId: string, email: string | null): Promise<void> {
  mayManage(by);
  await db.transaction().execute(async (trx) => {
    const roles = await trx
      .selectFrom('role_assignments')
      .select('role')
      .where('person_id', '=', personId)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', todayUtc())]))
      .execute();
    for (const r of roles) refuseRoleChange(by, personId, r.role);
    if (email === null) {
      const linked = await trx.selectFrom('people').select('user_id').where('id', '=', personId).executeTakeFirst();
      await trx.updateTable('people').set({ user_id: null }).where('id', '=', personId).execute();
      // Its sessions stay, as a reader's: cached viewers must stop saying staff.
      if (linked?.user_id) await viewersChanged(trx, linked.user_id);
      await audit(trx, by, 'user.unlinked', personId, {});
      return;
    }
    const userId = await userIdByEmail(trx, email);
    if (!userId) throw new BadRequestError('No account uses that email address. Invite the person by email instead.', 'no_such_account');
    const taken = await trx
      .selectFrom('people')
      .select('name')
      .where('user_id', '=', userId)
      .where('id', '!=', personId)
      .executeTakeFirst();
    if (taken) throw new BadRequestError(`That account is already linked to ${taken.name}.`, 'account_taken');
    await trx.updateTable('people').set({ user_id: userId }).where('id', '=', personId).execute();
    await endSessionsOf(trx, userId);
    await audit(trx, by, 'user.linked', personId, { userId });
  });
}

/**
 * Invites a person without an account to the newsroom: one transaction finds
 * or creates the account for the address, links it to the person and queues the
 * email with a one-time sign-in link. What it tells the desk is the same whether
 * the address had an account or not, unless it belongs to someone else on staff.
 */
export async function invitePerson(db: Db, site: SiteIdentity, by: PeopleEditor, personId: string, emailInput: string): Promise<void> {
  mayManage(by);
  if (!isEmailAddress(emailInput)) throw new BadRequestError('Enter an email address like name@example.com.', 'bad_email');
  const email = normaliseEmail(emailInput);
  await db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('people').select(['id', 'name', 'user_id']).where('id', '=', personId).executeTakeFirst();
    if (!person) throw new NotFoundError('There is nobody with this address.');
    if (person.user_id)
      throw new BadRequestError(`${person.name} already has an account. Unlink it first to invite another address.`, 'already_linked');
    const roles = await trx
      .selectFrom('role_assignments')
      .select('role')
      .where('person_id', '=', personId)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', todayUtc())]))
      .execute();
    for (const r of roles) refuseRoleChange(by, personId, r.role);
    const existing = await userIdByEmail(trx, email);
    const taken = existing ? await trx.selectFrom('people').select('name').where('user_id', '=', existing).executeTakeFirst() : undefined;
    if (taken)
      throw new BadRequestError(`That address belongs to the account of ${taken.name}, who is already on the staff list.`, 'account_taken');
    const { userId } = await inviteStaff(trx, site, { email, name: person.name, invitedBy: by.name });
    await trx.updateTable('people').set({ user_id: userId, updated_at: nowIso() }).where('id', '=', personId).execute();
    await audit(trx, by, 'user.invited', personId, { userId });
  });
}

// ---- byline privacy ------------------------------------------------------------

/** A person's byline privacy, for the form: their real name (staff see it) and what the public sees now. */
export async function bylinePrivacyForEdit(db: Db, by: PeopleEditor, id: string) {
  mayManage(by, id);
  const row = await db
    .selectFrom('people')
    .select(['id', 'slug', 'name', 'name_shown', 'pen_name', 'show_place', 'show_portrait', 'listed', 'hide_age'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('There is nobody with this address.');
  return { id: row.id, slug: row.slug, name: row.name, shownName: shownName(row), privacy: privacyOf(row) };
}

/** What the audit log names for each choice that changed (never the pen name itself). */
const PRIVACY_LABELS: Record<keyof BylinePrivacy, string> = {
  nameShown: 'byline name',
  penName: 'byline name',
  showPlace: 'places shown',
  showPortrait: 'portrait shown',
  listed: 'profile listed',
  hideAge: 'age on bylines',
};

/** The longest pen name the form takes. */
export const PEN_NAME_MAX = 60;

/** Why a choice is refused, by field; empty when it may be saved. */
export function bylinePrivacyErrors(input: BylinePrivacy): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!NAME_SHOWN.includes(input.nameShown)) errors.nameShown = 'Choose how the name is shown.';
  else if (input.nameShown === 'pen' && input.penName.trim() === '')
    errors.penName = 'Enter the pen name to show, or choose another way to show the name.';
  if (input.penName.trim().length > PEN_NAME_MAX) errors.penName = `A pen name has at most ${PEN_NAME_MAX} characters.`;
  return errors;
}

/**
 * The slug a profile's address should have: the shown name's when the full name is
 * not shown (so the address does not spell it), the real name's otherwise. The
 * current slug stays when it already fits (`amara-n` or `amara-n-2`).
 */
async function publicSlug(trx: Db, id: string, current: string, row: Parameters<typeof shownName>[0]): Promise<string> {
  const base = slugify(showsFullName(row) ? row.name : shownName(row), 'person');
  if (current === base || new RegExp(`^${base}-\\d+$`).test(current)) return current;
  return uniquePersonSlug(trx, base, 'person', id);
}

/**
 * Saves how a person is shown in public, chosen by the person or an editor. When
 * the address changes (a name no longer shown), the old address is not redirected:
 * it answers 404, so the address that spells the full name leads nowhere and a
 * crawler that knew it does not learn the new one. The search index is brought up
 * to date in the same transaction (the person's listener); the caller drops cached
 * pages.
 */
export async function setBylinePrivacy(
  db: Db,
  by: PeopleEditor,
  id: string,
  input: BylinePrivacy,
): Promise<{ slug: string; slugChanged: boolean }> {
  mayManage(by, id);
  const errors = bylinePrivacyErrors(input);
  const first = Object.values(errors)[0];
  if (first) throw new BadRequestError(first, 'invalid_input');
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('people')
      .select(['id', 'slug', 'name', 'name_shown', 'pen_name', 'show_place', 'show_portrait', 'listed', 'hide_age'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) throw new NotFoundError('There is nobody with this address.');
    const columns = {
      name_shown: input.nameShown,
      pen_name: input.nameShown === 'pen' ? input.penName.trim() : '',
      show_place: input.showPlace ? 1 : 0,
      show_portrait: input.showPortrait ? 1 : 0,
      listed: input.listed ? 1 : 0,
      hide_age: input.hideAge ? 1 : 0,
    };
    const was = privacyOf(before);
    const now = privacyOf({ ...before, ...columns });
    const changed = [
      ...new Set((Object.keys(now) as (keyof BylinePrivacy)[]).filter((k) => now[k] !== was[k]).map((k) => PRIVACY_LABELS[k])),
    ];
    const slug = await publicSlug(trx, id, before.slug, { name: before.name, ...columns });
    if (slug !== before.slug) changed.push('address');
    await trx
      .updateTable('people')
      .set({ ...columns, slug, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    if (changed.length) await audit(trx, by, 'person.updated', id, { name: before.name, changed });
    await personMoved(trx, before.slug, slug);
    await personChanged(trx, id);
    return { slug, slugChanged: slug !== before.slug };
  });
}
