import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import type { Browserish } from '../../browserish.js';
import { postMultipart } from '../media/multipart.js';
import {
  createPrize,
  DEADLINE_UTC,
  drainJobs,
  entryForm,
  OPEN_TIME,
  postEntry,
  readerClient,
  setClock,
  type PrizeSetup,
} from './prize-helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish;
let prize: PrizeSetup;

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
  prize = await createPrize(t, chief, {
    name: 'The Test Prize 2026',
    slug: 'test-prize-2026',
    categories: [
      { name: 'Society', kind: 'essay', wordLimit: 50, section: 'society' },
      { name: 'Picture of the Year', kind: 'photo' },
      { name: 'Video Essay', kind: 'video' },
    ],
  });
  setClock(t, OPEN_TIME);
});
after(async () => {
  await t.close();
  await inbox.close();
});

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i + 1}`).join(' ');

describe('setting up a prize', () => {
  it('stores times typed in Europe/London during summer time in UTC, and shows them in the zone', async () => {
    const row = await t.db.selectFrom('competitions').selectAll().where('id', '=', prize.id).executeTakeFirstOrThrow();
    assert.equal(row.deadline_at, DEADLINE_UTC);
    assert.equal(row.opens_at, '2026-06-01T08:00:00.000Z');
    assert.equal(row.time_zone, 'Europe/London');
    const setup = await chief.get(`/newsroom/prizes/${prize.id}`);
    assert.match(setup.body, /name="deadlineAt" type="datetime-local" value="2026-08-01T12:00"/);
  });

  it('refuses an unknown zone and a deadline before the opening, keeping what was typed', async () => {
    await chief.get('/newsroom/prizes');
    const res = await chief.post('/newsroom/prizes', {
      name: 'Broken Prize',
      year: '2026',
      slug: 'broken',
      timeZone: 'Europe/Lundon',
      opensAt: '2026-06-01T09:00',
      deadlineAt: '2026-08-01T12:00',
      announceAt: '2026-09-15T18:00',
      minAge: '13',
      maxAge: '19',
      schoolYearQuestion: 'Year?',
      entriesPerPerson: '1',
      shortlistSize: '5',
      language: 'English',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That is not a time zone we know/);
    assert.match(res.body, /value="Broken Prize"/);
  });

  it('is for the editor-in-chief, mentors and admins, not for writers or readers', async () => {
    const writer = await staffClient(t, 'amara-nwosu');
    assert.equal((await writer.get('/newsroom/prizes')).statusCode, 403);
    const { client } = await readerClient(t, 'curious.reader@example.org', 'Curious Reader');
    assert.equal((await client.get(`/newsroom/prizes/${prize.id}`)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/newsroom/prizes' })).statusCode, 303);
  });
});

describe('the prize page', () => {
  it('shows the categories, the rules, the deadline in the official zone and the state, and works without a script', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}` });
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Open for entries/);
    assert.match(text, /Deadline Saturday 1 August 2026, 12:00 BST \(official time: Europe\/London; that is 11:00 UTC\)/);
    assert.match(text, /Entries close in 17 days/);
    assert.match(text, /Society Essay, up to 50 words A prompt for Society\./);
    assert.match(text, /Picture of the Year Photograph/);
    assert.match(res.body, /<h2>How it works<\/h2><ul><li><p>Write<\/p><\/li>/);
    assert.match(res.body, /data-local-time="2026-08-01T11:00:00.000Z"/, 'the visitor’s own zone is filled in by the script');
    assert.match(res.body, /<script src="\/prize-assets\/prize\.[0-9a-f]{12}\.js" defer><\/script>/);
    const script = /src="(\/prize-assets\/[^"]+)"/.exec(res.body)![1]!;
    const js = await t.app.inject({ method: 'GET', url: script });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['cache-control'] as string, /immutable/);
  });

  it('says when entries open before the window, and that they are closed after it', async () => {
    setClock(t, '2026-05-20T12:00:00Z');
    assert.match(
      textOf((await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}` })).body),
      /Not open yet.*Entries open in 11 days/,
    );
    setClock(t, '2026-08-01T11:00:01Z');
    assert.match(
      textOf((await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}` })).body),
      /Closed: the jury is at work.*Entries are closed/,
    );
    setClock(t, OPEN_TIME);
  });
});

describe('entering', () => {
  it('asks a signed-out visitor to create an account, coming back to the form', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}/enter` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Create an account to enter/);
    assert.match(res.body, /<form method="post" action="\/account\/sign-up"/);
    assert.match(res.body, /name="next" value="\/prizes\/test-prize-2026\/enter"/);
    assert.doesNotMatch(res.body, /name="essay"/);
  });

  it('keeps a private draft until submission', async () => {
    const { client } = await readerClient(t, 'drafter@example.org', 'Drafter');
    const saved = await postEntry(
      client,
      prize.slug,
      entryForm(prize.categories.Society!, { title: 'Half-written', essay: 'A first line.' }),
      'save',
    );
    assert.equal(saved.statusCode, 303);
    const back = await client.follow(saved);
    assert.match(back.body, /Your draft is saved/);
    assert.match(back.body, /value="Half-written"/);
    assert.match(back.body, />A first line\.<\/textarea>/);
    assert.match(textOf(back.body), /3 of 50 words/);
    const other = (await readerClient(t, 'nosy@example.org', 'Nosy')).client;
    assert.doesNotMatch((await other.get(`/prizes/${prize.slug}/enter`)).body, /Half-written/);
    // Saving as one types, from the script: JSON in, JSON out.
    await client.get(`/prizes/${prize.slug}/enter`);
    const auto = await client.post(
      `/prizes/${prize.slug}/enter`,
      { ...entryForm(prize.categories.Society!, { title: 'Nearly there' }), action: 'save' },
      { headers: { accept: 'application/json' } },
    );
    assert.equal(auto.statusCode, 200);
    assert.ok((JSON.parse(auto.body) as { savedAt?: string }).savedAt);
    const draft = await t.db
      .selectFrom('entries')
      .select(['status', 'title', 'reference'])
      .where('title', '=', 'Nearly there')
      .executeTakeFirstOrThrow();
    assert.deepEqual(draft, { status: 'draft', title: 'Nearly there', reference: null });
    // The account's data export carries the draft, private facts included: they are the reader's own.
    const exported = JSON.parse((await client.get('/account/export.json')).body) as {
      prizeEntries: { title: string; birthDate: string; status: string }[];
    };
    assert.deepEqual(
      exported.prizeEntries.map((e) => [e.title, e.birthDate, e.status]),
      [['Nearly there', '2009-03-14', 'draft']],
    );
  });

  it('refuses an essay over the word limit with the count, keeping the typed text in the form', async () => {
    const { client } = await readerClient(t, 'wordy@example.org', 'Wordy');
    const essay = `${words(60)}\n\nAnd <b>the end</b> & more.`;
    const res = await postEntry(client, prize.slug, entryForm(prize.categories.Society!, { essay }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Your essay has 65 words; the limit for this category is 50\. Cut at least 15 words and submit again\./);
    assert.ok(
      res.body.includes(`${words(60)}\n\nAnd &lt;b>the end&lt;/b> &amp; more.</textarea>`),
      'the typed text is back in the textarea, escaped',
    );
    assert.match(textOf(res.body), /65 words: 15 over the limit of 50/);
    assert.match(res.body, /value="The rule that should change"/);
    const row = await t.db
      .selectFrom('entries')
      .select(['status', 'word_count'])
      .where('title', '=', 'The rule that should change')
      .where('word_count', '=', 65)
      .executeTakeFirst();
    assert.deepEqual(row, { status: 'draft', word_count: 65 }, 'and saved as a draft');
  });

  it('refuses an entrant too old on the deadline date, saying why', async () => {
    const { client } = await readerClient(t, 'too.old@example.org', 'Too Old');
    // Twenty on 1 August 2026, though still nineteen on the day of entering.
    const res = await postEntry(client, prize.slug, entryForm(prize.categories.Society!, { birthDate: '2006-08-01' }));
    assert.equal(res.statusCode, 422);
    assert.match(
      res.body,
      /This prize is for entrants aged 13 to 19 on the deadline date, 1 August 2026\. With the date of birth you gave, you will be 20 on that day, so you cannot enter this year\./,
    );
    const ok = await postEntry(client, prize.slug, entryForm(prize.categories.Society!, { birthDate: '2006-08-02' }));
    assert.equal(ok.statusCode, 303, 'nineteen on the deadline date is in');
  });

  it('names every missing field and declaration', async () => {
    const { client } = await readerClient(t, 'hasty@example.org', 'Hasty');
    const res = await postEntry(client, prize.slug, { categoryId: prize.categories.Society!, title: '', essay: 'Short.' });
    assert.equal(res.statusCode, 422);
    const text = textOf(res.body);
    for (const message of [
      'Give your entry a title.',
      'Enter your date of birth.',
      'Enter the name of your school.',
      'tick the box to confirm this is your own work',
      'full-time pre-university education',
    ]) {
      assert.ok(text.includes(message), `says “${message}”`);
    }
  });

  it('accepts a submission one second before the deadline (Europe/London, summer time) and refuses one a second after', async () => {
    const early = await readerClient(t, 'just.in.time@example.org', 'Just In Time');
    const late = await readerClient(t, 'one.second.late@example.org', 'One Second Late');
    await early.client.get(`/prizes/${prize.slug}/enter`);
    await late.client.get(`/prizes/${prize.slug}/enter`);

    setClock(t, '2026-08-01T10:59:59.000Z');
    const accepted = await early.client.post(`/prizes/${prize.slug}/enter`, {
      ...entryForm(prize.categories.Society!, { title: 'In the nick of time' }),
      action: 'submit',
    });
    assert.equal(accepted.statusCode, 303);
    const location = accepted.headers.location as string;
    const reference = /\/entries\/([A-Z0-9-]+)\?new=1$/.exec(location)![1]!;
    assert.match(reference, /^TP26-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const stored = await t.db
      .selectFrom('entries')
      .select(['status', 'submitted_at', 'reference'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { status: 'submitted', submitted_at: '2026-08-01T10:59:59.000Z', reference });

    setClock(t, '2026-08-01T11:00:01.000Z');
    const essay = 'Late, but every word of it kept.';
    const refused = await late.client.post(`/prizes/${prize.slug}/enter`, {
      ...entryForm(prize.categories.Society!, { title: 'Too late', essay }),
      action: 'submit',
    });
    assert.equal(refused.statusCode, 403);
    assert.match(
      refused.body,
      /Entries closed at the deadline, Saturday 1 August 2026, 12:00 BST\. Submissions after it cannot be accepted\./,
    );
    assert.ok(refused.body.includes(`${essay}</textarea>`), 'the typed text is kept for copying');
    const closed = await late.client.get(`/prizes/${prize.slug}/enter`);
    assert.match(textOf(closed.body), /Entries are closed.*the form is closed/);
    assert.doesNotMatch(closed.body, /name="action" value="submit"/);
    const lateRow = await t.db.selectFrom('entries').select('status').where('title', '=', 'Too late').executeTakeFirstOrThrow();
    assert.equal(lateRow.status, 'draft');

    // The confirmation page and the receipt, through the job queue and SMTP.
    setClock(t, OPEN_TIME);
    const confirmation = await early.client.get(location.replace(/^https?:\/\/[^/]+/, ''));
    assert.equal(confirmation.statusCode, 200);
    assert.match(textOf(confirmation.body), new RegExp(`Thank you: your entry is in Your entry reference is ${reference}`));
    await drainJobs(t);
    const receipt = await inbox.waitFor('just.in.time@example.org', /Your entry to The Test Prize 2026/);
    assert.match(receipt.subject ?? '', new RegExp(reference));
    assert.match(receipt.text ?? '', /Received: Saturday 1 August 2026, 11:59 BST/);
    assert.match(receipt.text ?? '', /Category: Society/);
    assert.equal((await late.client.get(location.replace(/^https?:\/\/[^/]+/, ''))).statusCode, 404, 'nobody else sees the confirmation');
  });

  it('refuses a second entry with a clear message', async () => {
    const { client } = await readerClient(t, 'twice@example.org', 'Twice');
    assert.equal((await postEntry(client, prize.slug, entryForm(prize.categories.Society!, { title: 'First go' }))).statusCode, 303);
    const again = await postEntry(client, prize.slug, entryForm(prize.categories.Society!, { title: 'Second go' }));
    assert.equal(again.statusCode, 409);
    assert.match(
      textOf(again.body),
      /You have already entered The Test Prize 2026 \(reference TP26-[A-Z0-9-]+\)\. The rules allow one entry per person, and entries cannot be changed or replaced\./,
    );
    const page = await client.get(`/prizes/${prize.slug}/enter`);
    assert.match(textOf(page.body), /You have entered.*First go/);
    assert.doesNotMatch(page.body, /name="essay"/);
    const rows = await t.db
      .selectFrom('entries')
      .innerJoin('users', 'users.id', 'entries.user_id')
      .select('entries.status')
      .where('users.email', '=', 'twice@example.org')
      .execute();
    assert.deepEqual(rows, [{ status: 'submitted' }]);
  });

  it('takes a photograph through the media pipeline, and a video as a link', async () => {
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 60, b: 40 } } })
      .png()
      .toBuffer();
    const { client } = await readerClient(t, 'photographer@example.org', 'Photographer');
    await client.get(`/prizes/${prize.slug}/enter`);
    const fields = entryForm(prize.categories['Picture of the Year']!, {
      title: 'Red wall',
      essay: '',
      photoAlt: 'A red wall in the evening sun',
      action: 'submit',
    });
    const res = await postMultipart(t.app, client, `/prizes/${prize.slug}/enter`, [
      ...Object.entries(fields),
      ['photo', { filename: 'wall.png', contentType: 'image/png', bytes: photo }],
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const entry = await t.db.selectFrom('entries').select(['media_id', 'status']).where('title', '=', 'Red wall').executeTakeFirstOrThrow();
    assert.equal(entry.status, 'submitted');
    const media = await t.db.selectFrom('media').select(['alt', 'variants']).where('id', '=', entry.media_id!).executeTakeFirstOrThrow();
    assert.equal(media.alt, 'A red wall in the evening sun');
    while ((await t.app.worker.runOnce()) > 0);
    const made = await t.db.selectFrom('media').select('variants').where('id', '=', entry.media_id!).executeTakeFirstOrThrow();
    assert.ok((JSON.parse(made.variants) as unknown[]).length > 0, 'the job queue made the variants');

    const notAPicture = await readerClient(t, 'not.a.picture@example.org', 'Not a Picture');
    await notAPicture.client.get(`/prizes/${prize.slug}/enter`);
    const bad = await postMultipart(t.app, notAPicture.client, `/prizes/${prize.slug}/enter`, [
      ...Object.entries(entryForm(prize.categories['Picture of the Year']!, { title: 'Fake', photoAlt: 'x', action: 'submit' })),
      ['photo', { filename: 'x.png', contentType: 'image/png', bytes: Buffer.from('not a picture at all') }],
    ]);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /not a picture we can read/);

    const video = await readerClient(t, 'filmmaker@example.org', 'Film Maker');
    const refused = await postEntry(
      video.client,
      prize.slug,
      entryForm(prize.categories['Video Essay']!, { title: 'Shoreline', essay: '', videoUrl: 'https://example.org/film.mp4' }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Share your video on YouTube or Vimeo/);
    const accepted = await postEntry(
      video.client,
      prize.slug,
      entryForm(prize.categories['Video Essay']!, { title: 'Shoreline', essay: '', videoUrl: 'https://vimeo.com/123456' }),
    );
    assert.equal(accepted.statusCode, 303);
  });

  it('enforces the deadline in the service itself, with its clock', async () => {
    const userId = await t.app.accounts.createVerifiedUser('service.entrant@example.org', 'Service Entrant');
    const form = {
      categoryId: prize.categories.Society!,
      title: 'Direct',
      essay: 'Straight to the service.',
      videoUrl: '',
      photoAlt: '',
      entrantName: 'S E',
      school: 'S',
      country: 'Malta',
      schoolYear: 'Year 12',
      birthDate: '2010-01-01',
      birthParts: { day: '1', month: '1', year: '2010' },
      consentSchool: false,
      declarations: { fullTime: true, ownWork: true, english: true, rules: true },
    };
    t.app.prizes.setClock(() => new Date('2026-08-01T11:00:01Z'));
    await assert.rejects(t.app.prizes.submit(userId, prize.slug, form), (e: Error & { code?: string }) => e.code === 'entries_closed');
    t.app.prizes.setClock(() => new Date('2026-08-01T10:59:59Z'));
    assert.match((await t.app.prizes.submit(userId, prize.slug, form)).reference, /^TP26-/);
    setClock(t, OPEN_TIME);
  });
});
