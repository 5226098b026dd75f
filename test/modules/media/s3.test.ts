// MEDIA_STORAGE=s3 against a real S3-compatible server (s3rver, started here on
// a free port): an upload lands in the bucket stripped under public/ with its
// original under private/, its variants follow from the job queue, pages point
// at the bucket's public address and the bytes are there, a prize entrant's
// photograph stays under private/ and reaches only the entrant through the app
// until the results are out, and a bundle export reads the files from the bucket.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { MediaVariant } from '../../../src/db/schema.js';
import { exportBundle, importBundle } from '../../../src/modules/bundle/bundle.js';
import { applyImport, ImportReport, openWordpress } from '../../../src/modules/imports/index.js';
import { S3MediaStorage } from '../../../src/modules/media/index.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, createTestDatabase, TEST_MEDIA_DIR, textOf, type TestApp } from '../../helpers.js';
import { startS3, type TestS3 } from '../../s3.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import { createPrize, drainJobs, entryForm, readerClient, setClock, type PrizeSetup } from '../competitions/prize-helpers.js';
import { postMultipart } from './multipart.js';

let s3: TestS3;
let s3Stopped = false;
let inbox: Inbox;
let t: TestApp;
let chief: Browserish;
const temporary: string[] = [];

/** A phone's JPEG: the photographer's name and GPS in its EXIF. */
async function exifJpeg(width: number, height: number, colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg({ quality: 90 })
    .withExifMerge({
      IFD0: { Artist: 'Jane Student' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3900/100' },
    })
    .toBuffer();
}

/** The object's bytes and headers, or null when the bucket has no such key. */
async function object(key: string): Promise<{ bytes: Buffer; contentType?: string; cacheControl?: string } | null> {
  try {
    const answer = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const bytes = Buffer.from(await answer.Body!.transformToByteArray());
    return { bytes, contentType: answer.ContentType, cacheControl: answer.CacheControl };
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

async function keysUnder(prefix: string, bucket = s3.bucket): Promise<string[]> {
  const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((item) => item.Key!).sort();
}

async function mediaRow(id: string) {
  return t.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function servedFiles(row: { file: string; variants: string }): string[] {
  return [row.file, ...(JSON.parse(row.variants) as MediaVariant[]).map((v) => v.file)];
}

before(async () => {
  s3 = await startS3();
  inbox = await startSmtp();
  t = await buildTestApp({ env: { ...s3.env, SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(async () => {
  await t?.close();
  await inbox?.close();
  if (!s3Stopped) await s3?.stop();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

let libraryId: string;

describe('a picture uploaded to the media library with MEDIA_STORAGE=s3', () => {
  it('is stored in the bucket: the stripped master under public/ with its type and a year’s cache, the original under private/', async () => {
    await chief.get('/newsroom/media');
    const res = await postMultipart(t.app, chief, '/newsroom/media', [
      ['picture', { filename: 'IMG_1001.jpg', contentType: 'image/jpeg', bytes: await exifJpeg(1400, 1000, { r: 200, g: 80, b: 40 }) }],
      ['alt', 'A red kite over the school field'],
      ['caption', ''],
      ['creditCreator', 'Jane Student'],
      ['creditSource', 'The Harbinger'],
    ]);
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    libraryId = new URL(res.headers.location as string, 'http://x').searchParams.get('uploaded')!;
    const row = await mediaRow(libraryId);

    const master = await object(`public/${row.file}`);
    assert.ok(master, 'the master is in the bucket under public/');
    assert.equal(master.contentType, 'image/jpeg');
    assert.equal(master.cacheControl, 'public, max-age=31536000, immutable');
    const meta = await sharp(master.bytes).metadata();
    assert.equal(meta.exif, undefined, 'the public master has no EXIF (so no GPS)');
    assert.ok(!master.bytes.includes('Jane Student'), 'nor the photographer’s name');

    const original = await object(`private/originals/${row.hash}.jpg`);
    assert.ok(original, 'the original is kept under private/');
    assert.ok((await sharp(original.bytes).metadata()).exif, 'as uploaded, EXIF and all');
    assert.deepEqual(await keysUnder(`public/${row.hash}.`), [], 'the original has no public key');
    assert.ok(!existsSync(join(TEST_MEDIA_DIR, row.file)), 'nothing went to the local media folder');
  });

  it('gets its AVIF, WebP and JPEG variants in the bucket once the job queue has run', async () => {
    await drainJobs(t);
    const row = await mediaRow(libraryId);
    const variants = JSON.parse(row.variants) as MediaVariant[];
    assert.deepEqual([...new Set(variants.map((v) => v.format))].sort(), ['avif', 'jpeg', 'webp']);
    const stored = await keysUnder(`public/${row.hash}-`);
    assert.deepEqual(
      stored,
      servedFiles(row)
        .map((file) => `public/${file}`)
        .sort(),
      'the master and every variant, under public/',
    );
    for (const v of variants) {
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `public/${v.file}` }));
      assert.equal(head.ContentLength, v.bytes, `${v.file} is the size recorded`);
      assert.equal(head.ContentType, { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' }[v.format]);
    }
  });

  it('is shown on an article page from the bucket’s public address, which serves the picture; /media answers old links with a redirect', async () => {
    const article = await t.db
      .selectFrom('articles')
      .select(['id', 'slug', 'published_at'])
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('articles').set({ hero_media_id: libraryId }).where('id', '=', article.id).execute();
    await t.app.contentVersion.bump();
    const row = await mediaRow(libraryId);

    const page = await t.app.inject({ method: 'GET', url: `/articles/${article.slug}` });
    assert.equal(page.statusCode, 200);
    const src = new RegExp(`<img src="([^"]*${row.hash}-[^"]+)"`).exec(page.body)?.[1];
    assert.ok(src, 'the hero picture is on the page');
    assert.ok(src.startsWith(`${s3.publicUrl}/${row.hash}-`), `${src} is on the bucket’s public address`);
    assert.ok(page.body.includes(`srcset="${s3.publicUrl}/${row.hash}-`), 'so are the sources of every size');
    assert.ok(!page.body.includes(`/media/${row.hash}`), 'no picture of it is named on the app');
    assert.match(page.body, new RegExp(`<meta property="og:image" content="${s3.publicUrl}/${row.hash}-[0-9]+\\.jpg"`));
    assert.ok(
      String(page.headers['content-security-policy']).includes(`img-src 'self' data: ${s3.endpoint}`),
      'the page’s CSP lets the bucket’s pictures in',
    );

    const picture = await fetch(src);
    assert.equal(picture.status, 200, 'anyone can fetch it from the bucket');
    assert.equal(picture.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await picture.arrayBuffer());
    assert.equal((await sharp(bytes).metadata()).format, 'jpeg');
    assert.deepEqual(bytes, (await object(`public/${src.slice(s3.publicUrl.length + 1)}`))!.bytes);

    const year = new Date(String(article.published_at)).getUTCFullYear();
    for (const url of ['/feed.xml', '/feed.json', `/sitemaps/articles-${year}.xml`]) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.ok(res.body.includes(`${s3.publicUrl}/${row.hash}-`), `${url} names the picture on the public address`);
      assert.ok(!res.body.includes(`harbinger.test${s3.publicUrl}`), `${url} does not put the site's origin before it`);
    }

    const old = await t.app.inject({ method: 'GET', url: `/media/${row.file}` });
    assert.equal(old.statusCode, 302);
    assert.equal(old.headers.location, `${s3.publicUrl}/${row.file}`);
    const none = await t.app.inject({ method: 'GET', url: `/media/${'0'.repeat(64)}-full.jpg` });
    assert.equal(none.statusCode, 404, 'a picture that is not in the bucket is not redirected');
  });
});

describe('a prize entrant’s photograph with MEDIA_STORAGE=s3', () => {
  let prize: PrizeSetup;
  let entrant: Browserish;
  let photoId: string;

  before(async () => {
    prize = await createPrize(t, chief, {
      name: 'The Photo Prize 2026',
      slug: 'photo-prize-2026',
      categories: [{ name: 'Picture of the Year', kind: 'photo', section: 'culture' }],
    });
    setClock(t, '2026-07-20T09:00:00Z');
    entrant = (await readerClient(t, 'jane.student@example.org', 'Jane')).client;
    await entrant.get(`/prizes/${prize.slug}/enter`);
    const fields = entryForm(prize.categories['Picture of the Year']!, {
      title: 'Rain on the bus shelter',
      essay: '',
      photoAlt: 'Rain running down a bus shelter at dusk',
      action: 'save',
    });
    const res = await postMultipart(t.app, entrant, `/prizes/${prize.slug}/enter`, [
      ...Object.entries(fields),
      ['photo', { filename: 'IMG_0042.jpg', contentType: 'image/jpeg', bytes: await exifJpeg(900, 1200, { r: 90, g: 140, b: 60 }) }],
    ]);
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    photoId = (await t.db.selectFrom('entries').select('media_id').where('title', '=', 'Rain on the bus shelter').executeTakeFirstOrThrow())
      .media_id!;
    await drainJobs(t);
  });

  it('is kept under private/ only, and served through /entry-photos to the entrant and to nobody else', async () => {
    const row = await mediaRow(photoId);
    assert.equal(row.visibility, 'private');
    assert.deepEqual(await keysUnder(`public/${row.hash}`), [], 'nothing of it under public/');
    const files = servedFiles(row);
    assert.ok(files.length > 3, 'the variants were made');
    assert.deepEqual(await keysUnder(`private/pictures/${row.hash}`), files.map((file) => `private/pictures/${file}`).sort());
    assert.ok(await object(`private/originals/${row.hash}.jpg`), 'the original too');

    const direct = await fetch(`${s3.endpoint}/${s3.bucket}/public/${row.file}`);
    assert.equal(direct.status, 404, 'the public address has no such picture');
    for (const file of files) {
      const res = await entrant.get(`/entry-photos/${file}`);
      assert.equal(res.statusCode, 200, file);
      assert.equal(res.headers['cache-control'], 'private, no-store');
      assert.deepEqual(res.rawPayload, (await object(`private/pictures/${file}`))!.bytes, `${file} is the bucket’s copy`);
      assert.equal((await sharp(res.rawPayload).metadata()).exif, undefined, `${file} has no EXIF`);
    }
    const stranger = await new Browserish(t.app).get(`/entry-photos/${row.file}`);
    assert.equal(stranger.statusCode, 404, 'a visitor learns nothing');
    const page = await entrant.get(`/prizes/${prize.slug}/enter`);
    assert.ok(page.body.includes(`/entry-photos/${row.hash}-`), 'the entrant’s form shows it from the app');
    assert.ok(!page.body.includes(`${s3.publicUrl}/${row.hash}`), 'never from the public address');
  });

  it('is copied under public/ once a published result includes it, and then served from the public address', async () => {
    const chiefId = (await t.db.selectFrom('people').select('user_id').where('slug', '=', 'aarav-kulkarni').executeTakeFirstOrThrow())
      .user_id!;
    const actor = { userId: chiefId, roles: [{ role: 'editor_in_chief' as const, sectionId: null }] };
    await entrant.get(`/prizes/${prize.slug}/enter`);
    const fields = entryForm(prize.categories['Picture of the Year']!, {
      title: 'Rain on the bus shelter',
      essay: '',
      photoAlt: 'Rain running down a bus shelter at dusk',
      action: 'submit',
    });
    const sent = await entrant.post(`/prizes/${prize.slug}/enter`, fields);
    assert.equal(sent.statusCode, 303, textOf(sent.body).slice(0, 300));
    setClock(t, '2026-08-02T09:00:00Z');
    const entryId = (await t.db.selectFrom('entries').select('id').where('media_id', '=', photoId).executeTakeFirstOrThrow()).id;
    await t.app.judging.setAward(actor, entryId, 'shortlist', '');
    setClock(t, '2026-09-16T09:00:00Z');
    await t.app.prizeResults.publish(actor, prize.id, 'shortlist');
    const row = await mediaRow(photoId);
    assert.equal(row.visibility, 'public');
    for (const file of servedFiles(row)) {
      const res = await fetch(`${s3.publicUrl}/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    }
    assert.deepEqual(await keysUnder(`public/${row.hash}.`), [], 'the original stays private');
    const old = await t.app.inject({ method: 'GET', url: `/entry-photos/${row.file}` });
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `${s3.publicUrl}/${row.file}`);
  });
});

describe('a WordPress import with MEDIA_STORAGE=s3', () => {
  it('stores the export’s pictures in the bucket through the media library: stripped under public/, originals under private/', async () => {
    const fixtures = resolve('test/fixtures/imports/wordpress');
    const file = join(fixtures, 'tidewater.xml');
    const opened = await openWordpress(file, { uploads: join(fixtures, 'uploads') });
    const report = new ImportReport({
      format: 'wordpress',
      source: `wordpress:${opened.source.siteUrl}`,
      file,
      dryRun: false,
      startedAt: new Date().toISOString(),
    });
    const before = new Set((await t.db.selectFrom('media').select('id').execute()).map((row) => row.id));
    await applyImport(opened.source, opened.items, { db: t.db, media: t.app.mediaStorage, report, batchSize: 4 });
    const imported = (await t.db.selectFrom('media').selectAll().execute()).filter((row) => !before.has(row.id));
    assert.ok(imported.length >= 2, `the export’s pictures were imported (${imported.length})`);
    for (const row of imported) {
      const master = await object(`public/${row.file}`);
      assert.ok(master, `${row.file} is in the bucket under public/`);
      assert.equal((await sharp(master.bytes).metadata()).exif, undefined, `${row.file} has no EXIF`);
      assert.equal((await keysUnder(`private/originals/${row.hash}.`)).length, 1, `the original of ${row.file} is under private/`);
    }
  });
});

describe('a bundle with MEDIA_STORAGE=s3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harbinger-s3-bundle-'));
  temporary.push(dir);
  const out = join(dir, 'bundle');

  it('holds the files read from the bucket: public pictures, private originals, each as stored', async () => {
    await exportBundle(t.db, t.app.mediaStorage, out);
    const row = await mediaRow(libraryId);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    for (const key of [...servedFiles(row).map((file) => `public/${file}`), `private/originals/${row.hash}.jpg`]) {
      const bytes = readFileSync(join(out, 'media', key));
      assert.deepEqual(bytes, (await object(key))!.bytes, `media/${key} is the bucket’s object`);
      assert.equal(manifest.files[`media/${key}`]?.sha256, createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('is imported into another bucket: every file of the bundle is stored under its key, public ones with their headers', async () => {
    await s3.client.send(new CreateBucketCommand({ Bucket: 'harbinger-moved' }));
    const storage = new S3MediaStorage({
      endpoint: s3.endpoint,
      bucket: 'harbinger-moved',
      region: s3.env.S3_REGION!,
      accessKeyId: s3.env.S3_ACCESS_KEY_ID,
      secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY,
      publicUrl: `${s3.endpoint}/harbinger-moved/public`,
      forcePathStyle: true,
    });
    const empty = await createTestDatabase();
    try {
      const report = await importBundle(empty.db, storage, out, { previewParagraphs: 3 });
      const row = await empty.db.selectFrom('media').selectAll().where('id', '=', libraryId).executeTakeFirstOrThrow();
      const moved = await keysUnder(`public/${row.hash}-`, 'harbinger-moved');
      assert.deepEqual(
        moved,
        servedFiles(row)
          .map((file) => `public/${file}`)
          .sort(),
      );
      assert.deepEqual(await keysUnder(`private/originals/${row.hash}`, 'harbinger-moved'), [`private/originals/${row.hash}.jpg`]);
      const bundled = readdirSync(join(out, 'media'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      assert.equal(report.files, bundled, 'every file of the bundle was stored');
      const picture = await fetch(`${s3.endpoint}/harbinger-moved/public/${row.file}`);
      assert.equal(picture.status, 200);
      assert.equal(picture.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(picture.headers.get('content-type'), 'image/jpeg');
    } finally {
      storage.close();
      await empty.drop();
    }
  });
});

describe('/readyz with MEDIA_STORAGE=s3', () => {
  it('reports the storage ready while the bucket answers, and not ready once it does not', async (ctx) => {
    if (!t.app.hasDecorator('readiness')) return ctx.skip('no readiness registry in this build');
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.equal(ready.json<{ checks: Record<string, string> }>().checks.storage, 'ok');
    await s3.stop();
    s3Stopped = true;
    const down = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(down.statusCode, 503);
    assert.notEqual(down.json<{ checks: Record<string, string> }>().checks.storage, 'ok');
  });
});
