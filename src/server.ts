// Starts the web server: opens and migrates the database, loads the demo on a
// first start, listens, and closes everything cleanly on SIGTERM or SIGINT.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type OpenDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemo } from './demo/seed.js';

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
  if (config.seedDemo) seeded = (await seedDemo(database.db, config.mediaDir, config.wall.previewParagraphs)).seeded;
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
      await app.close();
      await database.close();
    })());
  return { app, database, url, close };
}

/** Closes the server on the first SIGTERM/SIGINT; a second one exits at once. */
export function closeOnSignals(server: RunningServer): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
