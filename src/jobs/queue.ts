// The jobs table's queries: putting work on the queue, taking it off, and the
// claim/finish statements the worker uses. Every function takes `db` or a
// transaction first, so a caller can enqueue in the same transaction as the
// change that needs the job (the job exists if and only if the change commits).
// The only SQL that differs between SQLite and PostgreSQL is in claimDueJobs.
import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, JobStatus, JobTable } from '../db/schema.js';
import { newId } from '../lib/ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type JobRow = Selectable<JobTable>;
export type JobDialect = 'sqlite' | 'postgres';

/** Matches the column default in the migration, so rows look the same however they were made. */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface EnqueueOptions {
  /** When the job becomes due; now if omitted. */
  runAt?: Date | string;
  /**
   * At most one job holds a key. A pending, done or failed job with the key is
   * replaced by this one (rescheduling a publish); a running one is left alone.
   */
  uniqueKey?: string;
  maxAttempts?: number;
}

/**
 * Every stored timestamp goes through toISOString: on SQLite the columns are text
 * and compared as text, so '2026-01-05T09:30:00Z' (no milliseconds) would sort
 * after '2026-01-05T09:30:00.500Z' and a job could run early or late.
 */
function toIso(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid time for a job: ${String(value)}`);
  return date.toISOString();
}

/** Puts a job on the queue and returns its id (with a uniqueKey held by a running job, that job's id). */
export async function enqueue(db: Executor, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
  if (!kind) throw new RangeError('A job needs a kind');
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${maxAttempts}`);
  const now = new Date().toISOString();
  const row = {
    id: newId(),
    kind,
    payload: JSON.stringify(payload ?? null),
    unique_key: options.uniqueKey ?? null,
    status: 'pending' as const,
    run_at: options.runAt === undefined ? now : toIso(options.runAt),
    attempts: 0,
    max_attempts: maxAttempts,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    finished_at: null,
  };
  if (row.unique_key === null) {
    await db.insertInto('jobs').values(row).execute();
    return row.id;
  }

  // An upsert rather than delete-then-insert: two servers rescheduling the same
  // article at once would otherwise race on the unique index. The WHERE makes a
  // running job win, and on PostgreSQL it is re-checked against the row as a
  // concurrent claim left it.
  for (let tries = 0; tries < 3; tries++) {
    const replaced = await db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('unique_key')
          .doUpdateSet((eb) => ({
            id: eb.ref('excluded.id'),
            kind: eb.ref('excluded.kind'),
            payload: eb.ref('excluded.payload'),
            status: eb.ref('excluded.status'),
            run_at: eb.ref('excluded.run_at'),
            attempts: eb.ref('excluded.attempts'),
            max_attempts: eb.ref('excluded.max_attempts'),
            locked_by: null,
            locked_until: null,
            last_error: null,
            created_at: eb.ref('excluded.created_at'),
            finished_at: null,
          }))
          .where('jobs.status', '!=', 'running'),
      )
      .returning('id')
      .executeTakeFirst();
    if (replaced) return replaced.id;
    const running = await findJobByUniqueKey(db, row.unique_key);
    if (running) return running.id;
    // The running job was deleted between the two statements; try again.
  }
  throw new Error(`Could not enqueue the job with key ${row.unique_key}: it kept changing`);
}

/** Deletes the pending job holding this key; returns whether there was one. A running job cannot be cancelled. */
export async function cancel(db: Executor, uniqueKey: string): Promise<boolean> {
  const result = await db.deleteFrom('jobs').where('unique_key', '=', uniqueKey).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findJob(db: Executor, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findJobByUniqueKey(db: Executor, uniqueKey: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('unique_key', '=', uniqueKey).executeTakeFirst();
}

/** Jobs of one kind, optionally in one status, oldest due first. */
export async function jobsByKind(db: Executor, kind: string, status?: JobStatus): Promise<JobRow[]> {
  let query = db.selectFrom('jobs').selectAll().where('kind', '=', kind);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('run_at').orderBy('id').execute();
}

/** Whether a job of this kind is waiting or running. */
export async function hasWaitingJob(db: Executor, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', kind)
    .where('status', 'in', ['pending', 'running'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many jobs are in each status (every status present, zero when none). */
export async function countJobsByStatus(db: Executor): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * Deletes done and failed jobs that finished before the given time; returns how
 * many. Nothing else removes them, and the table would otherwise grow by a row
 * per email sent.
 */
export async function deleteFinishedJobs(db: Executor, finishedBefore: Date | string): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('status', 'in', ['done', 'failed'])
    .where('finished_at', '<', toIso(finishedBefore))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- used by the worker -------------------------------------------------------

/** Who holds a claimed job: the worker and the attempt number, unique per claim. */
export interface JobClaim {
  id: string;
  lockedBy: string;
  attempts: number;
}

export interface ClaimOptions {
  workerId: string;
  now: string;
  lockedUntil: string;
  limit: number;
}

/** Pending and due, or running under a lease that ran out because its worker died. */
function isDue(now: string) {
  return (eb: ExpressionBuilder<Database, 'jobs'>) =>
    eb.and([
      eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)])]),
      eb('run_at', '<=', now),
    ]);
}

/**
 * Claims up to `limit` due jobs in one statement, so two workers (or two
 * processes, or two servers) never take the same job:
 *
 *   WITH due AS MATERIALIZED (SELECT id FROM jobs WHERE <due> ORDER BY run_at, id
 *                             LIMIT n [FOR UPDATE SKIP LOCKED])
 *   UPDATE jobs SET status = 'running', locked_by, locked_until, attempts + 1
 *   WHERE id IN (SELECT id FROM due) AND <due> RETURNING *
 *
 * The choice of rows is materialised once. Written as `id IN (SELECT ... LIMIT n
 * FOR UPDATE SKIP LOCKED)`, PostgreSQL may re-run the subquery for each row it
 * updates, and since every run skips the rows the previous ones locked, one
 * claim took 195 jobs with LIMIT 5 (the 200-job test caught it).
 *
 * PostgreSQL: SKIP LOCKED lets concurrent claims take disjoint sets without
 * waiting on each other; a row another claim updated after our snapshot is
 * re-checked against <due> (READ COMMITTED), and <due> is repeated in the outer
 * WHERE for the same reason. SQLite: an UPDATE takes the database's write lock
 * before it reads, so the statement is serialised against other connections
 * (busy_timeout waits); FOR UPDATE does not exist there.
 */
export async function claimDueJobs(db: Executor, dialect: JobDialect, options: ClaimOptions): Promise<JobRow[]> {
  const { workerId, now, lockedUntil, limit } = options;
  return db
    .with(
      (cte) => cte('due').materialized(),
      (qb) =>
        qb
          .selectFrom('jobs')
          .select('id')
          .where(isDue(now))
          .orderBy('run_at')
          .orderBy('id')
          .limit(limit)
          .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .updateTable('jobs')
    .set((eb) => ({ status: 'running', locked_by: workerId, locked_until: lockedUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .where(isDue(now))
    .returningAll()
    .execute();
}

/** The claim still belongs to this worker and attempt: a finished or re-claimed job is not touched. */
function heldBy(claim: JobClaim) {
  return (eb: ExpressionBuilder<Database, 'jobs'>) =>
    eb.and([
      eb('id', '=', claim.id),
      eb('status', '=', 'running'),
      eb('locked_by', '=', claim.lockedBy),
      eb('attempts', '=', claim.attempts),
    ]);
}

/** Marks a claimed job done; false if the claim was lost (the lease ran out and someone else took it). */
export async function completeJob(db: Executor, claim: JobClaim, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: now, locked_by: null, locked_until: null })
    .where(heldBy(claim))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Puts a claimed job back to wait until `runAt`, keeping the error; false if the claim was lost. */
export async function retryJobLater(db: Executor, claim: JobClaim, runAt: string, error: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'pending', run_at: runAt, last_error: error, locked_by: null, locked_until: null })
    .where(heldBy(claim))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives up on a claimed job for good; false if the claim was lost. */
export async function failJob(db: Executor, claim: JobClaim, error: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'failed', finished_at: now, last_error: error, locked_by: null, locked_until: null })
    .where(heldBy(claim))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Pushes a running job's lease forward while its handler works; false if the claim was lost. */
export async function extendLease(db: Executor, claim: JobClaim, lockedUntil: string): Promise<boolean> {
  const result = await db.updateTable('jobs').set({ locked_until: lockedUntil }).where(heldBy(claim)).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
