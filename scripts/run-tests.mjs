// Runs Node's test runner over every *.test.ts / *.test.tsx file under the given folder.
// Node 20 does not expand globs and runs zero tests (exit 0) when given none, so the
// files are listed here and an empty list is an error.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const folder = process.argv[2] ?? 'test';
const only = process.argv.slice(3);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

let files = find(folder).sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error(`No test files found under ${folder}/`);
  process.exit(1);
}
const concurrency = folder === 'e2e' ? '1' : String(process.env.TEST_CONCURRENCY ?? 2);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
