// The newsroom's own records: the workflow's events and the editorial comments
// on an article, and the audit log it shows. Articles, people and accounts are
// reached through their modules.
import type { ScopedDb } from '../../db/scoped.js';
import type { Database } from '../../db/schema.js';

/** What the newsroom module's own queries may touch. */
export type NewsroomDb = ScopedDb<'workflow_events' | 'editorial_comments' | 'audit_log'>;

export async function insertEvent(db: NewsroomDb, row: Database['workflow_events']) {
  await db.insertInto('workflow_events').values(row).execute();
}

export async function eventsOf(db: NewsroomDb, articleId: string) {
  return db
    .selectFrom('workflow_events')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

export async function commentsOf(db: NewsroomDb, articleId: string) {
  return db
    .selectFrom('editorial_comments')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

export async function insertComment(db: NewsroomDb, row: Database['editorial_comments']) {
  await db.insertInto('editorial_comments').values(row).execute();
}

export async function listAudit(db: NewsroomDb, limit: number, offset: number) {
  return db.selectFrom('audit_log').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countAudit(db: NewsroomDb): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
