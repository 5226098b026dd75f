// The recurring cleanup: the app's worker puts the hourly `maintenance` job on
// the queue when it starts (once, however many workers start), runs it, and the
// expired sessions, spent email links and long-finished jobs are gone while
// live ones stay; each run queues the next one for the next hour.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FINISHED_JOBS_KEPT_MS, JobWorker, MAINTENANCE_EVERY_MS, MAINTENANCE_JOB, recurringKey } from '../../src/jobs/index.js';
import { newId } from '../../src/lib/ids.js';
import { buildTestApp, databaseKind, type TestApp } from '../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const DAY = 24 * 60 * 60_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the maintenance job', () => {
  it('is queued when the worker starts, deletes expired sessions, spent links and old finished jobs, and queues its next run', async () => {
    const db = t.db;
    const userId = newId();
    await db
      .insertInto('users')
      .values({
        id: userId,
        email: 'cleanup@example.net',
        email_verified_at: iso(0),
        password_hash: null,
        display_name: 'Cleanup',
        birth_year: 2008,
        created_at: iso(-90 * DAY),
        updated_at: iso(0),
      })
      .execute();
    const session = (id: string, expiresAt: string) => ({
      id,
      token_hash: `hash-${id}`,
      user_id: userId,
      persistent: 1,
      created_at: iso(-40 * DAY),
      expires_at: expiresAt,
    });
    await db
      .insertInto('sessions')
      .values([session('expired-session', iso(-DAY)), session('live-session', iso(DAY))])
      .execute();
    const token = (id: string, expiresAt: string, usedAt: string | null) => ({
      id,
      token_hash: `hash-${id}`,
      purpose: 'magic_link' as const,
      user_id: userId,
      email: 'cleanup@example.net',
      data: '{}',
      created_at: iso(-30 * DAY),
      expires_at: expiresAt,
      used_at: usedAt,
    });
    await db
      .insertInto('tokens')
      .values([
        token('used-long-ago', iso(-20 * DAY), iso(-20 * DAY)),
        token('expired-long-ago', iso(-10 * DAY), null),
        token('live-link', iso(DAY), null),
        token('used-today', iso(DAY), iso(-60_000)),
      ])
      .execute();
    const job = (id: string, status: 'done' | 'failed' | 'pending', finishedAt: string | null) => ({
      id,
      kind: 'send_email',
      payload: 'null',
      unique_key: null,
      status,
      run_at: iso(-30 * DAY),
      attempts: 1,
      max_attempts: 8,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: iso(-30 * DAY),
      finished_at: finishedAt,
    });
    await db
      .insertInto('jobs')
      .values([
        job('old-done', 'done', iso(-FINISHED_JOBS_KEPT_MS - DAY)),
        job('old-failed', 'failed', iso(-FINISHED_JOBS_KEPT_MS - DAY)),
        job('recent-done', 'done', iso(-DAY)),
        job('later', 'pending', null),
      ])
      .execute();
    await db
      .updateTable('jobs')
      .set({ run_at: iso(DAY) })
      .where('id', '=', 'later')
      .execute();

    // Nothing is on the queue for maintenance until a worker starts.
    assert.equal((await db.selectFrom('jobs').select('id').where('kind', '=', MAINTENANCE_JOB).execute()).length, 0);
    // Two workers starting at once (two app servers) queue one run between them.
    const other = new JobWorker(
      db,
      databaseKind,
      { [MAINTENANCE_JOB]: async () => undefined },
      { recurring: { [MAINTENANCE_JOB]: MAINTENANCE_EVERY_MS } },
    );
    await Promise.all([other.queueRecurring(), other.queueRecurring()]);
    assert.equal((await db.selectFrom('jobs').select('id').where('kind', '=', MAINTENANCE_JOB).execute()).length, 1);

    t.app.worker.start();
    try {
      await until(
        'the expired rows to be deleted',
        async () => (await db.selectFrom('sessions').select('id').where('id', '=', 'expired-session').executeTakeFirst()) === undefined,
      );
      await until(
        'the run to finish',
        async () =>
          (await db
            .selectFrom('jobs')
            .select('status')
            .where('kind', '=', MAINTENANCE_JOB)
            .where('status', '=', 'done')
            .executeTakeFirst()) !== undefined,
      );
    } finally {
      await t.app.worker.stop();
    }

    assert.deepEqual(
      (await db.selectFrom('sessions').select('id').orderBy('id').execute()).map((r) => r.id),
      ['live-session'],
    );
    assert.deepEqual(
      (await db.selectFrom('tokens').select('id').orderBy('id').execute()).map((r) => r.id),
      ['live-link', 'used-today'],
    );
    const left = (await db.selectFrom('jobs').select(['id', 'kind', 'status', 'unique_key', 'run_at']).orderBy('id').execute()).filter(
      (r) => r.kind !== MAINTENANCE_JOB,
    );
    assert.deepEqual(left.map((r) => r.id).sort(), ['later', 'recent-done']);

    // The next run waits for the next hour.
    const maintenance = await db
      .selectFrom('jobs')
      .select(['status', 'unique_key', 'run_at'])
      .where('kind', '=', MAINTENANCE_JOB)
      .orderBy('run_at')
      .execute();
    assert.equal(maintenance.length, 2);
    const next = maintenance.find((m) => m.status === 'pending');
    assert.ok(next, 'the next run is queued');
    const { period } = recurringKey(MAINTENANCE_JOB, MAINTENANCE_EVERY_MS, new Date());
    assert.equal(next.unique_key, `${MAINTENANCE_JOB}:${period + 1}`);
    assert.equal(new Date(next.run_at).getTime(), (period + 1) * MAINTENANCE_EVERY_MS);
    // A worker restarting now leaves it as it is.
    await other.queueRecurring();
    assert.equal(
      (await db.selectFrom('jobs').select('id').where('kind', '=', MAINTENANCE_JOB).where('status', '=', 'pending').execute()).length,
      1,
    );
  });
});
