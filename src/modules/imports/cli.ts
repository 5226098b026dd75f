// `harbinger import wordpress FILE.xml` and `harbinger import ghost FILE.json`:
// reads and checks the whole export first (a malformed file stops here, before
// the database is opened), then writes it through the engine (apply.ts) in
// batches, printing progress to stderr, the summary to stdout, and the full
// report as JSON to a file.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { applyImport } from './apply.js';
import { ImportFileError, type ImportItem, type ImportSource } from './model.js';
import { ImportReport, ReportFile } from './report.js';
import { openWordpress } from './wordpress.js';
import type * as ghostModule from './ghost.js';

type GhostModule = typeof ghostModule;

export type CliValues = Record<string, string | boolean | undefined>;

const USAGE = `Usage: harbinger import wordpress FILE.xml [--uploads DIR] [--dry-run] [--report FILE]
       harbinger import ghost FILE.json [--content DIR] [--members] [--dry-run] [--report FILE]
       harbinger import harbinger DIR [--dry-run]`;

function stamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

const n = (value: number) => value.toLocaleString('en-GB');
const megabytes = (bytes: number) => `${n(Math.round(bytes / 1024 / 1024))} MB`;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface Opened {
  source: ImportSource;
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>;
  totals: Record<string, number>;
}

async function openExport(format: 'wordpress' | 'ghost', file: string, values: CliValues, io: CommandOutput): Promise<Opened> {
  if (format === 'wordpress') {
    let last = Date.now();
    const opened = await openWordpress(file, {
      ...(typeof values.uploads === 'string' ? { uploads: values.uploads } : {}),
      onCheck: (bytes, total) => {
        if (Date.now() - last < 5000) return;
        last = Date.now();
        io.err(`  checked ${megabytes(bytes)} of ${megabytes(total)}`);
      },
    });
    return opened;
  }
  let ghost: GhostModule;
  try {
    ghost = await import('./ghost.js');
  } catch {
    throw new ImportFileError('The Ghost importer is not available in this version of Harbinger.');
  }
  const read = await ghost.readGhost(file, {
    ...(typeof values.content === 'string' ? { contentDir: values.content } : {}),
    members: values.members === true,
  });
  return { source: read.source, items: read.items, totals: { ...read.totals, total: read.items.length } };
}

function describeTotals(totals: Record<string, number>): string {
  const parts = Object.entries(totals)
    .filter(([key, value]) => key !== 'total' && value > 0)
    .map(([key, value]) => `${n(value)} ${key}`);
  return parts.join(', ') || 'nothing to import';
}

/** Where the command writes: the summary to `out` (stdout), messages and progress to `err` (stderr). */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const terminal: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => console.error(line),
};

export async function importCommand(
  format: string | undefined,
  args: string[],
  values: CliValues,
  config: Config,
  io: CommandOutput = terminal,
): Promise<number> {
  if ((format !== 'wordpress' && format !== 'ghost') || args.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const file = resolve(args[0]!);
  const dryRun = values['dry-run'] === true;
  const dirOption = format === 'wordpress' ? 'uploads' : 'content';
  const dir = values[dirOption];
  if (typeof dir === 'string' && !isDirectory(dir)) {
    io.err(`--${dirOption} ${dir} is not a directory.`);
    return 2;
  }

  io.err(`Checking ${file}…`);
  let opened: Opened;
  try {
    opened = await openExport(format, file, values, io);
  } catch (error) {
    if (error instanceof ImportFileError) {
      io.err(error.message);
      io.err('Nothing was imported.');
      return 1;
    }
    throw error;
  }
  const total = opened.totals.total ?? 0;
  io.err(`The export is readable: ${describeTotals(opened.totals)}.`);
  if (typeof dir !== 'string')
    io.err(`No --${dirOption} directory given: pictures are left out, each noted in its article and in the report.`);

  const database = openDatabase(config.database);
  const { buildApp } = await import('../../app.js');
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  const started = new Date();
  const reportPath = resolve(typeof values.report === 'string' ? values.report : `import-report-${format}-${stamp(started)}.json`);
  const report = new ImportReport(
    { format, source: `${opened.source.format}:${opened.source.siteUrl}`, file, dryRun, startedAt: started.toISOString() },
    false,
  );
  const out = new ReportFile(reportPath, report);
  if (opened.totals.comments) report.summary.counted.comments = opened.totals.comments;
  let code = 0;
  try {
    await migrateToLatest(database.db);
    app = await buildApp({ config, database, logger: false });
    if (values.members === true && typeof values.newsletter === 'string') {
      const slugs = (await app.newsletter.service.newsletters()).map((l) => l.slug);
      if (!slugs.includes(values.newsletter)) {
        io.err(
          `There is no newsletter with the slug ${values.newsletter}. Newsletters: ${slugs.join(', ') || 'none yet'}. Nothing was imported.`,
        );
        code = 2;
        return code;
      }
    }
    let lastLine = Date.now();
    let lastCount = 0;
    await applyImport(opened.source, opened.items, {
      db: database.db,
      media: app.mediaStorage,
      report,
      dryRun,
      ...(typeof values.newsletter === 'string' ? { newsletterSlug: values.newsletter } : {}),
      onProgress: (done) => {
        if (done - lastCount >= 1000 || Date.now() - lastLine >= 5000 || done === total) {
          const percent = total > 0 ? ` (${Math.min(100, Math.round((done / total) * 100))}%)` : '';
          io.err(`  ${n(done)} of ${n(total)} items${percent}`);
          lastLine = Date.now();
          lastCount = done;
        }
      },
    });
    if (!dryRun) await app.contentVersion.bump();
    if (report.summary.totals.failed > 0) code = 1;
  } catch (error) {
    io.err(`The import stopped: ${error instanceof Error ? error.message : String(error)}`);
    io.err('Every batch before this one is saved; run the same command again to carry on from there.');
    code = 1;
  } finally {
    await out.close(report);
    await app?.close();
    await database.close();
  }
  io.out(report.text());
  io.out(`The full report (every item, with warnings) is in ${reportPath}`);
  return code;
}
