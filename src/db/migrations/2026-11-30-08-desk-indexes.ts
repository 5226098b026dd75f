// The newsroom's pages at 200,000 subscribers. A newsletter's subscribers are
// counted by state on the composer, the subscriber list and the newsletters
// page; counting them (an index walk over every subscription) grew with the
// list. `newsletter_subscriber_counts` keeps one row per newsletter and state,
// kept by triggers on `subscriptions` (insert, delete, a change of state or
// newsletter), so every path that writes a subscription (sign-ups, imports,
// unsubscribes, bounces, deleted accounts, cascades) keeps it right without
// knowing of it. Filled here from the subscriptions already there.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('newsletter_subscriber_counts')
    .addColumn('newsletter_id', 'text', (c) => c.notNull().references('newsletters.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_subscriber_counts_pk', ['newsletter_id', 'status'])
    .execute();
  await sql`insert into newsletter_subscriber_counts (newsletter_id, status, n)
    select newsletter_id, status, count(*) from subscriptions group by newsletter_id, status`.execute(db);
  if (pg) {
    await sql`create function subscriptions_count() returns trigger language plpgsql as $$
      begin
        if tg_op in ('DELETE', 'UPDATE') then
          update newsletter_subscriber_counts set n = n - 1 where newsletter_id = old.newsletter_id and status = old.status;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into newsletter_subscriber_counts (newsletter_id, status, n) values (new.newsletter_id, new.status, 1)
            on conflict (newsletter_id, status) do update set n = newsletter_subscriber_counts.n + 1;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger subscriptions_count after insert or delete or update of status, newsletter_id on subscriptions
      for each row execute function subscriptions_count()`.execute(db);
    return;
  }
  await sql`create trigger subscriptions_count_insert after insert on subscriptions begin
      insert into newsletter_subscriber_counts (newsletter_id, status, n) values (new.newsletter_id, new.status, 1)
        on conflict (newsletter_id, status) do update set n = n + 1;
    end`.execute(db);
  await sql`create trigger subscriptions_count_delete after delete on subscriptions begin
      update newsletter_subscriber_counts set n = n - 1 where newsletter_id = old.newsletter_id and status = old.status;
    end`.execute(db);
  await sql`create trigger subscriptions_count_update after update of status, newsletter_id on subscriptions
    when old.status is not new.status or old.newsletter_id is not new.newsletter_id begin
      update newsletter_subscriber_counts set n = n - 1 where newsletter_id = old.newsletter_id and status = old.status;
      insert into newsletter_subscriber_counts (newsletter_id, status, n) values (new.newsletter_id, new.status, 1)
        on conflict (newsletter_id, status) do update set n = n + 1;
    end`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop trigger subscriptions_count on subscriptions`.execute(db);
    await sql`drop function subscriptions_count()`.execute(db);
  } else {
    for (const name of ['insert', 'delete', 'update']) await sql`drop trigger ${sql.raw(`subscriptions_count_${name}`)}`.execute(db);
  }
  await db.schema.dropTable('newsletter_subscriber_counts').execute();
}
