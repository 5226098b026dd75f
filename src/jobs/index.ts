// The durable job queue, kept in the database's `jobs` table: work that must
// happen later or outside a request (a scheduled publish, an email) is enqueued,
// in the caller's own transaction when it goes with a change, and a JobWorker
// (in the web process or `harbinger worker`) claims due jobs under a lease, runs
// the handler for their kind, retries failures with backoff and gives up after
// max_attempts. Works the same on SQLite and PostgreSQL, with any number of
// workers; delivery is at least once, so handlers must be idempotent. Recurring
// jobs (the hourly maintenance cleanup) keep themselves on the queue.
export {
  cancel,
  countJobsByStatus,
  deleteFinishedJobs,
  enqueue,
  findJob,
  findJobByUniqueKey,
  jobsByKind,
  DEFAULT_MAX_ATTEMPTS,
} from './queue.js';
export type { EnqueueOptions, JobDialect, JobRow } from './queue.js';
export { backoffDelay, JobWorker, PermanentJobError, recurringKey, SERVICE_AWAY_PATIENCE_MS, ServiceAwayError } from './worker.js';
export { FINISHED_JOBS_KEPT_MS, MAINTENANCE_EVERY_MS, MAINTENANCE_JOB, maintenanceHandler, type CleanupTask } from './maintenance.js';
export type { JobHandler, JobHandlers, JobInfo, JobLogger, JobWorkerOptions } from './worker.js';
