import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../src/db/database.js';
import {
  backoffDelay,
  cancel,
  countJobsByStatus,
  deleteFinishedJobs,
  enqueue,
  findJob,
  findJobByUniqueKey,
  JobWorker,
  jobsByKind,
  PermanentJobError,
} from '../../src/jobs/index.js';
import type { JobRow } from '../../src/jobs/index.js';
import { createTestDatabase, databaseKind, type TestDatabase } from '../helpers.js';
import { createSharedTestDatabase } from './helpers.js';

const dialect = databaseKind;

let testDb: TestDatabase;
let db: Db;
before(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});
after(() => testDb.drop());
beforeEach(async () => {
  await db.deleteFrom('jobs').execute();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function row(id: string, on: Db = db): Promise<JobRow> {
  const job = await findJob(on, id);
  assert.ok(job, `job ${id} exists`);
  return job;
}

/** A worker whose single handler blocks until released, to hold a job in 'running'. */
function blockingWorker(workerId: string, kind = 'work') {
  const started = deferred();
  const release = deferred();
  const runs: string[] = [];
  const worker = new JobWorker(
    db,
    dialect,
    {
      [kind]: async (_payload, job) => {
        runs.push(job.id);
        started.resolve();
        await release.promise;
      },
    },
    { workerId },
  );
  return { worker, started: started.promise, release: release.resolve, runs };
}

describe('enqueue', () => {
  it('stores a pending job with its payload as JSON and run_at as a full ISO timestamp', async () => {
    const id = await enqueue(db, 'send_email', { to: 'reader@example.org', n: 1 }, { runAt: '2030-01-01T09:30:00Z' });
    const job = await row(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.kind, 'send_email');
    assert.deepEqual(JSON.parse(job.payload), { to: 'reader@example.org', n: 1 });
    // Without milliseconds, text comparison on SQLite would order it wrongly.
    assert.equal(job.run_at, '2030-01-01T09:30:00.000Z');
    assert.equal(job.attempts, 0);
    assert.equal(job.max_attempts, 8);
    assert.equal(job.unique_key, null);
  });

  it('rejects an invalid time and a max_attempts below 1', async () => {
    await assert.rejects(enqueue(db, 'x', {}, { runAt: 'next tuesday' }), RangeError);
    await assert.rejects(enqueue(db, 'x', {}, { maxAttempts: 0 }), RangeError);
    assert.equal((await jobsByKind(db, 'x')).length, 0);
  });

  it("joins the caller's transaction: a rollback takes the job with it", async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, 'publish_article', { articleId: 'a1' });
        throw new Error('the article update failed');
      }),
      /article update failed/,
    );
    assert.equal((await jobsByKind(db, 'publish_article')).length, 0);

    const id = await db.transaction().execute((trx) => enqueue(trx, 'publish_article', { articleId: 'a2' }));
    assert.equal((await row(id)).status, 'pending');
  });

  it('replaces a pending job with the same uniqueKey (rescheduling a publish)', async () => {
    const first = await enqueue(
      db,
      'publish_article',
      { articleId: 'a1', v: 1 },
      { uniqueKey: 'publish:a1', runAt: '2030-01-01T10:00:00.000Z' },
    );
    const second = await enqueue(
      db,
      'publish_article',
      { articleId: 'a1', v: 2 },
      { uniqueKey: 'publish:a1', runAt: '2030-02-01T10:00:00.000Z', maxAttempts: 3 },
    );
    assert.notEqual(second, first);
    assert.equal(await findJob(db, first), undefined);
    const jobs = await jobsByKind(db, 'publish_article');
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.id, second);
    assert.equal(jobs[0]!.run_at, '2030-02-01T10:00:00.000Z');
    assert.deepEqual(JSON.parse(jobs[0]!.payload), { articleId: 'a1', v: 2 });
    assert.equal(jobs[0]!.max_attempts, 3);
    // Keys are independent of each other.
    await enqueue(db, 'publish_article', { articleId: 'a2' }, { uniqueKey: 'publish:a2' });
    assert.equal((await jobsByKind(db, 'publish_article')).length, 2);
  });

  it('leaves a running job with the same uniqueKey alone and returns its id', async () => {
    const id = await enqueue(db, 'work', { v: 1 }, { uniqueKey: 'k' });
    const a = blockingWorker('worker-a');
    const run = a.worker.runOnce();
    await a.started;
    const again = await enqueue(db, 'work', { v: 2 }, { uniqueKey: 'k', runAt: '2030-01-01T00:00:00.000Z' });
    assert.equal(again, id);
    const job = await row(id);
    assert.equal(job.status, 'running');
    assert.deepEqual(JSON.parse(job.payload), { v: 1 });
    a.release();
    assert.equal(await run, 1);
    assert.equal((await row(id)).status, 'done');
  });

  it('replaces a finished job with the same uniqueKey, so a key can be scheduled again', async () => {
    const first = await enqueue(db, 'work', { v: 1 }, { uniqueKey: 'again' });
    const worker = new JobWorker(db, dialect, { work: async () => undefined });
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await row(first)).status, 'done');
    const second = await enqueue(db, 'work', { v: 2 }, { uniqueKey: 'again' });
    const job = await row(second);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 0);
    assert.equal(job.finished_at, null);
    assert.equal(await worker.runOnce(), 1);
  });

  it('cancels a pending job by key, but not a running one', async () => {
    await enqueue(db, 'publish_article', {}, { uniqueKey: 'publish:gone', runAt: '2030-01-01T00:00:00.000Z' });
    assert.equal(await cancel(db, 'publish:gone'), true);
    assert.equal(await findJobByUniqueKey(db, 'publish:gone'), undefined);
    assert.equal(await cancel(db, 'publish:gone'), false);

    const id = await enqueue(db, 'work', {}, { uniqueKey: 'busy' });
    const a = blockingWorker('worker-a');
    const run = a.worker.runOnce();
    await a.started;
    assert.equal(await cancel(db, 'busy'), false);
    assert.equal((await row(id)).status, 'running');
    a.release();
    await run;
  });
});

describe('deleteFinishedJobs', () => {
  it('deletes done and failed jobs finished before the cut-off, and nothing pending or running', async () => {
    const done = await enqueue(db, 'work', {});
    const failed = await enqueue(db, 'mystery', {});
    const pending = await enqueue(db, 'work', {}, { runAt: '2030-01-01T00:00:00.000Z' });
    const worker = new JobWorker(db, dialect, { work: async () => undefined });
    assert.equal(await worker.runOnce(), 2);
    assert.equal(await deleteFinishedJobs(db, new Date(Date.now() - 60_000)), 0, 'they finished after the cut-off');
    assert.equal(await deleteFinishedJobs(db, new Date(Date.now() + 60_000)), 2);
    assert.equal(await findJob(db, done), undefined);
    assert.equal(await findJob(db, failed), undefined);
    assert.equal((await row(pending)).status, 'pending');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base with each attempt, with ±10% jitter, capped at an hour', () => {
    assert.equal(
      backoffDelay(1, 5000, () => 0.5),
      5000,
    );
    assert.equal(
      backoffDelay(2, 5000, () => 0.5),
      10_000,
    );
    assert.equal(
      backoffDelay(4, 5000, () => 0.5),
      40_000,
    );
    assert.equal(
      backoffDelay(1, 5000, () => 0),
      4500,
    );
    assert.equal(
      backoffDelay(1, 5000, () => 0.999999),
      5500,
    );
    assert.equal(
      backoffDelay(30, 5000, () => 0.5),
      3_600_000,
    );
    assert.equal(
      backoffDelay(30, 5000, () => 0.999999),
      3_600_000,
    );
  });
});

describe('JobWorker', () => {
  it('runs a due job once, with its payload, and marks it done', async () => {
    const seen: unknown[] = [];
    const worker = new JobWorker(db, dialect, {
      send_email: async (payload, job) => {
        seen.push({ payload, attempts: job.attempts, kind: job.kind });
      },
    });
    const id = await enqueue(db, 'send_email', { to: 'a@example.org' });
    assert.equal(await worker.runOnce(), 1);
    assert.deepEqual(seen, [{ payload: { to: 'a@example.org' }, attempts: 1, kind: 'send_email' }]);
    const job = await row(id);
    assert.equal(job.status, 'done');
    assert.ok(job.finished_at);
    assert.equal(job.locked_by, null);
    assert.equal(job.locked_until, null);
    assert.equal(await worker.runOnce(), 0, 'a done job is not run again');
    assert.equal(seen.length, 1);
  });

  it('does not run a job before its time, and runs it once its time has come', async () => {
    let runs = 0;
    const handlers = { publish_article: async () => void runs++ };
    const id = await enqueue(db, 'publish_article', {}, { runAt: new Date(Date.now() + 60 * 60 * 1000) });
    const soon = await enqueue(db, 'publish_article', {}, { runAt: new Date(Date.now() + 300) });
    const worker = new JobWorker(db, dialect, handlers);
    assert.equal(await worker.runOnce(), 0);
    assert.equal(runs, 0);
    assert.equal((await row(id)).attempts, 0);

    // A worker whose clock is 400 ms ahead, instead of waiting for the time to come.
    const afterwards = new JobWorker(db, dialect, handlers, { now: () => new Date(Date.now() + 400) });
    assert.equal(await afterwards.runOnce(), 1);
    assert.equal((await row(soon)).status, 'done');
    assert.equal((await row(id)).status, 'pending');

    const later = new JobWorker(db, dialect, handlers, { now: () => new Date(Date.now() + 2 * 60 * 60 * 1000) });
    assert.equal(await later.runOnce(), 1);
    assert.equal((await row(id)).status, 'done');
    assert.equal(runs, 2);
  });

  it('retries a failing job later with growing backoff, keeps the error, and fails it after max_attempts', async () => {
    const id = await enqueue(db, 'send_email', {}, { maxAttempts: 3 });
    let clock = Date.now() + 1000;
    const attempts: number[] = [];
    const worker = new JobWorker(
      db,
      dialect,
      {
        send_email: async (_payload, job) => {
          attempts.push(job.attempts);
          throw new Error('smtp down');
        },
      },
      { backoffBaseMs: 1000, now: () => new Date(clock) },
    );

    assert.equal(await worker.runOnce(), 1);
    let job = await row(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 1);
    assert.equal(job.last_error, 'smtp down');
    assert.equal(job.locked_by, null);
    const firstDelay = Date.parse(job.run_at) - clock;
    assert.ok(firstDelay >= 900 && firstDelay <= 1100, `first retry after about 1 s, not ${firstDelay} ms`);
    assert.equal(await worker.runOnce(), 0, 'not retried before its backoff');

    clock = Date.parse(job.run_at);
    assert.equal(await worker.runOnce(), 1);
    job = await row(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 2);
    const secondDelay = Date.parse(job.run_at) - clock;
    assert.ok(secondDelay >= 1800 && secondDelay <= 2200, `second retry after about 2 s, not ${secondDelay} ms`);

    clock = Date.parse(job.run_at);
    assert.equal(await worker.runOnce(), 1);
    job = await row(id);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 3);
    assert.equal(job.last_error, 'smtp down');
    assert.ok(job.finished_at);
    assert.equal(job.locked_by, null);

    clock += 24 * 60 * 60 * 1000;
    assert.equal(await worker.runOnce(), 0, 'a failed job stays failed');
    assert.deepEqual(attempts, [1, 2, 3]);
  });

  it('fails a job of an unknown kind at once, saying why', async () => {
    const id = await enqueue(db, 'mystery', {});
    const worker = new JobWorker(db, dialect, { send_email: async () => undefined });
    assert.equal(await worker.runOnce(), 1);
    const job = await row(id);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1);
    assert.match(job.last_error ?? '', /No handler for job kind "mystery"/);
  });

  it('fails at once when a handler throws PermanentJobError, and finds no handler on Object.prototype', async () => {
    const gone = await enqueue(db, 'publish_article', { articleId: 'deleted' });
    const proto = await enqueue(db, 'toString', {});
    const worker = new JobWorker(db, dialect, {
      publish_article: async () => {
        throw new PermanentJobError('the article no longer exists');
      },
    });
    assert.equal(await worker.runOnce(), 2);
    assert.equal((await row(gone)).status, 'failed');
    assert.equal((await row(gone)).last_error, 'the article no longer exists');
    assert.equal((await row(proto)).status, 'failed');
    assert.match((await row(proto)).last_error ?? '', /No handler/);
  });

  it("reclaims a crashed worker's job once its lease runs out, and the old worker cannot then mark it", async () => {
    const id = await enqueue(db, 'work', {});
    const a = blockingWorker('worker-a');
    const aRun = a.worker.runOnce();
    await a.started;

    let claimedByC = 0;
    const c = new JobWorker(db, dialect, { work: async () => void claimedByC++ }, { workerId: 'worker-c' });
    assert.equal(await c.runOnce(), 0, 'not taken while the lease holds');
    let job = await row(id);
    assert.equal(job.locked_by, 'worker-a');
    assert.ok(job.locked_until && Date.parse(job.locked_until) > Date.now() + 25_000, 'leased for about half a minute');

    // Worker A "crashed": its lease runs out.
    await db.updateTable('jobs').set({ locked_until: '2000-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
    const b = blockingWorker('worker-b');
    const bRun = b.worker.runOnce();
    await b.started;
    job = await row(id);
    assert.equal(job.status, 'running');
    assert.equal(job.locked_by, 'worker-b');
    assert.equal(job.attempts, 2);

    // A was only slow after all; it finishes, but may not mark B's job done.
    a.release();
    assert.equal(await aRun, 1);
    job = await row(id);
    assert.equal(job.status, 'running');
    assert.equal(job.locked_by, 'worker-b');
    assert.equal(job.finished_at, null);

    b.release();
    assert.equal(await bRun, 1);
    job = await row(id);
    assert.equal(job.status, 'done');
    assert.deepEqual([a.runs.length, b.runs.length, claimedByC], [1, 1, 0]);
  });

  it('renews the lease while a slow handler runs, so nobody else takes the job', async () => {
    const id = await enqueue(db, 'slow', {});
    const slow = new JobWorker(db, dialect, { slow: () => sleep(1200) }, { leaseMs: 300, workerId: 'slow' });
    const run = slow.runOnce();
    const firstLease = await (async () => {
      await sleep(50);
      return Date.parse((await row(id)).locked_until!);
    })();
    const other = new JobWorker(db, dialect, { slow: async () => undefined }, { workerId: 'other' });
    for (const wait of [400, 300]) {
      await sleep(wait);
      assert.equal(await other.runOnce(), 0, 'the lease was renewed');
    }
    assert.ok(Date.parse((await row(id)).locked_until!) > firstLease);
    assert.equal(await run, 1);
    assert.equal((await row(id)).status, 'done');
  });

  it('polls after start() and, on stop(), waits for the running job to finish', async () => {
    let finished = false;
    const started = deferred();
    const worker = new JobWorker(
      db,
      dialect,
      {
        slow: async () => {
          started.resolve();
          await sleep(200);
          finished = true;
        },
      },
      { pollMs: 10 },
    );
    // Nothing else holds the event loop open here (SQLite is synchronous), as in `harbinger worker`.
    worker.start({ keepAlive: true });
    const id = await enqueue(db, 'slow', {});
    await started.promise;
    await worker.stop();
    assert.equal(finished, true);
    assert.equal((await row(id)).status, 'done');

    const after = await enqueue(db, 'slow', {});
    await sleep(100);
    assert.equal((await row(after)).status, 'pending', 'a stopped worker no longer polls');
  });
});

describe('across connections', () => {
  it('keeps a job through a restart: enqueued, connection closed, run by a new worker', async () => {
    const shared = await createSharedTestDatabase();
    try {
      const before = shared.connect();
      const id = await enqueue(before.db, 'publish_article', { articleId: 'a1' }, { uniqueKey: 'publish:a1' });
      await before.close();

      const afterRestart = shared.connect();
      const seen: unknown[] = [];
      const worker = new JobWorker(afterRestart.db, shared.kind, { publish_article: async (payload) => void seen.push(payload) });
      assert.equal(await worker.runOnce(), 1);
      assert.deepEqual(seen, [{ articleId: 'a1' }]);
      assert.equal((await row(id, afterRestart.db)).status, 'done');
    } finally {
      await shared.drop();
    }
  });

  it('never runs a job twice with two workers on separate connections (200 jobs)', async () => {
    const shared = await createSharedTestDatabase();
    try {
      const one = shared.connect();
      const two = shared.connect();
      const ids = await one.db.transaction().execute(async (trx) => {
        const made: string[] = [];
        for (let i = 0; i < 200; i++) made.push(await enqueue(trx, 'work', { i }));
        return made;
      });

      const executions = new Map<string, number>();
      const perWorker = { one: 0, two: 0 };
      const running = { one: 0, two: 0 };
      let mostAtOnce = 0;
      const handler = (name: keyof typeof perWorker) => async (_payload: unknown, job: { id: string }) => {
        executions.set(job.id, (executions.get(job.id) ?? 0) + 1);
        perWorker[name]++;
        mostAtOnce = Math.max(mostAtOnce, ++running[name]);
        await sleep(1 + Math.floor(Math.random() * 4));
        running[name]--;
      };
      // Both connections open before either worker starts, or the first may drain the queue alone.
      await two.db.selectFrom('jobs').select('id').limit(1).execute();
      const options = { pollMs: 5, batchSize: 5, keepAlive: true };
      const workers = [
        new JobWorker(one.db, shared.kind, { work: handler('one') }, { ...options, workerId: 'one' }),
        new JobWorker(two.db, shared.kind, { work: handler('two') }, { ...options, workerId: 'two' }),
      ];
      for (const w of workers) w.start();
      const deadline = Date.now() + 30_000;
      while ((await countJobsByStatus(one.db)).done < 200 && Date.now() < deadline) await sleep(20);
      await Promise.all(workers.map((w) => w.stop()));

      assert.deepEqual(await countJobsByStatus(one.db), { pending: 0, running: 0, done: 200, failed: 0 });
      assert.equal(executions.size, 200);
      const twice = ids.filter((id) => executions.get(id) !== 1);
      assert.deepEqual(twice, [], 'every job ran exactly once');
      // A worker runs one batch at a time, so more than a batch at once means a claim took more than LIMIT.
      assert.ok(mostAtOnce <= options.batchSize, `a claim took at most a batch, not ${mostAtOnce} jobs`);
      assert.ok(perWorker.one > 0 && perWorker.two > 0, `both workers took part (${perWorker.one} / ${perWorker.two})`);
    } finally {
      await shared.drop();
    }
  });
});
