// `harbinger import ghost` as a separate process on the test's database: the
// summary it prints and the JSON report it writes, a cut-short export refused
// with its line and column before anything is written, and a second run that
// finds everything unchanged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type Db, type OpenDatabase } from '../../../src/db/database.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { createTestDatabase, databaseKind, type TestDatabase } from '../../helpers.js';

const FIXTURES = resolve('test/fixtures/imports/ghost');
const dir = mkdtempSync(join(tmpdir(), 'harbinger-ghost-cli-'));

let databaseUrl: string;
let db: Db;
let testDb: TestDatabase | null = null;
let sqlite: OpenDatabase | null = null;

function harbinger(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATA_DIR: dir,
        MEDIA_DIR: join(dir, 'media'),
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        SITE_URL: 'http://harbinger.test',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

async function count(table: 'articles' | 'people' | 'subscriptions' | 'redirects' | 'import_items'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** `harbinger import ghost FILE` with the fixtures' pictures and members, then `more`. */
function importGhost(file: string, ...more: string[]) {
  return harbinger('import', 'ghost', file, '--content', join(FIXTURES, 'content'), '--members', ...more);
}

describe('harbinger import ghost', () => {
  before(async () => {
    if (databaseKind === 'postgres') {
      testDb = await createTestDatabase();
      assert.equal(testDb.config.kind, 'postgres');
      databaseUrl = testDb.config.kind === 'postgres' ? testDb.config.url : '';
      db = testDb.db;
    } else {
      const file = join(dir, 'harbinger.db');
      databaseUrl = `sqlite:${file}`;
      sqlite = openDatabase({ kind: 'sqlite', file });
      await migrateToLatest(sqlite.db);
      db = sqlite.db;
    }
  });
  after(async () => {
    await testDb?.drop();
    await sqlite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports an export with its pictures and members, prints the summary and writes the report', async () => {
    const reportPath = join(dir, 'report.json');
    const res = await importGhost(join(FIXTURES, 'ghost-4.json'), '--newsletter', 'weekly-brief', '--report', reportPath);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /The export is readable/);
    assert.match(res.stdout, /article: 2 created/);
    assert.match(res.stdout, /page: 1 created/);
    assert.match(res.stdout, /subscriber: 2 created, 1 skipped/);
    assert.ok(res.stdout.includes(reportPath));
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { items: { kind: string; outcome: string; reason?: string }[] };
    assert.ok(report.items.some((i) => i.kind === 'subscriber' && i.outcome === 'skipped' && i.reason));
    assert.equal(await count('articles'), 2);
    const subs = await db.selectFrom('subscriptions').select(['email', 'status', 'consent']).orderBy('email').execute();
    assert.deepEqual(
      subs.map((s) => s.email),
      ['ana@example.org', 'cleo@example.org'],
    );
    assert.ok(subs.every((s) => s.status === 'confirmed' && /ghost-4\.json/.test(s.consent ?? '')));
  });

  it('refuses a --newsletter slug that names no newsletter, before anything is written', async () => {
    const before = await Promise.all([count('articles'), count('people'), count('subscriptions'), count('import_items')]);
    const res = await importGhost(join(FIXTURES, 'ghost-5.json'), '--newsletter', 'weekly-brif', '--report', join(dir, 'typo.json'));
    assert.equal(res.status, 2);
    assert.match(res.stderr, /There is no newsletter with the slug weekly-brif\. Newsletters: .*weekly-brief.*Nothing was imported\./);
    assert.deepEqual(await Promise.all([count('articles'), count('people'), count('subscriptions'), count('import_items')]), before);
  });

  it('refuses a cut-short export with its line and column, and writes nothing', async () => {
    const before = await Promise.all([count('articles'), count('people'), count('redirects'), count('import_items')]);
    const text = readFileSync(join(FIXTURES, 'ghost-5.json'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    const file = join(dir, 'cut.json');
    writeFileSync(file, cut);
    const res = await importGhost(file);
    assert.equal(res.status, 1);
    assert.match(res.stderr, new RegExp(`cut\\.json is not valid JSON: .* at line ${cut.split('\n').length}, column \\d+`));
    assert.match(res.stderr, /Nothing was imported/);
    assert.deepEqual(await Promise.all([count('articles'), count('people'), count('redirects'), count('import_items')]), before);
  });

  it('finds everything unchanged on a second run', async () => {
    const before = await Promise.all([count('articles'), count('people'), count('subscriptions'), count('import_items')]);
    const res = await importGhost(join(FIXTURES, 'ghost-4.json'), '--report', join(dir, 'again.json'));
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^0 created, 0 updated, \d+ unchanged/m);
    assert.deepEqual(await Promise.all([count('articles'), count('people'), count('subscriptions'), count('import_items')]), before);
  });
});
