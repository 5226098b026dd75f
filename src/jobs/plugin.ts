// The job queue in the app: modules register their handlers (and their parts of
// the hourly maintenance) with `app.jobs` while the app is composed, and the
// worker plugin, registered after them, builds the one JobWorker from what they
// registered, so the worker is complete before anything starts it.
import fp from 'fastify-plugin';
import { MAINTENANCE_EVERY_MS, MAINTENANCE_JOB, maintenanceHandler, type CleanupTask } from './maintenance.js';
import { JobWorker, type JobHandler, type JobHandlers } from './worker.js';

/** Where modules put their job handlers before the worker is built. */
export class JobRegistry {
  readonly handlers: JobHandlers = {};
  readonly cleanups: CleanupTask[] = [];

  /** The handler for jobs of `kind`; a second handler for the same kind is a composition mistake. */
  register(kind: string, handler: JobHandler): void {
    if (Object.hasOwn(this.handlers, kind)) throw new Error(`A job handler for "${kind}" is registered already`);
    this.handlers[kind] = handler;
  }

  /** A cleanup the hourly maintenance job runs (expired rows of the caller's tables). */
  cleanup(task: CleanupTask): void {
    this.cleanups.push(task);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRegistry;
    /** The job worker; started by the server (RUN_WORKER) or `harbinger worker`, not by buildApp. */
    worker: JobWorker;
  }
}

export const jobsPlugin = fp(
  async (app) => {
    app.decorate('jobs', new JobRegistry());
  },
  {
    name: 'harbinger-jobs',
    dependencies: ['harbinger-database'],
  },
);

/** Builds the worker from the registered handlers; register it after every module that has jobs. */
export const workerPlugin = fp(
  async (app) => {
    const { handlers, cleanups } = app.jobs;
    // Expired sessions, spent email links, finished jobs and the like, every hour.
    const maintenance = maintenanceHandler(app.db, cleanups, app.log.child({ module: 'maintenance' }));
    const worker = new JobWorker(
      app.db,
      app.dbDialect,
      { ...handlers, [MAINTENANCE_JOB]: maintenance },
      { log: app.log.child({ module: 'jobs' }), recurring: { [MAINTENANCE_JOB]: MAINTENANCE_EVERY_MS } },
    );
    app.decorate('worker', worker);
  },
  { name: 'harbinger-worker', dependencies: ['harbinger-jobs'] },
);
