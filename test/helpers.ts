// Builds an application on a fresh database for each test file: in-memory SQLite
// by default, or a database of its own on the PostgreSQL server that DATABASE_URL
// names (the CI runs the whole suite both ways). Each starts as a copy of a
// template the test run migrated and seeded once (test/template.ts); a file run
// on its own, without scripts/run-tests.mjs, migrates and seeds for itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config, type DatabaseConfig } from '../src/config.js';
import { openDatabase, openSqliteImage, type Db, type OpenDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemo } from '../src/demo/seed.js';
import { setPasswordCostForTests } from '../src/modules/accounts/index.js';
import { adminQuery, databaseKind, postgresUrl } from './database-url.js';

// scrypt at full cost takes a fifth of a second per hash; tests hash hundreds.
setPasswordCostForTests(2 ** 12);

/** Demo pictures are generated once and shared by every test run on this machine. */
export const TEST_MEDIA_DIR = join(tmpdir(), 'harbinger-test-media');

export { databaseKind, postgresUrl } from './database-url.js';

export interface TestDatabase {
  database: OpenDatabase;
  db: Db;
  /** How to open another connection to it (PostgreSQL; an in-memory SQLite database has no other). */
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * This run's templates (test/template.ts), if scripts/run-tests.mjs made them: on
 * SQLite the folder holding migrated.sqlite and demo.sqlite, on PostgreSQL the
 * prefix of the databases <prefix>_migrated and <prefix>_demo.
 */
const TEMPLATES = process.env.HARBINGER_TEST_TEMPLATES;
const images = new Map<string, Buffer>();

function templateImage(dir: string, name: string): Buffer {
  let image = images.get(name);
  if (!image) images.set(name, (image = readFileSync(join(dir, `${name}.sqlite`))));
  return image;
}

/** A migrated database of its own; with `seeded`, holding the demo magazine (pictures in TEST_MEDIA_DIR). */
export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const template = options.seeded ? 'demo' : 'migrated';
  if (databaseKind === 'sqlite') {
    const database = TEMPLATES ? openSqliteImage(templateImage(TEMPLATES, template)) : openDatabase({ kind: 'sqlite', file: ':memory:' });
    if (!TEMPLATES) await prepare(database.db, options.seeded);
    return { database, db: database.db, config: { kind: 'sqlite', file: ':memory:' }, drop: () => database.close() };
  }
  if (TEMPLATES) {
    const name = `${TEMPLATES}_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${name} template ${TEMPLATES}_${template}`);
    const config: DatabaseConfig = { kind: 'postgres', url: postgresUrl(name) };
    const database = openDatabase(config);
    const drop = async () => {
      await database.close();
      await dropDatabase(name);
    };
    return { database, db: database.db, config, drop };
  }
  // A file run on its own: a schema of its own in DATABASE_URL's database.
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  const config: DatabaseConfig = { kind: 'postgres', url: postgresUrl(), schema };
  const database = openDatabase(config);
  await prepare(database.db, options.seeded, schema);
  const drop = async () => {
    await database.close();
    await adminQuery(`drop schema ${schema} cascade`);
  };
  return { database, db: database.db, config, drop };
}

/**
 * Drops a test's database once the server has let go of its closed connections
 * (they end a moment after the pool does); one still in use after a few seconds
 * is a leak, and is cut.
 */
async function dropDatabase(name: string): Promise<void> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    try {
      return await adminQuery(`drop database ${name}`);
    } catch (err) {
      if ((err as { code?: string }).code !== OBJECT_IN_USE) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await adminQuery(`drop database ${name} with (force)`);
}

const OBJECT_IN_USE = '55006';

/** Migrates, and with `seeded` loads the demo: what test/template.ts does once per run. */
export async function prepare(db: Db, seeded = false, schema?: string): Promise<void> {
  await migrateToLatest(db, schema);
  if (seeded) await seedDemo(db, TEST_MEDIA_DIR);
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
  /** Kysely plugins on the app's database (and the test's `db`): a query counter, say. */
  plugins?: KyselyPlugin[];
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-test-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      MEDIA_DIR: TEST_MEDIA_DIR,
      LOG_LEVEL: 'silent',
      SITE_URL: 'http://harbinger.test',
      ...options.env,
    },
    { database: databaseKind === 'sqlite' ? { kind: 'sqlite', file: ':memory:' } : { kind: 'postgres', url: process.env.DATABASE_URL! } },
  );
  const seed = options.seed !== false;
  // The template's pictures are in TEST_MEDIA_DIR: a test with a MEDIA_DIR of its own seeds its own.
  const ownMedia = config.mediaDir !== TEST_MEDIA_DIR;
  const testDb = await createTestDatabase({ seeded: seed && !ownMedia });
  if (seed && ownMedia) await seedDemo(testDb.db, config.mediaDir);
  const db = (options.plugins ?? []).reduce((wrapped, plugin) => wrapped.withPlugin(plugin), testDb.db);
  const app = await buildApp({ config, database: db === testDb.db ? testDb.database : { ...testDb.database, db }, logger: false });
  await app.contentVersion.bump();
  return {
    app,
    db,
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
