// Guardian consent: the consent module's tables. `guardian_consents` holds each
// request sent to a writer's guardian (the exact text and its version), and what
// the guardian did with it; `digital_consent_ages` holds the ages of digital
// consent an administrator changed from the defaults in the code.
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('guardian_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('guardian_name', 'text', (c) => c.notNull())
    .addColumn('guardian_email', 'text', (c) => c.notNull())
    .addColumn('text_version', 'integer', (c) => c.notNull())
    .addColumn('consent_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('email_sent_at', t.timestamp)
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('revoke_token_hash', 'text', (c) => c.unique())
    .addColumn('given_at', t.timestamp)
    .addColumn('given_text_version', 'integer')
    .addColumn('given_text', 'text')
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema.createIndex('guardian_consents_person').on('guardian_consents').columns(['person_id', 'requested_at']).execute();
  await db.schema
    .createTable('digital_consent_ages')
    .addColumn('country', 'text', (c) => c.primaryKey())
    .addColumn('age', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digital_consent_ages').execute();
  await db.schema.dropTable('guardian_consents').execute();
}
