// Reports of a problem with an article or a person page: the reports module's table.
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('problem_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'article' or 'person', and the id of the reported article or person (no foreign key: a report outlives its page).
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // The headline or name the reporter saw, kept in case the page changes or goes.
    .addColumn('subject_title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('reporter_email', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('problem_reports_state_created').on('problem_reports').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('problem_reports_created').on('problem_reports').columns(['created_at']).execute();
  await db.schema
    .createTable('problem_report_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('problem_reports.id').onDelete('cascade'))
    .addColumn('user_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('problem_report_notes_report').on('problem_report_notes').columns(['report_id', 'created_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('problem_report_notes').execute();
  await db.schema.dropTable('problem_reports').execute();
}
