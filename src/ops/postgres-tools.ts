// PostgreSQL's own client programs (pg_dump, pg_restore), found on this machine
// and run without the password ever reaching a command line or a message: the
// connection goes to them as a URL without its password, which travels in
// PGPASSWORD, and whatever they print is cleaned of it before anyone sees it.
import { execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PostgresTool = 'pg_dump' | 'pg_restore';

export class PostgresToolError extends Error {
  override name = 'PostgresToolError';
}

/** Where distributions put each major version's client programs, before PATH. */
function versionedDirs(major: number): string[] {
  return [
    `/usr/lib/postgresql/${major}/bin`,
    `/usr/pgsql-${major}/bin`,
    `/opt/homebrew/opt/postgresql@${major}/bin`,
    `/usr/local/opt/postgresql@${major}/bin`,
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  ];
}

/** The major version a `pg_dump --version` line names ("pg_dump (PostgreSQL) 15.20 (Debian …)"). */
export function majorOfVersionLine(line: string): number | null {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.\d+)?/.exec(line);
  return match ? Number(match[1]) : null;
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export interface FoundTool {
  path: string;
  major: number;
}

/**
 * The client program that can handle a server of `serverMajor`: the same major
 * version where a distribution keeps one per version, otherwise the first on
 * PATH of that version or newer (an older pg_dump refuses a newer server).
 * `dirs` replaces the places searched (for tests).
 */
export async function findPostgresTool(
  tool: PostgresTool,
  serverMajor: number,
  dirs: readonly string[] = [...versionedDirs(serverMajor), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)],
): Promise<FoundTool> {
  const tooOld: string[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const path = join(dir, tool);
    if (seen.has(path) || !(await executable(path))) continue;
    seen.add(path);
    const major = await run(path, ['--version']).then(
      ({ stdout }) => majorOfVersionLine(stdout),
      () => null,
    );
    if (major === null) continue;
    if (major >= serverMajor) return { path, major };
    tooOld.push(`${tool} ${major} at ${path}`);
  }
  const found = tooOld.length > 0 ? ` Found only ${tooOld.join(', ')}, older than the server.` : '';
  throw new PostgresToolError(
    `${tool} for PostgreSQL ${serverMajor} was not found.${found} Install the PostgreSQL ${serverMajor} client programs ` +
      `(Debian and Ubuntu: apt install postgresql-client-${serverMajor}) or put their directory first in PATH.`,
  );
}

/** The connection for a client program: the URL without its password, and the password for PGPASSWORD. */
export function connectionFor(url: string): { dbname: string; env: Record<string, string>; password: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  // As the app's pool does: no user in the URL means postgres (USER may be unset under systemd).
  if (!parsed.username) parsed.username = 'postgres';
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {}, password };
}

/** A description of the database for messages: host, port and name, never the user's password. */
export function describePostgres(url: string): string {
  const parsed = new URL(url);
  return `PostgreSQL database ${decodeURIComponent(parsed.pathname.slice(1)) || '(default)'} on ${parsed.hostname || 'localhost'}:${parsed.port || 5432}`;
}

/** Removes every appearance of `secret` from a text (a program's message may echo the connection). */
export function withoutSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}

/**
 * Runs a client program on the database `url` names with `args`; resolves when it
 * exits 0, or rejects with its message (cleaned of the password) otherwise.
 */
export async function runPostgresTool(found: FoundTool, url: string, args: string[]): Promise<void> {
  const { dbname, env, password } = connectionFor(url);
  const child = spawn(found.path, [...args, `--dbname=${dbname}`], {
    env: { ...process.env, ...env, PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? '10' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-8000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve(status));
  });
  if (code !== 0) {
    const name = found.path.slice(found.path.lastIndexOf('/') + 1);
    throw new PostgresToolError(`${name} failed (exit ${code}):\n${withoutSecret(errors.trim(), password)}`);
  }
}
