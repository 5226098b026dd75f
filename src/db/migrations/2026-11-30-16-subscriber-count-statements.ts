// The newsletter's subscriber counts (2026-11-30-08) on PostgreSQL, for writes of
// many subscriptions in one transaction (an import of a member list, a bulk
// load). A row trigger updated the same count row once per subscription, and in
// one transaction every one of those updates leaves a version PostgreSQL cannot
// prune until it commits, so each update walked all the earlier ones: an import
// of 200,000 members took minutes. Inserts and deletes now count once per
// statement from its transition table; a change of state stays a row trigger
// (PostgreSQL gives no transition table to a trigger on named columns). SQLite
// updates a row in place and keeps its row triggers.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, not typed by today's schema
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger subscriptions_count on subscriptions`.execute(db);
  await sql`create function subscriptions_count_inserted() returns trigger language plpgsql as $$
      begin
        insert into newsletter_subscriber_counts (newsletter_id, status, n)
          select newsletter_id, status, count(*) from inserted group by newsletter_id, status
          on conflict (newsletter_id, status) do update set n = newsletter_subscriber_counts.n + excluded.n;
        return null;
      end $$`.execute(db);
  await sql`create function subscriptions_count_deleted() returns trigger language plpgsql as $$
      begin
        update newsletter_subscriber_counts c set n = c.n - d.n
          from (select newsletter_id, status, count(*) as n from deleted group by newsletter_id, status) d
          where c.newsletter_id = d.newsletter_id and c.status = d.status;
        return null;
      end $$`.execute(db);
  await sql`create trigger subscriptions_count_insert after insert on subscriptions
      referencing new table as inserted for each statement execute function subscriptions_count_inserted()`.execute(db);
  await sql`create trigger subscriptions_count_delete after delete on subscriptions
      referencing old table as deleted for each statement execute function subscriptions_count_deleted()`.execute(db);
  await sql`create trigger subscriptions_count_update after update of status, newsletter_id on subscriptions
      for each row when (old.status is distinct from new.status or old.newsletter_id is distinct from new.newsletter_id)
      execute function subscriptions_count()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const name of ['insert', 'delete', 'update'])
    await sql`drop trigger ${sql.raw(`subscriptions_count_${name}`)} on subscriptions`.execute(db);
  await sql`drop function subscriptions_count_inserted()`.execute(db);
  await sql`drop function subscriptions_count_deleted()`.execute(db);
  await sql`create trigger subscriptions_count after insert or delete or update of status, newsletter_id on subscriptions
      for each row execute function subscriptions_count()`.execute(db);
}
