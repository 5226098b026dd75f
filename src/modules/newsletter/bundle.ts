// The newsletter's part of a bundle: newsletters, subscribers with their consent
// records (how, when and on whose word they agreed), issues and deliveries. A
// pending subscription's confirmation token is a secret and is left out: its
// emailed link stops working, and signing up again sends a new one. A scheduled
// issue gets its sending job back after an import.
import type { BundlePart } from '../../db/bundle-tables.js';
import { enqueue } from '../../jobs/index.js';
import { sendJobKey, type SendPayload } from './sending.js';

export const newsletterBundle: BundlePart = {
  module: 'newsletter',
  tables: [
    { table: 'newsletters', key: ['id'] },
    { table: 'subscriptions', key: ['id'], omit: ['confirm_token_hash', 'confirm_nonce'] },
    { table: 'newsletter_issues', key: ['id'] },
    { table: 'deliveries', key: ['id'] },
  ],
  async afterLoad(trx) {
    const issues = await trx
      .selectFrom('newsletter_issues')
      .select(['id', 'scheduled_at'])
      .where('status', '=', 'scheduled')
      .where('scheduled_at', 'is not', null)
      .orderBy('id')
      .execute();
    for (const issue of issues) {
      await enqueue(trx, 'newsletter_send', { issueId: issue.id, chunk: 0 } satisfies SendPayload, {
        runAt: issue.scheduled_at!,
        uniqueKey: sendJobKey(issue.id, 0),
      });
    }
    return { 'scheduled issues given their sending job back': issues.length };
  },
};
