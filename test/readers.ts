// Signed-in readers: a verified account of its own, signed in through the link
// the sign-in email would carry.
import assert from 'node:assert/strict';
import { newId } from '../src/lib/ids.js';
import { hashPassword } from '../src/modules/accounts/index.js';
import { Browserish } from './browserish.js';
import type { TestApp } from './helpers.js';

/** A verified account written straight into the database (with a password when one is given); its id. */
export async function insertAccount(
  t: Pick<TestApp, 'db'>,
  email: string,
  options: { name?: string; birthYear?: number | null; password?: string } = {},
): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await t.db
    .insertInto('users')
    .values({
      id,
      email,
      email_verified_at: now,
      password_hash: options.password === undefined ? null : await hashPassword(options.password),
      display_name: options.name ?? 'Reader',
      birth_year: options.birthYear === undefined ? 2008 : options.birthYear,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** A verified reader account, signed in. */
export async function readerClient(t: TestApp, email: string, name = 'Reader', birthYear: number | null = 2008): Promise<Browserish> {
  const userId = await insertAccount(t, email, { name, birthYear });
  const link = await t.app.accounts.signInLinkFor(userId);
  const b = new Browserish(t.app);
  await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
  const res = await b.post('/account/link', { token: new URL(link).searchParams.get('token')! });
  assert.equal(res.statusCode, 303, 'reader signed in');
  return b;
}
