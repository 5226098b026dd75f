// Backups of a running site and their restore. A backup is a directory:
// database.sqlite (SQLite's VACUUM INTO: one read transaction, so one moment's
// data, while the site keeps writing) or database.pgdump (pg_dump's custom
// format, also one snapshot), media/<key> for every file of the media store
// (its local folders or its bucket), and manifest.json (Harbinger's version, the
// migration level, the database kind, when, and the SHA-256 and size of every
// file). It is written under a temporary name beside DIR and renamed when
// complete, so DIR is a whole backup or nothing. The database is copied before
// the media: a picture is stored before its row is written, so every file the
// copied rows name is in the backup (files uploaded meanwhile come along too,
// unnamed and harmless).
//
// Restore checks every file against the manifest first, then loads into an
// empty database and empty media folders only, then migrates to this version.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type SQLiteModule from 'better-sqlite3';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { contentTypeOf, MEDIA_FOLDERS, mediaStorageFor, parseMediaKey, type MediaStorage } from '../modules/media/index.js';
import { connectionFor, describePostgres, findPostgresTool, runPostgresTool, withoutSecret } from './postgres-tools.js';

const require = createRequire(import.meta.url);
const sqliteDriver = () => require('better-sqlite3') as typeof SQLiteModule;

export const BACKUP_FORMAT = 'harbinger-backup';
export const BACKUP_VERSION = 1;
const MANIFEST = 'manifest.json';
const DATABASE_FILES = { sqlite: 'database.sqlite', postgres: 'database.pgdump' } as const;

/** A refusal with a message for the person running the command (exit status 1). */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface FileEntry {
  sha256: string;
  bytes: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  created_at: string;
  harbinger_version: string;
  database: {
    kind: 'sqlite' | 'postgres';
    file: string;
    /** The last migration applied to the copied database. */
    migration_level: string;
    migrations: number;
    /** PostgreSQL: the server's version (pg_restore must be as new). */
    server_version?: string;
  };
  media: { storage: 'local' | 's3'; files: number };
  files: Record<string, FileEntry>;
}

async function harbingerVersion(): Promise<string> {
  // From src/ops/ in a checkout, from dist/ once built.
  for (const relative of ['../../package.json', '../package.json']) {
    const text = await readFile(new URL(relative, import.meta.url), 'utf8').catch(() => null);
    if (!text) continue;
    const json = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (json.name === 'harbinger' && typeof json.version === 'string') return json.version;
  }
  return 'unknown';
}

async function sha256OfFile(path: string): Promise<FileEntry> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function sortedEntries(files: Record<string, FileEntry>): Record<string, FileEntry> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function entriesOf(dir: string): Promise<string[] | null> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
}

// ---------------------------------------------------------------- the database

interface DatabaseCopy {
  migrations: string[];
  serverVersion?: string;
}

/** SQLite: one read transaction copies every page (VACUUM INTO); writers in WAL mode carry on. */
async function copySqlite(file: string, target: string): Promise<DatabaseCopy> {
  if (file === ':memory:' || !existsSync(file))
    throw new BackupError(`There is no SQLite database at ${file}: check DATA_DIR and DATABASE_URL.`);
  const source = new (sqliteDriver())(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    source.prepare('vacuum into ?').run(target);
  } finally {
    source.close();
  }
  const copy = new (sqliteDriver())(target, { fileMustExist: true });
  try {
    const known = copy.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    const migrations = known ? (copy.prepare('select name from kysely_migration order by name').pluck().all() as string[]) : [];
    return { migrations };
  } finally {
    copy.close();
  }
}

/**
 * Runs `work` on a connection to the PostgreSQL database `url` names; a failure to
 * reach it (refused, no such database, a wrong password) is a refusal naming the
 * database by host, port and name, never by its URL.
 */
async function onPostgres<T>(url: string, work: (db: Db) => Promise<T>): Promise<T> {
  const database = openDatabase({ kind: 'postgres', url });
  try {
    return await work(database.db);
  } catch (err) {
    const message = err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err);
    throw new BackupError(`Could not use the ${describePostgres(url)}: ${withoutSecret(message, connectionFor(url).password)}`);
  } finally {
    await database.close();
  }
}

async function postgresFacts(db: Db): Promise<{ major: number; version: string; migrations: string[] }> {
  const { rows } = await sql<{ num: string; version: string }>`
    select current_setting('server_version_num') as num, current_setting('server_version') as version`.execute(db);
  const known = await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db);
  const migrations = known.rows[0]?.t
    ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name)
    : [];
  return { major: Math.floor(Number(rows[0]!.num) / 10_000), version: rows[0]!.version.split(' ')[0]!, migrations };
}

/** PostgreSQL: pg_dump of the same major version as the server (or newer), custom format: one snapshot. */
async function copyPostgres(url: string, target: string): Promise<DatabaseCopy> {
  const facts = await onPostgres(url, postgresFacts);
  if (facts.migrations.length === 0) return { migrations: [] };
  const pgDump = await findPostgresTool('pg_dump', facts.major);
  await runPostgresTool(pgDump, url, ['--format=custom', '--no-password', `--file=${target}`]);
  return { migrations: facts.migrations, serverVersion: facts.version };
}

// ------------------------------------------------------------------- the media

/** Copies every file of the store into `dir/media/<key>`; returns their entries by backup path. */
async function copyMedia(storage: MediaStorage, dir: string): Promise<Record<string, FileEntry>> {
  const files: Record<string, FileEntry> = {};
  for (const folder of MEDIA_FOLDERS) {
    for await (const key of storage.list(folder)) {
      const source = await storage.open(key);
      // Deleted between the listing and the copy (a discarded entry photograph): not part of the site any more.
      if (!source) continue;
      const target = join(dir, 'media', key);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await pipeline(source.body, createWriteStream(target, { mode: 0o600, flags: 'wx' }));
      files[`media/${key}`] = await sha256OfFile(target);
    }
  }
  return files;
}

// ---------------------------------------------------------------------- backup

export interface BackupReport {
  dir: string;
  manifest: BackupManifest;
  bytes: number;
}

/**
 * Backs up the site `config` describes into `target` (new or empty): the
 * database, every media file and the manifest, under a temporary name beside it
 * that becomes `target` once everything is written. Directories are 0700 and
 * files 0600: a backup holds readers' emails and writers' birth dates.
 */
export async function createBackup(config: Config, target: string): Promise<BackupReport> {
  const dir = resolve(target);
  const existing = await entriesOf(dir);
  if (existing && existing.length > 0) throw new BackupError(`${dir} is not empty: give the backup a new or empty directory.`);
  await mkdir(dirname(dir), { recursive: true });
  const temporary = join(dirname(dir), `.${basename(dir)}.partial-${randomBytes(6).toString('hex')}`);
  await mkdir(temporary, { mode: 0o700 });
  try {
    const kind = config.database.kind;
    const databaseFile = DATABASE_FILES[kind];
    const copy =
      config.database.kind === 'sqlite'
        ? await copySqlite(config.database.file, join(temporary, databaseFile))
        : await copyPostgres(config.database.url, join(temporary, databaseFile));
    if (copy.migrations.length === 0) throw new BackupError('The database holds no Harbinger tables yet: there is nothing to back up.');
    await chmod(join(temporary, databaseFile), 0o600);
    const files: Record<string, FileEntry> = { [databaseFile]: await sha256OfFile(join(temporary, databaseFile)) };

    const storage = mediaStorageFor(config);
    let media: Record<string, FileEntry>;
    try {
      media = await copyMedia(storage, temporary);
    } catch (err) {
      throw new BackupError(
        `Could not copy the media files (${whereMediaGo(config)}): ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      storage.close();
    }
    Object.assign(files, media);

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      created_at: new Date().toISOString(),
      harbinger_version: await harbingerVersion(),
      database: {
        kind,
        file: databaseFile,
        migration_level: copy.migrations[copy.migrations.length - 1]!,
        migrations: copy.migrations.length,
        ...(copy.serverVersion ? { server_version: copy.serverVersion } : {}),
      },
      media: { storage: config.media.storage, files: Object.keys(media).length },
      files: sortedEntries(files),
    };
    await writeFile(join(temporary, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // Replaces `dir` when it is an empty directory; fails, leaving it alone, if something was put there meanwhile.
    await rename(temporary, dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST')
        throw new BackupError(`${dir} is not empty any more: nothing was written there.`);
      throw err;
    });
    const bytes = Object.values(files).reduce((sum, f) => sum + f.bytes, 0);
    return { dir, manifest, bytes };
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

// --------------------------------------------------------------------- restore

/** A manifest's path inside the backup, or null when it would lead out of it. */
function insidePath(dir: string, relative: string): string | null {
  if (isAbsolute(relative) || relative.includes('\0')) return null;
  const path = normalize(join(dir, relative));
  return path.startsWith(dir + sep) ? path : null;
}

function isManifest(value: unknown): value is BackupManifest {
  const m = value as Partial<BackupManifest> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.format === BACKUP_FORMAT &&
    typeof m.database === 'object' &&
    (m.database.kind === 'sqlite' || m.database.kind === 'postgres') &&
    typeof m.database.file === 'string' &&
    typeof m.files === 'object' &&
    m.files !== null
  );
}

/**
 * Reads the manifest of the backup in `dir` and checks every file it lists
 * (present, same size, same SHA-256); throws a BackupError naming the first file
 * that is not.
 */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const text = await readFile(join(dir, MANIFEST), 'utf8').catch(() => null);
  if (text === null) throw new BackupError(`${dir} holds no ${MANIFEST}: it is not a Harbinger backup (or not a whole one).`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new BackupError(`${join(dir, MANIFEST)} is not valid JSON: the backup is damaged.`);
  }
  if (!isManifest(manifest)) throw new BackupError(`${join(dir, MANIFEST)} is not the manifest of a Harbinger backup.`);
  if (manifest.version > BACKUP_VERSION)
    throw new BackupError(`This backup has format version ${manifest.version}, newer than this Harbinger reads (${BACKUP_VERSION}).`);
  if (!manifest.files[manifest.database.file])
    throw new BackupError(`The manifest lists no ${manifest.database.file}: the backup is damaged.`);
  for (const [relative, entry] of Object.entries(manifest.files)) {
    const path = insidePath(dir, relative);
    const isMedia = relative.startsWith('media/');
    if (!path || (isMedia && !parseMediaKey(relative.slice('media/'.length))))
      throw new BackupError(`The manifest names a file outside the backup's folders: ${relative}`);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new BackupError(`The backup is incomplete: ${relative} is missing. Nothing was restored.`);
    const actual = await sha256OfFile(path);
    if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256)
      throw new BackupError(
        `Checksum mismatch: ${relative} is not the file that was backed up (damaged or changed). Nothing was restored.`,
      );
  }
  return manifest;
}

async function sqliteIsEmpty(file: string): Promise<boolean> {
  if (!existsSync(file)) return true;
  const db = new (sqliteDriver())(file, { fileMustExist: true });
  try {
    return (db.prepare("select count(*) from sqlite_master where name not like 'sqlite_%'").pluck().get() as number) === 0;
  } finally {
    db.close();
  }
}

async function postgresIsEmpty(url: string): Promise<boolean> {
  // pg_class rather than information_schema, which hides tables the user may not use.
  return onPostgres(url, async (db) => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f')
        and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'`.execute(db);
    return rows[0]!.n === 0;
  });
}

async function storageIsEmpty(storage: MediaStorage): Promise<boolean> {
  for (const folder of MEDIA_FOLDERS) for await (const _ of storage.list(folder)) return false;
  return true;
}

function whereMediaGo(config: Config): string {
  return config.media.storage === 's3'
    ? `the bucket ${config.media.bucket}`
    : `${config.mediaDir} and ${join(config.dataDir, 'private-media')}`;
}

/** The database a refusal names, without any password. */
function describeDatabase(config: Config): string {
  return config.database.kind === 'sqlite' ? `The SQLite database ${config.database.file}` : `The ${describePostgres(config.database.url)}`;
}

async function restoreSqlite(source: string, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.restore-${randomBytes(6).toString('hex')}`;
  await copyFile(source, temporary);
  // The empty file's journals, if any, must not be replayed over the restored one.
  for (const leftover of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) await rm(leftover, { force: true });
  await rename(temporary, file);
}

async function restorePostgres(source: string, url: string): Promise<void> {
  const { major } = await onPostgres(url, postgresFacts);
  const pgRestore = await findPostgresTool('pg_restore', major);
  // One transaction: a failure leaves the database as empty as it was.
  await runPostgresTool(pgRestore, url, ['--no-owner', '--no-acl', '--single-transaction', '--exit-on-error', '--no-password', source]);
}

export interface RestoreReport {
  manifest: BackupManifest;
  files: number;
  /** Migrations applied after the load, to bring the backup up to this version. */
  applied: string[];
}

/**
 * Restores the backup in `source` into the database and media store `config`
 * describes, both of which must be empty; then migrates the database to this
 * version of Harbinger.
 */
export async function restoreBackup(config: Config, source: string): Promise<RestoreReport> {
  const dir = resolve(source);
  const manifest = await verifyBackup(dir);
  const kind = config.database.kind;
  if (manifest.database.kind !== kind)
    throw new BackupError(
      `This is a backup of a ${manifest.database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database and the configuration names a ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} one. ` +
        'Restore it beside the same kind of database, then move with harbinger export and import harbinger.',
    );
  if (config.database.kind === 'sqlite' && config.database.file === ':memory:')
    throw new BackupError('DATABASE_URL names an in-memory database: give the restore a database file.');
  const empty = config.database.kind === 'sqlite' ? await sqliteIsEmpty(config.database.file) : await postgresIsEmpty(config.database.url);
  if (!empty)
    throw new BackupError(
      `${describeDatabase(config)} is not empty. A backup is restored into an empty database only: create a new one (or move the old one aside) and run the restore again.`,
    );

  const storage = mediaStorageFor(config);
  try {
    if (!(await storageIsEmpty(storage)))
      throw new BackupError(
        `The media store is not empty (${whereMediaGo(config)}): restore into empty media folders (or an empty bucket).`,
      );

    const databaseFile = join(dir, manifest.database.file);
    if (config.database.kind === 'sqlite') await restoreSqlite(databaseFile, config.database.file);
    else await restorePostgres(databaseFile, config.database.url);

    let files = 0;
    try {
      for (const relative of Object.keys(manifest.files)) {
        if (!relative.startsWith('media/')) continue;
        const key = relative.slice('media/'.length);
        await storage.put(key, await readFile(join(dir, relative)), contentTypeOf(key));
        files++;
      }
    } catch (err) {
      throw new BackupError(
        `The database was restored but the media files stopped after ${files} (${err instanceof Error ? err.message : String(err)}). ` +
          `Empty ${describeDatabase(config).replace(/^The/, 'the')} and ${whereMediaGo(config)}, then run the restore again.`,
      );
    }

    const database = openDatabase(config.database);
    try {
      const { applied } = await migrateToLatest(database.db).catch((err: unknown) => {
        throw new BackupError(
          `The backup was restored, but this version of Harbinger cannot bring it up to date (${err instanceof Error ? err.message : String(err)}). ` +
            `It was made by Harbinger ${manifest.harbinger_version}: run that version or a newer one.`,
        );
      });
      return { manifest, files, applied };
    } finally {
      await database.close();
    }
  } finally {
    storage.close();
  }
}
