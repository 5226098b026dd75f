// An application on a fresh, empty database with the media library's routes and a
// MEDIA_DIR of its own, so tests can count the files an upload writes. The demo
// seed is skipped (it would regenerate every demo picture into the new folder).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import type { Db } from '../../../src/db/database.js';
import type { RoleName } from '../../../src/db/schema.js';
import { newId } from '../../../src/lib/ids.js';
import { Browserish } from '../../browserish.js';
import { createTestDatabase } from '../../helpers.js';

export interface LibraryTestApp {
  app: FastifyInstance;
  db: Db;
  mediaDir: string;
  /** Where originals (originals/) and private pictures (pictures/) are kept: never served. */
  privateDir: string;
  /** Names of the files in MEDIA_DIR. */
  mediaFiles(): string[];
  /** Names of the files under the private directory, as originals/<name> and pictures/<name>. */
  privateFiles(): string[];
  /** Runs the job queue until nothing is due (the variants of uploads). */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

export async function buildLibraryTestApp(): Promise<LibraryTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-test-'));
  const mediaDir = mkdtempSync(join(tmpdir(), 'harbinger-test-media-'));
  const testDb = await createTestDatabase();
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent', SITE_URL: 'http://harbinger.test' },
    {
      database:
        testDb.database.kind === 'sqlite' ? { kind: 'sqlite', file: ':memory:' } : { kind: 'postgres', url: process.env.DATABASE_URL! },
    },
  );
  const app = await buildApp({ config, database: testDb.database, logger: false });
  await app.contentVersion.bump();
  return {
    app,
    db: testDb.db,
    mediaDir,
    privateDir: join(dataDir, 'private-media'),
    mediaFiles: () => readdirSync(mediaDir).sort(),
    privateFiles: () =>
      ['originals', 'pictures']
        .flatMap((sub) =>
          existsSync(join(dataDir, 'private-media', sub)) ? readdirSync(join(dataDir, 'private-media', sub)).map((f) => `${sub}/${f}`) : [],
        )
        .sort(),
    runJobs: async () => {
      while ((await app.worker.runOnce()) > 0);
    },
    close: async () => {
      await app.close();
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

/** A verified account; with a role, it is linked to a person who holds it since last year. */
export async function createAccount(t: LibraryTestApp, name: string, role?: RoleName): Promise<string> {
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const userId = await t.app.accounts.createVerifiedUser(`${slug}-${Date.now()}@example.org`, name);
  if (!role) return userId;
  const now = new Date().toISOString();
  const personId = newId();
  await t.db
    .insertInto('people')
    .values({
      id: personId,
      slug,
      name,
      photo_media_id: null,
      birth_date: null,
      birthplace: null,
      show_birthplace: 0,
      locations: '[]',
      languages: '[]',
      bio_json: '{"type":"doc","content":[]}',
      bio_html: '',
      user_id: userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const lastYear = `${new Date().getUTCFullYear() - 1}-01-01`;
  await t.db
    .insertInto('role_assignments')
    .values({
      id: newId(),
      person_id: personId,
      role,
      section_id: null,
      newsroom_id: null,
      starts_on: lastYear,
      ends_on: null,
      created_at: now,
    })
    .execute();
  return userId;
}

/** Signs an account in through a one-time link, as `harbinger user link` does. */
export async function signedIn(t: LibraryTestApp, userId: string): Promise<Browserish> {
  const link = await t.app.accounts.signInLinkFor(userId);
  const b = new Browserish(t.app);
  await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
  const res = await b.post('/account/link', { token: new URL(link).searchParams.get('token')! });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
  return b;
}
