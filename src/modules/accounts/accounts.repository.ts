import type { ScopedDb } from '../../db/scoped.js';
import type { Insertable, Updateable } from 'kysely';
import type { Database, TokenPurpose } from '../../db/schema.js';

/** What the accounts module's own queries may touch. */
export type AccountsDb = ScopedDb<'users' | 'sessions' | 'tokens' | 'recovery_codes'>;
type Executor = AccountsDb;

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findEmailsOfUsers(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
}

export async function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Executor, row: Insertable<Database['users']>) {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Executor, id: string, changes: Updateable<Database['users']>) {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function deleteUser(db: Executor, id: string) {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function insertSession(db: Executor, row: Insertable<Database['sessions']>) {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user in one query: this runs on every signed-in request. */
export async function findSessionWithUser(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'sessions.persistent',
      'sessions.last_seen_at',
      'users.id as user_id',
      'users.two_factor_enabled_at',
      'users.display_name',
      'users.email',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** These deletions return the ids of the sessions they ended, for the viewer caches to drop. */
export async function deleteSession(db: Executor, tokenHash: string): Promise<string[]> {
  const rows = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).returning('id').execute();
  return rows.map((r) => r.id);
}

/** Ends every session of the user but one (the browser that made a security change). */
export async function deleteSessionsOfUserExcept(db: Executor, userId: string, keepSessionId: string): Promise<string[]> {
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function sessionIdsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.id);
}

export async function insertToken(db: Executor, row: Database['tokens']) {
  await db.insertInto('tokens').values(row).execute();
}

export async function findToken(db: Executor, tokenHash: string, purpose: TokenPurpose) {
  return db.selectFrom('tokens').selectAll().where('token_hash', '=', tokenHash).where('purpose', '=', purpose).executeTakeFirst();
}

/** Marks a token used, only if nobody used it first; returns whether this call did. */
export async function claimToken(db: Executor, id: string, now: string): Promise<boolean> {
  const result = await db.updateTable('tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forgets what a used link carried (a sign-up's password hash and name). */
export async function clearTokenData(db: Executor, id: string) {
  await db.updateTable('tokens').set({ data: '{}' }).where('id', '=', id).execute();
}

/** Voids the user's email links that were not used yet; used ones stay as the account's history. */
export async function deletePendingTokensOfUser(db: Executor, userId: string) {
  await db.deleteFrom('tokens').where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

export async function deleteTokensForEmail(db: Executor, email: string) {
  await db.deleteFrom('tokens').where('email', '=', email).execute();
}

export async function listSessionsOfUser(db: Executor, userId: string) {
  return db.selectFrom('sessions').select(['created_at', 'expires_at', 'persistent']).where('user_id', '=', userId).execute();
}

export async function listTokensOfUser(db: Executor, userId: string) {
  return db.selectFrom('tokens').select(['purpose', 'created_at', 'expires_at', 'used_at']).where('user_id', '=', userId).execute();
}

/** Email links used or expired before the given time: nothing can be done with them any more. */
export async function deleteSpentTokens(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('tokens')
    .where((eb) => eb.or([eb('used_at', '<', before), eb('expires_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSessionsExpiredBefore(db: Executor, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Notes that the session was seen, unless that was noted since `since` (so at most one write a minute). */
export async function touchSession(db: Executor, sessionId: string, now: string, since: string) {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', sessionId)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', since)]))
    .execute();
}

/** The account's sessions that have not run out, newest first, for its session list. */
export async function activeSessionsOfUser(db: Executor, userId: string, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'device', 'place', 'created_at', 'last_seen_at', 'expires_at', 'persistent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Ends one session of the account (only its own: another account's id ends nothing). */
export async function deleteSessionOfUser(db: Executor, userId: string, sessionId: string): Promise<string[]> {
  const rows = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).returning('id').execute();
  return rows.map((r) => r.id);
}

/** Accepts a code's time step only if it is later than the last one accepted; returns whether this call did. */
export async function claimTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ two_factor_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('two_factor_last_step', 'is', null), eb('two_factor_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Executor, userId: string, rows: { id: string; code_hash: string }[], now: string) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length)
    await db
      .insertInto('recovery_codes')
      .values(rows.map((r) => ({ ...r, user_id: userId, created_at: now, used_at: null })))
      .execute();
}

/** Uses up a recovery code, only if it is the account's and unused; returns whether this call did. */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteRecoveryCodes(db: Executor, userId: string) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}
