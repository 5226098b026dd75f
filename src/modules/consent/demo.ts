// The demo's guardians: every demo writer who was a minor when their articles
// went out has a consent on record, given by a demo guardian on text version 1,
// so the demo newsroom publishes as before.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { CURRENT_WORDING } from './consent-text.js';
import * as repo from './consent.repository.js';

export async function seedDemoConsents(
  trx: Transaction<Database>,
  writers: { id: string; name: string }[],
  options: { siteName: string; now: string },
): Promise<void> {
  for (const writer of writers) {
    const text = CURRENT_WORDING.text(writer.name, options.siteName);
    await repo.insertConsent(trx, {
      id: newId(),
      person_id: writer.id,
      guardian_name: `Guardian of ${writer.name}`,
      guardian_email: 'guardian@harbinger.localhost',
      text_version: CURRENT_WORDING.version,
      consent_text: text,
      status: 'given',
      requested_by: null,
      requested_by_name: 'Demo',
      requested_at: options.now,
      email_sent_at: null,
      confirm_token_hash: null,
      revoke_token_hash: null,
      given_at: options.now,
      given_text_version: CURRENT_WORDING.version,
      given_text: text,
      revoked_at: null,
    });
  }
}
