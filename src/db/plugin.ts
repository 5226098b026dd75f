// The open database as the app sees it: `app.db` for queries and `app.dbDialect`
// for the few places (the job queue, newsletter sending) that word SQL per dialect.
// The caller opens and closes the database; the app only borrows it.
import fp from 'fastify-plugin';
import type { Db, OpenDatabase } from './database.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    dbDialect: OpenDatabase['kind'];
  }
}

export const databasePlugin = fp<{ database: OpenDatabase }>(
  async (app, { database }) => {
    app.decorate('db', database.db);
    app.decorate('dbDialect', database.kind);
  },
  { name: 'harbinger-database' },
);
