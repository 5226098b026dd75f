import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import { createPrize, drainJobs, entryForm, postEntry, readerClient, setClock, type PrizeSetup } from './prize-helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish;
let prize: PrizeSetup;
let chair: Browserish; // Hazel, an outside journalist, chairs Society
let member: Browserish; // Ravi, a member of the Society jury
let cultureJuror: Browserish; // Clara, on the Culture jury only
const entries: Record<'a' | 'b' | 'c' | 'culture', string> = { a: '', b: '', c: '', culture: '' };

/** The entrants' private facts: none may reach a juror. */
const ENTRANTS = {
  a: {
    email: 'zephyrine.q@example.org',
    entrantName: 'Zephyrine Quillfeather',
    school: 'Marlowe Grange Academy',
    country: 'Liechtenstein',
    birthDate: '2009-03-14',
    consentSchool: '1',
    title: 'Lanterns on the ring road',
    category: 'Society',
  },
  b: {
    email: 'bart.os@example.org',
    entrantName: 'Bartholomew Okonkwo-Sterling',
    school: 'Fennimore High',
    country: 'Uruguay',
    birthDate: '2010-11-02',
    consentSchool: '',
    title: 'The bus that never came',
    category: 'Society',
  },
  c: {
    email: 'third.entrant@example.org',
    entrantName: 'Persephone Ashgrove',
    school: 'Lindqvist Gymnasium',
    country: 'Estonia',
    birthDate: '2011-05-05',
    consentSchool: '',
    title: 'Quiet hours',
    category: 'Society',
  },
  culture: {
    email: 'ov@example.org',
    entrantName: 'Ottoline Vasquez-Harrow',
    school: 'Kestrel Bay College',
    country: 'Iceland',
    birthDate: '2008-09-30',
    consentSchool: '1',
    title: 'An album nobody heard',
    category: 'Culture',
  },
} as const;
const SECRETS = Object.values(ENTRANTS).flatMap((e) => [e.email, e.entrantName, e.school, e.country, e.birthDate]);

function assertBlind(res: LightMyRequestResponse, where: string): void {
  const bytes = res.rawPayload.toString('utf8');
  for (const secret of [...SECRETS, '14 March 2009', '2 November 2010']) {
    assert.ok(!bytes.includes(secret), `${where} does not contain “${secret}”`);
    assert.ok(!bytes.includes(JSON.stringify(secret).slice(1, -1)), `${where} does not contain “${secret}” as JSON`);
  }
}

async function signInFromInvitation(email: string): Promise<Browserish> {
  const message = await inbox.waitFor(email, /You are on the jury of The Judge Prize 2026/);
  const link = inbox.linkIn(message, 'http://harbinger.test/account/link?token=');
  const client = new Browserish(t.app);
  const token = new URL(link).searchParams.get('token')!;
  assert.equal((await client.get(`/account/link?token=${token}`)).statusCode, 200);
  const signedIn = await client.post('/account/link', { token });
  assert.equal(signedIn.headers.location, '/judging');
  return client;
}

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
  prize = await createPrize(t, chief, {
    name: 'The Judge Prize 2026',
    slug: 'judge-prize-2026',
    shortlistSize: 2,
    categories: [
      { name: 'Society', kind: 'essay', wordLimit: 200, section: 'society' },
      { name: 'Culture', kind: 'essay', wordLimit: 200, section: 'culture' },
    ],
  });
  setClock(t, '2026-07-20T09:00:00Z');
  for (const [key, e] of Object.entries(ENTRANTS) as [keyof typeof ENTRANTS, (typeof ENTRANTS)[keyof typeof ENTRANTS]][]) {
    const { client } = await readerClient(t, e.email, e.entrantName.split(' ')[0]!);
    const res = await postEntry(
      client,
      prize.slug,
      entryForm(prize.categories[e.category]!, {
        title: e.title,
        entrantName: e.entrantName,
        school: e.school,
        country: e.country,
        birthDate: e.birthDate,
        consentSchool: e.consentSchool,
        essay: `The essay called ${e.title}.\n\nIt has two paragraphs.`,
      }),
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    entries[key] = (await t.db.selectFrom('entries').select('id').where('title', '=', e.title).executeTakeFirstOrThrow()).id;
  }
  for (const [name, email, category, role] of [
    ['Hazel Outside', 'hazel.juror@press.example', 'Society', 'chair'],
    ['Ravi Member', 'ravi.juror@press.example', 'Society', 'member'],
    ['Clara Culture', 'clara.juror@press.example', 'Culture', 'chair'],
  ] as const) {
    await chief.get(`/newsroom/prizes/${prize.id}`);
    const res = await chief.post(`/newsroom/prizes/${prize.id}/jurors`, { name, email, categoryId: prize.categories[category]!, role });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  }
  await drainJobs(t);
  chair = await signInFromInvitation('hazel.juror@press.example');
  member = await signInFromInvitation('ravi.juror@press.example');
  cultureJuror = await signInFromInvitation('clara.juror@press.example');
  setClock(t, '2026-08-10T09:00:00Z');
});
after(async () => {
  await t.close();
  await inbox.close();
});

const society = () => prize.categories.Society!;

describe('juries', () => {
  it('seat outside people with an account that judges this prize and nothing else', async () => {
    const home = await chair.get('/judging');
    assert.equal(home.statusCode, 200);
    assert.match(textOf(home.body), /The Judge Prize 2026: Society Essay · you chair this jury/);
    assert.doesNotMatch(textOf(home.body), /The Judge Prize 2026: Culture/);
    assert.equal((await chair.get('/newsroom')).statusCode, 403, 'a juror is not newsroom staff');
    assert.equal((await chair.get(`/newsroom/prizes/${prize.id}`)).statusCode, 403);
    const setup = await chief.get(`/newsroom/prizes/${prize.id}`);
    assert.match(textOf(setup.body), /Hazel Outside Chair · hazel\.juror@press\.example/);
  });

  it('answers 404 to a criterion for a prize that does not exist, and stores nothing', async () => {
    const before = (await t.db.selectFrom('rubric_criteria').select('id').execute()).length;
    await chief.get(`/newsroom/prizes/${prize.id}`);
    const res = await chief.post('/newsroom/prizes/00000000-0000-7000-8000-000000000000/criteria', {
      name: 'Voice',
      description: '',
      scaleMin: '1',
      scaleMax: '10',
    });
    assert.equal(res.statusCode, 404);
    assert.equal((await t.db.selectFrom('rubric_criteria').select('id').execute()).length, before);
  });
});

describe('blind review', () => {
  it('never sends a juror an entrant’s name, email, school, country or date of birth, in pages or API answers', async () => {
    const seen: [LightMyRequestResponse, string][] = [];
    const json = { accept: 'application/json' };
    for (const [client, label] of [
      [chair, 'chair'],
      [member, 'member'],
    ] as const) {
      seen.push([await client.get('/judging'), `${label} /judging`]);
      seen.push([await client.get(`/judging/categories/${society()}`), `${label} category page`]);
      seen.push([await client.get('/api/judging', json), `${label} API seats`]);
      seen.push([await client.get(`/api/judging/categories/${society()}`, json), `${label} API category`]);
      for (const key of ['a', 'b', 'c'] as const) {
        const page = await client.get(`/judging/entries/${entries[key]}`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, new RegExp(ENTRANTS[key].title));
        seen.push([page, `${label} entry ${key}`]);
        const api = await client.get(`/api/judging/entries/${entries[key]}`, json);
        assert.equal(api.statusCode, 200);
        assert.equal((JSON.parse(api.body) as { entry: { title: string } }).entry.title, ENTRANTS[key].title);
        seen.push([api, `${label} API entry ${key}`]);
      }
    }
    const criteria = await t.db
      .selectFrom('rubric_criteria')
      .select('id')
      .where('competition_id', '=', prize.id)
      .orderBy('position')
      .execute();
    await chair.get(`/judging/entries/${entries.a}`);
    seen.push([
      await chair.post(`/judging/entries/${entries.a}/scores`, {
        [`score-${criteria[0]!.id}`]: '11',
        [`comment-${criteria[0]!.id}`]: 'Too generous',
      }),
      'refused score form',
    ]);
    for (const [res, where] of seen) assertBlind(res, where);
    assert.equal(seen.at(-1)![0].statusCode, 422);
    assert.match(seen.at(-1)![0].body, /Score “Argument” with a whole number from 1 to 10\./);
    // The score field points screen readers at its message.
    const id = `field-score-${criteria[0]!.id}`;
    assert.match(seen.at(-1)![0].body, new RegExp(`<input id="${id}"[^>]*aria-invalid="true" aria-describedby="${id}-error"`));
    assert.match(seen.at(-1)![0].body, new RegExp(`<p class="field__error" id="${id}-error">Score “Argument”`));
  });

  it('refuses a juror of one category the entries of another (403), in pages and in the API', async () => {
    const before = await t.db.selectFrom('scores').select('id').execute();
    const page = await cultureJuror.get(`/judging/entries/${entries.a}`);
    assert.equal(page.statusCode, 403);
    assertBlind(page, 'refusal page');
    assert.equal((await cultureJuror.get(`/judging/categories/${society()}`)).statusCode, 403);
    const api = await cultureJuror.get(`/api/judging/entries/${entries.a}`, { accept: 'application/json' });
    assert.equal(api.statusCode, 403);
    assert.equal((JSON.parse(api.body) as { code: string }).code, 'not_a_juror');
    assert.equal((await cultureJuror.get(`/api/judging/categories/${society()}`, { accept: 'application/json' })).statusCode, 403);
    const criteria = await t.db.selectFrom('rubric_criteria').select('id').where('competition_id', '=', prize.id).execute();
    await cultureJuror.get(`/judging/entries/${entries.culture}`);
    const score = await cultureJuror.post(`/judging/entries/${entries.a}/scores`, { [`score-${criteria[0]!.id}`]: '9' });
    assert.equal(score.statusCode, 403);
    const apiScore = await cultureJuror.post(
      `/api/judging/entries/${entries.a}/scores`,
      {},
      { headers: { 'x-csrf-token': cultureJuror.csrf } },
    );
    assert.equal(apiScore.statusCode, 403);
    assert.deepEqual(await t.db.selectFrom('scores').select('id').execute(), before, 'nothing was scored');
    // Their own category works.
    assert.equal((await cultureJuror.get(`/judging/entries/${entries.culture}`)).statusCode, 200);
    // A reader with no seat, and a visitor.
    const { client } = await readerClient(t, 'just.a.reader@example.org', 'Reader');
    assert.equal((await client.get(`/judging/entries/${entries.a}`)).statusCode, 403);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/judging/entries/${entries.a}`, headers: { accept: 'application/json' } })).statusCode,
      401,
    );
  });
});

async function score(client: Browserish, entryId: string, values: number[]): Promise<void> {
  const criteria = await t.db
    .selectFrom('rubric_criteria')
    .select(['id'])
    .where('competition_id', '=', prize.id)
    .orderBy('position')
    .execute();
  await client.get(`/judging/entries/${entryId}`);
  const form: Record<string, string> = {};
  criteria.forEach((c, i) => {
    form[`score-${c.id}`] = String(values[i]);
    form[`comment-${c.id}`] = `Comment ${i + 1}`;
  });
  const res = await client.post(`/judging/entries/${entryId}/scores`, form);
  assert.equal(res.statusCode, 303, res.body.slice(0, 400));
}

describe('scoring and ranking', () => {
  it('ranks by mean score with the spread, and shows each juror’s progress to the chair', async () => {
    await score(chair, entries.a, [8, 9]);
    await score(chair, entries.b, [5, 6]);
    await score(member, entries.a, [7, 7]);
    await score(member, entries.b, [6, 6]);
    // Scoring through the API, as a script would.
    const criteria = await t.db
      .selectFrom('rubric_criteria')
      .select('id')
      .where('competition_id', '=', prize.id)
      .orderBy('position')
      .execute();
    await chair.get(`/judging/entries/${entries.c}`);
    const api = await chair.post(`/api/judging/entries/${entries.c}/scores`, {}, { headers: { 'x-csrf-token': chair.csrf } });
    assert.equal(api.statusCode, 200);
    const apiJson = await t.app.inject({
      method: 'POST',
      url: `/api/judging/entries/${entries.c}/scores`,
      remoteAddress: chair.remoteAddress,
      headers: {
        cookie: [...chair.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': chair.csrf,
      },
      payload: JSON.stringify({ scores: criteria.map((c) => ({ criterionId: c.id, score: 4, comment: 'Thin' })) }),
    });
    assert.equal(apiJson.statusCode, 200, apiJson.body);
    assert.equal((JSON.parse(apiJson.body) as { scores: unknown[] }).scores.length, 2);

    const board = await chair.get(`/judging/categories/${society()}`);
    const ranking = textOf(board.body.slice(board.body.indexOf('ranking-heading'), board.body.indexOf('progress-heading')));
    assert.match(ranking, /1 Lanterns on the ring road JP26-[A-Z0-9-]+ 7\.75 1\.50 2 of 2/);
    assert.match(ranking, /2 The bus that never came JP26-[A-Z0-9-]+ 5\.75 0\.50 2 of 2/);
    assert.match(ranking, /3 Quiet hours JP26-[A-Z0-9-]+ 4\.00 0\.00 1 of 1/);
    const progress = textOf(board.body.slice(board.body.indexOf('progress-heading')));
    assert.match(progress, /Hazel Outside Chair 3 of 3/);
    assert.match(progress, /Ravi Member Member 2 of 3/);
    const memberBoard = await member.get(`/judging/categories/${society()}`);
    assert.doesNotMatch(memberBoard.body, /ranking-heading/, 'members do not see the ranking');
  });

  it('takes a juror who declares a conflict off the entry', async () => {
    await member.get(`/judging/entries/${entries.b}`);
    const res = await member.post(`/judging/entries/${entries.b}/conflict`, { reason: 'I think this is my cousin' });
    assert.equal(res.statusCode, 303);
    const board = await member.follow(res);
    assert.match(board.body, /Conflict declared/);
    assert.doesNotMatch(board.body, /The bus that never came/);
    assert.equal((await member.get(`/judging/entries/${entries.b}`)).statusCode, 403);
    const ravi = await t.db
      .selectFrom('jurors')
      .innerJoin('users', 'users.id', 'jurors.user_id')
      .select('jurors.id')
      .where('users.email', '=', 'ravi.juror@press.example')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      await t.db.selectFrom('scores').select('id').where('juror_id', '=', ravi.id).where('entry_id', '=', entries.b).execute(),
      [],
    );
    const chairBoard = await chair.get(`/judging/categories/${society()}`);
    assert.match(textOf(chairBoard.body), /The bus that never came JP26-[A-Z0-9-]+ 5\.50 0\.00 1 of 1/);
    assert.match(textOf(chairBoard.body), /Ravi Member Member 1 of 2/);
  });
});

describe('awards', () => {
  async function award(client: Browserish, entryId: string, kind: string, note = ''): Promise<LightMyRequestResponse> {
    await client.get(`/judging/categories/${society()}`);
    return client.post(`/judging/categories/${society()}/awards`, { entryId, kind, note });
  }

  it('lets the chair shortlist up to the limit and give the places; members cannot', async () => {
    assert.equal((await award(member, entries.a, 'shortlist')).statusCode, 403);
    assert.equal((await award(chair, entries.a, 'first')).statusCode, 422, 'places go to shortlisted entries');
    assert.equal((await award(chair, entries.a, 'shortlist')).statusCode, 303);
    assert.equal((await award(chair, entries.b, 'shortlist', 'Angry and funny.')).statusCode, 303);
    const full = await award(chair, entries.c, 'shortlist');
    assert.equal(full.statusCode, 422);
    assert.match(full.body, /The shortlist already holds 2 entries/);
    assert.equal((await award(chair, entries.a, 'first', 'A luminous, precise essay.')).statusCode, 303);
    assert.equal((await award(chair, entries.b, 'second')).statusCode, 303);
    assert.equal((await award(chair, entries.a, 'overall')).statusCode, 403, 'the overall winner is the organisers’ choice');
    await chief.get(`/newsroom/prizes/${prize.id}/results`);
    assert.equal(
      (await chief.post(`/newsroom/prizes/${prize.id}/awards`, { entryId: entries.a, kind: 'overall', note: '' })).statusCode,
      303,
    );
    // Another category's chair cannot touch Society.
    await cultureJuror.get(`/judging/categories/${prize.categories.Culture}`);
    assert.equal(
      (
        await cultureJuror.post(`/judging/categories/${prize.categories.Culture}/awards`, {
          entryId: entries.c,
          kind: 'shortlist',
          note: '',
        })
      ).statusCode,
      403,
    );
  });
});

describe('for the organisers', () => {
  it('exports entries and scores as CSV, and counts entries per category, country and age', async () => {
    const csv = await chief.get(`/newsroom/prizes/${prize.id}/export.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^"reference","category","title"/);
    const a = lines.find((l) => l.includes('Lanterns on the ring road'))!;
    assert.match(
      a,
      /"Zephyrine Quillfeather","zephyrine\.q@example\.org","2009-03-14","17","Liechtenstein","Marlowe Grange Academy","Year 11","yes","","7\.75","1\.5","2","Shortlisted; Winner; Overall winner"/,
    );
    const scores = await chief.get(`/newsroom/prizes/${prize.id}/scores.csv`);
    assert.match(scores.body, /"Hazel Outside","Argument","8","Comment 1"/);
    const stats = await chief.get(`/newsroom/prizes/${prize.id}/stats`);
    const text = textOf(stats.body);
    assert.match(text, /4 submitted entries/);
    assert.match(text, /Per category Category Entries Society 3 Culture 1/);
    assert.match(text, /Iceland 1/);
    assert.match(text, /Per age on the deadline date Age Entries 15 2 17 2/);
    assert.equal((await chair.get(`/newsroom/prizes/${prize.id}/export.csv`)).statusCode, 403);
  });
});

describe('results', () => {
  it('stay private until the announcement date, then the shortlist and winners are public and entrants are emailed once', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}/winners` })).statusCode, 404);
    await chief.get(`/newsroom/prizes/${prize.id}/results`);
    const early = await chief.post(`/newsroom/prizes/${prize.id}/publish`, { what: 'shortlist' });
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /Results can be published from the announcement date, Tuesday 15 September 2026, 18:00 BST/);

    setClock(t, '2026-09-16T08:00:00Z');
    await chief.get(`/newsroom/prizes/${prize.id}/results`);
    assert.equal((await chief.post(`/newsroom/prizes/${prize.id}/publish`, { what: 'shortlist' })).statusCode, 303);
    const shortlist = await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}/shortlist` });
    assert.equal(shortlist.statusCode, 200);
    const listed = textOf(shortlist.body);
    assert.match(listed, /Zephyrine Quillfeather ?, 17, Liechtenstein, Marlowe Grange Academy Lanterns on the ring road/);
    assert.match(listed, /Bartholomew Okonkwo-Sterling ?, 15, Uruguay The bus that never came/);
    assert.ok(!shortlist.body.includes('Fennimore High'), 'no school without consent');
    assert.ok(!shortlist.body.includes('2009-03-14'), 'no birth date');
    assert.ok(!listed.includes('Persephone'), 'only the shortlist');
    assert.match(textOf((await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}` })).body), /Shortlist announced.*The shortlist/);

    await chief.get(`/newsroom/prizes/${prize.id}/results`);
    assert.equal((await chief.post(`/newsroom/prizes/${prize.id}/publish`, { what: 'winners' })).statusCode, 303);
    await chief.get(`/newsroom/prizes/${prize.id}/results`);
    assert.equal(
      (await chief.post(`/newsroom/prizes/${prize.id}/publish`, { what: 'winners' })).statusCode,
      303,
      'publishing twice is harmless',
    );
    const winners = textOf((await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}/winners` })).body);
    assert.match(
      winners,
      /Overall winner Zephyrine Quillfeather ?, 17, Liechtenstein, Marlowe Grange Academy Lanterns on the ring road \(Society\)/,
    );
    assert.match(
      winners,
      /Society Winner Zephyrine Quillfeather.*The jury: A luminous, precise essay\. Second place Bartholomew Okonkwo-Sterling ?, 15, Uruguay The bus that never came The jury: Angry and funny\./,
    );
    assert.match(textOf((await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}` })).body), /Winners announced.*The winners/);

    await drainJobs(t);
    const mail = await inbox.waitFor('zephyrine.q@example.org', /The results of The Judge Prize 2026 are out/);
    assert.match(mail.text ?? '', /it is the overall winner of the prize, and the winner in Society/);
    const thanks = await inbox.waitFor('third.entrant@example.org', /The results of The Judge Prize 2026 are out/);
    assert.match(thanks.text ?? '', /not among the shortlisted entries/);
    const count = inbox.messages.filter((m) => /results of The Judge Prize/.test(m.subject ?? '')).length;
    assert.equal(count, 4, 'one email per entrant');
    // Results are final now.
    await chair.get(`/judging/categories/${society()}`);
    assert.equal(
      (await chair.post(`/judging/categories/${society()}/awards`, { entryId: entries.b, kind: 'first', note: '' })).statusCode,
      409,
    );
  });

  it('offers a winner a place, and makes the profile (birth date private), a contributor role from that day and a draft article when they accept', async () => {
    await chief.get(`/newsroom/prizes/${prize.id}/results`);
    const notWinner = await chief.post(`/newsroom/prizes/${prize.id}/entries/${entries.b}/offer`, {});
    assert.equal(notWinner.statusCode, 422);
    const res = await chief.post(`/newsroom/prizes/${prize.id}/entries/${entries.a}/offer`, {});
    assert.equal(res.statusCode, 303);

    const offered = await t.db
      .selectFrom('entries')
      .select(['person_id', 'article_id', 'offered_at', 'user_id', 'reference'])
      .where('id', '=', entries.a)
      .executeTakeFirstOrThrow();
    assert.equal(offered.offered_at, '2026-09-16T08:00:00.000Z');
    assert.equal(offered.person_id, null, 'nothing is made before the winner accepts');
    assert.equal((await chief.post(`/newsroom/prizes/${prize.id}/entries/${entries.a}/offer`, {})).statusCode, 409);

    await drainJobs(t);
    const mail = await inbox.waitFor('zephyrine.q@example.org', /Join the magazine/);
    const link = inbox.linkIn(mail, `http://harbinger.test/prizes/${prize.slug}/entries/`);
    const { client: winner } = await readerClient(t, 'zephyrine.q@example.org', 'Zephyrine');
    const path = new URL(link).pathname;
    await winner.get(path);
    assert.equal((await winner.post(path, {})).statusCode, 303);

    const entry = await t.db
      .selectFrom('entries')
      .select(['person_id', 'article_id', 'offered_at', 'user_id'])
      .where('id', '=', entries.a)
      .executeTakeFirstOrThrow();
    const person = await t.db.selectFrom('people').selectAll().where('id', '=', entry.person_id!).executeTakeFirstOrThrow();
    assert.equal(person.name, 'Zephyrine Quillfeather');
    assert.equal(person.birth_date, '2009-03-14');
    assert.equal(person.user_id, entry.user_id);
    assert.deepEqual(JSON.parse(person.locations), ['Liechtenstein']);
    const roles = await t.db
      .selectFrom('role_assignments')
      .select(['role', 'starts_on', 'ends_on'])
      .where('person_id', '=', person.id)
      .execute();
    assert.deepEqual(roles, [{ role: 'contributor', starts_on: '2026-09-16', ends_on: null }]);
    const article = await t.db.selectFrom('articles').selectAll().where('id', '=', entry.article_id!).executeTakeFirstOrThrow();
    assert.equal(article.status, 'draft');
    assert.equal(article.title, 'Lanterns on the ring road');
    assert.equal(article.byline_phrase, 'is the winner of The Judge Prize 2026: Society');
    assert.match(article.body_html, /<p>The essay called Lanterns on the ring road\.<\/p><p>It has two paragraphs\.<\/p>/);
    const section = await t.db.selectFrom('sections').select('slug').where('id', '=', article.section_id).executeTakeFirstOrThrow();
    assert.equal(section.slug, 'society');
    const authors = await t.db
      .selectFrom('article_authors')
      .select(['person_id', 'age_at_publication'])
      .where('article_id', '=', article.id)
      .execute();
    assert.deepEqual(authors, [{ person_id: person.id, age_at_publication: null }]);

    const profile = await t.app.inject({ method: 'GET', url: `/people/${person.slug}` });
    assert.equal(profile.statusCode, 200);
    assert.match(textOf(profile.body), /Zephyrine Quillfeather Contributor/);
    assert.ok(!profile.body.includes('2009-03-14') && !profile.body.includes('14 March 2009'), 'the birth date stays private');

    // The winner is now a contributor: the newsroom opens their draft, ready for the workflow.
    const { client: contributor } = await readerClient(t, 'zephyrine.q@example.org', 'Zephyrine');
    const draft = await contributor.get(`/newsroom/articles/${article.id}`);
    assert.equal(draft.statusCode, 200);
    assert.match(draft.body, /is the winner of The Judge Prize 2026: Society/);
    assert.equal((await contributor.post(`/newsroom/articles/${article.id}/move`, { to: 'submitted', note: '' })).statusCode, 303);
  });

  it('shows a winner who has become a contributor on the results as they chose to be shown (pen name, no place, no age)', async () => {
    const { person_id: personId } = await t.db
      .selectFrom('entries')
      .select('person_id')
      .where('id', '=', entries.a)
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable('people')
      .set({ name_shown: 'pen', pen_name: 'Lantern Keeper', show_place: 0, hide_age: 1 })
      .where('id', '=', personId!)
      .execute();
    await t.app.contentVersion.bump();
    const winners = await t.app.inject({ method: 'GET', url: `/prizes/${prize.slug}/winners` });
    assert.match(textOf(winners.body), /Overall winner Lantern Keeper ?, Marlowe Grange Academy Lanterns on the ring road \(Society\)/);
    for (const hidden of ['Zephyrine', 'Quillfeather', 'Liechtenstein'])
      assert.ok(!winners.body.includes(hidden), `${hidden} is not on the winners' page`);
    assert.match(textOf(winners.body), /Second place Bartholomew Okonkwo-Sterling ?, 15, Uruguay/, 'other entrants as before');
  });
});
