// Runs the queue's jobs: claims due ones under a lease, calls the handler for
// their kind, and records the outcome (done, retry later with backoff, or
// failed). Delivery is at least once: a worker that dies mid-job loses its
// lease and another worker runs the job again, so handlers must be idempotent
// (sending uses `deliveries` rows as its key; publishing checks the status).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/database.js';
import {
  claimDueJobs,
  completeJob,
  enqueue,
  extendLease,
  failJob,
  hasWaitingJob,
  retryJobLater,
  type JobClaim,
  type JobDialect,
  type JobRow,
} from './queue.js';

export interface JobInfo {
  id: string;
  kind: string;
  /** 1 on the first run. */
  attempts: number;
  maxAttempts: number;
}

export type JobHandler = (payload: unknown, job: JobInfo) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

/** The part of a pino / Fastify logger the worker uses. */
export interface JobLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobWorkerOptions {
  /** Names this worker in locked_by; unique per instance by default. */
  workerId?: string;
  /** How long a claim lasts without news from the worker (it is renewed while a handler runs). */
  leaseMs?: number;
  /** Pause between polls when the last one found less than a full batch. */
  pollMs?: number;
  batchSize?: number;
  /** Delay before the first retry; doubles with each further attempt. */
  backoffBaseMs?: number;
  log?: JobLogger;
  /**
   * Whether the poll timer alone keeps the process alive. Off by default: in the
   * web process the server does that, and shutdown should not wait on the
   * worker's timer. A process that only runs the worker (`harbinger worker`)
   * turns it on, or it would exit at once.
   */
  keepAlive?: boolean;
  /** The clock; tests move it instead of waiting. */
  now?: () => Date;
  /**
   * Jobs that keep themselves on the queue: kind → how often it runs (ms). The
   * worker puts each on the queue when it starts (unless one is waiting already)
   * and, each time one finishes, the next one at the next multiple of its period.
   * Each run has its own key (kind:period number), so any number of workers
   * starting, or finishing the same run, keep one chain.
   */
  recurring?: Record<string, number>;
}

/** The unique key of a recurring job's run for the period containing `at`. */
export function recurringKey(kind: string, everyMs: number, at: Date): { key: string; period: number } {
  const period = Math.floor(at.getTime() / everyMs);
  return { key: `${kind}:${period}`, period };
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;
const MAX_ERROR_LENGTH = 2000;

const silent: JobLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Delay before retrying after the given (1-based) failed attempt: base * 2^(attempts-1),
 * capped at an hour, spread by ±10% so jobs that failed together (a mail server
 * outage) do not all come back in the same second.
 */
export function backoffDelay(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(MAX_BACKOFF_MS, exponential * (0.9 + 0.2 * random())));
}

function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}

/** Thrown by a handler (or the worker) for a failure that retrying cannot fix: the job fails at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** How long a job keeps waiting for a service that is away (see ServiceAwayError). */
export const SERVICE_AWAY_PATIENCE_MS = 24 * 60 * 60 * 1000;

/**
 * Thrown by a handler when a service the job needs is away (the mail server
 * refuses connections or does not answer): nothing is wrong with the job itself.
 * It keeps retrying with backoff past max_attempts, for up to
 * SERVICE_AWAY_PATIENCE_MS after it was queued, so an outage of some hours
 * delays mail instead of losing it.
 */
export class ServiceAwayError extends Error {
  override name = 'ServiceAwayError';
}

export class JobWorker {
  readonly workerId: string;
  private readonly handlers: Map<string, JobHandler>;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly backoffBaseMs: number;
  private readonly log: JobLogger;
  private readonly now: () => Date;
  private keepAlive: boolean;
  private readonly recurring: Map<string, number>;
  private recurringQueued = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly dialect: JobDialect,
    handlers: JobHandlers,
    options: JobWorkerOptions = {},
  ) {
    // A Map, so a job of kind "constructor" or "toString" finds no handler rather than Object.prototype's.
    this.handlers = new Map(Object.entries(handlers));
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    // Renewed every leaseMs / 3 while a handler runs: a worker that dies hands its jobs on within half a minute.
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 10;
    this.backoffBaseMs = options.backoffBaseMs ?? 5_000;
    this.log = options.log ?? silent;
    this.now = options.now ?? (() => new Date());
    this.keepAlive = options.keepAlive ?? false;
    this.recurring = new Map(Object.entries(options.recurring ?? {}).filter(([kind, every]) => this.handlers.has(kind) && every > 0));
    if (this.leaseMs <= 0 || this.pollMs < 0 || this.batchSize < 1)
      throw new RangeError('JobWorker needs leaseMs > 0, pollMs >= 0 and batchSize >= 1');
  }

  /**
   * Polls until stop(). Unless keepAlive is set (here or in the constructor), the
   * timer does not keep the process alive on its own.
   */
  start(options: { keepAlive?: boolean } = {}): void {
    if (this.started) return;
    if (options.keepAlive !== undefined) this.keepAlive = options.keepAlive;
    this.started = true;
    this.schedule(0);
  }

  /** Stops polling and resolves once the jobs this worker is running have finished. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Claims the jobs due now (up to a batch), runs them, and returns how many ran. */
  async runOnce(): Promise<number> {
    const work = this.claimAndRun();
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.poll(), delayMs);
    if (!this.keepAlive) this.timer.unref();
  }

  /**
   * Puts each recurring job on the queue unless one of its kind is waiting or
   * running. Idempotent: the key of the current period makes concurrent starts
   * write one row.
   */
  async queueRecurring(): Promise<void> {
    const now = this.now();
    for (const [kind, every] of this.recurring) {
      if (await hasWaitingJob(this.db, kind)) continue;
      await enqueue(this.db, kind, null, { uniqueKey: recurringKey(kind, every, now).key, runAt: now });
    }
  }

  private async poll(): Promise<void> {
    this.timer = null;
    let ran = 0;
    try {
      if (!this.recurringQueued && this.recurring.size > 0) {
        await this.queueRecurring();
        this.recurringQueued = true;
      }
      ran = await this.runOnce();
    } catch (err) {
      // The database may be restarting; keep polling rather than die.
      this.log.error({ err, workerId: this.workerId }, 'job worker could not claim jobs');
    }
    // A full batch suggests more are waiting: go again at once.
    if (this.started) this.schedule(ran >= this.batchSize ? 0 : this.pollMs);
  }

  private async claimAndRun(): Promise<number> {
    const now = this.now();
    const jobs = await claimDueJobs(this.db, this.dialect, {
      workerId: this.workerId,
      now: now.toISOString(),
      lockedUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
      limit: this.batchSize,
    });
    // Together, not one after another: the last job of a batch would otherwise
    // wait out the others' run time before its lease is first renewed.
    await Promise.all(jobs.map((job) => this.run(job)));
    return jobs.length;
  }

  /** Runs one claimed job and records its outcome. Never throws: one bad job must not stop the batch. */
  private async run(job: JobRow): Promise<void> {
    const claim: JobClaim = { id: job.id, lockedBy: this.workerId, attempts: job.attempts };
    const log = { jobId: job.id, kind: job.kind, attempts: job.attempts, workerId: this.workerId };
    let finished = false;
    const heartbeat = setInterval(
      () => {
        extendLease(this.db, claim, new Date(this.now().getTime() + this.leaseMs).toISOString()).then(
          (held) => {
            if (!held && !finished) this.log.warn(log, 'job lease lost while running; another worker may run it too');
          },
          (err: unknown) => this.log.warn({ ...log, err }, 'could not renew job lease'),
        );
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();

    let failure: unknown = null;
    try {
      const handler = this.handlers.get(job.kind);
      if (!handler) throw new PermanentJobError(`No handler for job kind "${job.kind}" in this worker`);
      let payload: unknown;
      try {
        payload = JSON.parse(job.payload);
      } catch {
        throw new PermanentJobError(`The payload of this ${job.kind} job is not valid JSON`);
      }
      await handler(payload, { id: job.id, kind: job.kind, attempts: job.attempts, maxAttempts: job.max_attempts });
    } catch (err) {
      failure = err;
    } finally {
      finished = true;
      clearInterval(heartbeat);
    }

    try {
      const finishedAt = this.now();
      let held: boolean;
      if (failure === null) {
        held = await completeJob(this.db, claim, finishedAt.toISOString());
        if (held) this.log.debug(log, 'job done');
        const every = this.recurring.get(job.kind);
        if (held && every) {
          const { period } = recurringKey(job.kind, every, finishedAt);
          await enqueue(this.db, job.kind, null, { uniqueKey: `${job.kind}:${period + 1}`, runAt: new Date((period + 1) * every) });
        }
      } else if (
        failure instanceof PermanentJobError ||
        (job.attempts >= job.max_attempts &&
          !(failure instanceof ServiceAwayError && finishedAt.getTime() - Date.parse(job.created_at) < SERVICE_AWAY_PATIENCE_MS))
      ) {
        held = await failJob(this.db, claim, errorMessage(failure), finishedAt.toISOString());
        if (held) this.log.error({ ...log, err: failure }, 'job failed for good');
      } else {
        const runAt = new Date(finishedAt.getTime() + backoffDelay(job.attempts, this.backoffBaseMs));
        held = await retryJobLater(this.db, claim, runAt.toISOString(), errorMessage(failure));
        if (held) this.log.warn({ ...log, err: failure, runAt: runAt.toISOString() }, 'job failed; will retry');
      }
      if (!held) this.log.warn(log, 'job outcome not recorded: its lease ran out and another worker took it');
    } catch (err) {
      // The job stays 'running' until its lease runs out, then runs again.
      this.log.error({ ...log, err }, 'could not record the outcome of a job');
    }
  }
}
