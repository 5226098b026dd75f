// Signed-in readers: a verified account of its own, signed in through the link
// the sign-in email would carry.
import assert from 'node:assert/strict';
import { newId } from '../src/lib/ids.js';
import { Browserish } from './browserish.js';
import type { TestApp } from './helpers.js';

/** A verified reader account, signed in. */
export async function readerClient(t: TestApp, email: string, name = 'Reader', birthYear: number | null = 2008): Promise<Browserish> {
  const userId = newId();
  const now = new Date().toISOString();
  await t.db
    .insertInto('users')
    .values({
      id: userId,
      email,
      email_verified_at: now,
      password_hash: null,
      display_name: name,
      birth_year: birthYear,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const link = await t.app.accounts.signInLinkFor(userId);
  const b = new Browserish(t.app);
  await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
  const res = await b.post('/account/link', { token: new URL(link).searchParams.get('token')! });
  assert.equal(res.statusCode, 303, 'reader signed in');
  return b;
}
