// Runs Node's test runner over every *.test.ts / *.test.tsx file under the given folder.
// Node 20 does not expand globs and runs zero tests (exit 0) when given none, so the
// files are listed here and an empty list is an error. Work every test file would
// otherwise repeat is done once per run, before the runner starts: the front-end
// assets are built (when older than src/), and for test/ the migrated and
// the demo databases are written as templates that each file copies (SQLite) or
// clones (PostgreSQL: this run's databases, all dropped at the end).
// A run of the whole of test/ measures the line coverage of src/ (c8) and fails
// below COVERAGE_MIN per cent (COVERAGE=0 skips the measurement).
//
//   node scripts/run-tests.mjs test [path-substring ...]
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from './build.mjs';

const COVERAGE_MIN = 85;

const folder = process.argv[2] ?? 'test';
const only = process.argv.slice(3);

function find(dir, pattern) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

let files = find(folder, /\.test\.tsx?$/).sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error(`No test files found under ${folder}/`);
  process.exit(1);
}

function run(args, env = process.env) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '');

function template(command, name) {
  return run(['--import', 'tsx', 'test/template.ts', command, name]);
}

/**
 * Makes this run's template databases (test/template.ts) and returns their name:
 * on SQLite a folder of its own, on PostgreSQL the prefix of this run's databases.
 * Null when the run does not use them (the browser tests start their own server)
 * or they could not be made.
 */
function makeTemplates() {
  if (folder !== 'test') return null;
  const dbName = onPostgres
    ? new URL(process.env.DATABASE_URL).pathname
        .slice(1)
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
    : '';
  const name = onPostgres ? `${dbName.slice(0, 30) || 'harbinger'}_run${process.pid}` : mkdtempSync(join(tmpdir(), 'harbinger-templates-'));
  if (template('create', name) === 0) return name;
  // The files that need a database will fail on their own, with their own message.
  dropTemplates(name);
  console.error('Could not prepare the template databases: each test file prepares its own.');
  return null;
}

function dropTemplates(name) {
  if (onPostgres) template('drop', name);
  else rmSync(name, { recursive: true, force: true });
}

/** Source files that compile to nothing (types only): they hold no line a test could run. */
async function typeOnlySources() {
  const { transformSync } = await import('esbuild');
  return find('src', /\.ts$/).filter(
    (path) => !/[/\\]client[/\\]/.test(path) && transformSync(readFileSync(path, 'utf8'), { loader: 'ts' }).code.trim() === '',
  );
}

/** The command line of c8 around the runner, when this run measures coverage. */
async function coverageArgs() {
  if (folder !== 'test' || only.length > 0 || process.env.COVERAGE === '0') return [];
  const c8 = createRequire(import.meta.url).resolve('c8/bin/c8.js');
  return [
    c8,
    ...(await typeOnlySources()).map((path) => `--exclude=${path}`),
    // The compiled dist/ (run by the CLI tests) counts as the src/ its source maps point to.
    '--include=src/**',
    '--include=dist/**',
    '--exclude=dist/**',
    '--exclude=src/**/client/**',
    '--exclude=src/**/*.d.ts',
    '--exclude-after-remap',
    '--all',
    `--reporter=${process.env.COVERAGE_REPORTER ?? 'text-summary'}`,
    '--check-coverage',
    `--lines=${COVERAGE_MIN}`,
    process.execPath,
  ];
}

await build({ assetsOnly: true, ifStale: true });
const templates = makeTemplates();
const concurrency = folder === 'e2e' ? '1' : String(process.env.TEST_CONCURRENCY ?? 2);
const runner = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
let status;
try {
  status = run([...(await coverageArgs()), ...runner], templates ? { ...process.env, HARBINGER_TEST_TEMPLATES: templates } : process.env);
} finally {
  if (templates) dropTemplates(templates);
}
process.exit(status);
