// Creating people and linking them to accounts, for every module that needs it:
// the people desk, the newsroom's staff accounts, prize winners offered a place,
// and account deletion. One rule makes a person's slug unique, so a profile
// gets the same address whichever door it came in through.
import type { Kysely } from 'kysely';
import type { ScopedDb } from '../../db/scoped.js';
import type { Database } from '../../db/schema.js';
import type { AccountPeople } from '../accounts/index.js';
import { newId } from '../../lib/ids.js';
import { slugify } from '../../lib/slug.js';
import { textToDoc } from '../../lib/plain-text.js';
import { renderRichText } from '../../lib/rich-text.js';
import { personChanged } from './changes.js';

/** What the people module's own queries may touch. */
export type PeopleDb = ScopedDb<'people' | 'role_assignments' | 'newsrooms' | 'newsroom_members'>;

const EMPTY_BIO = { json: '{"type":"doc","content":[]}', html: '' };

/** The name's slug, or that slug with the first free number after it (`ana-ruiz-2`); `exceptId` may keep its own. */
export async function uniquePersonSlug(db: PeopleDb, name: string, fallback: string, exceptId?: string): Promise<string> {
  const base = slugify(name, fallback);
  let slug = base;
  for (let i = 2; ; i++) {
    const row = await db.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!row || row.id === exceptId) return slug;
    slug = `${base}-${i}`;
  }
}

export interface NewContributor {
  name: string;
  /** The slug wanted (kept when free); the name's otherwise. */
  slug?: string;
  /** The slug's stem when the name has no letters a slug can keep ("person", "staff", "contributor"). */
  fallbackSlug: string;
  now: string;
  userId?: string | null;
  photoMediaId?: string | null;
  birthDate?: string | null;
  locations?: string[];
  bio?: { json: string; html: string };
}

/** Inserts a person profile with a unique slug, inside the caller's transaction. */
export async function createContributor(trx: PeopleDb, input: NewContributor): Promise<{ id: string; slug: string }> {
  const id = newId();
  const slug = await uniquePersonSlug(trx, input.slug || input.name, input.fallbackSlug);
  const bio = input.bio ?? EMPTY_BIO;
  await trx
    .insertInto('people')
    .values({
      id,
      slug,
      name: input.name,
      photo_media_id: input.photoMediaId ?? null,
      birth_date: input.birthDate ?? null,
      birthplace: null,
      show_birthplace: 0,
      locations: JSON.stringify(input.locations ?? []),
      languages: '[]',
      bio_json: bio.json,
      bio_html: bio.html,
      user_id: input.userId ?? null,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute();
  return { id, slug };
}

/** Account deletion: the profile stays, unlinked, for the editors to handle. */
export async function detachAccount(trx: PeopleDb, userId: string): Promise<void> {
  await trx.updateTable('people').set({ user_id: null }).where('user_id', '=', userId).execute();
}

/** The public profile linked to an account, for the account holder's data export. */
export async function profileOfAccount(db: PeopleDb, userId: string) {
  return db.selectFrom('people').select(['slug', 'name', 'locations', 'languages']).where('user_id', '=', userId).executeTakeFirst();
}

/** The person linked to an account and the roles they hold on `today`, for the signed-in viewer. */
export async function staffRolesOfAccount(db: PeopleDb, userId: string, today: string) {
  return db
    .selectFrom('people')
    .innerJoin('role_assignments as r', 'r.person_id', 'people.id')
    .select(['people.id as person_id', 'people.slug', 'people.name', 'r.role'])
    .where('people.user_id', '=', userId)
    .where('r.starts_on', '<=', today)
    .where((eb) => eb.or([eb('r.ends_on', 'is', null), eb('r.ends_on', '>', today)]))
    .execute();
}

/** What the accounts module asks about the people linked to accounts. */
export const accountPeople: AccountPeople = { staffRolesOf: staffRolesOfAccount, profileOf: profileOfAccount, detach: detachAccount };

export interface ImportedProfile {
  /** The person made by an earlier run of the same import, or null to create one. */
  id: string | null;
  name: string;
  /** The slug the old site used (kept when free); the name's otherwise. */
  slug: string;
  /** Plain text; blank lines separate paragraphs. */
  bio: string;
  location: string;
  photoMediaId: string | null;
  now: string;
}

/**
 * Creates or updates a person brought in by an import (WordPress, Ghost): no
 * account, no birth date (their bylines show no age until one is entered). An
 * update keeps the address and whatever the newsroom added since (roles, birth
 * date); the name, biography, location and photo follow the source.
 */
export async function importPerson(trx: Kysely<Database>, input: ImportedProfile): Promise<{ id: string; slug: string; created: boolean }> {
  const doc = textToDoc(input.bio);
  const bio = { json: JSON.stringify(doc), html: renderRichText(doc) };
  const locations = input.location.trim() ? [input.location.trim()] : [];
  const existing = input.id
    ? await trx.selectFrom('people').select(['id', 'slug']).where('id', '=', input.id).executeTakeFirst()
    : undefined;
  if (existing) {
    await trx
      .updateTable('people')
      .set({
        name: input.name,
        bio_json: bio.json,
        bio_html: bio.html,
        locations: JSON.stringify(locations),
        ...(input.photoMediaId ? { photo_media_id: input.photoMediaId } : {}),
        updated_at: input.now,
      })
      .where('id', '=', existing.id)
      .execute();
    await personChanged(trx, existing.id);
    return { ...existing, created: false };
  }
  const { id, slug } = await createContributor(trx, {
    name: input.name,
    slug: input.slug,
    fallbackSlug: 'contributor',
    now: input.now,
    photoMediaId: input.photoMediaId,
    locations,
    bio,
  });
  await personChanged(trx, id);
  return { id, slug, created: true };
}
