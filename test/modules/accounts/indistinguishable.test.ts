// Sign-up, reset and sign-in-link answers must not tell whether an address has
// an account: the same bytes (but the CSRF token and the address typed), in the
// same time. The request only queues a job in both cases; the worker decides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../../src/lib/ids.js';
import { hashPassword, setPasswordCostForTests } from '../../../src/modules/accounts/index.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ seed: false });
});
after(async () => {
  setPasswordCostForTests(2 ** 12);
  await t.close();
});

const TRIES = 20;
/**
 * The machine running the suite is shared, and one round of 20 + 20 tries can be
 * disturbed by other processes; a round is repeated up to this many times. A
 * real difference (a password hash or an SMTP exchange in one branch only)
 * shows in every round, so the test still fails on it.
 */
const ROUNDS = 5;
let n = 0;

/** Accounts that exist and are verified, made straight in the database (fast). */
async function knownAddresses(count: number): Promise<string[]> {
  const hash = await hashPassword('correct horse battery');
  const now = new Date().toISOString();
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `known${++n}-${Date.now()}@example.org`;
    await t.db
      .insertInto('users')
      .values({
        id: newId(),
        email,
        email_verified_at: now,
        password_hash: hash,
        display_name: 'Known',
        birth_year: 2008,
        created_at: now,
        updated_at: now,
      })
      .execute();
    emails.push(email);
  }
  return emails;
}

const unknownAddresses = (count: number) => Array.from({ length: count }, () => `unknown${++n}-${Date.now()}@example.org`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One answer: the time of the POST alone, and its body with the CSRF token and the typed address taken out. */
async function answer(path: string, fields: Record<string, string>): Promise<{ ms: number; status: number; body: string }> {
  const b = new Browserish(t.app);
  await b.get(path);
  const started = process.hrtime.bigint();
  const res = await b.post(path, fields);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const body = res.body.replaceAll(fields.email!, 'EMAIL').replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="CSRF"');
  return { ms, status: res.statusCode, body };
}

/** Interleaves tries for known and unknown addresses (after warm-up pairs) and compares the answers. */
async function compare(path: string, fieldsFor: (email: string) => Record<string, string>): Promise<void> {
  const failures: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const outcome = await compareOnce(path, fieldsFor, round === 1 ? 5 : 1);
    // Without SMTP_URL a message would be written to the outbox: nothing may be, until the worker runs.
    assert.equal(existsSync(join(t.dataDir, 'outbox')), false, `${path}: an email was sent inside the request`);
    if (outcome === null) return;
    failures.push(outcome);
  }
  assert.fail(`${path}: the answers took different times in every round:\n${failures.join('\n')}`);
}

/** One round; returns null when the medians are within 20%, otherwise what was measured. The contents must always be identical. */
async function compareOnce(path: string, fieldsFor: (email: string) => Record<string, string>, warmUp: number): Promise<string | null> {
  const known = await knownAddresses(TRIES + warmUp);
  const unknown = unknownAddresses(TRIES + warmUp);
  for (let i = 0; i < warmUp; i++) {
    await answer(path, fieldsFor(known.pop()!));
    await answer(path, fieldsFor(unknown.pop()!));
  }
  const times = { known: [] as number[], unknown: [] as number[] };
  const bodies = new Set<string>();
  for (let i = 0; i < TRIES; i++) {
    // Alternate which goes first, so neither always follows the other.
    const order = i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
    for (const kind of order) {
      const email = kind === 'known' ? known[i]! : unknown[i]!;
      const a = await answer(path, fieldsFor(email));
      assert.equal(a.status, 200, `${path} for a ${kind} address`);
      times[kind].push(a.ms);
      bodies.add(a.body);
    }
  }
  assert.equal(bodies.size, 1, `${path}: the answers differ in content`);
  const k = median(times.known);
  const u = median(times.unknown);
  const difference = Math.abs(k - u) / Math.max(k, u);
  return difference < 0.2
    ? null
    : `median ${k.toFixed(1)} ms for known addresses, ${u.toFixed(1)} ms for unknown ones (${Math.round(difference * 100)}% apart)`;
}

describe('answers that do not tell who has an account', () => {
  it('sign-up: same page, same time, for a registered and a new address', async () => {
    // A costlier hash than the suite's (a sixteenth of production's), so that
    // hashing for one kind of address only could not hide in the noise.
    setPasswordCostForTests(2 ** 13);
    try {
      await compare('/account/sign-up', (email) => ({ email, password: 'another password!', displayName: 'Someone', birthYear: '2008' }));
    } finally {
      setPasswordCostForTests(2 ** 12);
    }
    const { count } = await t.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('kind', '=', 'account_email')
      .executeTakeFirstOrThrow();
    assert.ok(Number(count) >= 2 * TRIES, 'every sign-up queued its email');
  });

  it('password reset: same page, same time', async () => {
    await compare('/account/reset', (email) => ({ email }));
  });

  it('sign-in link: same page, same time', async () => {
    await compare('/account/sign-in/link', (email) => ({ email }));
  });
});
