// The newsroom's part of a bundle: every article's workflow history and the
// editors' comments. Scheduled publishing lives in the job queue, which a bundle
// does not carry: after an import each scheduled article gets its publish job
// back, in the name of whoever scheduled it.
import type { BundlePart } from '../../db/bundle-tables.js';
import { enqueue } from '../../jobs/index.js';
import { scheduledArticles } from '../articles/index.js';

export const newsroomBundle: BundlePart = {
  module: 'newsroom',
  tables: [
    { table: 'workflow_events', key: ['id'] },
    { table: 'editorial_comments', key: ['id'], parent: 'parent_id' },
  ],
  async afterLoad(trx) {
    let jobs = 0;
    for (const article of await scheduledArticles(trx)) {
      const scheduler = await trx
        .selectFrom('workflow_events')
        .select(['user_id', 'actor_name'])
        .where('article_id', '=', article.id)
        .where('to_status', '=', 'scheduled')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      await enqueue(
        trx,
        'publish_article',
        { articleId: article.id, userId: scheduler?.user_id ?? null, actorName: scheduler?.actor_name ?? 'Scheduled publishing' },
        { runAt: article.scheduledAt, uniqueKey: `publish:${article.id}` },
      );
      jobs++;
    }
    return { 'scheduled articles given their publish job back': jobs };
  },
};
