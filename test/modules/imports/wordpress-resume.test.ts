// An import that stops half-way (the reader fails after ten items) keeps the
// batches it finished and none of the one it was in; running it again carries
// on from there, creating only what is missing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { applyImport, ImportReport, openWordpress, type ImportItem } from '../../../src/modules/imports/index.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

const SITE = resolve('test/fixtures/imports/wordpress/tidewater.xml');
const UPLOADS = resolve('test/fixtures/imports/wordpress/uploads');
let t: TestApp;
let mediaDir: string;

before(async () => {
  mediaDir = mkdtempSync(join(tmpdir(), 'harbinger-wp-resume-'));
  t = await buildTestApp({ seed: false, env: { MEDIA_DIR: mediaDir } });
});
after(async () => {
  await t.close();
  rmSync(mediaDir, { recursive: true, force: true });
});

async function* failingAfter(items: AsyncIterable<ImportItem>, n: number): AsyncGenerator<ImportItem> {
  let seen = 0;
  for await (const item of items) {
    if (seen++ === n) throw new Error('The disk holding the export went away.');
    yield item;
  }
}

async function run(stopAfter: number | null) {
  const opened = await openWordpress(SITE, { uploads: UPLOADS });
  const report = new ImportReport({ format: 'wordpress', source: 'test', file: SITE, dryRun: false, startedAt: new Date().toISOString() });
  const items = stopAfter === null ? opened.items : failingAfter(opened.items, stopAfter);
  await applyImport(opened.source, items, { db: t.db, media: t.app.mediaStorage, report, batchSize: 4 });
  return report;
}

async function ledgerSize(): Promise<number> {
  const row = await t.db
    .selectFrom('import_items')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('kind', '!=', 'person')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

it('keeps the finished batches of an interrupted import, and finishes it when run again', async () => {
  const opened = await openWordpress(SITE, { uploads: UPLOADS });
  const firstTen: ImportItem[] = [];
  for await (const item of opened.items) if (firstTen.push(item) === 10) break;

  await assert.rejects(run(10), /The disk holding the export went away/);
  // Two batches of four were committed; the third (items 9 and 10) was not.
  const committed = firstTen.slice(0, 8).filter((i) => i.type !== 'skipped' && i.type !== 'person').length;
  assert.equal(await ledgerSize(), committed);

  const again = await run(null);
  assert.equal(again.summary.totals.unchanged, 8 - firstTen.slice(0, 8).filter((i) => i.type === 'skipped').length);
  assert.equal(again.summary.totals.failed, 0);
  const articles = await t.db.selectFrom('articles').select('slug').orderBy('slug').execute();
  assert.equal(articles.length, 7);
  assert.equal(new Set(articles.map((a) => a.slug)).size, 7);
});
