// The demo's subscribers: two confirmed readers of the Weekly Brief (the
// newsletter itself comes with the migration), so the newsroom's newsletter desk
// has someone to send to. Their addresses are on example.org, which never
// receives mail.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import * as repo from './newsletter.repository.js';

export const DEMO_SUBSCRIBERS = ['ana.reader@example.org', 'ben.reader@example.org'];

export async function seedDemoSubscribers(trx: Transaction<Database>): Promise<void> {
  const newsletter = await repo.findNewsletterBySlug(trx, 'weekly-brief');
  if (!newsletter) return;
  const at = new Date().toISOString();
  await repo.insertSubscriptions(
    trx,
    DEMO_SUBSCRIBERS.map((email) => ({
      id: newId(),
      newsletter_id: newsletter.id,
      email,
      user_id: null,
      status: 'confirmed' as const,
      source: 'import',
      consent: 'demo',
      consent_at: at,
      consent_by: null,
      confirm_token_hash: null,
      confirm_nonce: null,
      confirm_expires_at: null,
      confirm_sent_at: null,
      confirmed_at: at,
      unsubscribed_at: null,
      created_at: at,
      updated_at: at,
    })),
  );
}
