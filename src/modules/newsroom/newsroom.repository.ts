import type { Kysely, Transaction } from 'kysely';
import type { ArticleStatus, Database, RoleName } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Roles a person holds on a day, with their sections. */
export async function findArticle(db: Executor, id: string) {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function authorIdsOf(db: Executor, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('article_authors').select('person_id').where('article_id', '=', articleId).orderBy('position').execute();
  return rows.map((r) => r.person_id);
}

export async function editorIdsOf(db: Executor, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('article_editors').select('person_id').where('article_id', '=', articleId).orderBy('position').execute();
  return rows.map((r) => r.person_id);
}

export async function tagNamesOf(db: Executor, articleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.name')
    .where('article_tags.article_id', '=', articleId)
    .orderBy('article_tags.position')
    .execute();
  return rows.map((r) => r.name);
}

/** Replaces the authors; those who stay keep the age frozen on their byline. */
export async function replaceAuthors(db: Executor, articleId: string, personIds: string[]) {
  const frozen = new Map((await authorAgesOf(db, articleId)).map((a) => [a.person_id, a.age_at_publication]));
  await db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  for (const [position, person_id] of personIds.entries()) {
    await db.insertInto('article_authors').values({ article_id: articleId, person_id, position, age_at_publication: frozen.get(person_id) ?? null }).execute();
  }
}

export async function authorAgesOf(db: Executor, articleId: string) {
  return db.selectFrom('article_authors').select(['person_id', 'age_at_publication']).where('article_id', '=', articleId).orderBy('position').execute();
}

export async function replaceEditors(db: Executor, articleId: string, personIds: string[]) {
  await db.deleteFrom('article_editors').where('article_id', '=', articleId).execute();
  for (const [position, person_id] of personIds.entries()) {
    await db.insertInto('article_editors').values({ article_id: articleId, person_id, position }).execute();
  }
}

export async function addEditor(db: Executor, articleId: string, personId: string) {
  const existing = await db.selectFrom('article_editors').select(['person_id', 'position']).where('article_id', '=', articleId).execute();
  if (existing.some((e) => e.person_id === personId)) return;
  await db.insertInto('article_editors').values({ article_id: articleId, person_id: personId, position: existing.length }).execute();
}

export async function replaceTags(db: Executor, articleId: string, tags: { id: string; slug: string; name: string }[]) {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  for (const [position, tag] of tags.entries()) {
    const existing = await db.selectFrom('tags').select('id').where('slug', '=', tag.slug).executeTakeFirst();
    const tagId = existing?.id ?? tag.id;
    if (!existing) await db.insertInto('tags').values(tag).execute();
    await db.insertInto('article_tags').values({ article_id: articleId, tag_id: tagId, position }).onConflict((oc) => oc.doNothing()).execute();
  }
}

export async function setAgeAtPublication(db: Executor, articleId: string, personId: string, age: number | null) {
  await db.updateTable('article_authors').set({ age_at_publication: age }).where('article_id', '=', articleId).where('person_id', '=', personId).execute();
}

export async function insertEvent(db: Executor, row: Database['workflow_events']) {
  await db.insertInto('workflow_events').values(row).execute();
}

export async function eventsOf(db: Executor, articleId: string) {
  return db.selectFrom('workflow_events').selectAll().where('article_id', '=', articleId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
}

export async function commentsOf(db: Executor, articleId: string) {
  return db.selectFrom('editorial_comments').selectAll().where('article_id', '=', articleId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
}

export async function insertComment(db: Executor, row: Database['editorial_comments']) {
  await db.insertInto('editorial_comments').values(row).execute();
}

export async function latestRevision(db: Executor, articleId: string) {
  return db.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function insertRevision(db: Executor, row: Database['article_revisions']) {
  await db.insertInto('article_revisions').values(row).execute();
}

export async function updateRevision(db: Executor, id: string, changes: Partial<Database['article_revisions']>) {
  await db.updateTable('article_revisions').set(changes).where('id', '=', id).execute();
}

export async function revisionsOf(db: Executor, articleId: string) {
  return db
    .selectFrom('article_revisions')
    .select(['id', 'version', 'kind', 'author_name', 'title', 'created_at', 'updated_at'])
    .where('article_id', '=', articleId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findRevision(db: Executor, articleId: string, id: string) {
  return db.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).where('id', '=', id).executeTakeFirst();
}

/** Accounts to notify: the users linked to these people. */
export async function emailsOfPeople(db: Executor, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('people')
    .innerJoin('users', 'users.id', 'people.user_id')
    .select(['users.email', 'people.name'])
    .where('people.id', 'in', personIds)
    .execute();
}

/** People holding one of these roles today (optionally of one section). */
export async function peopleWithRole(db: Executor, roles: RoleName[], today: string, sectionId?: string) {
  let q = db
    .selectFrom('role_assignments')
    .select('person_id')
    .where('role', 'in', roles)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', today)]));
  if (sectionId) q = q.where('section_id', '=', sectionId);
  return (await q.execute()).map((r) => r.person_id);
}

export interface DeskFilter {
  statuses?: ArticleStatus[];
  sectionIds?: string[];
  authorId?: string;
  reviewableBy?: { sectionIds: string[]; all: boolean };
  visibleTo?: { personId: string; sectionIds: string[]; all: boolean };
  q?: string;
}

export async function listDesk(db: Executor, filter: DeskFilter, limit: number, offset: number) {
  let q = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.slug', 'articles.title', 'articles.status', 'articles.updated_at', 'articles.published_at', 'articles.scheduled_at', 'sections.name as section_name']);
  if (filter.statuses?.length) q = q.where('articles.status', 'in', filter.statuses);
  if (filter.sectionIds?.length) q = q.where('articles.section_id', 'in', filter.sectionIds);
  if (filter.authorId) {
    const personId = filter.authorId;
    q = q.where('articles.id', 'in', db.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  if (filter.q) q = q.where((eb) => eb(eb.fn('lower', ['articles.title']), 'like', `%${filter.q!.toLowerCase().replace(/[%_]/g, '')}%`));
  if (filter.visibleTo && !filter.visibleTo.all) {
    const v = filter.visibleTo;
    q = q.where((eb) =>
      eb.or([
        ...(v.sectionIds.length ? [eb('articles.section_id', 'in', v.sectionIds)] : []),
        eb('articles.id', 'in', db.selectFrom('article_authors').select('article_id').where('person_id', '=', v.personId)),
        eb('articles.id', 'in', db.selectFrom('article_editors').select('article_id').where('person_id', '=', v.personId)),
      ]),
    );
  }
  const rows = await q.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(limit + 1).offset(offset).execute();
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

export async function listPeopleForPicker(db: Executor) {
  return db.selectFrom('people').select(['id', 'name']).orderBy('name').execute();
}

export async function listNewsroomsForPicker(db: Executor) {
  return db.selectFrom('newsrooms').select(['id', 'name']).orderBy('name').execute();
}

export async function listAudit(db: Executor, limit: number, offset: number) {
  return db.selectFrom('audit_log').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countAudit(db: Executor): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
