// `harbinger export DIR` and `harbinger import harbinger DIR [--dry-run]`.
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
import { openDatabase, type Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { mediaStorageFor, type MediaStorage } from '../media/index.js';
import { BundleError, exportBundle, importBundle, type ImportReport } from './bundle.js';

export type CliValues = Record<string, string | boolean | undefined>;

/** Runs `work` with the media store the running site has (its folders, or its bucket), closed afterwards. */
async function withStorage<T>(config: Config, work: (storage: MediaStorage) => Promise<T>): Promise<T> {
  const storage = mediaStorageFor(config);
  try {
    return await work(storage);
  } finally {
    storage.close();
  }
}

/** Where the command's report goes, a line at a time. */
export type Print = (line: string) => void;

/** A line of the command's report on standard output. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The PostgreSQL schema the configuration names, where the migrations keep their own table. */
function schemaOf(config: Config): string | undefined {
  return config.database.kind === 'postgres' ? config.database.schema : undefined;
}

/**
 * Opens the configured database, brings it to the latest migration and runs
 * `work` on it; exit status 0, or 1 with the message when the bundle is refused.
 */
async function withBundleDatabase(config: Config, work: (db: Db) => Promise<void>): Promise<number> {
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db, schemaOf(config));
    await work(database.db);
    return 0;
  } catch (err) {
    if (err instanceof BundleError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export async function exportCommand(args: string[], values: CliValues, config: Config, print: Print = say): Promise<number> {
  void values;
  const target = args[0];
  if (!target || args.length > 1) {
    console.error('Usage: harbinger export DIR   (DIR must be new or empty)');
    return 2;
  }
  const dir = resolve(target);
  return withBundleDatabase(config, async (db) => {
    const report = await withStorage(config, (storage) => exportBundle(db, storage, dir));
    print(
      `Exported ${plural(report.rows, 'row')} from ${plural(Object.keys(report.tables).length, 'table')} and ${plural(report.files, 'media file')} to ${dir}`,
    );
    for (const [table, n] of Object.entries(report.tables)) if (n > 0) print(`  ${table.padEnd(24)} ${n}`);
    if (report.missingFiles > 0)
      print(
        `${plural(report.missingFiles, 'file')} named by the media rows ${report.missingFiles === 1 ? 'was' : 'were'} not in the media store and could not be copied.`,
      );
    print(
      'The bundle holds private data (email addresses, birth dates, prize entrants’ schools): only you can read it (0600/0700); keep it that way. Passwords, sessions and tokens are not in it.',
    );
  });
}

function printImport(report: ImportReport, dir: string, print: Print): void {
  const verb = report.dryRun ? 'Would import' : 'Imported';
  print(
    `${verb} ${plural(report.rows, 'row')} and ${plural(report.files, 'media file')} from ${dir} (exported ${report.manifest.exported_at} by Harbinger ${report.manifest.harbinger_version}).`,
  );
  for (const [table, n] of Object.entries(report.tables)) if (n > 0) print(`  ${table.padEnd(24)} ${n}`);
  for (const [what, n] of Object.entries(report.rebuilt)) print(`Rebuilt: ${what}: ${n}`);
  if (report.dryRun) print('Nothing was written (--dry-run).');
  else
    print(
      'Accounts come without passwords: people sign in with an emailed link or reset their password. Set SESSION_SECRET to the old site’s if its unsubscribe links must keep working.',
    );
}

export async function importBundleCommand(args: string[], values: CliValues, config: Config, print: Print = say): Promise<number> {
  const source = args[0];
  if (!source || args.length > 1) {
    console.error('Usage: harbinger import harbinger DIR [--dry-run]');
    return 2;
  }
  const dir = resolve(source);
  return withBundleDatabase(config, async (db) => {
    const report = await withStorage(config, (storage) =>
      importBundle(db, storage, dir, { dryRun: values['dry-run'] === true, previewParagraphs: config.wall.previewParagraphs }),
    );
    printImport(report, dir, print);
  });
}
