// `harbinger backup DIR` and `harbinger restore DIR`: a line or two of report on
// standard output, a refusal's reason on standard error (exit status 1). Neither
// ever prints the database's password: messages name the database by host, port
// and name only.
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { BackupError, createBackup, restoreBackup } from './backup.js';
import { PostgresToolError } from './postgres-tools.js';

export type Print = (line: string) => void;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** Runs a command's work; its refusals become a message and exit status 1. */
async function refusing(work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (err) {
    if (err instanceof BackupError || err instanceof PostgresToolError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

export async function backupCommand(args: string[], config: Config, print: Print = say): Promise<number> {
  if (args.length !== 1) {
    console.error('Usage: harbinger backup DIR   (DIR must be new or empty)');
    return 2;
  }
  return refusing(async () => {
    const started = Date.now();
    const { dir, manifest, bytes } = await createBackup(config, args[0]!);
    const kind = manifest.database.kind === 'sqlite' ? 'SQLite' : `PostgreSQL ${manifest.database.server_version ?? ''}`.trim();
    print(
      `Backed up the ${kind} database (at ${manifest.database.migration_level}) and ${plural(manifest.media.files, 'media file')}, ${size(bytes)} in all, to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    print('The backup holds private data (email addresses, birth dates): only you can read it (0600/0700); keep it that way.');
  });
}

export async function restoreCommand(args: string[], config: Config, print: Print = say): Promise<number> {
  if (args.length !== 1) {
    console.error('Usage: harbinger restore DIR   (into an empty database and empty media folders)');
    return 2;
  }
  return refusing(async () => {
    const dir = resolve(args[0]!);
    const { manifest, files, applied } = await restoreBackup(config, dir);
    print(
      `Restored the backup of ${manifest.created_at} (Harbinger ${manifest.harbinger_version}, at ${manifest.database.migration_level}) and ${plural(files, 'media file')} from ${dir}.`,
    );
    print(
      applied.length > 0 ? `Then applied ${plural(applied.length, 'migration')}: ${applied.join(', ')}.` : 'The database is up to date.',
    );
  });
}
