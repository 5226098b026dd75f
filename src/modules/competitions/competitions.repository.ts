// Queries for setting up a prize, entering it and its results. Every function
// takes `db` or a transaction first, so the service owns transactions. Jurors'
// queries are not here: they live in judging.repository.ts, which selects only
// the blind columns.
import type { ScopedDb } from '../../db/scoped.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  AwardTable,
  CompetitionCategoryTable,
  CompetitionTable,
  EntryTable,
  JurorTable,
  RubricCriterionTable,
} from '../../db/schema.js';

/** What the competitions module's own queries may touch. */
export type CompetitionsDb = ScopedDb<
  'competitions' | 'competition_categories' | 'entries' | 'jurors' | 'juror_conflicts' | 'rubric_criteria' | 'scores' | 'awards'
>;
export type Executor = CompetitionsDb;

export type CompetitionRow = Selectable<CompetitionTable>;
export type CategoryRow = Selectable<CompetitionCategoryTable>;
export type EntryRow = Selectable<EntryTable>;
export type CriterionRow = Selectable<RubricCriterionTable>;
export type AwardRow = Selectable<AwardTable>;
export type JurorRow = Selectable<JurorTable>;

// ---- competitions -------------------------------------------------------------

export async function listCompetitions(db: Executor): Promise<CompetitionRow[]> {
  return db.selectFrom('competitions').selectAll().orderBy('deadline_at', 'desc').execute();
}

export async function findCompetition(db: Executor, id: string): Promise<CompetitionRow | undefined> {
  return db.selectFrom('competitions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCompetitionBySlug(db: Executor, slug: string): Promise<CompetitionRow | undefined> {
  return db.selectFrom('competitions').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertCompetition(db: Executor, row: Insertable<CompetitionTable>): Promise<void> {
  await db.insertInto('competitions').values(row).execute();
}

export async function updateCompetition(db: Executor, id: string, changes: Updateable<CompetitionTable>): Promise<void> {
  await db.updateTable('competitions').set(changes).where('id', '=', id).execute();
}

/** Sets a publication time once; false if it was already set (someone else published). */
export async function markPublished(
  db: Executor,
  id: string,
  column: 'shortlist_published_at' | 'winners_published_at',
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('competitions')
    .set({ [column]: at, updated_at: at })
    .where('id', '=', id)
    .where(column, 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---- categories and rubric ------------------------------------------------------

export async function listCategories(db: Executor, competitionId: string): Promise<CategoryRow[]> {
  return db
    .selectFrom('competition_categories')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

export async function findCategory(db: Executor, id: string): Promise<CategoryRow | undefined> {
  return db.selectFrom('competition_categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCategory(db: Executor, row: Insertable<CompetitionCategoryTable>): Promise<void> {
  await db.insertInto('competition_categories').values(row).execute();
}

export async function updateCategory(db: Executor, id: string, changes: Updateable<CompetitionCategoryTable>): Promise<void> {
  await db.updateTable('competition_categories').set(changes).where('id', '=', id).execute();
}

export async function deleteCategory(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('competition_categories').where('id', '=', id).execute();
}

export async function countEntriesInCategory(db: Executor, categoryId: string): Promise<number> {
  const row = await db
    .selectFrom('entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('category_id', '=', categoryId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listCriteria(db: Executor, competitionId: string): Promise<CriterionRow[]> {
  return db
    .selectFrom('rubric_criteria')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function insertCriterion(db: Executor, row: Insertable<RubricCriterionTable>): Promise<void> {
  await db.insertInto('rubric_criteria').values(row).execute();
}

export async function deleteCriterion(db: Executor, competitionId: string, id: string): Promise<void> {
  await db.deleteFrom('rubric_criteria').where('competition_id', '=', competitionId).where('id', '=', id).execute();
}

// ---- entries (the entrant's own, and the organisers') ----------------------------

export async function findDraft(db: Executor, competitionId: string, userId: string): Promise<EntryRow | undefined> {
  return db
    .selectFrom('entries')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .where('user_id', '=', userId)
    .where('status', '=', 'draft')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function submittedEntriesOf(db: Executor, competitionId: string, userId: string): Promise<EntryRow[]> {
  return db
    .selectFrom('entries')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .where('user_id', '=', userId)
    .where('status', '=', 'submitted')
    .orderBy('submitted_at')
    .execute();
}

/** Every entry of an account, drafts included, for the account's data export. */
export async function entriesOfUser(
  db: Executor,
  userId: string,
): Promise<(EntryRow & { competition_name: string; category_name: string | null })[]> {
  return db
    .selectFrom('entries')
    .innerJoin('competitions', 'competitions.id', 'entries.competition_id')
    .leftJoin('competition_categories', 'competition_categories.id', 'entries.category_id')
    .selectAll('entries')
    .select(['competitions.name as competition_name', 'competition_categories.name as category_name'])
    .where('entries.user_id', '=', userId)
    .orderBy('entries.created_at')
    .execute();
}

export async function insertEntry(db: Executor, row: Insertable<EntryTable>): Promise<void> {
  await db.insertInto('entries').values(row).execute();
}

/** Updates a draft; a submitted entry is final and is never matched. */
export async function updateDraft(db: Executor, id: string, changes: Updateable<EntryTable>): Promise<boolean> {
  const result = await db.updateTable('entries').set(changes).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findEntry(db: Executor, id: string): Promise<EntryRow | undefined> {
  return db.selectFrom('entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSubmittedEntries(db: Executor, competitionId: string): Promise<EntryRow[]> {
  return db
    .selectFrom('entries')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .where('status', '=', 'submitted')
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
}

export async function countDrafts(db: Executor, competitionId: string): Promise<number> {
  const row = await db
    .selectFrom('entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('competition_id', '=', competitionId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Records a pending offer of a place; the profile, role and article wait for the winner to accept. */
export async function markOffered(db: Executor, entryId: string, offeredAt: string): Promise<boolean> {
  const result = await db
    .updateTable('entries')
    .set({ offered_at: offeredAt })
    .where('id', '=', entryId)
    .where('offered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Withdraws an offer nobody has accepted yet (an accepted one holds a person and an article, and stays). */
export async function withdrawOffer(db: Executor, entryId: string): Promise<boolean> {
  const result = await db
    .updateTable('entries')
    .set({ offered_at: null })
    .where('id', '=', entryId)
    .where('offered_at', 'is not', null)
    .where('person_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks a pending offer accepted; false when it was withdrawn or accepted meanwhile. */
export async function markAccepted(db: Executor, entryId: string, values: { person_id: string; article_id: string }): Promise<boolean> {
  const result = await db
    .updateTable('entries')
    .set(values)
    .where('id', '=', entryId)
    .where('offered_at', 'is not', null)
    .where('person_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Submitted entries of a category that were offered a place (pending or accepted). */
export async function offeredEntriesOfCategory(db: Executor, categoryId: string): Promise<EntryRow[]> {
  return db
    .selectFrom('entries')
    .selectAll()
    .where('category_id', '=', categoryId)
    .where('status', '=', 'submitted')
    .where('offered_at', 'is not', null)
    .orderBy('offered_at')
    .execute();
}

// ---- jurors (the organisers' view) -------------------------------------------------

export async function listJurors(db: Executor, competitionId: string): Promise<JurorRow[]> {
  return db
    .selectFrom('jurors')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .orderBy('category_id')
    .orderBy('role')
    .orderBy('created_at')
    .execute();
}

export async function insertJuror(db: Executor, row: Insertable<JurorTable>): Promise<void> {
  await db.insertInto('jurors').values(row).execute();
}

export async function updateJurorRole(db: Executor, id: string, role: 'chair' | 'member'): Promise<void> {
  await db.updateTable('jurors').set({ role }).where('id', '=', id).execute();
}

export async function deleteJuror(db: Executor, competitionId: string, id: string): Promise<void> {
  await db.deleteFrom('jurors').where('competition_id', '=', competitionId).where('id', '=', id).execute();
}

export async function scoresOfCompetition(db: Executor, competitionId: string) {
  return db
    .selectFrom('scores')
    .innerJoin('jurors', 'jurors.id', 'scores.juror_id')
    .innerJoin('rubric_criteria', 'rubric_criteria.id', 'scores.criterion_id')
    .select([
      'scores.entry_id',
      'scores.juror_id',
      'scores.criterion_id',
      'scores.score',
      'scores.comment',
      'scores.updated_at',
      'jurors.user_id as juror_user_id',
      'rubric_criteria.name as criterion_name',
    ])
    .where('jurors.competition_id', '=', competitionId)
    .orderBy('scores.entry_id')
    .orderBy('scores.juror_id')
    .orderBy('rubric_criteria.position')
    .execute();
}

// ---- awards ---------------------------------------------------------------------------

export async function listAwards(db: Executor, competitionId: string): Promise<AwardRow[]> {
  return db.selectFrom('awards').selectAll().where('competition_id', '=', competitionId).orderBy('created_at').execute();
}

export async function findAward(db: Executor, id: string): Promise<AwardRow | undefined> {
  return db.selectFrom('awards').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAward(db: Executor, row: Insertable<AwardTable>): Promise<void> {
  await db.insertInto('awards').values(row).execute();
}

export async function updateAward(db: Executor, id: string, changes: Updateable<AwardTable>): Promise<void> {
  await db.updateTable('awards').set(changes).where('id', '=', id).execute();
}

export async function deleteAward(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('awards').where('id', '=', id).execute();
}

/** Whether an account has an entry (draft or submitted) holding this photograph. */
export async function ownsEntryPhoto(db: Executor, userId: string, mediaId: string): Promise<boolean> {
  const row = await db.selectFrom('entries').select('id').where('user_id', '=', userId).where('media_id', '=', mediaId).executeTakeFirst();
  return row !== undefined;
}
