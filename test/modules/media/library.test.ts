import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { MediaVariant } from '../../../src/db/schema.js';
import { newId } from '../../../src/lib/ids.js';
import { MAX_UPLOAD_BYTES, scheduleLegacyOriginals } from '../../../src/modules/media/media.service.js';
import { Browserish } from '../../browserish.js';
import { textOf } from '../../helpers.js';
import { buildLibraryTestApp, createAccount, signedIn, type LibraryTestApp } from './library-app.js';
import { postMultipart, type FilePart, type Parts } from './multipart.js';

let t: LibraryTestApp;
let staffId: string;
let staff: Browserish;
let readerId: string;

before(async () => {
  t = await buildLibraryTestApp();
  staffId = await createAccount(t, 'Marta Quiroga', 'section_editor');
  readerId = await createAccount(t, 'Robin Reader');
  staff = await signedIn(t, staffId);
});
after(() => t.close());

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A few hundred bytes of PNG whose header declares width × height pixels: a decompression bomb. */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, adaptive filtering, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function realPng(width: number, height: number, colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([
      {
        input: Buffer.from(
          `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#fff"/></svg>`,
        ),
      },
    ])
    .png()
    .toBuffer();
}

const file = (filename: string, contentType: string, bytes: Buffer): FilePart => ({ filename, contentType, bytes });

/** The upload form's parts in the order a browser sends them. */
function uploadParts(
  picture: FilePart | null,
  fields: { alt?: string; caption?: string; creditCreator?: string; creditSource?: string },
): Parts {
  return [
    ['picture', picture ?? file('', 'application/octet-stream', Buffer.alloc(0))],
    ['alt', fields.alt ?? ''],
    ['caption', fields.caption ?? ''],
    ['creditCreator', fields.creditCreator ?? ''],
    ['creditSource', fields.creditSource ?? ''],
  ];
}

async function upload(
  browser: Browserish,
  picture: FilePart | null,
  fields: Parameters<typeof uploadParts>[1],
  options: { csrf?: string | null } = {},
) {
  await browser.get('/newsroom/media');
  return postMultipart(t.app, browser, '/newsroom/media', uploadParts(picture, fields), options);
}

const mediaCount = async () => (await t.db.selectFrom('media').select('id').execute()).length;

describe('uploading to the media library', () => {
  it('stores a PNG with its alt text, caption and credit, writes AVIF, WebP and JPEG variants, and lists it', async () => {
    const png = await realPng(1200, 800, { r: 20, g: 90, b: 160 });
    const res = await upload(staff, file('harbour.png', 'image/png', png), {
      alt: 'Fishing boats moored in Valparaíso harbour at dawn',
      caption: 'The harbour before the storm, 4 March.',
      creditCreator: 'Ana Ruiz',
      creditSource: 'The Harbinger',
    });
    assert.equal(res.statusCode, 303, res.body);
    const location = res.headers.location as string;
    assert.match(location, /^\/newsroom\/media\?uploaded=[0-9a-f-]{36}$/);
    const id = new URL(location, 'http://x').searchParams.get('uploaded')!;

    const row = await t.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.alt, 'Fishing boats moored in Valparaíso harbour at dawn');
    assert.equal(row.caption, 'The harbour before the storm, 4 March.');
    assert.equal(row.credit_creator, 'Ana Ruiz');
    assert.equal(row.credit_source, 'The Harbinger');
    assert.equal(row.uploaded_by, staffId);
    assert.equal(row.mime, 'image/png');
    assert.deepEqual([row.width, row.height], [1200, 800]);
    assert.equal(row.variants, '[]', 'the variants are left to the job queue');
    assert.match(
      row.file,
      new RegExp(`^${row.hash}-full\\.png$`),
      'the served master is named by the content hash (a PNG keeps its transparency)',
    );
    assert.ok(existsSync(join(t.mediaDir, row.file)), 'the stripped master is served at once');
    assert.ok(!existsSync(join(t.mediaDir, `${row.hash}.png`)), 'the original is not in the public directory');
    assert.deepEqual(t.privateFiles(), [`originals/${row.hash}.png`], 'the original is kept privately');

    await t.runJobs();
    const done = await t.db.selectFrom('media').select('variants').where('id', '=', id).executeTakeFirstOrThrow();
    const variants = JSON.parse(done.variants) as MediaVariant[];
    assert.deepEqual([...new Set(variants.map((v) => v.format))].sort(), ['avif', 'jpeg', 'webp']);
    assert.ok(variants.some((v) => v.width === 480));
    for (const v of variants) assert.ok(existsSync(join(t.mediaDir, v.file)), v.file);

    const page = await staff.get(location);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /role="status"[^>]*>\s*<p>Picture uploaded: “Fishing boats moored in Valparaíso harbour at dawn”/);
    const text = textOf(page.body);
    for (const shown of ['The harbour before the storm, 4 March.', 'Ana Ruiz / The Harbinger', '1200 × 800 pixels'])
      assert.ok(text.includes(shown), shown);
    assert.ok(page.body.includes(`/media/${row.hash}-480.avif 480w`), 'a responsive thumbnail');

    const json = await staff.get('/newsroom/media.json');
    assert.equal(json.statusCode, 200);
    assert.match(json.headers['content-type'] as string, /application\/json/);
    assert.deepEqual(JSON.parse(json.body), [
      {
        id,
        alt: 'Fishing boats moored in Valparaíso harbour at dawn',
        caption: 'The harbour before the storm, 4 March.',
        creditCreator: 'Ana Ruiz',
        creditSource: 'The Harbinger',
        width: 1200,
        height: 800,
        thumb: `/media/${row.hash}-480.jpg`,
      },
    ]);
    const thumb = await staff.get(`/media/${row.hash}-480.jpg`);
    assert.equal(thumb.statusCode, 200);
    assert.equal(thumb.headers['content-type'], 'image/jpeg');

    const again = await upload(staff, file('copy.png', 'image/png', png), { alt: 'Another description' });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/newsroom/media?uploaded=${id}&already=1`, 'the same bytes are stored once and reused');
    assert.match((await staff.follow(again)).body, /already in the library/);
  });

  it('accepts a picture larger than the 1 MB limit on ordinary forms', async () => {
    const noise = await sharp(randomBytes(900 * 700 * 3), { raw: { width: 900, height: 700, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    assert.ok(noise.length > 1024 * 1024, `${noise.length} bytes`);
    const res = await upload(staff, file('noise.png', 'image/png', noise), { alt: 'Coloured static, like an untuned television' });
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    const row = await t.db
      .selectFrom('media')
      .select(['bytes', 'width'])
      .where('alt', '=', 'Coloured static, like an untuned television')
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { bytes: noise.length, width: 900 });
  });

  it('decides the type by the content: HTML named .jpg is refused and nothing is stored', async () => {
    const before = { rows: await mediaCount(), files: t.mediaFiles() };
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const res = await upload(staff, file('holiday.jpg', 'image/jpeg', html), { alt: 'A beach' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That file is not a picture we can read\. Upload a JPEG, PNG, WebP or AVIF image\./);
    assert.match(res.body, /role="alert"/);
    assert.match(res.body, /<textarea[^>]*name="alt"[^>]*>A beach<\/textarea>/, 'the typed alt text is kept');
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.equal(await mediaCount(), before.rows);
    assert.deepEqual(t.mediaFiles(), before.files);
  });

  it('refuses a PNG declaring 30,000 × 30,000 pixels from its header, without decoding it', async () => {
    const bomb = pngDeclaring(30_000, 30_000);
    assert.ok(bomb.length < 1000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 30_000, 30_000], 'a well-formed header');
    const before = { rows: await mediaCount(), files: t.mediaFiles() };
    const res = await upload(staff, file('bomb.png', 'image/png', bomb), { alt: 'Nothing to see' });
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /The picture is 30000 × 30000 pixels; the most we accept is 50 megapixels\./);
    assert.equal(await mediaCount(), before.rows);
    // Nothing was written: not the original, not a single variant (decoding comes only after the checks).
    assert.deepEqual(t.mediaFiles(), before.files);
  });

  it('refuses a PNG whose header is valid but whose pixels do not decode, leaving no file and no row', async () => {
    const broken = pngDeclaring(400, 300);
    const meta = await sharp(broken, { limitInputPixels: false }).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 400, 300], 'the header reads as a picture');
    const before = { rows: await mediaCount(), files: t.mediaFiles(), private: t.privateFiles() };
    const res = await upload(staff, file('broken.png', 'image/png', broken), { alt: 'A picture cut off in transfer' });
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /That picture could not be read: the file may be damaged or cut off\./);
    assert.match(res.body, />A picture cut off in transfer<\/textarea>/, 'the typed alt text is kept');
    assert.equal(await mediaCount(), before.rows);
    assert.deepEqual(t.mediaFiles(), before.files, 'nothing in the public directory');
    assert.deepEqual(t.privateFiles(), before.private, 'and no original kept');
    const hash = createHash('sha256').update(broken).digest('hex');
    assert.equal((await t.app.inject({ method: 'GET', url: `/media/${hash}.png` })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/media/${hash}-full.png` })).statusCode, 404);
  });

  it('shows a new picture from its stripped master until the job queue has made the variants, and serves it to any origin', async () => {
    const png = await sharp({ create: { width: 1000, height: 500, channels: 3, background: { r: 250, g: 200, b: 0 } } })
      .png()
      .toBuffer();
    const res = await upload(staff, file('yellow.png', 'image/png', png), { alt: 'A yellow field under a white sky' });
    assert.equal(res.statusCode, 303);
    const row = await t.db.selectFrom('media').selectAll().where('alt', '=', 'A yellow field under a white sky').executeTakeFirstOrThrow();
    assert.equal(row.file, `${row.hash}-full.jpg`, 'an opaque picture is served as JPEG');
    const jobs = await t.db.selectFrom('jobs').select(['kind', 'status']).where('unique_key', '=', `media_variants:${row.id}`).execute();
    assert.deepEqual(jobs, [{ kind: 'media_variants', status: 'pending' }], 'its variants wait in the job queue');
    const page = await staff.get('/newsroom/media?q=yellow');
    assert.match(page.body, new RegExp(`<img src="/media/${row.hash}-full\\.jpg"`), 'the master stands in');
    const master = await t.app.inject({ method: 'GET', url: `/media/${row.file}` });
    assert.equal(master.statusCode, 200);
    assert.equal(master.headers['cross-origin-resource-policy'], 'cross-origin', 'webmail may show it');
    assert.equal(master.headers['cache-control'], 'public, max-age=31536000, immutable');

    await t.runJobs();
    const after = await t.db.selectFrom('media').select('variants').where('id', '=', row.id).executeTakeFirstOrThrow();
    const variants = JSON.parse(after.variants) as MediaVariant[];
    assert.deepEqual(variants.map((v) => `${v.format} ${v.width}`).sort(), [
      'avif 1000',
      'avif 480',
      'avif 960',
      'jpeg 1000',
      'jpeg 480',
      'jpeg 960',
      'webp 1000',
      'webp 480',
      'webp 960',
    ]);
    const later = await staff.get('/newsroom/media?q=yellow');
    assert.ok(later.body.includes(`/media/${row.hash}-480.avif 480w`), 'then the responsive variants');
    const variant = await t.app.inject({ method: 'GET', url: `/media/${row.hash}-480.webp` });
    assert.equal(variant.statusCode, 200);
    assert.equal(variant.headers['cross-origin-resource-policy'], 'cross-origin');
  });

  it('moves an original stored before masters existed out of the public directory, leaving a stripped master', async () => {
    const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 5, g: 60, b: 90 } } })
      .jpeg()
      .withExifMerge({ IFD0: { Artist: 'Jane Student', ImageDescription: 'Hill School' } })
      .toBuffer();
    const hash = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(t.mediaDir, `${hash}.jpg`), bytes);
    const id = newId();
    await t.db
      .insertInto('media')
      .values({
        id,
        hash,
        mime: 'image/jpeg',
        bytes: bytes.length,
        width: 800,
        height: 600,
        file: `${hash}.jpg`,
        alt: 'An old upload',
        caption: '',
        credit_creator: '',
        credit_source: '',
        variants: '[]',
        uploaded_by: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    assert.equal(await scheduleLegacyOriginals(t.db), true);
    await t.runJobs();
    const row = await t.db.selectFrom('media').select('file').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.file, `${hash}-full.jpg`);
    assert.ok(!t.mediaFiles().includes(`${hash}.jpg`), 'the original left the public directory');
    assert.ok(t.privateFiles().includes(`originals/${hash}.jpg`), 'and is kept privately');
    const master = await t.app.inject({ method: 'GET', url: `/media/${row.file}` });
    assert.equal(master.statusCode, 200);
    assert.ok(!master.rawPayload.includes('Jane Student') && !master.rawPayload.includes('Hill School'));
    assert.equal(await scheduleLegacyOriginals(t.db), false, 'nothing left to move');
  });

  it('requires alt text, and keeps what was typed', async () => {
    const png = await realPng(300, 200, { r: 200, g: 30, b: 30 });
    const before = await mediaCount();
    const res = await upload(staff, file('red.png', 'image/png', png), {
      alt: '   ',
      caption: 'Red & bold <b>caption</b>',
      creditCreator: 'Kai',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Describe the picture in its alt text/);
    assert.ok(
      res.body.includes(
        'name="caption" rows="3" maxlength="2000" aria-describedby="field-caption-hint">Red &amp; bold &lt;b>caption&lt;/b></textarea>',
      ),
      'the typed caption is kept, escaped',
    );
    assert.match(res.body, /name="creditCreator"[^>]*value="Kai"/);
    assert.match(res.body, /id="field-alt"[^>]*aria-invalid="true"/);
    assert.match(res.body, /Choose the file again/);
    assert.equal(await mediaCount(), before);
  });

  it('requires a file', async () => {
    const res = await upload(staff, null, { alt: 'A picture I forgot' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Choose a picture to upload/);
    assert.match(res.body, />A picture I forgot<\/textarea>/);
  });

  it(`refuses a file over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB with 413, keeping the typed fields`, async () => {
    const before = { rows: await mediaCount(), files: t.mediaFiles() };
    const big = Buffer.concat([await realPng(10, 10, { r: 0, g: 0, b: 0 }), Buffer.alloc(MAX_UPLOAD_BYTES)]);
    const res = await upload(staff, file('huge.png', 'image/png', big), { alt: 'A huge picture', caption: 'Kept caption' });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /The picture is larger than 20 MB/);
    assert.match(res.body, />Kept caption<\/textarea>/);
    assert.equal(await mediaCount(), before.rows);
    assert.deepEqual(t.mediaFiles(), before.files);
  });

  it('accepts one file at a time', async () => {
    const png = await realPng(20, 20, { r: 0, g: 200, b: 0 });
    await staff.get('/newsroom/media');
    const res = await postMultipart(t.app, staff, '/newsroom/media', [
      ['picture', file('a.png', 'image/png', png)],
      ['picture', file('b.png', 'image/png', png)],
      ['alt', 'Two pictures'],
    ]);
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /Upload one picture at a time/);
  });
});

describe('who may use the media library', () => {
  it('refuses an upload without its CSRF token with 403, storing nothing', async () => {
    const png = await realPng(64, 64, { r: 1, g: 2, b: 3 });
    const before = { rows: await mediaCount(), files: t.mediaFiles() };
    const missing = await upload(staff, file('x.png', 'image/png', png), { alt: 'No token' }, { csrf: null });
    assert.equal(missing.statusCode, 403);
    const forged = await upload(staff, file('x.png', 'image/png', png), { alt: 'Forged token' }, { csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
    assert.equal(await mediaCount(), before.rows);
    assert.deepEqual(t.mediaFiles(), before.files);
  });

  it('refuses readers with 403', async () => {
    const reader = await signedIn(t, readerId);
    const page = await reader.get('/newsroom/media');
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /reader account/);
    const png = await realPng(64, 64, { r: 4, g: 5, b: 6 });
    const before = await mediaCount();
    const post = await postMultipart(t.app, reader, '/newsroom/media', uploadParts(file('x.png', 'image/png', png), { alt: 'Sneaky' }));
    assert.equal(post.statusCode, 403);
    assert.equal(await mediaCount(), before);
    const json = await reader.get('/newsroom/media.json', { accept: 'application/json' });
    assert.equal(json.statusCode, 403);
    assert.match(json.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal((JSON.parse(json.body) as { status: number }).status, 403);
  });

  it('sends visitors to sign in, and answers scripts 401', async () => {
    const visitor = new Browserish(t.app);
    const page = await visitor.get('/newsroom/media?q=boats');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, `/account/sign-in?next=${encodeURIComponent('/newsroom/media?q=boats')}`);
    const post = await postMultipart(t.app, visitor, '/newsroom/media', uploadParts(null, { alt: 'x' }), { csrf: null });
    assert.equal(post.statusCode, 303);
    assert.equal(post.headers.location, `/account/sign-in?next=${encodeURIComponent('/newsroom/media')}`);
    const json = await visitor.get('/newsroom/media.json', { accept: 'application/json' });
    assert.equal(json.statusCode, 401);
    assert.match(json.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal((JSON.parse(json.body) as { code: string }).code, 'sign_in_required');
  });
});

describe('browsing the media library', () => {
  it('searches alt text and captions without regard to case, a page at a time', async () => {
    const now = Date.now();
    const rows = Array.from({ length: 27 }, (_, i) => ({
      id: `0190a0a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
      hash: `filler-${i}`,
      mime: 'image/png',
      bytes: 1,
      width: 10,
      height: 10,
      file: `filler-${i}.png`,
      alt: i % 2 ? `Choir rehearsal number ${i}` : `A tree, picture ${i}`,
      caption: i % 2 ? '' : `Planted by the CHOIR, ${i}`,
      credit_creator: '',
      credit_source: '',
      variants: '[]',
      created_at: new Date(now - i * 60_000).toISOString(),
    }));
    await t.db.insertInto('media').values(rows).execute();

    const first = await staff.get('/newsroom/media?q=choir');
    assert.equal(first.statusCode, 200);
    assert.match(textOf(first.body), /27 pictures found for “choir”/);
    assert.equal((first.body.match(/<li class="media-item">/g) ?? []).length, 24);
    assert.ok(first.body.includes('Choir rehearsal number 1<'), 'newest first');
    assert.ok(first.body.includes('href="/newsroom/media?q=choir&page=2" rel="next"'), 'the next page keeps the search');
    const second = await staff.get('/newsroom/media?q=choir&page=2');
    assert.equal((second.body.match(/<li class="media-item">/g) ?? []).length, 3);
    assert.ok(second.body.includes('A tree, picture 26<'));
    assert.equal((await staff.get('/newsroom/media?q=choir&page=3')).statusCode, 404);
    assert.equal((await staff.get('/newsroom/media?page=zero')).statusCode, 400);

    const json = await staff.get('/newsroom/media.json?q=REHEARSAL&page=1');
    const list = JSON.parse(json.body) as { alt: string }[];
    assert.equal(list.length, 13);
    assert.ok(list.every((p) => p.alt.startsWith('Choir rehearsal')));
    assert.equal(json.headers['x-total-count'], '13');

    for (const wildcard of ['%', '_']) {
      const literal = await staff.get(`/newsroom/media?q=${encodeURIComponent(wildcard)}`);
      assert.ok(literal.body.includes(`No picture has “${wildcard}” in its alt text or caption`), `${wildcard} is matched literally`);
    }
  });

  it('shows an empty state', async () => {
    const res = await staff.get('/newsroom/media?q=zebra');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /class="empty"/);
    assert.match(res.body, /No picture has “zebra”/);
    assert.match(res.body, /enctype="multipart\/form-data"/);
    assert.match(res.body, /<input type="hidden" name="_csrf" value="[^"]+"/);
    assert.match(res.body, /accept="image\/jpeg,image\/png,image\/webp,image\/avif"/);
    assert.doesNotMatch(res.body, /action="[^"]*_csrf/, 'the token is never in the address');
  });
});
