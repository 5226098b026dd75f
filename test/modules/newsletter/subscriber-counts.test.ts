// A newsletter's subscribers counted by state are kept by the database
// (newsletter_subscriber_counts, triggers on subscriptions), not counted on each
// page: after every kind of write — insert, a change of state, a move to
// another newsletter, a delete, a deleted account's cascade, a deleted
// newsletter's — the kept counts equal the subscriptions counted, and the
// subscriber list and the composer show them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { confirmedSubscription } from '../../../src/modules/newsletter/newsletter.repository.js';
import { nowIso } from '../../../src/db/database.js';
import { newId } from '../../../src/lib/ids.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import { readerClient } from './helpers.js';

let t: TestApp;
let chief: Browserish;

before(async () => {
  t = await buildTestApp();
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(() => t.close());

/** The kept counts and the subscriptions counted, each as "newsletter/status=n" lines (states with none left out). */
async function keptAndCounted(): Promise<{ kept: string[]; counted: string[] }> {
  const kept = await t.db
    .selectFrom('newsletter_subscriber_counts')
    .select(['newsletter_id', 'status', 'n'])
    .where('n', '<>', 0)
    .orderBy('newsletter_id')
    .orderBy('status')
    .execute();
  const counted = await t.db
    .selectFrom('subscriptions')
    .select(['newsletter_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['newsletter_id', 'status'])
    .orderBy('newsletter_id')
    .orderBy('status')
    .execute();
  const line = (r: { newsletter_id: string; status: string; n: number | string | bigint }) =>
    `${r.newsletter_id}/${r.status}=${Number(r.n)}`;
  return { kept: kept.map(line), counted: counted.map(line) };
}

async function assertInStep(what: string): Promise<void> {
  const { kept, counted } = await keptAndCounted();
  assert.deepEqual(kept, counted, `after ${what}`);
}

describe('the subscriber counts', () => {
  it('follow every write to the subscriptions, and the desk shows them', async () => {
    const weekly = await t.db.selectFrom('newsletters').select('id').where('slug', '=', 'weekly-brief').executeTakeFirstOrThrow();
    await assertInStep('the seed');
    const before = textOf((await chief.get('/newsroom/newsletters/weekly-brief/subscribers')).body);
    const all = Number(/All ([\d,]+)/.exec(before)?.[1]?.replace(/,/g, ''));
    assert.ok(Number.isInteger(all), 'the list shows how many it holds');

    const at = nowIso();
    const rows = Array.from({ length: 5 }, (_, i) =>
      confirmedSubscription({
        newsletterId: weekly.id,
        email: `counted-${i}@example.org`,
        userId: null,
        source: 'import',
        consent: 'import_attested',
        consentBy: null,
        at,
      }),
    );
    await t.db.insertInto('subscriptions').values(rows).execute();
    await assertInStep('five inserted');
    await t.db
      .updateTable('subscriptions')
      .set({ status: 'unsubscribed' })
      .where('email', 'in', ['counted-0@example.org', 'counted-1@example.org'])
      .execute();
    await assertInStep('two unsubscribed');
    // Written again with the same state: nothing moves.
    await t.db
      .updateTable('subscriptions')
      .set({ status: 'confirmed', source: 'form' })
      .where('email', '=', 'counted-2@example.org')
      .execute();
    await assertInStep('a state written again unchanged');
    await t.db.deleteFrom('subscriptions').where('email', '=', 'counted-3@example.org').execute();
    await assertInStep('one deleted');

    const page = textOf((await chief.get('/newsroom/newsletters/weekly-brief/subscribers')).body);
    assert.match(page, new RegExp(`All ${(all + 4).toLocaleString('en-GB')} `), 'four more in the list');
    const unsubscribed = textOf((await chief.get('/newsroom/newsletters/weekly-brief/subscribers?status=unsubscribed')).body);
    assert.match(unsubscribed, /counted-0@example\.org/);

    // A reader's subscription goes with their account.
    await readerClient(t, 'counted.reader@example.net');
    const reader = await t.db.selectFrom('users').select('id').where('email', '=', 'counted.reader@example.net').executeTakeFirstOrThrow();
    await t.db
      .insertInto('subscriptions')
      .values(
        confirmedSubscription({
          newsletterId: weekly.id,
          email: 'counted.reader@example.net',
          userId: reader.id,
          source: 'account',
          consent: 'account',
          consentBy: null,
          at,
        }),
      )
      .execute();
    await assertInStep('a reader subscribed');
    await t.db.deleteFrom('subscriptions').where('user_id', '=', reader.id).execute();
    await t.db.deleteFrom('users').where('id', '=', reader.id).execute();
    await assertInStep('the reader’s account deleted');

    // A second newsletter: a subscription moved to it, then the newsletter deleted with its subscribers.
    const other = newId();
    const template = await t.db.selectFrom('newsletters').selectAll().where('id', '=', weekly.id).executeTakeFirstOrThrow();
    await t.db
      .insertInto('newsletters')
      .values({ ...template, id: other, slug: 'counted-other', name: 'Counted', position: template.position + 100 })
      .execute();
    await t.db.updateTable('subscriptions').set({ newsletter_id: other }).where('email', '=', 'counted-4@example.org').execute();
    await assertInStep('a subscription moved to another newsletter');
    const composer = await t.db
      .insertInto('newsletter_issues')
      .values({
        id: newId(),
        newsletter_id: other,
        number: null,
        subject: 'Counted',
        intro_json: '{"type":"doc","content":[]}',
        intro_html: '',
        items: '[]',
        status: 'draft',
        scheduled_at: null,
        started_at: null,
        sent_at: null,
        recipients_count: 0,
        sent_count: 0,
        failed_count: 0,
        created_by: null,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const compose = textOf((await chief.get(`/newsroom/newsletters/issues/${composer.id}`)).body);
    assert.match(compose, /send it now to all 1 confirmed subscribers/);
    await t.db.deleteFrom('newsletter_issues').where('newsletter_id', '=', other).execute();
    await t.db.deleteFrom('newsletters').where('id', '=', other).execute();
    await assertInStep('the other newsletter deleted');
    await t.db.deleteFrom('subscriptions').where('email', 'like', 'counted-%').execute();
    await assertInStep('the rest deleted');
  });
});
