// Opens the database the configuration names and hides the differences between
// SQLite and PostgreSQL behind one Kysely<Database>. The codecs live here: both
// databases hand back timestamps as ISO strings, dates as 'YYYY-MM-DD', and
// counts as numbers, so the rest of the code never asks which one it runs on.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type SQLiteModule from 'better-sqlite3';
import type PgModule from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

// Only the driver in use is loaded (each costs memory and start-up time).
const require = createRequire(import.meta.url);
const sqliteDriver = () => require('better-sqlite3') as typeof SQLiteModule;
const pgDriver = () => require('pg') as typeof PgModule;

export interface OpenDatabase {
  db: Db;
  kind: DatabaseConfig['kind'];
  close(): Promise<void>;
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_DATE = 1082;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case PG_TIMESTAMPTZ:
    case PG_TIMESTAMP:
      return (v) => new Date(oid === PG_TIMESTAMP ? `${v}Z` : v).toISOString();
    case PG_DATE:
      return (v) => v;
    case PG_INT8:
    case PG_NUMERIC:
      return (v) => Number(v);
    default:
      return pgDriver().types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  }
}

export function openDatabase(config: DatabaseConfig): OpenDatabase {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    return openSqlite(new (sqliteDriver())(config.file));
  }
  const pool = new (pgDriver().Pool)({
    connectionString: config.url,
    max: 10,
    user: new URL(config.url).username || 'postgres',
    types: { getTypeParser: pgTypeParser as typeof PgModule.types.getTypeParser },
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
    // A database that does not answer fails the request within seconds (a 503) instead of holding it.
    connectionTimeoutMillis: 5000,
  });
  // A connection that breaks (the server restarted, a proxy cut it) emits 'error',
  // which would end the process unheard: on the pool when the connection is idle,
  // on the client itself while a query or a transaction holds it. Either way the
  // query in flight fails with that error (a 503), the pool drops the connection,
  // and the next query opens a new one.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

function openSqlite(sqlite: SQLiteModule.Database): OpenDatabase {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // In WAL mode NORMAL loses no commit when the process dies (SIGKILL, a crash):
  // only a power cut or a kernel crash can take back the last commits (the file
  // stays consistent). FULL would add an fsync to every commit, newsletter
  // deliveries and job claims included.
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, kind: 'sqlite', close: () => db.destroy() };
}

/**
 * An in-memory SQLite database holding a copy of `image` (the bytes of a database
 * file): tests start each file from one seeded template instead of seeding again.
 */
export function openSqliteImage(image: Buffer): OpenDatabase {
  return openSqlite(new (sqliteDriver())(image));
}

/** The current time as the ISO string every timestamp column holds. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Case-insensitive "contains" that works on both databases. */
export function containsInsensitive(column: string, needle: string) {
  const escaped = needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<boolean>`lower(${sql.ref(column)}) like ${`%${escaped}%`} escape '\\'`;
}

export function parseJsonArray<T = string>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
