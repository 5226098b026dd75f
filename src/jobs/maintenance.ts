// The recurring cleanup: a `maintenance` job the worker keeps on the queue
// (once an hour; see JobWorker's `recurring`). It deletes finished jobs a week
// after they finished, and runs the other modules' cleanups (expired sessions,
// spent email links) that they hand in, since only they touch their tables.
import type { Db } from '../db/database.js';
import { deleteFinishedJobs } from './queue.js';
import type { JobHandler, JobLogger } from './worker.js';

export const MAINTENANCE_JOB = 'maintenance';
export const MAINTENANCE_EVERY_MS = 60 * 60_000;
/** Done and failed jobs stay this long, for looking into what happened. */
export const FINISHED_JOBS_KEPT_MS = 7 * 24 * 60 * 60_000;

/** A module's part of the cleanup: deletes what has expired by `now`; returns counts to log. */
export type CleanupTask = (now: Date) => Promise<Record<string, number>>;

export function maintenanceHandler(db: Db, tasks: CleanupTask[], log?: JobLogger): JobHandler {
  return async () => {
    const now = new Date();
    const jobs = await deleteFinishedJobs(db, new Date(now.getTime() - FINISHED_JOBS_KEPT_MS));
    let deleted: Record<string, number> = { jobs };
    for (const task of tasks) deleted = { ...deleted, ...(await task(now)) };
    log?.info({ deleted }, 'maintenance: expired rows deleted');
  };
}
