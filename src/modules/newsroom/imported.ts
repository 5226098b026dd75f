// What an import (WordPress, Ghost) tells the newsroom about an article it wrote:
// a line on the article's timeline, and for a scheduled article the job that
// publishes it at its time, the same job the desk's "Schedule" queues.
import type { Db } from '../../db/database.js';
import type { ArticleStatus } from '../../db/schema.js';
import { cancel, enqueue } from '../../jobs/index.js';
import { newId } from '../../lib/ids.js';
import { insertEvent } from './newsroom.repository.js';

export interface ImportedArticleEvent {
  articleId: string;
  /** Where it came from ('WordPress', 'Ghost') for a new article; its status here before an update. */
  from: string;
  to: ArticleStatus;
  /** Who the timeline names, e.g. "Import from WordPress". */
  actorName: string;
  note: string;
  /** For a scheduled article, when it goes out. */
  scheduledAt: string | null;
  now: string;
}

/** Records the import on the article's timeline and (re)schedules or cancels its publication, in the caller's transaction. */
export async function recordImportedArticle(trx: Db, event: ImportedArticleEvent): Promise<void> {
  await insertEvent(trx, {
    id: newId(),
    article_id: event.articleId,
    user_id: null,
    actor_name: event.actorName,
    from_status: event.from,
    to_status: event.to,
    note: event.note.trim().slice(0, 2000),
    created_at: event.now,
  });
  const key = `publish:${event.articleId}`;
  await cancel(trx, key);
  if (event.to === 'scheduled' && event.scheduledAt) {
    await enqueue(
      trx,
      'publish_article',
      { articleId: event.articleId, userId: null, actorName: event.actorName },
      { runAt: event.scheduledAt, uniqueKey: key },
    );
  }
}
