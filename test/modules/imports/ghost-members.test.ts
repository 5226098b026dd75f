// Members of an old site as newsletter subscribers (applyMember, through the
// newsletter's importSubscriber): only subscribed members become confirmed
// subscribers, with the consent they came with; an unsubscribe or a suppression
// here is never undone; a pending address is confirmed; a dry run writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/db/database.js';
import { newId } from '../../../src/lib/ids.js';
import { applyMember, type MemberContext } from '../../../src/modules/imports/members.js';
import type { ImportedMember } from '../../../src/modules/imports/model.js';
import { createTestDatabase, type TestDatabase } from '../../helpers.js';

const ctx: MemberContext = { source: 'ghost:https://old.example', dryRun: false };
const AT = '2026-01-01T00:00:00.000Z';

function member(email: string, subscribed = true, consent?: string): ImportedMember {
  return { sourceId: `m-${email}`, email, name: '', subscribed, createdAt: AT, ...(consent ? { consent } : {}) };
}

async function apply(db: Db, m: ImportedMember, context: MemberContext = ctx) {
  return db.transaction().execute((trx) => applyMember(trx, m, context));
}

async function subscription(db: Db, email: string, newsletterSlug = 'weekly-brief') {
  return db
    .selectFrom('subscriptions')
    .innerJoin('newsletters', 'newsletters.id', 'subscriptions.newsletter_id')
    .select([
      'subscriptions.status',
      'subscriptions.source',
      'subscriptions.consent',
      'subscriptions.consent_at',
      'subscriptions.confirm_token_hash',
    ])
    .where('subscriptions.email', '=', email)
    .where('newsletters.slug', '=', newsletterSlug)
    .executeTakeFirst();
}

async function insertSubscription(db: Db, email: string, status: 'pending' | 'unsubscribed' | 'suppressed') {
  const newsletter = await db.selectFrom('newsletters').select('id').where('slug', '=', 'weekly-brief').executeTakeFirstOrThrow();
  await db
    .insertInto('subscriptions')
    .values({
      id: newId(),
      newsletter_id: newsletter.id,
      email,
      user_id: null,
      status,
      source: 'home',
      consent: null,
      consent_at: null,
      consent_by: null,
      confirm_token_hash: status === 'pending' ? 'a-hash' : null,
      confirm_nonce: null,
      confirm_expires_at: null,
      confirm_sent_at: null,
      confirmed_at: null,
      unsubscribed_at: status === 'unsubscribed' ? AT : null,
      suppressed_at: status === 'suppressed' ? AT : null,
      created_at: AT,
      updated_at: AT,
    })
    .execute();
}

describe('members as subscribers', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  it('makes a subscribed member a confirmed subscriber of the first newsletter, with its consent; again: unchanged', async () => {
    const consent = 'Subscribed on the Ghost site; imported from the export site.json on 2026-11-30.';
    assert.deepEqual(await apply(t.db, member('Ana@Example.org', true, consent)), { outcome: 'created' });
    const row = await subscription(t.db, 'ana@example.org');
    assert.equal(row?.status, 'confirmed');
    assert.equal(row?.source, 'import');
    assert.equal(row?.consent, consent);
    assert.ok(row?.consent_at);
    assert.deepEqual(await apply(t.db, member('ana@example.org', true, consent)), { outcome: 'unchanged' });
  });

  it('names the import as consent when the reader gave none', async () => {
    await apply(t.db, member('bo@example.org'));
    assert.match((await subscription(t.db, 'bo@example.org'))?.consent ?? '', /ghost:https:\/\/old\.example/);
  });

  it('skips a member who did not subscribe, and an address that is not one, with the reason', async () => {
    const no = await apply(t.db, member('cy@example.org', false));
    assert.equal(no.outcome, 'skipped');
    assert.match(no.reason ?? '', /Not subscribed/);
    assert.equal(await subscription(t.db, 'cy@example.org'), undefined);
    const bad = await apply(t.db, member('not an address'));
    assert.equal(bad.outcome, 'skipped');
    assert.match(bad.reason ?? '', /valid email/);
  });

  it('never undoes an unsubscribe or a suppression here', async () => {
    await insertSubscription(t.db, 'di@example.org', 'unsubscribed');
    await insertSubscription(t.db, 'ed@example.org', 'suppressed');
    assert.equal((await apply(t.db, member('di@example.org'))).outcome, 'skipped');
    assert.equal((await apply(t.db, member('ed@example.org'))).outcome, 'skipped');
    assert.equal((await subscription(t.db, 'di@example.org'))?.status, 'unsubscribed');
    assert.equal((await subscription(t.db, 'ed@example.org'))?.status, 'suppressed');
  });

  it('confirms an address waiting for its confirmation, with the import’s consent', async () => {
    await insertSubscription(t.db, 'flo@example.org', 'pending');
    assert.deepEqual(await apply(t.db, member('flo@example.org', true, 'From the export.')), { outcome: 'updated' });
    const row = await subscription(t.db, 'flo@example.org');
    assert.equal(row?.status, 'confirmed');
    assert.equal(row?.consent, 'From the export.');
    assert.equal(row?.confirm_token_hash, null);
  });

  it('writes nothing on a dry run', async () => {
    assert.deepEqual(await apply(t.db, member('gus@example.org'), { ...ctx, dryRun: true }), { outcome: 'created' });
    assert.equal(await subscription(t.db, 'gus@example.org'), undefined);
  });

  it('joins the newsletter named, and skips every member when there is no such newsletter', async () => {
    await t.db
      .insertInto('newsletters')
      .values({
        id: newId(),
        slug: 'club-news',
        name: 'Club news',
        description: '',
        sender_name: 'Club news',
        sender_email: '',
        send_weekday: 1,
        send_time: '08:00',
        time_zone: 'Europe/London',
        position: 5,
        created_at: AT,
        updated_at: AT,
      })
      .execute();
    assert.equal((await apply(t.db, member('hal@example.org'), { ...ctx, newsletterSlug: 'club-news' })).outcome, 'created');
    assert.equal((await subscription(t.db, 'hal@example.org', 'club-news'))?.status, 'confirmed');
    assert.equal(await subscription(t.db, 'hal@example.org'), undefined);
    const none = await apply(t.db, member('ida@example.org'), { ...ctx, newsletterSlug: 'no-such-list' });
    assert.equal(none.outcome, 'skipped');
    assert.match(none.reason ?? '', /no-such-list/);
  });
});
