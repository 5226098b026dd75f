// The problem_reports and problem_report_notes tables. Only this module reads or
// writes them; the public form and the newsroom's queue go through the service.
import { sql, type Selectable } from 'kysely';
import type { ScopedDb } from '../../db/scoped.js';
import type { ProblemReportNoteTable, ProblemReportState, ProblemReportTable } from '../../db/schema.js';

export type ReportsDb = ScopedDb<'problem_reports' | 'problem_report_notes'>;
export type ReportRow = Selectable<ProblemReportTable>;
export type NoteRow = Selectable<ProblemReportNoteTable>;

/** What the queue's list shows of a report: never the reporter's address. */
export type ReportListRow = Omit<ReportRow, 'reporter_email' | 'details'> & { has_email: number };

export async function insertReport(db: ReportsDb, row: ReportRow): Promise<void> {
  await db.insertInto('problem_reports').values(row).execute();
}

export async function reportById(db: ReportsDb, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('problem_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateReportState(db: ReportsDb, id: string, state: ProblemReportState, at: string): Promise<void> {
  await db.updateTable('problem_reports').set({ state, updated_at: at }).where('id', '=', id).execute();
}

export async function touchReport(db: ReportsDb, id: string, at: string): Promise<void> {
  await db.updateTable('problem_reports').set({ updated_at: at }).where('id', '=', id).execute();
}

function filtered(db: ReportsDb, state: ProblemReportState | null) {
  const query = db.selectFrom('problem_reports');
  return state ? query.where('state', '=', state) : query;
}

export async function countReports(db: ReportsDb, state: ProblemReportState | null): Promise<number> {
  const row = await filtered(db, state)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open safety reports first, then the newest; the id breaks ties so pages never overlap. */
export async function listReports(
  db: ReportsDb,
  state: ProblemReportState | null,
  page: { limit: number; offset: number },
): Promise<ReportListRow[]> {
  return filtered(db, state)
    .select([
      'id',
      'subject_type',
      'subject_id',
      'subject_title',
      'kind',
      'state',
      'created_at',
      'updated_at',
      sql<number>`case when reporter_email is null then 0 else 1 end`.as('has_email'),
    ])
    .orderBy(sql`case when kind = 'safety' and state in ('new', 'in_progress') then 0 else 1 end`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function insertNote(db: ReportsDb, row: NoteRow): Promise<void> {
  await db.insertInto('problem_report_notes').values(row).execute();
}

export async function notesOf(db: ReportsDb, reportId: string): Promise<NoteRow[]> {
  return db.selectFrom('problem_report_notes').selectAll().where('report_id', '=', reportId).orderBy('created_at').orderBy('id').execute();
}
