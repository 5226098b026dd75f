// Builds an application on a fresh database for each test file: in-memory SQLite
// by default, or a schema of its own in the PostgreSQL database that
// DATABASE_URL names (the CI runs the whole suite both ways).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Db, type OpenDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemo } from '../src/demo/seed.js';
import { setPasswordCostForTests } from '../src/modules/accounts/index.js';

// scrypt at full cost takes a fifth of a second per hash; tests hash hundreds.
setPasswordCostForTests(2 ** 12);

/** Demo pictures are generated once and shared by every test run on this machine. */
export const TEST_MEDIA_DIR = join(tmpdir(), 'harbinger-test-media');

export const databaseKind: 'sqlite' | 'postgres' = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';

export interface TestDatabase {
  database: OpenDatabase;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (databaseKind === 'sqlite') {
    const database = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(database.db);
    return { database, db: database.db, drop: () => database.close() };
  }
  const url = process.env.DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, user: new URL(url).username || 'postgres' });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = openDatabase({ kind: 'postgres', url, schema });
  await migrateToLatest(database.db, schema);
  return {
    database,
    db: database.db,
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: url, user: new URL(url).username || 'postgres' });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Readonly<Config>;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  seed?: boolean;
  env?: Record<string, string>;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-test-'));
  const testDb = await createTestDatabase();
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, MEDIA_DIR: TEST_MEDIA_DIR, LOG_LEVEL: 'silent', SITE_URL: 'http://harbinger.test', ...options.env },
    { database: testDb.database.kind === 'sqlite' ? { kind: 'sqlite', file: ':memory:' } : { kind: 'postgres', url: process.env.DATABASE_URL! } },
  );
  if (options.seed !== false) await seedDemo(testDb.db, config.mediaDir);
  const app = await buildApp({ config, database: testDb.database, logger: false });
  await app.contentVersion.bump();
  return {
    app,
    db: testDb.db,
    config,
    dataDir,
    close: async () => {
      await app.close();
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The text of an HTML fragment: tags removed, entities decoded, white space folded. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<\/?(a|em|strong|s|code|abbr)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
