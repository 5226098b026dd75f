// Signed-in clients for people of the demo newsroom, for newsroom tests.
import { newId } from '../src/lib/ids.js';
import { Browserish } from './browserish.js';
import type { TestApp } from './helpers.js';
import { signInByLink } from './two-factor.js';

/**
 * Links an account to the demo person with this slug (creating the account if
 * needed) and signs it in, setting up two-factor sign-in when their role requires it.
 */
export async function staffClient(t: TestApp, personSlug: string): Promise<Browserish> {
  const person = await t.db.selectFrom('people').select(['id', 'name', 'user_id']).where('slug', '=', personSlug).executeTakeFirstOrThrow();
  let userId = person.user_id;
  if (!userId) {
    userId = newId();
    const now = new Date().toISOString();
    await t.db
      .insertInto('users')
      .values({
        id: userId,
        email: `${personSlug}@newsroom.example`,
        email_verified_at: now,
        password_hash: null,
        display_name: person.name,
        birth_year: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db.updateTable('people').set({ user_id: userId }).where('id', '=', person.id).execute();
  }
  const b = new Browserish(t.app);
  const res = await signInByLink(t.app, b, userId);
  if (res.statusCode !== 303) throw new Error(`could not sign in ${personSlug}: ${res.statusCode}`);
  return b;
}
