// The newsletter's queries: newsletters, subscriptions, issues and deliveries.
// Every function takes `db` or a transaction first, so the service owns the
// transactions. The only SQL that differs between SQLite and PostgreSQL is the
// FOR UPDATE SKIP LOCKED in claimDeliveries.
import type { ScopedDb } from '../../db/scoped.js';
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type {
  Database,
  DeliveryStatus,
  DeliveryTable,
  IssueStatus,
  NewsletterIssueTable,
  NewsletterTable,
  SubscriptionStatus,
  SubscriptionTable,
} from '../../db/schema.js';
import { containsInsensitive } from '../../db/database.js';
import { newId } from '../../lib/ids.js';

/** What the newsletter module's own queries may touch. */
export type NewsletterDb = ScopedDb<'newsletters' | 'subscriptions' | 'newsletter_subscriber_counts' | 'newsletter_issues' | 'deliveries'>;
export type Executor = NewsletterDb;
export type NewsletterRow = Selectable<NewsletterTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type IssueRow = Selectable<NewsletterIssueTable>;
export type DeliveryRow = Selectable<DeliveryTable>;

/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
const INSERT_CHUNK = 400;
const IN_CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---- newsletters ------------------------------------------------------------

export async function listNewsletters(db: Executor): Promise<NewsletterRow[]> {
  return db.selectFrom('newsletters').selectAll().orderBy('position').orderBy('name').execute();
}

export async function findNewsletterBySlug(db: Executor, slug: string): Promise<NewsletterRow | undefined> {
  return db.selectFrom('newsletters').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findNewsletterById(db: Executor, id: string): Promise<NewsletterRow | undefined> {
  return db.selectFrom('newsletters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertNewsletter(db: Executor, row: Insertable<NewsletterTable>): Promise<void> {
  await db.insertInto('newsletters').values(row).execute();
}

export async function updateNewsletter(db: Executor, id: string, changes: Updateable<NewsletterTable>): Promise<void> {
  await db.updateTable('newsletters').set(changes).where('id', '=', id).execute();
}

// ---- subscriptions ----------------------------------------------------------

export async function findSubscription(db: Executor, newsletterId: string, email: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('newsletter_id', '=', newsletterId).where('email', '=', email).executeTakeFirst();
}

export async function findSubscriptionById(db: Executor, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscriptionByConfirmHash(db: Executor, hash: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('confirm_token_hash', '=', hash).executeTakeFirst();
}

export async function insertSubscription(db: Executor, row: Insertable<SubscriptionTable>): Promise<void> {
  await db.insertInto('subscriptions').values(row).execute();
}

export async function insertSubscriptions(db: Executor, rows: Insertable<SubscriptionTable>[]): Promise<void> {
  for (const part of chunks(rows, Math.floor(INSERT_CHUNK / 2))) await db.insertInto('subscriptions').values(part).execute();
}

export async function updateSubscription(db: Executor, id: string, changes: Updateable<SubscriptionTable>): Promise<void> {
  await db.updateTable('subscriptions').set(changes).where('id', '=', id).execute();
}

export async function subscriptionsByEmail(db: Executor, email: string): Promise<SubscriptionRow[]> {
  return db.selectFrom('subscriptions').selectAll().where('email', '=', email).execute();
}

/** An account's subscriptions: those made while signed in, and those to its address. */
export async function subscriptionsOfAccount(db: Executor, userId: string, email: string): Promise<SubscriptionRow[]> {
  return db
    .selectFrom('subscriptions')
    .selectAll()
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', email)]))
    .execute();
}

/** An account's subscriptions (by account or by its address) with their newsletters' slugs, in one query. */
export async function subscriptionSlugsOfAccount(
  db: Executor,
  userId: string,
  email: string,
): Promise<{ slug: string; email: string; status: SubscriptionStatus }[]> {
  return db
    .selectFrom('subscriptions')
    .innerJoin('newsletters', 'newsletters.id', 'subscriptions.newsletter_id')
    .select(['newsletters.slug', 'subscriptions.email', 'subscriptions.status'])
    .where((eb) => eb.or([eb('subscriptions.user_id', '=', userId), eb('subscriptions.email', '=', email)]))
    .execute();
}

export async function deleteSubscriptionsOfAccount(db: Executor, userId: string, email: string): Promise<number> {
  const result = await db
    .deleteFrom('subscriptions')
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', email)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSubscription(db: Executor, newsletterId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('subscriptions').where('id', '=', id).where('newsletter_id', '=', newsletterId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function subscriptionsByEmails(db: Executor, newsletterId: string, emails: string[]): Promise<SubscriptionRow[]> {
  const out: SubscriptionRow[] = [];
  for (const part of chunks(emails, IN_CHUNK)) {
    out.push(
      ...(await db.selectFrom('subscriptions').selectAll().where('newsletter_id', '=', newsletterId).where('email', 'in', part).execute()),
    );
  }
  return out;
}

export async function countSubscriptionsByStatus(db: Executor, newsletterId: string): Promise<Record<SubscriptionStatus, number>> {
  // Kept by the database's triggers on subscriptions: the list is not walked to count it.
  const rows = await db
    .selectFrom('newsletter_subscriber_counts')
    .select(['status', 'n'])
    .where('newsletter_id', '=', newsletterId)
    .execute();
  const counts: Record<SubscriptionStatus, number> = { pending: 0, confirmed: 0, unsubscribed: 0, suppressed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export interface SubscriberFilter {
  q?: string;
  status?: SubscriptionStatus;
}

function subscribers(db: Executor, newsletterId: string, filter: SubscriberFilter) {
  let query = db.selectFrom('subscriptions').where('newsletter_id', '=', newsletterId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) query = query.where(containsInsensitive('email', filter.q));
  return query;
}

export async function countSubscribers(db: Executor, newsletterId: string, filter: SubscriberFilter): Promise<number> {
  const row = await subscribers(db, newsletterId, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listSubscribers(
  db: Executor,
  newsletterId: string,
  filter: SubscriberFilter,
  limit: number,
  offset: number,
): Promise<SubscriptionRow[]> {
  return subscribers(db, newsletterId, filter).selectAll().orderBy('email').limit(limit).offset(offset).execute();
}

export async function allSubscribers(db: Executor, newsletterId: string): Promise<SubscriptionRow[]> {
  return db.selectFrom('subscriptions').selectAll().where('newsletter_id', '=', newsletterId).orderBy('email').execute();
}

export async function confirmedSubscriptionIds(db: Executor, newsletterId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('newsletter_id', '=', newsletterId)
    .where('status', '=', 'confirmed')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function recipientsOf(
  db: Executor,
  subscriptionIds: string[],
): Promise<Map<string, { email: string; status: SubscriptionStatus; hardBounces: number }>> {
  const out = new Map<string, { email: string; status: SubscriptionStatus; hardBounces: number }>();
  for (const part of chunks(subscriptionIds, IN_CHUNK)) {
    const rows = await db.selectFrom('subscriptions').select(['id', 'email', 'status', 'hard_bounces']).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, { email: r.email, status: r.status, hardBounces: Number(r.hard_bounces) });
  }
  return out;
}

/**
 * Counts a permanent refusal against a subscription; at `limit` in a row a
 * confirmed subscription becomes suppressed. Returns whether it is suppressed now.
 * One statement each, so two senders counting at once both count.
 */
export async function recordHardBounce(
  db: Executor,
  subscriptionId: string,
  problem: string,
  limit: number,
  now: string,
): Promise<boolean> {
  await db
    .updateTable('subscriptions')
    .set((eb) => ({ hard_bounces: eb('hard_bounces', '+', 1), last_bounce: problem.slice(0, 500), updated_at: now }))
    .where('id', '=', subscriptionId)
    .execute();
  const result = await db
    .updateTable('subscriptions')
    .set({ status: 'suppressed', suppressed_at: now, updated_at: now })
    .where('id', '=', subscriptionId)
    .where('status', '=', 'confirmed')
    .where('hard_bounces', '>=', limit)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A delivery got through: the run of hard bounces is over. */
export async function clearHardBounces(db: Executor, subscriptionId: string, now: string): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ hard_bounces: 0, updated_at: now })
    .where('id', '=', subscriptionId)
    .where('hard_bounces', '>', 0)
    .execute();
}

/** The editor takes a suppressed address back: confirmed again, its count of bounces cleared. */
export async function reactivateSuppressed(db: Executor, newsletterId: string, subscriptionId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('subscriptions')
    .set({ status: 'confirmed', hard_bounces: 0, suppressed_at: null, updated_at: now })
    .where('id', '=', subscriptionId)
    .where('newsletter_id', '=', newsletterId)
    .where('status', '=', 'suppressed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ---- issues -----------------------------------------------------------------

export async function findIssue(db: Executor, id: string): Promise<IssueRow | undefined> {
  return db.selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSentIssueByNumber(db: Executor, newsletterId: string, number: number): Promise<IssueRow | undefined> {
  return db
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('newsletter_id', '=', newsletterId)
    .where('number', '=', number)
    .where('status', '=', 'sent')
    .executeTakeFirst();
}

export async function listIssues(db: Executor, newsletterId: string, statuses?: IssueStatus[]): Promise<IssueRow[]> {
  let query = db.selectFrom('newsletter_issues').selectAll().where('newsletter_id', '=', newsletterId);
  if (statuses) query = query.where('status', 'in', statuses);
  return query.orderBy('created_at', 'desc').execute();
}

/** The issue sent most recently (by when its sending started: its items were frozen then). */
export async function lastSentIssue(db: Executor, newsletterId: string): Promise<IssueRow | undefined> {
  return db
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('newsletter_id', '=', newsletterId)
    .where('status', 'in', ['sending', 'sent'])
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function maxIssueNumber(db: Executor, newsletterId: string): Promise<number> {
  const row = await db
    .selectFrom('newsletter_issues')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('newsletter_id', '=', newsletterId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertIssue(db: Executor, row: Insertable<NewsletterIssueTable>): Promise<void> {
  await db.insertInto('newsletter_issues').values(row).execute();
}

/** Updates an issue only while it is in one of the given states; returns whether it did. */
export async function updateIssueIn(
  db: Executor,
  id: string,
  statuses: IssueStatus[],
  changes: Updateable<NewsletterIssueTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('newsletter_issues')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', statuses)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteIssueIn(db: Executor, id: string, statuses: IssueStatus[]): Promise<boolean> {
  const result = await db.deleteFrom('newsletter_issues').where('id', '=', id).where('status', 'in', statuses).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---- deliveries ---------------------------------------------------------------

/** Creates the missing delivery rows; existing ones (same issue and subscription) are left alone. */
export async function insertDeliveries(db: Executor, rows: Insertable<DeliveryTable>[]): Promise<void> {
  for (const part of chunks(rows, Math.floor(INSERT_CHUNK / 4))) {
    await db
      .insertInto('deliveries')
      .values(part)
      .onConflict((oc) => oc.columns(['issue_id', 'subscription_id']).doNothing())
      .execute();
  }
}

/**
 * Claims up to `limit` due deliveries of an issue (pending and due, or claimed
 * by a sender whose lease ran out: it died, or lost the database), marking them
 * 'sending' under a lease and counting the attempt; the same materialised-CTE
 * shape as the job queue's claim (see jobs/queue.ts for why), so two senders
 * never hold the same delivery. (A CTE needs Kysely's whole builder, so this
 * one takes the unscoped handle; it touches deliveries only.)
 *
 * Two statements, each an index range that stops at the limit: claims whose
 * lease ran out first (few: at most what dead senders held), then pending
 * deliveries in the order of deliveries_issue_status (issue, status, due time).
 * One statement with both conditions and `order by id` read and sorted every
 * delivery of the issue for each batch: most of the database's time in a send
 * to 10,000 readers.
 */
export async function claimDeliveries(
  db: Kysely<Database> | Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  options: { issueId: string; now: string; lockedUntil: string; limit: number },
): Promise<DeliveryRow[]> {
  const { issueId, now, lockedUntil, limit } = options;
  const claim = (status: 'sending' | 'pending', max: number) =>
    db
      .with(
        (cte) => cte('due').materialized(),
        (qb) =>
          qb
            .selectFrom('deliveries')
            .select('id')
            .where('issue_id', '=', issueId)
            .where('status', '=', status)
            .$if(status === 'sending', (q) => q.where('locked_until', '<', now))
            .$if(status === 'pending', (q) => q.where('next_attempt_at', '<=', now).orderBy('next_attempt_at'))
            .limit(max)
            .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .updateTable('deliveries')
      .set((eb) => ({ status: 'sending', locked_until: lockedUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
      // Checked again (without the issue, which would lead SQLite to read the issue's whole index range instead of the ids).
      .where('status', '=', status)
      .$if(status === 'sending', (q) => q.where('locked_until', '<', now))
      .$if(status === 'pending', (q) => q.where('next_attempt_at', '<=', now))
      .returningAll()
      .execute();
  const expired = await claim('sending', limit);
  if (expired.length >= limit) return expired;
  return [...expired, ...(await claim('pending', limit - expired.length))];
}

/** The claim is still ours: the delivery is 'sending' with the attempt we counted. */
export interface DeliveryClaim {
  id: string;
  attempts: number;
}

async function settle(db: Executor, claim: DeliveryClaim, changes: Updateable<DeliveryTable>): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ locked_until: null, ...changes })
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Marks many claims sent in one statement (the sender records the 250s of its
 * connections together); returns the ids that were still ours.
 */
export async function markManySent(db: Executor, claims: readonly DeliveryClaim[], now: string): Promise<Set<string>> {
  const settled = new Set<string>();
  for (const part of chunks([...claims], IN_CHUNK)) {
    const rows = await db
      .updateTable('deliveries')
      .set({ status: 'sent', sent_at: now, last_error: null, updated_at: now, locked_until: null })
      .where('status', '=', 'sending')
      .where((eb) => eb.or(part.map((c) => eb.and([eb('id', '=', c.id), eb('attempts', '=', c.attempts)]))))
      .returning('id')
      .execute();
    for (const r of rows) settled.add(r.id);
  }
  return settled;
}

/** Pushes the leases of claims still held forward (a sender that is alive keeps what it claimed). */
export async function extendLeases(db: Executor, claims: DeliveryClaim[], lockedUntil: string): Promise<void> {
  if (claims.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({ locked_until: lockedUntil })
    .where('status', '=', 'sending')
    .where((eb) => eb.or(claims.map((c) => eb.and([eb('id', '=', c.id), eb('attempts', '=', c.attempts)]))))
    .execute();
}

export const markSent = (db: Executor, claim: DeliveryClaim, now: string) =>
  settle(db, claim, { status: 'sent', sent_at: now, last_error: null, updated_at: now });
export const markFailed = (db: Executor, claim: DeliveryClaim, error: string, now: string) =>
  settle(db, claim, { status: 'failed', last_error: error, updated_at: now });
export const markSkipped = (db: Executor, claim: DeliveryClaim, reason: string, now: string) =>
  settle(db, claim, { status: 'skipped', last_error: reason, updated_at: now });
export const markRetry = (db: Executor, claim: DeliveryClaim, error: string, runAt: string, now: string) =>
  settle(db, claim, { status: 'pending', next_attempt_at: runAt, last_error: error, updated_at: now });

export async function deliveryCounts(db: Executor, issueId: string): Promise<Record<DeliveryStatus, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('issue_id', '=', issueId)
    .groupBy('status')
    .execute();
  const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** When the next delivery of the issue becomes due: a retry's time, or a lease's end. */
export async function nextDueAt(db: Executor, issueId: string): Promise<string | null> {
  const [retry, lease] = await Promise.all([
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('issue_id', '=', issueId)
      .where('status', '=', 'pending')
      .executeTakeFirst(),
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('locked_until').as('at'))
      .where('issue_id', '=', issueId)
      .where('status', '=', 'sending')
      .executeTakeFirst(),
  ]);
  const times = [retry?.at, lease?.at].filter((t): t is string => typeof t === 'string' && t !== '').map((t) => new Date(t).toISOString());
  return times.length ? times.sort()[0]! : null;
}

/**
 * Deliveries claimed by a sender that stopped renewing its leases (it died, or
 * lost the database): 'sending' with a lease that has not been renewed since
 * `renewedBefore`. `until` is when the last of those leases runs out.
 */
export async function stalledDeliveries(
  db: Executor,
  issueId: string,
  renewedBefore: string,
): Promise<{ count: number; until: string | null }> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('locked_until').as('until')])
    .where('issue_id', '=', issueId)
    .where('status', '=', 'sending')
    .where('locked_until', '<', renewedBefore)
    .executeTakeFirst();
  const until = row?.until as unknown;
  return { count: Number(row?.n ?? 0), until: until ? new Date(until as string).toISOString() : null };
}

/** Failed (and retrying) deliveries with their addresses, for the report. */
export async function problemDeliveries(db: Executor, issueId: string, limit: number) {
  return db
    .selectFrom('deliveries')
    .innerJoin('subscriptions', 'subscriptions.id', 'deliveries.subscription_id')
    .select([
      'deliveries.id',
      'deliveries.status',
      'deliveries.attempts',
      'deliveries.last_error',
      'deliveries.next_attempt_at',
      'subscriptions.email',
    ])
    .where('deliveries.issue_id', '=', issueId)
    .where((eb) =>
      eb.or([eb('deliveries.status', '=', 'failed'), eb.and([eb('deliveries.status', '=', 'pending'), eb('deliveries.attempts', '>', 0)])]),
    )
    .orderBy('subscriptions.email')
    .limit(limit)
    .execute();
}

/** A subscription row that is confirmed from the start (imports with consent, one-click sign-ups, the demo). */
export function confirmedSubscription(input: {
  newsletterId: string;
  email: string;
  userId: string | null;
  source: string;
  consent: string;
  consentBy: string | null;
  at: string;
}): Insertable<SubscriptionTable> {
  return {
    id: newId(),
    newsletter_id: input.newsletterId,
    email: input.email,
    user_id: input.userId,
    status: 'confirmed',
    source: input.source,
    consent: input.consent,
    consent_at: input.at,
    consent_by: input.consentBy,
    confirm_token_hash: null,
    confirm_nonce: null,
    confirm_expires_at: null,
    confirm_sent_at: null,
    confirmed_at: input.at,
    unsubscribed_at: null,
    created_at: input.at,
    updated_at: input.at,
  };
}

/** What importSubscriber did with one address. */
export type SubscriberImportOutcome = {
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped';
  reason?: string;
  subscriptionId?: string;
};

/**
 * Adds one address from another platform's export (a Ghost site's members) as a
 * confirmed subscriber, with the consent the export records. Called inside the
 * importer's transaction. The first newsletter (by position) unless a slug is
 * given. An unsubscribed or suppressed address stays so; a confirmed one is left
 * as it is; a pending one is confirmed with this consent. `dryRun` says what
 * would happen without writing.
 */
export async function importSubscriber(
  db: Executor,
  input: { email: string; consent: string; newsletterSlug?: string; at: string; createdAt?: string; dryRun?: boolean },
): Promise<SubscriberImportOutcome> {
  const newsletter = input.newsletterSlug ? await findNewsletterBySlug(db, input.newsletterSlug) : (await listNewsletters(db))[0];
  if (!newsletter) {
    return {
      outcome: 'skipped',
      reason: input.newsletterSlug ? `There is no newsletter “${input.newsletterSlug}” on this site.` : 'This site has no newsletter yet.',
    };
  }
  const current = await findSubscription(db, newsletter.id, input.email);
  if (current?.status === 'unsubscribed') return { outcome: 'skipped', reason: 'Unsubscribed here: an import never undoes it.' };
  if (current?.status === 'suppressed') return { outcome: 'skipped', reason: 'Suppressed here after bounces: an import never undoes it.' };
  if (current?.status === 'confirmed') return { outcome: 'unchanged', subscriptionId: current.id };
  if (current) {
    if (!input.dryRun) {
      await updateSubscription(db, current.id, {
        status: 'confirmed',
        confirmed_at: input.at,
        consent: input.consent,
        consent_at: input.at,
        consent_by: null,
        confirm_token_hash: null,
        confirm_nonce: null,
        confirm_expires_at: null,
        updated_at: input.at,
      });
    }
    return { outcome: 'updated', subscriptionId: current.id };
  }
  const row = confirmedSubscription({
    newsletterId: newsletter.id,
    email: input.email,
    userId: null,
    source: 'import',
    consent: input.consent,
    consentBy: null,
    at: input.at,
  });
  if (input.createdAt) row.created_at = input.createdAt;
  if (!input.dryRun) await insertSubscription(db, row);
  return { outcome: 'created', subscriptionId: row.id };
}
