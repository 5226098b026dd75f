// Starts the web server: opens and migrates the database, loads the demo on a
// first start, listens, and on SIGTERM or SIGINT shuts down gracefully: /readyz
// answers 503, the server stops accepting connections and closes idle
// keep-alive ones, the requests in progress finish, the worker finishes the jobs
// it is running, and the database is closed; all within SHUTDOWN_TIMEOUT.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type OpenDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';

export interface RunningServer {
  app: FastifyInstance;
  database: OpenDatabase;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  const database = openDatabase(config.database);
  const { applied } = await migrateToLatest(database.db);
  let seeded = false;
  // The demo (and the picture code it needs) is loaded only when it may be used.
  if (config.seedDemo) {
    const [{ seedDemo }, { mediaStorageFor }] = await Promise.all([import('./demo/seed.js'), import('./modules/media/storage.js')]);
    // Into the configured store: MEDIA_DIR, or the bucket with MEDIA_STORAGE=s3.
    const storage = mediaStorageFor(config);
    try {
      seeded = (await seedDemo(database.db, storage, config.wall.previewParagraphs)).seeded;
    } finally {
      storage.close();
    }
  }
  const app = await buildApp({ config, database });
  if (applied.length > 0) app.log.info({ applied }, 'database migrated');
  if (seeded) {
    await app.contentVersion.bump();
    app.log.info('demo content loaded');
  }
  app.contentVersion.startPolling();
  if (config.runWorker) app.worker.start();
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.siteUrl.includes(`:${config.port}`) ? config.siteUrl.replace(`:${config.port}`, `:${port}`) : config.siteUrl;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      app.readiness.markShuttingDown();
      // The worker stops claiming now, not after the last request; app.close()
      // (its onClose hook) then waits for the jobs it is running.
      const worker = app.worker.stop();
      // Stops listening, answers 503 to requests on kept-alive connections,
      // closes idle ones and waits for those in progress.
      await app.close();
      await worker;
      await database.close();
    })());
  return { app, database, url, close };
}

/** What closeOnSignals stops: a server, or the app of `harbinger worker`. */
export interface Closable {
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * On the first SIGTERM or SIGINT, closes gracefully and exits 0 (1 if closing
 * failed); past SHUTDOWN_TIMEOUT it exits 1 anyway. A second signal exits at once.
 */
export function closeOnSignals(target: Closable): void {
  const log = target.app.log;
  const timeoutMs = target.app.config.shutdownTimeoutMs;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out: exiting with requests or jobs unfinished');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    target.close().then(
      () => {
        log.info('shut down');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
