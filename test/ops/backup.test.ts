// `harbinger backup` and `harbinger restore` as separate processes, on a site
// that keeps running: a SQLite file in a DATA_DIR of its own, or (DATABASE_URL)
// a fresh PostgreSQL database, restored into other fresh databases this file
// creates and drops. The site is the app on that database; while the first
// backup runs, readers sign up and an editor uploads pictures through HTTP. That
// backup must be one consistent moment (integrity, foreign keys, every picture
// row's files present, the audit log naming only pictures that exist, every row
// also in the source) and the site must start on it. With the writes stopped a
// second backup, restored, must equal the source: every row of every table and
// every media file. Then the refusals: a damaged file, a database or media
// folder that is not empty, a backup directory that is not empty.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { adminQuery } from '../database-url.js';
import sharp from 'sharp';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Db, type OpenDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { mediaStorageFor, type MediaStorage } from '../../src/modules/media/index.js';
import { linkStaffAccount } from '../../src/modules/people/index.js';
import { BackupError, createBackup, restoreBackup } from '../../src/ops/backup.js';
import { findPostgresTool } from '../../src/ops/postgres-tools.js';
import { Browserish } from '../browserish.js';
import { databaseKind, postgresUrl, type TestApp } from '../helpers.js';
import { postMultipart } from '../modules/media/multipart.js';
import { startS3 } from '../s3.js';
import { staffClient } from '../staff.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'harbinger-backup-'));
const prefix = `hb_backup_${randomBytes(4).toString('hex')}`;
/** Sent in DATABASE_URL (the server trusts local connections): no output, log or file may show it. */
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

/** A place for a site: a DATA_DIR, and a database of its own (a file in it, or a new PostgreSQL database). */
interface Place {
  dataDir: string;
  env: Record<string, string>;
  config: Readonly<Config>;
}

const places: string[] = [];

async function newPlace(name: string, more: Record<string, string> = {}): Promise<Place> {
  const dataDir = join(root, name);
  let url = '';
  if (databaseKind === 'postgres') {
    await adminQuery(`create database ${prefix}_${name}`);
    places.push(`${prefix}_${name}`);
    const u = new URL(postgresUrl(`${prefix}_${name}`));
    u.password = PASSWORD;
    url = u.toString();
  }
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    NODE_ENV: 'test',
    SITE_URL: 'http://harbinger.test',
    ...more,
  };
  return { dataDir, env, config: loadConfig(env) };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const outputs: string[] = [];

/** Runs `harbinger <args>` from the sources in a process of its own, on a place's settings. */
function harbinger(place: Place, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...place.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => {
      outputs.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Every table's rows, each as JSON, sorted: two databases with the same data give the same value. */
async function everyRow(db: Db): Promise<Record<string, string[]>> {
  const names =
    databaseKind === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db)).rows
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db)
        ).rows;
  const tables: Record<string, string[]> = {};
  for (const { name } of names) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    tables[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return tables;
}

/** Every media file of a place (public and private folders), by path, with its SHA-256. */
function mediaFiles(place: Place): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(place.dataDir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(place.config.mediaDir);
  walk(join(place.dataDir, 'private-media'));
  return files;
}

async function withDatabase<T>(place: Place, work: (db: Db) => Promise<T>): Promise<T> {
  const database = openDatabase(place.config.database);
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

const png = (n: number) =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 } } })
    .png()
    .toBuffer();

let source: Place;
let database: OpenDatabase;
let site: TestApp;
/** Uploads go round four editors: each may upload 30 pictures a minute. */
const editors: Browserish[] = [];

before(async () => {
  source = await newPlace('source');
  database = openDatabase(source.config.database);
  await migrateToLatest(database.db);
  const app = await buildApp({ config: source.config, database, logger: false });
  site = { app, db: database.db, config: source.config, dataDir: source.dataDir, close: () => app.close() };
  for (const name of ['Ada', 'Bea', 'Cy', 'Dee']) {
    const userId = await app.accounts.createVerifiedUser(`${name.toLowerCase()}@newsroom.example`, `${name} Chief`);
    const { slug } = await linkStaffAccount(database.db, { userId, role: 'editor_in_chief', name: `${name} Chief` });
    editors.push(await staffClient(site, slug));
  }
});

after(async () => {
  await site?.app.close();
  await database?.close();
  for (const name of places) await adminQuery(`drop database if exists ${name} with (force)`);
  rmSync(root, { recursive: true, force: true });
});

/** One round of a reader signing up and, every other round, an editor uploading a new picture, both through HTTP. */
async function write(n: number): Promise<void> {
  const reader = new Browserish(site.app);
  await reader.get('/account/sign-up');
  const signUp = await reader.post('/account/sign-up', {
    email: `reader${n}@example.org`,
    password: 'correct horse battery staple',
    displayName: `Reader ${n}`,
    birthYear: '2000',
  });
  assert.equal(signUp.statusCode, 200, signUp.body);
  if (n % 2 === 1) return;
  const editor = editors[(n / 2) % editors.length]!;
  await editor.get('/newsroom/media');
  const upload = await postMultipart(site.app, editor, '/newsroom/media', [
    ['picture', { filename: `picture-${n}.png`, contentType: 'image/png', bytes: await png(n) }],
    ['alt', `Picture number ${n}`],
    ['caption', ''],
    ['creditCreator', 'The editors'],
    ['creditSource', ''],
  ]);
  assert.equal(upload.statusCode, 303, upload.body);
}

const count = async (table: 'jobs' | 'media') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('harbinger backup and restore', () => {
  const during = join(root, 'backups', 'during-writes');
  const quiet = join(root, 'backups', 'quiet');
  // A sign-up is a job (the account is made when its email goes out); no worker runs here, so jobs only pile up.
  let jobsAtStart = 0;

  it('backs up while readers sign up and pictures are uploaded, and that backup is one consistent moment the site starts on', async () => {
    for (let n = 1; n <= 2; n++) await write(n);
    let stop = false;
    let written = 2;
    let writtenDuringBackup = 0;
    let backupRunning = false;
    const writes = (async () => {
      while (!stop) {
        await write(++written);
        if (backupRunning) writtenDuringBackup++;
      }
    })();
    jobsAtStart = await count('jobs');
    backupRunning = true;
    const backup = await harbinger(source, 'backup', during);
    backupRunning = false;
    stop = true;
    await writes;
    await write(++written);
    assert.equal(backup.status, 0, backup.stderr);
    assert.ok(writtenDuringBackup > 0, 'the site was written to while the backup ran');
    assert.match(
      backup.stdout,
      new RegExp(`Backed up the (SQLite|PostgreSQL 15[.0-9]*) database \\(at \\d{4}-\\d\\d-\\d\\d-[\\w-]+\\) and \\d+ media files`),
    );
    assert.equal(statSync(during).mode & 0o777, 0o700, 'the backup is readable by its owner only');
    assert.deepEqual(
      readdirSync(join(root, 'backups')).filter((name) => name.includes('partial')),
      [],
      'no temporary folder is left behind',
    );

    const manifest = JSON.parse(readFileSync(join(during, 'manifest.json'), 'utf8')) as {
      harbinger_version: string;
      database: { kind: string; migration_level: string };
      created_at: string;
      files: Record<string, { sha256: string; bytes: number }>;
    };
    assert.equal(manifest.database.kind, databaseKind);
    assert.match(manifest.harbinger_version, /^\d+\.\d+\.\d+/);
    assert.match(manifest.created_at, /^\d{4}-\d\d-\d\dT/);
    const onDisk = readdirSync(during, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'manifest.json')
      .map((e) => relative(during, join(e.parentPath, e.name)))
      .sort();
    assert.deepEqual(Object.keys(manifest.files), onDisk, 'the manifest lists every file of the backup');
    for (const [path, entry] of Object.entries(manifest.files)) {
      const bytes = readFileSync(join(during, path));
      assert.deepEqual(entry, { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }, path);
    }

    const snapshot = await newPlace('snapshot');
    const restored = await harbinger(snapshot, 'restore', during);
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, /Restored the backup of .* and \d+ media files/);

    const sourceNow = await everyRow(database.db);
    const files = mediaFiles(snapshot);
    await withDatabase(snapshot, async (db) => {
      if (databaseKind === 'sqlite') {
        assert.deepEqual((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows, [{ integrity_check: 'ok' }]);
        assert.deepEqual((await sql`pragma foreign_key_check`.execute(db)).rows, []);
      }
      const jobs = await db.selectFrom('jobs').selectAll().execute();
      assert.ok(jobs.length >= jobsAtStart, 'everything written before the backup started is in it');
      const media = await db.selectFrom('media').selectAll().execute();
      assert.ok(media.length >= 2);
      for (const row of media) {
        assert.ok(files[`media/${row.file}`], `the served file of picture ${row.id} is in the backup`);
        assert.ok(files[`private-media/originals/${row.hash}.png`], `the original of picture ${row.id} is in the backup`);
      }
      const uploads = await db.selectFrom('audit_log').select('subject_id').where('action', '=', 'media.uploaded').execute();
      const ids = new Set(media.map((m) => m.id));
      for (const { subject_id } of uploads) assert.ok(ids.has(subject_id), 'the audit log names only pictures the backup holds');
      // A moment of the source: its appended rows are all still in the source, unchanged.
      const snapshotRows = await everyRow(db);
      for (const table of ['jobs', 'media', 'audit_log', 'users', 'people', 'role_assignments']) {
        const now = new Set(sourceNow[table]);
        for (const row of snapshotRows[table]!) assert.ok(now.has(row), `${table}: ${row} is a row of the source`);
      }
      assert.ok(snapshotRows.jobs!.length < sourceNow.jobs!.length, 'writes made after the backup are not in it');
    });

    const config = snapshot.config;
    const restoredDatabase = openDatabase(config.database);
    const app = await buildApp({ config, database: restoredDatabase, logger: false });
    try {
      const home = await app.inject({ method: 'GET', url: '/' });
      assert.equal(home.statusCode, 200);
      const picture = await restoredDatabase.db.selectFrom('media').select('file').orderBy('created_at').executeTakeFirstOrThrow();
      const served = await app.inject({ method: 'GET', url: `/media/${picture.file}` });
      assert.equal(served.statusCode, 200);
      assert.deepEqual(served.rawPayload, readFileSync(join(config.mediaDir, picture.file)));
      const signIn = await new Browserish(app).get('/account/sign-in');
      assert.equal(signIn.statusCode, 200);
    } finally {
      await app.close();
      await restoredDatabase.close();
    }
  });

  it('restores a backup taken with the writes stopped into a copy equal to the source: every row of every table, every media file', async () => {
    const backup = await harbinger(source, 'backup', quiet);
    assert.equal(backup.status, 0, backup.stderr);
    const copy = await newPlace('copy');
    const restored = await harbinger(copy, 'restore', quiet);
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, /The database is up to date\./);

    const expected = await everyRow(database.db);
    const actual = await withDatabase(copy, everyRow);
    assert.deepEqual(Object.keys(actual), Object.keys(expected));
    for (const table of Object.keys(expected)) assert.deepEqual(actual[table], expected[table], table);
    assert.ok(expected.jobs!.length > jobsAtStart && expected.media!.length > 2);
    const sourceFiles = mediaFiles(source);
    assert.ok(Object.keys(sourceFiles).some((path) => path.startsWith('private-media/originals/')));
    assert.deepEqual(mediaFiles(copy), sourceFiles);
  });

  it('refuses a backup whose file does not match its checksum, naming the file, and restores nothing', async () => {
    const damaged = join(root, 'backups', 'damaged');
    cpSync(quiet, damaged, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(damaged, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    const victim = Object.keys(manifest.files).find((path) => path.startsWith('media/public/'))!;
    const bytes = readFileSync(join(damaged, victim));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    chmodSync(join(damaged, victim), 0o600);
    writeFileSync(join(damaged, victim), bytes);

    const target = await newPlace('refused');
    const run = await harbinger(target, 'restore', damaged);
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr.trim(),
      `Checksum mismatch: ${victim} is not the file that was backed up (damaged or changed). Nothing was restored.`,
    );
    assert.deepEqual(mediaFiles(target), {});
    if (target.config.database.kind === 'sqlite') assert.equal(existsSync(target.config.database.file), false);
    else
      await withDatabase(target, async (db) =>
        assert.deepEqual((await sql`select table_name from information_schema.tables where table_schema = 'public'`.execute(db)).rows, []),
      );
  });

  it('refuses to restore into a database or media folders that are not empty, and to back up into a directory that is not empty', async () => {
    const intoSource = await harbinger(source, 'restore', quiet);
    assert.equal(intoSource.status, 1);
    assert.match(
      intoSource.stderr,
      /^The (SQLite database \S+|PostgreSQL database \w+ on [\w.]+:\d+) is not empty\. A backup is restored into an empty database only/,
    );

    const withMedia = await newPlace('media_left');
    mkdirSync(withMedia.config.mediaDir, { recursive: true });
    writeFileSync(join(withMedia.config.mediaDir, 'left-over.jpg'), 'not empty');
    const intoMedia = await harbinger(withMedia, 'restore', quiet);
    assert.equal(intoMedia.status, 1);
    assert.match(intoMedia.stderr, /The media store is not empty \(.*media and .*private-media\)/);
    assert.deepEqual(Object.keys(mediaFiles(withMedia)), ['media/left-over.jpg']);

    const again = await harbinger(source, 'backup', quiet);
    assert.equal(again.status, 1);
    assert.equal(again.stderr.trim(), `${quiet} is not empty: give the backup a new or empty directory.`);
  });

  it(
    'never prints or stores the database password',
    { skip: databaseKind !== 'postgres' && 'only a PostgreSQL URL carries one' },
    async () => {
      const missing = { ...source, env: { ...source.env, DATABASE_URL: source.env.DATABASE_URL!.replace(/_source$/, '_missing') } };
      const refused = await harbinger(missing, 'backup', join(root, 'backups', 'missing'));
      assert.equal(refused.status, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `^Could not use the PostgreSQL database ${prefix}_missing on 127\\.0\\.0\\.1:5432: database "${prefix}_missing" does not exist`,
        ),
      );
      assert.ok(outputs.length >= 10);
      for (const text of outputs) assert.ok(!text.includes(PASSWORD), text);
      for (const dir of [during, quiet]) assert.ok(!readFileSync(join(dir, 'manifest.json'), 'utf8').includes(PASSWORD));
    },
  );
});

describe('finding pg_dump', () => {
  const bin = join(root, 'fake-bin');

  it('takes a client of the server’s major version or newer, and names what it found when there is none', async () => {
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 14.11"\n', { mode: 0o755 });
    await assert.rejects(findPostgresTool('pg_dump', 15, [bin]), {
      name: 'PostgresToolError',
      message:
        `pg_dump for PostgreSQL 15 was not found. Found only pg_dump 14 at ${join(bin, 'pg_dump')}, older than the server. ` +
        'Install the PostgreSQL 15 client programs (Debian and Ubuntu: apt install postgresql-client-15) or put their directory first in PATH.',
    });
    assert.deepEqual(await findPostgresTool('pg_dump', 14, [bin]), { path: join(bin, 'pg_dump'), major: 14 });
    await assert.rejects(
      findPostgresTool('pg_restore', 15, [bin]),
      /^PostgresToolError: pg_restore for PostgreSQL 15 was not found\. Install/,
    );
  });
});

describe('a site whose pictures are in S3-compatible storage', () => {
  const objects: Record<string, Buffer> = {
    'public/front-page-1600.jpg': Buffer.from('a public picture'),
    'private/originals/front-page.png': Buffer.from('the upload as it came, EXIF and all'),
    'private/pictures/entrant.jpg': Buffer.from('a prize entrant’s photograph'),
  };

  async function contents(storage: MediaStorage): Promise<Record<string, string>> {
    const found: Record<string, string> = {};
    for (const folder of ['public', 'private/pictures', 'private/originals'] as const)
      for await (const key of storage.list(folder)) found[key] = (await storage.get(key))!.toString();
    return found;
  }

  it('backs up every object of the bucket, and restores them into local folders or into another empty bucket only', async () => {
    const bucket = await startS3('harbinger-source');
    const other = await startS3('harbinger-restored');
    try {
      const place = await newPlace('s3_source', bucket.env);
      await withDatabase(place, (db) => migrateToLatest(db));
      const storage = mediaStorageFor(place.config);
      for (const [key, bytes] of Object.entries(objects)) await storage.put(key, bytes, 'image/jpeg');
      storage.close();

      const dir = join(root, 'backups', 's3');
      const { manifest } = await createBackup(place.config, dir);
      assert.equal(manifest.media.storage, 's3');
      assert.deepEqual(
        Object.keys(manifest.files)
          .filter((path) => path.startsWith('media/'))
          .sort(),
        Object.keys(objects)
          .map((key) => `media/${key}`)
          .sort(),
      );
      const expected = Object.fromEntries(Object.entries(objects).map(([key, bytes]) => [key, bytes.toString()]));

      const local = await newPlace('s3_to_local');
      assert.equal((await restoreBackup(local.config, dir)).files, 3);
      const onDisk = mediaFiles(local);
      assert.deepEqual(Object.keys(onDisk).sort(), [
        'media/front-page-1600.jpg',
        'private-media/originals/front-page.png',
        'private-media/pictures/entrant.jpg',
      ]);
      assert.equal(readFileSync(join(local.config.mediaDir, 'front-page-1600.jpg'), 'utf8'), 'a public picture');

      const elsewhere = await newPlace('s3_to_s3', other.env);
      await restoreBackup(elsewhere.config, dir);
      const restored = mediaStorageFor(elsewhere.config);
      try {
        assert.deepEqual(await contents(restored), expected);
      } finally {
        restored.close();
      }

      const again = await newPlace('s3_again', other.env);
      await assert.rejects(restoreBackup(again.config, dir), (err: unknown) => {
        assert.ok(err instanceof BackupError);
        assert.equal(
          err.message,
          'The media store is not empty (the bucket harbinger-restored): restore into empty media folders (or an empty bucket).',
        );
        return true;
      });
    } finally {
      await bucket.stop();
      await other.stop();
    }
  });
});
