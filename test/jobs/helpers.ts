// A test database that several independent connections can share: a temp-file
// SQLite database (":memory:" is private to one connection) or a PostgreSQL
// test database with a pool per connection. The queue's claims are only tested for
// real when two workers do not share a connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, databaseKind } from '../helpers.js';

export interface SharedTestDatabase {
  kind: 'sqlite' | 'postgres';
  /** A new connection of its own (a pool on PostgreSQL, a file handle on SQLite); close it to simulate a restart. */
  connect(): OpenDatabase;
  /** Closes every connection still open and deletes the database. */
  drop(): Promise<void>;
}

function closingOnce(database: OpenDatabase): OpenDatabase {
  let closing: Promise<void> | null = null;
  return { ...database, close: () => (closing ??= database.close()) };
}

export async function createSharedTestDatabase(): Promise<SharedTestDatabase> {
  const opened: OpenDatabase[] = [];
  const track = (database: OpenDatabase) => {
    const once = closingOnce(database);
    opened.push(once);
    return once;
  };
  const closeAll = () => Promise.all(opened.map((d) => d.close()));

  if (databaseKind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'harbinger-jobs-'));
    const file = join(dir, 'jobs.sqlite');
    const first = track(openDatabase({ kind: 'sqlite', file }));
    await migrateToLatest(first.db);
    return {
      kind: 'sqlite',
      connect: () => track(openDatabase({ kind: 'sqlite', file })),
      drop: async () => {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const base = await createTestDatabase();
  return {
    kind: 'postgres',
    connect: () => track(openDatabase(base.config)),
    drop: async () => {
      await closeAll();
      await base.drop();
    },
  };
}
