// The newsletter: newsletters, their subscribers (double opt-in), issues, and one
// delivery row per recipient per issue, which is the idempotency key for sending.
// Seeds the "Weekly Brief", the magazine's own newsletter, so every install has
// one to sign up for.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('newsletters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sender_name', 'text', (c) => c.notNull().defaultTo(''))
    // Empty: the address of MAIL_FROM.
    .addColumn('sender_email', 'text', (c) => c.notNull().defaultTo(''))
    // 0 = Sunday ... 5 = Friday, with the local time and zone of the usual send.
    .addColumn('send_weekday', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('send_time', 'text', (c) => c.notNull().defaultTo('16:00'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/London'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('newsletter_id', 'text', (c) => c.notNull().references('newsletters.id').onDelete('cascade'))
    // Lower-cased. Private.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    // pending (waiting for the confirmation link), confirmed, unsubscribed.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    // Where the sign-up came from: home, wall, footer, newsletters, account, import, preferences, newsroom.
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    // How consent was given: double_opt_in, account, import_attested, preferences_link.
    .addColumn('consent', 'text')
    .addColumn('consent_at', t.timestamp)
    .addColumn('consent_by', 'text')
    // The confirmation link: only the SHA-256 of its token is stored.
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('confirm_nonce', 'text')
    .addColumn('confirm_expires_at', t.timestamp)
    .addColumn('confirm_sent_at', t.timestamp)
    .addColumn('confirmed_at', t.timestamp)
    .addColumn('unsubscribed_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('subscriptions_newsletter_email', ['newsletter_id', 'email'])
    .execute();
  await db.schema.createIndex('subscriptions_newsletter_status').on('subscriptions').columns(['newsletter_id', 'status']).execute();
  await db.schema.createIndex('subscriptions_email').on('subscriptions').column('email').execute();
  await db.schema.createIndex('subscriptions_user').on('subscriptions').column('user_id').execute();

  await db.schema
    .createTable('newsletter_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('newsletter_id', 'text', (c) => c.notNull().references('newsletters.id').onDelete('cascade'))
    // Given when sending starts, so the archive counts 1, 2, 3... without gaps.
    .addColumn('number', 'integer')
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('intro_json', 'text', (c) => c.notNull().defaultTo('{"type":"doc","content":[]}'))
    .addColumn('intro_html', 'text', (c) => c.notNull().defaultTo(''))
    // JSON array of the items in their order (a snapshot of each article, frozen when sending starts).
    .addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
    // draft, scheduled, sending, sent.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('scheduled_at', t.timestamp)
    .addColumn('started_at', t.timestamp)
    .addColumn('sent_at', t.timestamp)
    .addColumn('recipients_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('newsletter_issues_number', ['newsletter_id', 'number'])
    .execute();
  await db.schema.createIndex('newsletter_issues_newsletter_status').on('newsletter_issues').columns(['newsletter_id', 'status']).execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('issue_id', 'text', (c) => c.notNull().references('newsletter_issues.id').onDelete('cascade'))
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    // pending, sending (claimed under a lease), sent, failed, skipped (unsubscribed meanwhile).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('locked_until', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('sent_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('deliveries_issue_subscription', ['issue_id', 'subscription_id'])
    .execute();
  await db.schema.createIndex('deliveries_issue_status').on('deliveries').columns(['issue_id', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('deliveries_subscription').on('deliveries').column('subscription_id').execute();

  const now = new Date().toISOString();
  await db
    .insertInto('newsletters')
    .values({
      id: randomUUID(),
      slug: 'weekly-brief',
      name: 'Weekly Brief',
      description:
        'The week’s best stories, written by teenagers for teenagers, every Friday afternoon. Competition news is announced here first.',
      sender_name: 'The Weekly Brief',
      sender_email: '',
      send_weekday: 5,
      send_time: '16:00',
      time_zone: 'Europe/London',
      position: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
