// The yearly prize: competitions with their categories and rubric, entries
// (private entrant facts, drafts and final submissions), jurors per category,
// scores, declared conflicts and awards.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('competitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('description_json', 'text', (c) => c.notNull().defaultTo('{"type":"doc","content":[]}'))
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('terms_json', 'text', (c) => c.notNull().defaultTo('{"type":"doc","content":[]}'))
    .addColumn('terms_html', 'text', (c) => c.notNull().defaultTo(''))
    // The official zone: times are entered and shown in it, and stored in UTC.
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/London'))
    .addColumn('opens_at', t.timestamp, (c) => c.notNull())
    .addColumn('deadline_at', t.timestamp, (c) => c.notNull())
    .addColumn('announce_at', t.timestamp, (c) => c.notNull())
    .addColumn('min_age', 'integer', (c) => c.notNull().defaultTo(13))
    .addColumn('max_age', 'integer', (c) => c.notNull().defaultTo(19))
    .addColumn('school_year_question', 'text', (c) => c.notNull().defaultTo('Which school year have you completed?'))
    .addColumn('require_full_time', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('entries_per_person', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('shortlist_size', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('English'))
    .addColumn('shortlist_published_at', t.timestamp)
    .addColumn('winners_published_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('competition_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('essay')
        .check(sqlIn('kind', ['essay', 'photo', 'video'])),
    )
    .addColumn('word_limit', 'integer')
    // Where a winning piece is drafted as an article.
    .addColumn('section_id', 'text', (c) => c.references('sections.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('competition_categories_slug', ['competition_id', 'slug'])
    .execute();

  await db.schema
    .createTable('entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
    // A draft may not have chosen yet; a category with entries cannot be deleted.
    .addColumn('category_id', 'text', (c) => c.references('competition_categories.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sqlIn('status', ['draft', 'submitted'])),
    )
    .addColumn('reference', 'text', (c) => c.unique())
    // 1..entries_per_person for submitted entries, null for drafts: the unique
    // constraint below is what makes "one entry per person" hold under races
    // (NULLs are distinct in both SQLite and PostgreSQL, so drafts are free).
    .addColumn('submission_slot', 'integer')
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_json', 'text', (c) => c.notNull().defaultTo('{"type":"doc","content":[]}'))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('media_id', 'text', (c) => c.references('media.id').onDelete('set null'))
    .addColumn('video_url', 'text', (c) => c.notNull().defaultTo(''))
    // Private: never selected by a juror's query, never shown but to the entrant and the organisers.
    .addColumn('entrant_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('birth_date', t.date)
    .addColumn('school', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('country', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('school_year', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('consent_school', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('declarations', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('submitted_at', t.timestamp)
    .addColumn('offered_at', t.timestamp)
    .addColumn('person_id', 'text', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('article_id', 'text', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('entries_one_per_slot', ['competition_id', 'user_id', 'submission_slot'])
    .execute();
  await db.schema.createIndex('entries_user').on('entries').columns(['user_id', 'competition_id']).execute();
  await db.schema.createIndex('entries_category').on('entries').columns(['category_id', 'status']).execute();

  await db.schema
    .createTable('jurors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
    .addColumn('category_id', 'text', (c) => c.notNull().references('competition_categories.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .defaultTo('member')
        .check(sqlIn('role', ['chair', 'member'])),
    )
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('jurors_category_user', ['category_id', 'user_id'])
    .execute();
  await db.schema.createIndex('jurors_user').on('jurors').column('user_id').execute();

  await db.schema
    .createTable('rubric_criteria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('scale_min', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('scale_max', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('rubric_criteria_competition').on('rubric_criteria').columns(['competition_id', 'position']).execute();

  await db.schema
    .createTable('scores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entry_id', 'text', (c) => c.notNull().references('entries.id').onDelete('cascade'))
    .addColumn('juror_id', 'text', (c) => c.notNull().references('jurors.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('rubric_criteria.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('scores_one_per_criterion', ['entry_id', 'juror_id', 'criterion_id'])
    .execute();
  await db.schema.createIndex('scores_juror').on('scores').columns(['juror_id']).execute();

  await db.schema
    .createTable('juror_conflicts')
    .addColumn('juror_id', 'text', (c) => c.notNull().references('jurors.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('entries.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('juror_conflicts_pk', ['juror_id', 'entry_id'])
    .execute();

  await db.schema
    .createTable('awards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
    .addColumn('category_id', 'text', (c) => c.references('competition_categories.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('entries.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['shortlist', 'first', 'second', 'third', 'overall'])))
    // "<category>:first", "overall", "shortlist:<entry>": one holder per place.
    .addColumn('place_key', 'text', (c) => c.notNull())
    .addColumn('jury_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('awards_place', ['competition_id', 'place_key'])
    .addUniqueConstraint('awards_entry_kind', ['entry_id', 'kind'])
    .execute();
}

function sqlIn(column: string, values: string[]) {
  // Values are literals written in this file, never user input.
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
