// The whole magazine as a bundle: a directory with bundle.json (every table's
// rows, versioned, no secrets), manifest.json (when, from which Harbinger, row
// counts, SHA-256 of every file) and media/ (the picture files the media rows
// name). Each module says what its tables hold (its bundle.ts); this module puts
// the parts together in an order the foreign keys accept, writes them out and
// loads them back into an empty database. docs/bundle.md describes the format.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import {
  countRows,
  dumpTable,
  loadTable,
  BundleLoadError,
  type AfterLoadReport,
  type BundlePart,
  type BundleRow,
  type TableName,
  type TableSpec,
} from '../../db/bundle-tables.js';
import type { Database } from '../../db/schema.js';
import { accountsBundle } from '../accounts/index.js';
import { articlesBundle } from '../articles/index.js';
import { competitionsBundle } from '../competitions/index.js';
import { consentBundle } from '../consent/index.js';
import { contentTypeOf, mediaBundle, mediaKeyOf, MEDIA_BUNDLE_PATH, type MediaStorage } from '../media/index.js';
import { newsletterBundle } from '../newsletter/index.js';
import { newsroomBundle } from '../newsroom/index.js';
import { peopleBundle } from '../people/index.js';
import { readingBundle } from '../reading/index.js';
import { redirectsBundle } from '../redirects/index.js';
import { reportsBundle } from '../reports/index.js';
import { staticPagesBundle } from '../static-pages/index.js';
import { importsBundle } from '../imports/index.js';
import { SearchService } from '../search/index.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, BundleFormatError, openBundleJson, type BundleJson } from './reader.js';

export { BUNDLE_FORMAT, BUNDLE_VERSION, MAX_BUNDLE_JSON_BYTES } from './reader.js';

export const MANIFEST_FORMAT = 'harbinger-bundle-manifest';

/** Settings that are not the magazine's: the key that signs cookies and links, and the render cache's counter. */
const SITE_OWN_SETTINGS = new Set(['secret_key', 'content_version']);

/** The lower layers' tables, written by this module itself. */
const siteBundle: BundlePart = {
  module: 'site',
  tables: [
    { table: 'settings', key: ['key'], skip: (row) => SITE_OWN_SETTINGS.has(String(row.key)) },
    { table: 'audit_log', key: ['id'] },
  ],
};

export const BUNDLE_PARTS: readonly BundlePart[] = [
  mediaBundle,
  articlesBundle,
  peopleBundle,
  accountsBundle,
  newsroomBundle,
  readingBundle,
  newsletterBundle,
  competitionsBundle,
  consentBundle,
  staticPagesBundle,
  redirectsBundle,
  reportsBundle,
  importsBundle,
  siteBundle,
];

/** Every bundled table, in an order each one's foreign keys accept (and bundle.json's order). */
export const LOAD_ORDER: readonly TableName[] = [
  'media',
  'sections',
  'newsrooms',
  'tags',
  'people',
  'role_assignments',
  'newsroom_members',
  'users',
  'articles',
  'article_authors',
  'article_editors',
  'article_tags',
  'article_revisions',
  'workflow_events',
  'editorial_comments',
  'bookmarks',
  'newsletters',
  'subscriptions',
  'newsletter_issues',
  'deliveries',
  'competitions',
  'competition_categories',
  'rubric_criteria',
  'entries',
  'jurors',
  'scores',
  'juror_conflicts',
  'awards',
  'guardian_consents',
  'digital_consent_ages',
  'pages',
  'redirects',
  'problem_reports',
  'problem_report_notes',
  'import_items',
  'settings',
  'audit_log',
];

/** Tables never written, and why (docs/bundle.md says the same). */
export const LEFT_OUT: Readonly<Partial<Record<TableName, string>>> = {
  sessions: 'signed-in sessions are secrets of the server they were made on',
  tokens: 'single-use links (sign-in, reset, verification) are secrets',
  recovery_codes: 'two-factor recovery codes are secrets, and two-factor sign-in is set up again after an import',
  key_limits: 'rate-limit counters expire within the hour',
  jobs: 'the queue is rebuilt: scheduled articles and issues and pictures waiting for variants get their jobs back',
  search_documents: 'the search index is rebuilt from the articles and people after an import',
  newsletter_subscriber_counts: 'counted by the database itself (triggers on subscriptions) as the subscribers are loaded',
};

/** Tables a freshly migrated database already fills: an import replaces their rows instead of refusing. */
const FILLED_BY_MIGRATIONS = new Set<TableName>(['newsletters', 'settings']);

export class BundleError extends Error {
  override name = 'BundleError';
}

/** The specs of every bundled table in LOAD_ORDER; throws when a part and the order disagree (a new table nobody placed). */
export function bundleTables(parts: readonly BundlePart[] = BUNDLE_PARTS): TableSpec[] {
  const specs = new Map<TableName, TableSpec>();
  for (const part of parts) for (const spec of part.tables) specs.set(spec.table, spec);
  const unplaced = [...specs.keys()].filter((t) => !LOAD_ORDER.includes(t));
  const unowned = LOAD_ORDER.filter((t) => !specs.has(t));
  if (unplaced.length || unowned.length)
    throw new Error(
      `Bundle tables out of step: not in LOAD_ORDER: ${unplaced.join(', ') || '-'}; in LOAD_ORDER without a part: ${unowned.join(', ') || '-'}`,
    );
  return LOAD_ORDER.map((t) => specs.get(t)!);
}

export interface FileEntry {
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  bundle_version: number;
  exported_at: string;
  harbinger_version: string;
  tables: Record<string, number>;
  files: Record<string, FileEntry>;
}

export interface ExportReport {
  dir: string;
  tables: Record<string, number>;
  rows: number;
  files: number;
  /** Files the media rows name that were not on disk (pictures whose files were lost). */
  missingFiles: number;
}

async function harbingerVersion(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8').catch(() => '{}');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
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

/** Writes to a stream, waiting when its buffer is full, and hashes what it wrote. */
class HashingWriter {
  private readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly stream: WriteStream) {}

  async write(text: string): Promise<void> {
    const chunk = Buffer.from(text, 'utf8');
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<FileEntry> {
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}

async function emptyDir(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) await rm(join(dir, name), { recursive: true, force: true });
}

async function prepareExportDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (entries && entries.length > 0) throw new BundleError(`${dir} is not empty: give the export a new or empty directory.`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Writes the magazine to `dir` (new or empty). The tables are read in one
 * transaction, so the bundle is one moment's data; bundle.json goes out table by
 * table, a page of rows at a time. Directories are 0700 and files 0600: the
 * bundle holds readers' emails and writers' birth dates.
 */
export async function exportBundle(db: Db, storage: MediaStorage, dir: string): Promise<ExportReport> {
  const specs = bundleTables();
  await prepareExportDir(dir);
  const tables: Record<string, number> = {};
  const files: Record<string, FileEntry> = {};
  let missingFiles = 0;
  const read = async (trx: Transaction<Database>) => {
    const writer = new HashingWriter(createWriteStream(join(dir, 'bundle.json'), { mode: 0o600, flags: 'wx' }));
    await writer.write(`{\n  "format": ${JSON.stringify(BUNDLE_FORMAT)},\n  "version": ${BUNDLE_VERSION},\n  "tables": {`);
    for (const [index, spec] of specs.entries()) {
      await writer.write(`${index === 0 ? '' : ','}\n    ${JSON.stringify(spec.table)}: [`);
      let count = 0;
      for await (const row of dumpTable(trx, spec)) {
        await writer.write(`${count === 0 ? '' : ','}\n      ${JSON.stringify(row)}`);
        count++;
      }
      await writer.write(count === 0 ? ']' : '\n    ]');
      tables[spec.table] = count;
    }
    await writer.write('\n  }\n}\n');
    files['bundle.json'] = await writer.close();

    const copied = new Set<string>();
    const walk = mediaBundle.files(trx, storage);
    for (let next = await walk.next(); ; next = await walk.next()) {
      if (next.done) {
        missingFiles += next.value.missing;
        break;
      }
      const { bundlePath } = next.value;
      if (copied.has(bundlePath)) continue;
      const source = await storage.open(bundlePath);
      // Gone between the listing and the copy (a discarded entry photograph): counted as missing.
      if (!source) {
        missingFiles++;
        continue;
      }
      copied.add(bundlePath);
      const target = join(dir, 'media', bundlePath);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await pipeline(source.body, createWriteStream(target, { mode: 0o600, flags: 'wx' }));
      await chmod(target, 0o600);
      files[`media/${bundlePath}`] = await sha256OfFile(target);
    }
  };
  try {
    await db.transaction().setIsolationLevel('repeatable read').execute(read);
  } catch (error) {
    // Half a bundle is no bundle: the directory was empty, so it is emptied again.
    await emptyDir(dir);
    throw error;
  }

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    bundle_version: BUNDLE_VERSION,
    exported_at: new Date().toISOString(),
    harbinger_version: await harbingerVersion(),
    tables,
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  const rows = Object.values(tables).reduce((a, b) => a + b, 0);
  return { dir, tables, rows, files: Object.keys(files).length - 1, missingFiles };
}

export interface ImportOptions {
  dryRun?: boolean;
  /** The site's preview length, for the search index (config.wall.previewParagraphs). */
  previewParagraphs: number;
}

export interface ImportReport {
  dryRun: boolean;
  tables: Record<string, number>;
  rows: number;
  files: number;
  /** What was rebuilt after the load: jobs, the search index. */
  rebuilt: AfterLoadReport;
  manifest: Pick<Manifest, 'exported_at' | 'harbinger_version'>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks manifest.json and every file it lists; a bundle that fails is refused before anything is written. */
async function checkBundleFiles(dir: string): Promise<Manifest> {
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => null);
  if (text === null) throw new BundleError(`${dir} has no manifest.json: it is not a bundle made by \`harbinger export\`.`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new BundleError(`${join(dir, 'manifest.json')} is not valid JSON.`);
  }
  if (!isObject(manifest) || manifest.format !== MANIFEST_FORMAT || !isObject(manifest.files) || !isObject(manifest.tables))
    throw new BundleError(`${join(dir, 'manifest.json')} is not a Harbinger bundle manifest.`);
  if (typeof manifest.bundle_version !== 'number' || manifest.bundle_version > BUNDLE_VERSION)
    throw new BundleError(
      `The bundle is version ${String(manifest.bundle_version)}; this Harbinger reads version ${BUNDLE_VERSION} and older. Import it with a newer Harbinger.`,
    );
  if (!isObject(manifest.files['bundle.json'])) throw new BundleError('The manifest does not list bundle.json.');
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (name !== 'bundle.json' && !(name.startsWith('media/') && MEDIA_BUNDLE_PATH.test(name.slice('media/'.length))))
      throw new BundleError(`The manifest lists ${name}, which is not a file a bundle holds.`);
    if (!isObject(entry) || typeof entry.sha256 !== 'string') throw new BundleError(`The manifest's entry for ${name} has no sha256.`);
    const actual = await sha256OfFile(join(dir, name)).catch(() => null);
    if (!actual) throw new BundleError(`${name} is listed in the manifest but missing from ${dir}.`);
    if (actual.sha256 !== entry.sha256)
      throw new BundleError(`${name} does not match its checksum in the manifest: the bundle was changed or damaged after export.`);
  }
  return manifest as unknown as Manifest;
}

/** The tables that already hold rows, apart from those a fresh database fills itself. */
async function filledTables(db: Db, specs: readonly TableSpec[]): Promise<string[]> {
  const filled: string[] = [];
  for (const spec of specs) {
    if (FILLED_BY_MIGRATIONS.has(spec.table)) continue;
    const n = await countRows(db, spec.table);
    if (n > 0) filled.push(`${spec.table} (${n})`);
  }
  return filled;
}

/**
 * Loads a bundle into an empty database: the manifest's checksums and the
 * format are checked first, then every table is loaded in one transaction with
 * the media files copied before it commits (all or nothing for the database; a
 * failed import may leave copied files behind, unused), then the search index is
 * rebuilt. A database holding any article, person, account or other content is refused.
 */
export async function importBundle(db: Db, storage: MediaStorage, dir: string, options: ImportOptions): Promise<ImportReport> {
  const specs = bundleTables();
  const manifest = await checkBundleFiles(dir);
  let source: BundleJson;
  try {
    source = await openBundleJson(join(dir, 'bundle.json'), specs);
  } catch (error) {
    if (error instanceof BundleFormatError) throw new BundleError(error.message);
    throw error;
  }
  const counts = source.counts;
  for (const [table, n] of Object.entries(counts)) {
    const listed = manifest.tables[table];
    if (listed !== undefined && listed !== n) throw new BundleError(`bundle.json has ${n} rows in ${table}; the manifest says ${listed}.`);
  }
  const filled = await filledTables(db, specs);
  if (filled.length)
    throw new BundleError(
      `This database already holds a magazine (${filled.slice(0, 4).join(', ')}${filled.length > 4 ? ` and ${filled.length - 4} more tables` : ''}). A bundle is imported into an empty database only: point DATABASE_URL (or DATA_DIR) at a new one and run the import again.`,
    );
  const mediaFiles = Object.keys(manifest.files).filter((name) => name !== 'bundle.json');
  for (const name of mediaFiles) {
    if (!mediaKeyOf(name.slice('media/'.length), storage))
      throw new BundleError(`${name} has no place on this server (no private media directory).`);
  }
  const report: ImportReport = {
    dryRun: options.dryRun === true,
    tables: counts,
    rows: Object.values(counts).reduce((a, b) => a + b, 0),
    files: mediaFiles.length,
    rebuilt: {},
    manifest: { exported_at: manifest.exported_at, harbinger_version: manifest.harbinger_version },
  };
  if (options.dryRun) return report;

  await db.transaction().execute(async (trx) => {
    // A fresh database has the default newsletter and its own settings: the bundle's replace them.
    if (counts.newsletters! > 0) await trx.deleteFrom('newsletters').execute();
    const specOf = new Map(specs.map((spec) => [spec.table, spec]));
    // A table whose rows name each other (replies) is loaded whole, parents first.
    let held: { spec: TableSpec; rows: BundleRow[] } | null = null;
    const load = async (spec: TableSpec, rows: BundleRow[]) => {
      try {
        await loadTable(trx, spec, rows);
      } catch (error) {
        if (error instanceof BundleLoadError) throw new BundleError(`Nothing was imported: ${error.message}`);
        throw error;
      }
    };
    for await (const { table, rows } of source.batches()) {
      const spec = specOf.get(table)!;
      if (held && held.spec !== spec) {
        await load(held.spec, held.rows);
        held = null;
      }
      if (table === 'settings')
        await trx
          .deleteFrom('settings')
          .where(
            'key',
            'in',
            rows.map((row) => String(row.key)),
          )
          .execute();
      if (spec.parent) {
        held ??= { spec, rows: [] };
        held.rows.push(...rows);
      } else await load(spec, rows);
    }
    if (held) await load(held.spec, held.rows);
    for (const part of BUNDLE_PARTS) {
      const done = await part.afterLoad?.(trx);
      if (done) Object.assign(report.rebuilt, done);
    }
    for (const name of mediaFiles) {
      // Stored as an upload would be (on disk with a stored picture's mode, in a bucket with its headers).
      const key = mediaKeyOf(name.slice('media/'.length), storage)!;
      await storage.put(key, await readFile(join(dir, name)), contentTypeOf(key));
    }
  });
  const search = await new SearchService(db, options.previewParagraphs).reindex();
  report.rebuilt['articles in the search index'] = search.articles;
  report.rebuilt['people in the search index'] = search.people;
  return report;
}
