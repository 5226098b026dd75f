// A prize entrant's photograph: what it carries (names, a school, GPS) never
// leaves the server, its original has no address, only the entrant, the jury
// (through signed addresses that expire) and the organisers see it until the
// results that include it are out, it never shows in the staff media library,
// readers' uploads are bounded, and a replaced draft photograph leaves no files.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { getSetting } from '../../../src/db/settings.js';
import type { MediaVariant } from '../../../src/db/schema.js';
import { newId } from '../../../src/lib/ids.js';
import { PictureSigner } from '../../../src/modules/media/index.js';
import { READER_UPLOADS_PER_HOUR } from '../../../src/modules/media/media.service.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import { postMultipart } from '../media/multipart.js';
import { createPrize, drainJobs, entryForm, readerClient, setClock, type PrizeSetup } from './prize-helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish;
let prize: PrizeSetup;
let entrant: Browserish;
let entryId: string;
let mediaId: string;

const PRIVATE_STRINGS = ['Jane Student', 'Hill School'];

/** A JPEG as a phone writes it: the photographer's name, the school, GPS, a rotation flag and a colour profile. */
async function exifJpeg(width: number, height: number, colour = { r: 90, g: 140, b: 60 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg({ quality: 90 })
    .withIccProfile('p3')
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Artist: 'Jane Student', ImageDescription: 'Hill School' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3900/100' },
    })
    .toBuffer();
}

async function postPhoto(
  client: Browserish,
  photo: Buffer,
  overrides: Record<string, string> = {},
  action: 'save' | 'submit' = 'save',
): Promise<LightMyRequestResponse> {
  await client.get(`/prizes/${prize.slug}/enter`);
  const fields = entryForm(prize.categories['Picture of the Year']!, {
    title: 'Rain on the bus shelter',
    essay: '',
    photoAlt: 'Rain running down a bus shelter at dusk',
    action,
    ...overrides,
  });
  return postMultipart(t.app, client, `/prizes/${prize.slug}/enter`, [
    ...Object.entries(fields),
    ['photo', { filename: 'IMG_0042.jpg', contentType: 'image/jpeg', bytes: photo }],
  ]);
}

async function mediaRow(id: string) {
  return t.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function servedFiles(row: { file: string; variants: string }): string[] {
  return [row.file, ...(JSON.parse(row.variants) as MediaVariant[]).map((v) => v.file)];
}

function privateDir(...parts: string[]): string {
  return join(t.dataDir, 'private-media', ...parts);
}

async function assertStripped(bytes: Buffer, where: string): Promise<void> {
  for (const secret of PRIVATE_STRINGS) assert.ok(!bytes.includes(secret), `${where} does not carry “${secret}”`);
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.exif, undefined, `${where} has no EXIF (so no GPS)`);
  assert.equal(meta.xmp, undefined, `${where} has no XMP`);
  assert.ok(meta.icc, `${where} keeps its colour profile`);
}

/** A signed-in account with a current contributor role: staff, but not a prize organiser. */
async function contributorClient(): Promise<Browserish> {
  const userId = await t.app.accounts.createVerifiedUser('new.contributor@example.org', 'Nia Contributor');
  const now = new Date().toISOString();
  const personId = newId();
  await t.db
    .insertInto('people')
    .values({
      id: personId,
      slug: 'nia-contributor',
      name: 'Nia Contributor',
      photo_media_id: null,
      birth_date: null,
      birthplace: null,
      show_birthplace: 0,
      locations: '[]',
      languages: '[]',
      bio_json: '{"type":"doc","content":[]}',
      bio_html: '',
      user_id: userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.db
    .insertInto('role_assignments')
    .values({
      id: newId(),
      person_id: personId,
      role: 'contributor',
      section_id: null,
      newsroom_id: null,
      starts_on: '2025-01-01',
      ends_on: null,
      created_at: now,
    })
    .execute();
  return (await readerClient(t, 'new.contributor@example.org', 'Nia Contributor')).client;
}

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
  prize = await createPrize(t, chief, {
    name: 'The Photo Prize 2026',
    slug: 'photo-prize-2026',
    shortlistSize: 3,
    categories: [{ name: 'Picture of the Year', kind: 'photo', section: 'culture' }],
  });
  await chief.get(`/newsroom/prizes/${prize.id}`);
  const juror = await chief.post(`/newsroom/prizes/${prize.id}/jurors`, {
    name: 'Pat Lens',
    email: 'pat.lens@press.example',
    categoryId: prize.categories['Picture of the Year']!,
    role: 'chair',
  });
  assert.equal(juror.statusCode, 303, juror.body.slice(0, 300));
  setClock(t, '2026-07-20T09:00:00Z');
  entrant = (await readerClient(t, 'jane.student@example.org', 'Jane')).client;
  const res = await postPhoto(entrant, await exifJpeg(1200, 900));
  assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
  const entry = await t.db
    .selectFrom('entries')
    .select(['id', 'media_id'])
    .where('title', '=', 'Rain on the bus shelter')
    .executeTakeFirstOrThrow();
  entryId = entry.id;
  mediaId = entry.media_id!;
  await drainJobs(t);
});
after(async () => {
  await t.close();
  await inbox.close();
});

describe('what an entrant’s photograph carries', () => {
  it('is stripped from every served file, orientation applied and colour profile kept; the original is kept privately and has no address', async () => {
    const row = await mediaRow(mediaId);
    assert.equal(row.purpose, 'prize_entry');
    assert.equal(row.visibility, 'private');
    assert.deepEqual([row.width, row.height], [900, 1200], 'the rotation flag was applied to the pixels');
    const files = servedFiles(row);
    assert.ok(files.length > 3, 'the variants were made by the job queue');
    for (const file of files) {
      const res = await entrant.get(`/entry-photos/${file}`);
      assert.equal(res.statusCode, 200, file);
      await assertStripped(res.rawPayload, file);
      assert.ok(!existsSync(join(t.app.config.mediaDir, file)), `${file} is not in the public directory`);
    }
    const original = privateDir('originals', `${row.hash}.jpg`);
    assert.ok(existsSync(original), 'the original is kept in the private directory');
    for (const url of [
      `/media/${row.hash}.jpg`,
      `/media/${row.hash}-full.jpg`,
      `/media/${files[1]}`,
      `/entry-photos/${row.hash}.jpg`,
      `/media/originals/${row.hash}.jpg`,
      `/entry-photos/..%2Foriginals%2F${row.hash}.jpg`,
    ]) {
      assert.equal((await entrant.get(url)).statusCode, 404, url);
      assert.equal((await chief.get(url)).statusCode, 404, url);
    }
  });

  it('is stripped from a library picture too, whose original has no address', async () => {
    await chief.get('/newsroom/media');
    const res = await postMultipart(t.app, chief, '/newsroom/media', [
      ['picture', { filename: 'school-trip.jpg', contentType: 'image/jpeg', bytes: await exifJpeg(1000, 700, { r: 10, g: 30, b: 200 }) }],
      ['alt', 'Students on a school trip'],
      ['caption', ''],
      ['creditCreator', ''],
      ['creditSource', ''],
    ]);
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    const id = new URL(res.headers.location as string, 'http://x').searchParams.get('uploaded')!;
    await drainJobs(t);
    const row = await mediaRow(id);
    assert.equal(row.purpose, 'library');
    for (const file of servedFiles(row)) {
      const served = await t.app.inject({ method: 'GET', url: `/media/${file}` });
      assert.equal(served.statusCode, 200, file);
      await assertStripped(served.rawPayload, file);
    }
    assert.equal((await t.app.inject({ method: 'GET', url: `/media/${row.hash}.jpg` })).statusCode, 404, 'the original has no address');
    assert.ok(!existsSync(join(t.app.config.mediaDir, `${row.hash}.jpg`)), 'the original is not in the public directory');
  });
});

describe('who sees an entrant’s photograph before the results', () => {
  it('answers 404 to visitors, other readers and contributors, and serves the entrant and the organisers privately', async () => {
    const row = await mediaRow(mediaId);
    const url = `/entry-photos/${row.file}`;
    const anonymous = new Browserish(t.app);
    assert.equal((await anonymous.get(url)).statusCode, 404);
    const other = (await readerClient(t, 'someone.else@example.org', 'Someone')).client;
    assert.equal((await other.get(url)).statusCode, 404);
    const contributor = await contributorClient();
    assert.equal((await contributor.get(url)).statusCode, 404);

    for (const client of [entrant, chief]) {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/jpeg');
      assert.equal(res.headers['cache-control'], 'private, no-store');
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin');
    }
    const form = await entrant.get(`/prizes/${prize.slug}/enter`);
    assert.ok(form.body.includes(`/entry-photos/${row.hash}-`), 'the entrant’s form shows the draft’s photograph');
  });

  it('shows the jury the photograph through signed addresses that expire', async () => {
    await entrant.get(`/prizes/${prize.slug}/enter`);
    const fields = entryForm(prize.categories['Picture of the Year']!, {
      title: 'Rain on the bus shelter',
      essay: '',
      photoAlt: 'Rain running down a bus shelter at dusk',
      action: 'submit',
    });
    const sent = await entrant.post(`/prizes/${prize.slug}/enter`, fields);
    assert.equal(sent.statusCode, 303, textOf(sent.body).slice(0, 300));
    await drainJobs(t);
    setClock(t, '2026-08-02T09:00:00Z');

    const juror = (await readerClient(t, 'pat.lens@press.example', 'Pat')).client;
    const page = await juror.get(`/judging/entries/${entryId}`);
    assert.equal(page.statusCode, 200, textOf(page.body).slice(0, 300));
    const row = await mediaRow(mediaId);
    const signed = new RegExp(
      `/entry-photos/(${row.hash}-[0-9a-z]+\\.(?:jpg|png|webp|avif))\\?expires=([0-9]+)(?:&amp;|&)sig=([A-Za-z0-9_-]+)`,
    ).exec(page.body);
    assert.ok(signed, 'the juror’s page links the photograph with a signature');
    const [, file = '', expires = '', sig = ''] = signed;
    assert.ok(Number(expires) <= Date.now() + 60 * 60 * 1000 + 1000, 'the address expires within the hour');
    assert.ok(!page.body.includes(`/media/${row.hash}`), 'no public address is given');

    const stranger = new Browserish(t.app);
    const shown = await stranger.get(`/entry-photos/${file}?expires=${expires}&sig=${sig}`);
    assert.equal(shown.statusCode, 200, 'the signed address works without a session (as an <img> would load it)');
    assert.equal(shown.headers['cache-control'], 'private, no-store');
    assert.equal(
      (await stranger.get(`/entry-photos/${file}?expires=${Number(expires) + 1}&sig=${sig}`)).statusCode,
      404,
      'a changed expiry breaks the signature',
    );
    assert.equal(
      (await stranger.get(`/entry-photos/${row.file === file ? servedFiles(row)[1] : row.file}?expires=${expires}&sig=${sig}`)).statusCode,
      404,
      'a signature is for one file',
    );

    const signer = new PictureSigner((await getSetting(t.db, 'secret_key'))!);
    const past = Date.now() - 1000;
    assert.equal(
      (await stranger.get(`/entry-photos/${file}?expires=${past}&sig=${signer.sign(file, past)}`)).statusCode,
      404,
      'an expired address is refused',
    );

    const api = await juror.get(`/api/judging/entries/${entryId}`);
    const photo = (JSON.parse(api.body) as { entry: { photo: { url: string } } }).entry.photo;
    assert.match(photo.url, new RegExp(`^/entry-photos/${row.hash}-[0-9a-z]+\\.jpg\\?expires=[0-9]+&sig=`));
    assert.equal((await stranger.get(photo.url)).statusCode, 200);
  });

  it('becomes public, answering cross-origin, once a published result includes it', async () => {
    const chiefId = (await t.db.selectFrom('people').select('user_id').where('slug', '=', 'aarav-kulkarni').executeTakeFirstOrThrow())
      .user_id!;
    const chief = { userId: chiefId, roles: [{ role: 'editor_in_chief' as const, sectionId: null }] };
    await t.app.judging.setAward(chief, entryId, 'shortlist', '');
    setClock(t, '2026-09-16T09:00:00Z');
    const row = await mediaRow(mediaId);
    assert.equal((await t.app.inject({ method: 'GET', url: `/media/${row.file}` })).statusCode, 404, 'not before the results');
    await t.app.prizeResults.publish(chief, prize.id, 'shortlist');
    assert.equal((await mediaRow(mediaId)).visibility, 'public');
    for (const file of servedFiles(row)) {
      const res = await t.app.inject({ method: 'GET', url: `/media/${file}` });
      assert.equal(res.statusCode, 200, file);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      await assertStripped(res.rawPayload, file);
    }
    assert.equal((await t.app.inject({ method: 'GET', url: `/media/${row.hash}.jpg` })).statusCode, 404, 'the original stays private');
    const old = await t.app.inject({ method: 'GET', url: `/entry-photos/${row.file}` });
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `/media/${row.file}`);
  });
});

describe('the staff media library', () => {
  it('never lists an entrant’s photograph, even to the organisers', async () => {
    const row = await mediaRow(mediaId);
    const contributor = await readerClient(t, 'new.contributor@example.org', 'Nia Contributor');
    for (const client of [contributor.client, chief]) {
      const json = await client.get('/newsroom/media.json?q=bus');
      assert.equal(json.statusCode, 200);
      assert.deepEqual(JSON.parse(json.body), []);
      const page = await client.get('/newsroom/media?q=bus');
      assert.ok(!page.body.includes(row.hash), 'no file of it on the page');
      assert.ok(!page.body.includes('Rain running down a bus shelter'), 'nor its description');
      const all = await client.get('/newsroom/media.json');
      assert.ok(!(JSON.parse(all.body) as { id: string }[]).some((p) => p.id === mediaId));
    }
  });
});

describe('what a reader may upload', () => {
  let reader: Browserish;
  before(async () => {
    setClock(t, '2026-07-20T09:00:00Z');
    reader = (await readerClient(t, 'second.entrant@example.org', 'Second')).client;
  });

  const mediaCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('media')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a picture of more megapixels than readers may send, with a clear message, storing nothing', async () => {
    const big = await sharp({ create: { width: 6000, height: 4200, channels: 3, background: { r: 250, g: 250, b: 250 } } })
      .jpeg({ quality: 40 })
      .toBuffer();
    const before = await mediaCount();
    const res = await postPhoto(reader, big);
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /The picture is 6000 × 4200 pixels; the most we accept is 24 megapixels\./);
    assert.equal(await mediaCount(), before);
  });

  it('replacing a draft’s photograph deletes the old files; uploads are limited per account and hour', async () => {
    const first = await postPhoto(reader, await exifJpeg(640, 480, { r: 200, g: 10, b: 10 }), { title: 'Second entry' });
    assert.equal(first.statusCode, 303, textOf(first.body).slice(0, 300));
    await drainJobs(t);
    const draft = async () =>
      (await t.db.selectFrom('entries').select('media_id').where('title', '=', 'Second entry').executeTakeFirstOrThrow()).media_id!;
    const oldId = await draft();
    const old = await mediaRow(oldId);
    const oldFiles = servedFiles(old).map((f) => privateDir('pictures', f));
    assert.ok(oldFiles.every((f) => existsSync(f)));

    const second = await postPhoto(reader, await exifJpeg(640, 480, { r: 10, g: 200, b: 10 }), { title: 'Second entry' });
    assert.equal(second.statusCode, 303, textOf(second.body).slice(0, 300));
    await drainJobs(t);
    assert.notEqual(await draft(), oldId);
    for (const f of oldFiles) assert.ok(!existsSync(f), `${f} was deleted`);
    assert.ok(!existsSync(privateDir('originals', `${old.hash}.jpg`)), 'its original too');
    const removed = await mediaRow(oldId);
    assert.ok(removed.removed_at, 'the old picture is marked removed');
    assert.equal(removed.alt, '');
    assert.equal((await reader.get(`/entry-photos/${old.file}`)).statusCode, 404);
    assert.ok((await reader.get(`/entry-photos/${(await mediaRow(await draft())).file}`)).statusCode === 200);

    // Two uploads so far this hour; the rest of the allowance, then one too many.
    for (let i = 2; i < READER_UPLOADS_PER_HOUR; i++) {
      const res = await postPhoto(
        reader,
        await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: i, g: 0, b: 0 } } })
          .jpeg()
          .toBuffer(),
        { title: 'Second entry' },
      );
      assert.equal(res.statusCode, 303, `upload ${i + 1}`);
    }
    const before = await mediaCount();
    const refused = await postPhoto(
      reader,
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 0, g: 0, b: 99 } } })
        .jpeg()
        .toBuffer(),
      { title: 'Second entry, renamed' },
    );
    assert.equal(refused.statusCode, 422);
    assert.match(
      textOf(refused.body),
      new RegExp(`You have uploaded ${READER_UPLOADS_PER_HOUR} photographs in the last hour, the most we accept\\.`),
    );
    assert.equal(await mediaCount(), before, 'nothing stored');
    assert.ok(
      (await t.db.selectFrom('entries').select('id').where('title', '=', 'Second entry, renamed').executeTakeFirst()) !== undefined,
      'the typed text is kept',
    );
    await drainJobs(t);
    const live = await t.db
      .selectFrom('media')
      .select('id')
      .where('uploaded_by', '=', (await t.app.accounts.findUserIdByEmail('second.entrant@example.org'))!)
      .where('removed_at', 'is', null)
      .execute();
    assert.equal(live.length, 1, 'only the draft’s current photograph keeps files');
    assert.equal(readdirSync(privateDir('pictures')).filter((f) => f.endsWith('.tmp')).length, 0, 'no temporary files left');
  });
});

describe('an entrant who deletes the account', () => {
  it('takes the photographs along: their files and the original are deleted, the row keeps nothing', async () => {
    const { client } = await readerClient(t, 'leaving.entrant@example.org', 'Lee');
    const res = await postPhoto(client, await exifJpeg(640, 480, { r: 5, g: 5, b: 200 }), { title: 'Leaving soon' });
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    await drainJobs(t);
    const id = (await t.db.selectFrom('entries').select('media_id').where('title', '=', 'Leaving soon').executeTakeFirstOrThrow())
      .media_id!;
    const row = await mediaRow(id);
    const files = [...servedFiles(row).map((f) => privateDir('pictures', f)), privateDir('originals', `${row.hash}.jpg`)];
    assert.ok(
      files.every((f) => existsSync(f)),
      'the photograph has its files before',
    );

    await client.get('/account/delete');
    const deleted = await client.post('/account/delete', { confirm: 'DELETE' });
    assert.equal(deleted.statusCode, 200, textOf(deleted.body).slice(0, 300));
    assert.match(deleted.body, /Your account is deleted/);
    for (const f of files) assert.ok(!existsSync(f), `${f} was deleted`);
    const after = await mediaRow(id);
    assert.ok(after.removed_at, 'the picture is marked removed');
    assert.equal(after.alt, '');
  });
});
