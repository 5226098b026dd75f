// The consent module's queries: guardian_consents and digital_consent_ages.
import type { Selectable } from 'kysely';
import type { ScopedDb } from '../../db/scoped.js';
import type { DigitalConsentAgeTable, GuardianConsentTable } from '../../db/schema.js';

export type ConsentDb = ScopedDb<'guardian_consents' | 'digital_consent_ages'>;
export type ConsentRow = Selectable<GuardianConsentTable>;

export async function storedAges(db: ConsentDb): Promise<Selectable<DigitalConsentAgeTable>[]> {
  return db.selectFrom('digital_consent_ages').selectAll().execute();
}

export async function saveAge(db: ConsentDb, country: string, age: number, now: string): Promise<void> {
  await db
    .insertInto('digital_consent_ages')
    .values({ country, age, updated_at: now })
    .onConflict((oc) => oc.column('country').doUpdateSet({ age, updated_at: now }))
    .execute();
}

/** Each person's newest request (the one that decides), for these people. */
export async function latestOf(db: ConsentDb, personIds: string[]): Promise<Map<string, ConsentRow>> {
  const latest = new Map<string, ConsentRow>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db
      .selectFrom('guardian_consents')
      .selectAll()
      .where('person_id', 'in', personIds.slice(i, i + 500))
      .orderBy('requested_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    for (const row of rows) latest.set(row.person_id, row);
  }
  return latest;
}

/** The people whose newest request was revoked: the editor-in-chief's list starts with them. */
export async function revokedPeople(db: ConsentDb): Promise<string[]> {
  const rows = await db.selectFrom('guardian_consents').select('person_id').where('status', '=', 'revoked').distinct().execute();
  return rows.map((r) => r.person_id);
}

export async function insertConsent(db: ConsentDb, row: GuardianConsentTable): Promise<void> {
  await db.insertInto('guardian_consents').values(row).execute();
}

/** Earlier requests still waiting or given are replaced by a newer one. */
export async function replaceOpen(db: ConsentDb, personId: string, exceptId: string): Promise<void> {
  await db
    .updateTable('guardian_consents')
    .set({ status: 'replaced', confirm_token_hash: null, revoke_token_hash: null })
    .where('person_id', '=', personId)
    .where('id', '!=', exceptId)
    .where('status', 'in', ['waiting', 'given'])
    .execute();
}

export async function findById(db: ConsentDb, id: string): Promise<ConsentRow | undefined> {
  return db.selectFrom('guardian_consents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByTokenHash(db: ConsentDb, purpose: 'confirm' | 'revoke', hash: string): Promise<ConsentRow | undefined> {
  const column = purpose === 'confirm' ? 'confirm_token_hash' : 'revoke_token_hash';
  return db.selectFrom('guardian_consents').selectAll().where(column, '=', hash).executeTakeFirst();
}

export async function setTokens(db: ConsentDb, id: string, hashes: { confirm: string; revoke: string }, now: string): Promise<boolean> {
  const res = await db
    .updateTable('guardian_consents')
    .set({ confirm_token_hash: hashes.confirm, revoke_token_hash: hashes.revoke, email_sent_at: now })
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Records the guardian's consent, if the request is still waiting (a second click changes nothing). */
export async function markGiven(db: ConsentDb, id: string, given: { at: string; version: number; text: string }): Promise<boolean> {
  const res = await db
    .updateTable('guardian_consents')
    .set({ status: 'given', given_at: given.at, given_text_version: given.version, given_text: given.text })
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function markRevoked(db: ConsentDb, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('guardian_consents')
    .set({ status: 'revoked', revoked_at: at })
    .where('id', '=', id)
    .where('status', 'in', ['waiting', 'given'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function historyOf(db: ConsentDb, personId: string): Promise<ConsentRow[]> {
  return db
    .selectFrom('guardian_consents')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
