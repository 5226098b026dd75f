// `harbinger import wordpress`: a cut-off file stops before the database is
// touched, naming the line; a dry run prints what would happen and writes
// nothing; a real run prints its summary and writes the report as JSON.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig, type Config, type DatabaseConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/database.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { importCommand, type CliValues } from '../../../src/modules/imports/index.js';
import { createTestDatabase, databaseKind, type TestDatabase } from '../../helpers.js';

const SITE = resolve('test/fixtures/imports/wordpress/tidewater.xml');
const UPLOADS = resolve('test/fixtures/imports/wordpress/uploads');
const work = mkdtempSync(join(tmpdir(), 'harbinger-wp-cli-'));
let testDb: TestDatabase | null = null;
let config: Config;

before(async () => {
  let database: DatabaseConfig;
  if (databaseKind === 'sqlite') {
    database = { kind: 'sqlite', file: join(work, 'cli.sqlite') };
    const db = openDatabase(database);
    await migrateToLatest(db.db);
    await db.close();
  } else {
    testDb = await createTestDatabase();
    database = testDb.config;
  }
  config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: work, MEDIA_DIR: join(work, 'media'), LOG_LEVEL: 'silent', SITE_URL: 'http://harbinger.test' },
    { database },
  );
});

after(async () => {
  await testDb?.drop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the command in this process, catching what it prints. */
async function run(file: string, values: CliValues) {
  let stdout = '';
  let stderr = '';
  const code = await importCommand('wordpress', [file], values, config, {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}

async function articleCount(): Promise<number> {
  const database = openDatabase(config.database);
  try {
    const row = await database.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await database.close();
  }
}

describe('harbinger import wordpress', () => {
  it('stops at a cut-off file with the line, before writing anything', async () => {
    const text = readFileSync(SITE, 'utf8');
    const cut = join(work, 'cut.xml');
    writeFileSync(cut, text.slice(0, text.indexOf('<wp:post_id>107</wp:post_id>')));
    const res = await run(cut, { uploads: UPLOADS, report: join(work, 'cut.json') });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /The file ends at line \d+ before the export is complete/);
    assert.match(res.stderr, /Nothing was imported\./);
    assert.equal(existsSync(join(work, 'cut.json')), false);
    assert.equal(await articleCount(), 0);
  });

  it('refuses an uploads directory that is not there', async () => {
    const res = await run(SITE, { uploads: join(work, 'nowhere') });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--uploads .*nowhere is not a directory/);
  });

  it('prints what a dry run would do and writes nothing', async () => {
    const reportPath = join(work, 'dry.json');
    const res = await run(SITE, { uploads: UPLOADS, 'dry-run': true, report: reportPath });
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stderr,
      /The export is readable: 7 posts, 2 pages, 2 attachments, 2 comments, 2 authors, 3 categories, 3 tags, 3 skipped\./,
    );
    assert.match(res.stdout, /^Dry run \(nothing was written\): 17 created, 0 updated, 0 unchanged, 3 skipped, 0 failed/);
    assert.equal(await articleCount(), 0);
    assert.equal(existsSync(join(work, 'media')), false);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { dryRun: boolean; items: unknown[] };
    assert.equal(report.dryRun, true);
    assert.equal(report.items.length, 20);
  });

  it('imports the file, printing progress, the summary and where the report went', async () => {
    const reportPath = join(work, 'report.json');
    const res = await run(SITE, { uploads: UPLOADS, report: reportPath });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /20 of 20 items \(100%\)/);
    assert.match(res.stdout, /^17 created, 0 updated, 0 unchanged, 3 skipped, 0 failed; \d+ warning\(s\)\./);
    assert.match(res.stdout, / {2}article: 7 created, 2 skipped/);
    assert.match(res.stdout, / {2}comments: 2 \(counted, not imported\)/);
    assert.match(res.stdout, /Candidates for the editor's pick \(sticky on the old site\): Harbour clean-up draws a hundred volunteers/);
    assert.match(
      res.stdout,
      /Warnings:\n( {2}- .*\n)? {2}- article 103 \(Привет из редакции\): Picture not imported: lost-photo\.jpg is not in the uploads directory/,
    );
    assert.ok(res.stdout.includes(`The full report (every item, with warnings) is in ${reportPath}`));
    assert.equal(await articleCount(), 7);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      summary: { totals: Record<string, number> };
      items: { sourceId: string; outcome: string; address?: string; warnings: string[] }[];
    };
    assert.equal(report.summary.totals.created, 17);
    const privet = report.items.find((i) => i.sourceId === '103')!;
    assert.equal(privet.address, '/articles/privet');
    assert.ok(privet.warnings.some((w) => w.includes('lost-photo.jpg')));

    const again = await run(SITE, { uploads: UPLOADS, report: join(work, 'again.json') });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^0 created, 0 updated, 17 unchanged, 3 skipped, 0 failed/);
    assert.equal(await articleCount(), 7);
  });
});
