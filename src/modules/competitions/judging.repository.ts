// Jurors' queries. An entry is read here only through BLIND_ENTRY_COLUMNS: the
// entrant's name, email, school, country and birth date are never selected, so
// no page or API answer built from these rows can carry them.
import type { Insertable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Executor } from './competitions.repository.js';
import { BLIND_ENTRY_COLUMNS } from './judging.js';

export interface BlindEntryRow {
  id: string;
  reference: string | null;
  category_id: string | null;
  title: string;
  body_html: string;
  word_count: number;
  media_id: string | null;
  video_url: string;
  submitted_at: string | null;
}

export async function seatsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('jurors')
    .innerJoin('competition_categories', 'competition_categories.id', 'jurors.category_id')
    .innerJoin('competitions', 'competitions.id', 'jurors.competition_id')
    .select([
      'jurors.id as juror_id',
      'jurors.role',
      'jurors.category_id',
      'jurors.competition_id',
      'competition_categories.name as category_name',
      'competition_categories.kind as category_kind',
      'competitions.name as competition_name',
      'competitions.slug as competition_slug',
      'competitions.deadline_at',
      'competitions.time_zone',
    ])
    .where('jurors.user_id', '=', userId)
    .orderBy('competitions.deadline_at', 'desc')
    .orderBy('competition_categories.position')
    .execute();
}

export async function blindEntriesOfCategory(db: Executor, categoryId: string): Promise<BlindEntryRow[]> {
  return db
    .selectFrom('entries')
    .select(BLIND_ENTRY_COLUMNS)
    .where('category_id', '=', categoryId)
    .where('status', '=', 'submitted')
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
}

export async function blindEntry(db: Executor, entryId: string): Promise<BlindEntryRow | undefined> {
  return db
    .selectFrom('entries')
    .select(BLIND_ENTRY_COLUMNS)
    .where('id', '=', entryId)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
}

export async function jurorsOfCategory(db: Executor, categoryId: string) {
  return db
    .selectFrom('jurors')
    .select(['id', 'user_id', 'role'])
    .where('category_id', '=', categoryId)
    .orderBy('role')
    .orderBy('created_at')
    .execute();
}

export async function scoresOfEntries(db: Executor, entryIds: string[]) {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('scores')
    .select(['entry_id', 'juror_id', 'criterion_id', 'score', 'comment'])
    .where('entry_id', 'in', entryIds)
    .execute();
}

export async function scoresOf(db: Executor, jurorId: string, entryId: string) {
  return db
    .selectFrom('scores')
    .select(['criterion_id', 'score', 'comment'])
    .where('juror_id', '=', jurorId)
    .where('entry_id', '=', entryId)
    .execute();
}

export async function upsertScore(db: Executor, row: Insertable<Database['scores']>): Promise<void> {
  await db
    .insertInto('scores')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['entry_id', 'juror_id', 'criterion_id']).doUpdateSet((eb) => ({
        score: eb.ref('excluded.score'),
        comment: eb.ref('excluded.comment'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function deleteScore(db: Executor, jurorId: string, entryId: string, criterionId: string): Promise<void> {
  await db
    .deleteFrom('scores')
    .where('juror_id', '=', jurorId)
    .where('entry_id', '=', entryId)
    .where('criterion_id', '=', criterionId)
    .execute();
}

export async function deleteScoresOf(db: Executor, jurorId: string, entryId: string): Promise<void> {
  await db.deleteFrom('scores').where('juror_id', '=', jurorId).where('entry_id', '=', entryId).execute();
}

export async function conflictsOfCategory(db: Executor, categoryId: string) {
  return db
    .selectFrom('juror_conflicts')
    .innerJoin('jurors', 'jurors.id', 'juror_conflicts.juror_id')
    .select(['juror_conflicts.juror_id', 'juror_conflicts.entry_id'])
    .where('jurors.category_id', '=', categoryId)
    .execute();
}

export async function hasConflict(db: Executor, jurorId: string, entryId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('juror_conflicts')
      .select('entry_id')
      .where('juror_id', '=', jurorId)
      .where('entry_id', '=', entryId)
      .executeTakeFirst()) !== undefined
  );
}

export async function insertConflict(db: Executor, row: Insertable<Database['juror_conflicts']>): Promise<void> {
  await db
    .insertInto('juror_conflicts')
    .values(row)
    .onConflict((oc) => oc.columns(['juror_id', 'entry_id']).doNothing())
    .execute();
}

export async function awardsOfCategory(db: Executor, categoryId: string) {
  return db
    .selectFrom('awards')
    .select(['id', 'entry_id', 'kind', 'jury_note', 'category_id'])
    .where('category_id', '=', categoryId)
    .execute();
}
