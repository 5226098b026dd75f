// A winner's place on the magazine: offered by the organisers, accepted by the
// winner (signed in with the account that entered), with nothing public before
// that; a place moved to another entry only after the organiser confirms whose
// offer is withdrawn; the entry's date of birth checked against the account's
// year of birth; and the form fields that tell screen readers about their errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';
import { createPrize, drainJobs, entryForm, postEntry, readerClient, setClock, type PrizeSetup } from './prize-helpers.js';

let t: TestApp;
let inbox: Inbox;
let chief: Browserish;
let prize: PrizeSetup;

const ENTRANTS = {
  young: {
    email: 'wilhelmina.t@example.org',
    name: 'Wilhelmina Thistlewood',
    birth: ['1', '5', '2010'],
    birthYear: 2010,
    category: 'Society',
    title: 'The longest bus ride',
  },
  second: {
    email: 'casimir.v@example.org',
    name: 'Casimir Vantongeren',
    birth: ['2', '6', '2009'],
    birthYear: 2009,
    category: 'Society',
    title: 'Small gardens',
  },
  first: {
    email: 'ottilie.r@example.org',
    name: 'Ottilie Rasmussen-Fell',
    birth: ['3', '7', '2008'],
    birthYear: 2008,
    category: 'Culture',
    title: 'A choir in the car park',
  },
  next: {
    email: 'leopold.k@example.org',
    name: 'Leopold Kestrelmoor',
    birth: ['4', '8', '2009'],
    birthYear: 2009,
    category: 'Culture',
    title: 'The last cinema',
  },
} as const;
type Key = keyof typeof ENTRANTS;
const clients = {} as Record<Key, Browserish>;
const ids = {} as Record<Key, string>;

/** A signed-in reader whose account was opened with this year of birth. */
async function entrant(key: Key): Promise<Browserish> {
  const e = ENTRANTS[key];
  const { client, userId } = await readerClient(t, e.email, e.name.split(' ')[0]!);
  await t.db.updateTable('users').set({ birth_year: e.birthYear }).where('id', '=', userId).execute();
  return client;
}

/** The entry form with the date of birth in its three fields. */
function formOf(key: Key, overrides: Record<string, string> = {}): Record<string, string> {
  const e = ENTRANTS[key];
  const form = entryForm(prize.categories[e.category]!, {
    title: e.title,
    entrantName: e.name,
    essay: `The essay called ${e.title}.`,
    birthDay: e.birth[0],
    birthMonth: e.birth[1],
    birthYear: e.birth[2],
    ...overrides,
  });
  delete form.birthDate;
  return form;
}

async function award(entryId: string, kind: 'shortlist' | 'first'): Promise<void> {
  await chief.get(`/newsroom/prizes/${prize.id}/results`);
  const res = await chief.post(`/newsroom/prizes/${prize.id}/awards`, { entryId, kind, note: '' });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
}

async function offer(key: Key, extra: Record<string, string> = {}) {
  await chief.get(`/newsroom/prizes/${prize.id}/results`);
  return chief.post(`/newsroom/prizes/${prize.id}/entries/${ids[key]}/offer`, extra);
}

const entryRow = (key: Key) =>
  t.db
    .selectFrom('entries')
    .select(['offered_at', 'person_id', 'article_id', 'reference', 'user_id'])
    .where('id', '=', ids[key])
    .executeTakeFirstOrThrow();

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
  prize = await createPrize(t, chief, {
    name: 'The Offer Prize 2026',
    slug: 'offer-prize-2026',
    categories: [
      { name: 'Society', kind: 'essay', wordLimit: 200, section: 'society' },
      { name: 'Culture', kind: 'essay', wordLimit: 200, section: 'culture' },
    ],
  });
  setClock(t, '2026-07-20T09:00:00Z');
  for (const key of Object.keys(ENTRANTS) as Key[]) clients[key] = await entrant(key);
});
after(async () => {
  await t.close();
  await inbox.close();
});

describe('the entry form', () => {
  it('asks for the date of birth in day, month and year fields whose hint matches them, with autocomplete', async () => {
    const page = await clients.young.get(`/prizes/${prize.slug}/enter`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<legend>Date of birth<\/legend>/);
    assert.match(page.body, /For example, 14 3 2009\./);
    assert.ok(!page.body.includes('2009-03-14'), 'no ISO example beside fields that do not show ISO');
    assert.ok(!/name="birthDate"/.test(page.body) && !/type="date"/.test(page.body), 'no date picker showing the browser’s own format');
    for (const [name, autocomplete] of [
      ['birthDay', 'bday-day'],
      ['birthMonth', 'bday-month'],
      ['birthYear', 'bday-year'],
    ]) {
      const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(page.body)?.[0] ?? '';
      assert.match(input, new RegExp(`autocomplete="${autocomplete}"`), `${name} has autocomplete ${autocomplete}`);
      assert.match(input, /inputmode="numeric"/);
      assert.match(input, /aria-describedby="field-birthDate-hint"/);
    }
  });

  it('refuses a date that is not a real date, keeping the three fields as typed', async () => {
    const res = await postEntry(clients.young, prize.slug, formOf('young', { birthDay: '31', birthMonth: '2', birthYear: '2010' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Enter your date of birth as a real date: the day, the month and the year in numbers, like 14 3 2009\./);
    assert.match(res.body, /name="birthDay"[^>]*value="31"/);
    assert.match(res.body, /name="birthMonth"[^>]*value="2"/);
    assert.match(res.body, /name="birthYear"[^>]*value="2010"/);
    assert.match(res.body, /<input[^>]*name="birthDay"[^>]*aria-describedby="field-birthDate-hint field-birthDate-error"/);
  });

  it('refuses a date of birth whose year is more than one year from the account’s year of birth, keeping what was typed', async () => {
    const res = await postEntry(clients.young, prize.slug, formOf('young', { birthYear: '2008', title: 'Kept title' }));
    assert.equal(res.statusCode, 422);
    assert.match(textOf(res.body), /The year in this date of birth, 2008, does not match the year of birth on your account, 2010\./);
    assert.match(res.body, /name="birthYear"[^>]*value="2008"/);
    assert.match(res.body, /value="Kept title"/);
    assert.match(res.body, /<a href="#field-birthDate">The year in this date of birth/);
    // Without scripts, the title says first that the form came back with errors, and the summary can take focus.
    assert.match(res.body, /<title>Error: Enter The Offer Prize 2026/);
    assert.match(res.body, /<div class="notice notice--error" role="alert" tabindex="-1" data-error-summary>/);
    assert.equal(
      (await t.db.selectFrom('entries').select('status').where('title', '=', 'Kept title').executeTakeFirstOrThrow()).status,
      'draft',
      'not submitted',
    );
  });

  it('links the category radios to their error and keeps them in a fieldset with a legend', async () => {
    const res = await postEntry(clients.young, prize.slug, formOf('young', { categoryId: '' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /<fieldset[^>]*aria-describedby="field-categoryId-error"[^>]*>\s*<legend>Category<\/legend>/);
    assert.match(res.body, /<p class="field__error" id="field-categoryId-error">Choose the category you are entering\.<\/p>/);
    const radios = res.body.match(/<input[^>]*type="radio"[^>]*name="categoryId"[^>]*>/g) ?? [];
    assert.equal(radios.length, 2);
    for (const radio of radios) assert.match(radio, /aria-describedby="field-categoryId-error"/);
  });

  it('accepts every entry whose date of birth agrees with the account', async () => {
    for (const key of Object.keys(ENTRANTS) as Key[]) {
      const res = await postEntry(clients[key], prize.slug, formOf(key));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      ids[key] = (await t.db.selectFrom('entries').select('id').where('title', '=', ENTRANTS[key].title).executeTakeFirstOrThrow()).id;
    }
    const row = await t.db.selectFrom('entries').select('birth_date').where('id', '=', ids.young).executeTakeFirstOrThrow();
    assert.equal(row.birth_date, '2010-05-01');
  });
});

describe('the sign-up forms', () => {
  it('mark the year of birth for autofill, on the account page and on the prize’s wall', async () => {
    for (const url of ['/account/sign-up', `/prizes/${prize.slug}/enter`]) {
      const page = await t.app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 200);
      const input = /<input[^>]*name="birthYear"[^>]*>/.exec(page.body)?.[0] ?? '';
      assert.match(input, /autocomplete="bday-year"/, url);
    }
  });
});

describe('the organisers’ number fields', () => {
  it('say what to type instead of “Invalid input”, and the fields point at their messages', async () => {
    await chief.get(`/newsroom/prizes/${prize.id}`);
    const res = await chief.post(`/newsroom/prizes/${prize.id}/categories`, {
      name: 'Poetry',
      kind: 'essay',
      wordLimit: 'eight hundred',
      prompt: '',
      description: '',
      sectionId: '',
      position: 'first',
    });
    assert.equal(res.statusCode, 422);
    assert.ok(!res.body.includes('Invalid input'), 'no “Invalid input”');
    assert.match(res.body, /Enter the word limit as a whole number between 50 and 20,000, like 800\./);
    assert.match(res.body, /Enter the position as a whole number from 0 to 1,000, like 3, or leave it empty\./);
    assert.match(
      res.body,
      /<input[^>]*id="newcat-wordLimit"[^>]*inputmode="numeric"[^>]*aria-invalid="true"[^>]*aria-describedby="newcat-wordLimit-hint newcat-wordLimit-error"/,
    );
    assert.match(res.body, /id="newcat-wordLimit-error">Enter the word limit/);
    assert.match(res.body, /value="eight hundred"/);

    await chief.get(`/newsroom/prizes/${prize.id}`);
    const kind = await chief.post(`/newsroom/prizes/${prize.id}/categories`, {
      name: 'Poetry',
      kind: 'sonnet',
      wordLimit: '',
      prompt: '',
      description: '',
      sectionId: '',
      position: '',
    });
    assert.equal(kind.statusCode, 422);
    assert.match(kind.body, /<select id="newcat-kind" name="kind" aria-invalid="true" aria-describedby="newcat-kind-error">/);
    assert.match(kind.body, /id="newcat-kind-error">Choose essay, photo or video\./);

    await chief.get(`/newsroom/prizes/${prize.id}`);
    const scale = await chief.post(`/newsroom/prizes/${prize.id}/criteria`, {
      name: 'Voice',
      description: '',
      scaleMin: 'one',
      scaleMax: '',
    });
    assert.equal(scale.statusCode, 422);
    assert.ok(!scale.body.includes('Invalid input'));
    assert.match(scale.body, /Enter the lowest score as a whole number from 0 to 100, like 1, or leave it empty\./);
  });
});

describe('offering a winner a place', () => {
  before(async () => {
    setClock(t, '2026-08-10T09:00:00Z');
    for (const key of ['young', 'second', 'first', 'next'] as const) await award(ids[key], 'shortlist');
    await award(ids.young, 'first');
    await award(ids.first, 'first');
  });

  it('makes nothing public and grants no role until the winner accepts, by email link and a button, signed in as the entrant', async () => {
    assert.equal((await offer('young')).statusCode, 303);
    const offered = await entryRow('young');
    assert.equal(offered.offered_at, '2026-08-10T09:00:00.000Z');
    assert.equal(offered.person_id, null);
    assert.equal(
      await t.db.selectFrom('people').select('id').where('user_id', '=', offered.user_id).executeTakeFirst(),
      undefined,
      'no profile yet',
    );
    assert.equal((await t.app.inject({ method: 'GET', url: '/people/wilhelmina-thistlewood' })).statusCode, 404);
    assert.ok(!(await t.app.inject({ method: 'GET', url: '/people' })).body.includes('Wilhelmina'), 'not in the directory');
    const desk = await chief.get(`/newsroom/prizes/${prize.id}/results`);
    assert.match(textOf(desk.body), /Offered .*waiting for the winner to accept/);

    await drainJobs(t);
    const mail = await inbox.waitFor(ENTRANTS.young.email, /Join the magazine/);
    assert.match(mail.text ?? '', /Nothing happens until you say yes/);
    const path = new URL(inbox.linkIn(mail, `http://harbinger.test/prizes/${prize.slug}/entries/`)).pathname;
    assert.equal(path, `/prizes/${prize.slug}/entries/${offered.reference}/place`);

    // Nobody else can see or accept it.
    const anonymous = await t.app.inject({ method: 'GET', url: path });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/account\/sign-in\?next=/);
    assert.equal((await clients.second.get(path)).statusCode, 404);
    assert.equal((await clients.second.post(path, {})).statusCode, 404);

    // The entry's receipt page leads to the offer too.
    const receipt = await clients.young.get(`/prizes/${prize.slug}/entries/${offered.reference}`);
    assert.match(receipt.body, new RegExp(`<a class="button" href="${path}">You are offered a place on the magazine: see the offer</a>`));
    assert.ok(
      !(await clients.second.get(`/prizes/${prize.slug}/entries/${(await entryRow('second')).reference}`)).body.includes('/place"'),
      'not on the receipt of an entry without an offer',
    );

    // A day later the winner reads the offer and accepts it (the button posts the form with its CSRF token).
    setClock(t, '2026-08-12T15:00:00Z');
    const page = await clients.young.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="[^"]+\/place">\s*<input type="hidden" name="_csrf"/);
    assert.match(textOf(page.body), /Accept the place/);
    assert.equal((await clients.young.post(path, {}, { csrf: null })).statusCode, 403, 'no CSRF token, no acceptance');
    assert.equal((await entryRow('young')).person_id, null);
    const before = clients.young.cookies.get('hb_session')!;
    const accepted = await clients.young.post(path, {});
    assert.equal(accepted.statusCode, 303);
    // A new staff role: the session the account had ends, and this browser gets a fresh one.
    const fresh = clients.young.cookies.get('hb_session');
    assert.ok(fresh && fresh !== before, 'a fresh session');
    const stale = await t.app.inject({ method: 'GET', url: path, headers: { cookie: `hb_session=${before}` } });
    assert.equal(stale.statusCode, 303, 'the old session is over');
    const after = await entryRow('young');
    assert.ok(after.person_id && after.article_id);
    const person = await t.db
      .selectFrom('people')
      .select(['slug', 'birth_date', 'user_id'])
      .where('id', '=', after.person_id)
      .executeTakeFirstOrThrow();
    assert.equal(person.slug, 'wilhelmina-thistlewood');
    assert.equal(person.user_id, offered.user_id);
    const roles = await t.db
      .selectFrom('role_assignments')
      .select(['role', 'starts_on'])
      .where('person_id', '=', after.person_id)
      .execute();
    assert.deepEqual(roles, [{ role: 'contributor', starts_on: '2026-08-12' }], 'the role starts on the day of acceptance');
    const profile = await t.app.inject({ method: 'GET', url: '/people/wilhelmina-thistlewood' });
    assert.equal(profile.statusCode, 200);
    assert.ok(!profile.body.includes('2010-05-01'), 'the birth date stays private');
    assert.match(textOf((await clients.young.get(`${path}?accepted=1`)).body), /You accepted your place/);
    const twice = await clients.young.post(path, {});
    assert.equal(twice.statusCode, 409);
    assert.equal(
      await t.db
        .selectFrom('role_assignments')
        .select('id')
        .where('person_id', '=', after.person_id)
        .execute()
        .then((r) => r.length),
      1,
    );
  });

  it('asks before offering a place already offered to another entry, names whose offer is withdrawn, and tells them', async () => {
    setClock(t, '2026-08-13T09:00:00Z');
    assert.equal((await offer('first')).statusCode, 303);
    // The jury changes its mind: the place in Culture moves to another entry.
    await award(ids.next, 'first');
    const asked = await offer('next');
    assert.equal(asked.statusCode, 409);
    const text = textOf(asked.body);
    assert.match(
      text,
      /The place for Culture was already offered to Ottilie Rasmussen-Fell \([A-Z0-9-]+\), whose entry no longer holds it\. Offering it to Leopold Kestrelmoor \([A-Z0-9-]+\) withdraws the offer to Ottilie Rasmussen-Fell/,
    );
    assert.match(asked.body, /<input type="hidden" name="confirm" value="1"/);
    assert.equal((await entryRow('next')).offered_at, null, 'nothing moved without confirmation');
    assert.notEqual((await entryRow('first')).offered_at, null);

    const confirmed = await chief.post(`/newsroom/prizes/${prize.id}/entries/${ids.next}/offer`, { confirm: '1' });
    assert.equal(confirmed.statusCode, 303);
    assert.equal((await entryRow('first')).offered_at, null, 'the earlier offer is withdrawn');
    assert.notEqual((await entryRow('next')).offered_at, null);
    await drainJobs(t);
    await inbox.waitFor(ENTRANTS.first.email, /About your place on the magazine/);
    await inbox.waitFor(ENTRANTS.next.email, /Join the magazine/);
    const reference = (await entryRow('first')).reference!;
    const withdrawn = `/prizes/${prize.slug}/entries/${reference}/place`;
    assert.match(textOf((await clients.first.get(withdrawn)).body), /There is no open offer of a place for this entry/);
    assert.equal((await clients.first.post(withdrawn, {})).statusCode, 409);
    assert.equal(await t.db.selectFrom('people').select('id').where('name', '=', 'Ottilie Rasmussen-Fell').executeTakeFirst(), undefined);
  });
});
