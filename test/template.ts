// The template databases of one test run, migrated and seeded once; each test file
// copies one (helpers.ts) instead of seeding again. scripts/run-tests.mjs runs
//   template.ts create <name>   before the tests, and
//   template.ts drop <name>     after them.
// On SQLite <name> is a folder that receives migrated.sqlite (empty) and demo.sqlite
// (the demo magazine). On PostgreSQL (DATABASE_URL) it prefixes the databases
// <name>_migrated and <name>_demo; a test file copies one into <name>_<random>
// (CREATE DATABASE … TEMPLATE), and drop removes every database of the run.
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../src/db/database.js';
import { databaseKind, postgresUrl } from './database-url.js';

/** Loaded only to create templates, so that dropping them works whatever state the app is in. */
async function prepare(db: Db, seeded: boolean): Promise<void> {
  await (await import('./helpers.js')).prepare(db, seeded);
}

async function writeSqliteTemplate(file: string, seeded: boolean): Promise<void> {
  const database = openDatabase({ kind: 'sqlite', file });
  try {
    await prepare(database.db, seeded);
    // A rollback-journal file can be opened from its bytes in memory; a WAL one cannot.
    await sql`pragma journal_mode = delete`.execute(database.db);
  } finally {
    await database.close();
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function writePostgresTemplate(name: string, seeded: boolean): Promise<void> {
  await admin((client) => client.query(`create database ${name}`));
  const database = openDatabase({ kind: 'postgres', url: postgresUrl(name) });
  try {
    await prepare(database.db, seeded);
  } finally {
    await database.close();
  }
}

async function dropPostgres(prefix: string): Promise<void> {
  await admin(async (client) => {
    const query = 'select datname from pg_database where starts_with(datname, $1)';
    const { rows } = await client.query<{ datname: string }>(query, [`${prefix}_`]);
    for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
  });
}

async function main(command: string | undefined, name: string | undefined): Promise<void> {
  if ((command !== 'create' && command !== 'drop') || !name) throw new Error('Usage: template.ts create|drop <name>');
  if (databaseKind === 'postgres') {
    if (command === 'drop') await dropPostgres(name);
    else await Promise.all([writePostgresTemplate(`${name}_migrated`, false), writePostgresTemplate(`${name}_demo`, true)]);
  } else if (command === 'create') {
    await Promise.all([writeSqliteTemplate(join(name, 'migrated.sqlite'), false), writeSqliteTemplate(join(name, 'demo.sqlite'), true)]);
  }
}

await main(process.argv[2], process.argv[3]);
