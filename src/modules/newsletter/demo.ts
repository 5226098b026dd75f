// The demo's subscribers: two confirmed readers of the Weekly Brief (the
// newsletter itself comes with the migration), so the newsroom's newsletter desk
// has someone to send to. Their addresses are on example.org, which never
// receives mail.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import * as repo from './newsletter.repository.js';

export const DEMO_SUBSCRIBERS = ['ana.reader@example.org', 'ben.reader@example.org'];

export async function seedDemoSubscribers(trx: Transaction<Database>): Promise<void> {
  const newsletter = await repo.findNewsletterBySlug(trx, 'weekly-brief');
  if (!newsletter) return;
  const at = new Date().toISOString();
  await repo.insertSubscriptions(
    trx,
    DEMO_SUBSCRIBERS.map((email) =>
      repo.confirmedSubscription({
        newsletterId: newsletter.id,
        email,
        userId: null,
        source: 'import',
        consent: 'demo',
        consentBy: null,
        at,
      }),
    ),
  );
}
