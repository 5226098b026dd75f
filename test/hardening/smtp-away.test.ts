// The mail server going away and coming back: email jobs wait in the queue and
// retry with backoff while nothing answers on the SMTP port, and the message is
// delivered once, when a server listens on that port again, without a restart
// of the app. A job waiting for the mail server is not given up after
// max_attempts (an outage of hours would otherwise lose every email queued in
// its first ten minutes), only a day after it was queued. The worker runs on a
// clock the test moves, so the backoff passes without waiting for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueue, findJob, JobWorker, SERVICE_AWAY_PATIENCE_MS } from '../../src/jobs/index.js';
import { Browserish } from '../browserish.js';
import { freePort } from '../harbinger-process.js';
import { buildTestApp, type TestApp } from '../helpers.js';
import { startSmtp } from '../smtp.js';

/** The app's own job handlers, run by a worker whose clock the test moves. */
function workerAt(t: TestApp, clock: { now: Date }): JobWorker {
  return new JobWorker(t.db, t.app.dbDialect, t.app.jobs.handlers, { now: () => clock.now });
}

const later = (clock: { now: Date }, ms: number) => (clock.now = new Date(clock.now.getTime() + ms));

test('a sign-up made while the mail server is down gets its email once, when the server is back on the same port', async () => {
  const port = await freePort();
  const t = await buildTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  let inbox: Awaited<ReturnType<typeof startSmtp>> | null = null;
  try {
    const visitor = new Browserish(t.app);
    await visitor.get('/account/sign-up');
    const email = 'patient.reader@example.org';
    const res = await visitor.post('/account/sign-up', {
      email,
      displayName: 'Patient Reader',
      password: 'a long enough password',
      birthYear: '2008',
    });
    assert.equal(res.statusCode, 200);
    const clock = { now: new Date() };
    const worker = workerAt(t, clock);

    // Down: the attempt fails and the job waits for its next turn.
    assert.equal(await worker.runOnce(), 1);
    const [job] = await t.db.selectFrom('jobs').selectAll().where('kind', '=', 'account_email').execute();
    assert.ok(job);
    assert.equal(job.status, 'pending');
    assert.equal(Number(job.attempts), 1);
    assert.match(job.last_error ?? '', /ECONNREFUSED|connect/i);
    assert.equal(await worker.runOnce(), 0, 'nothing is due before the backoff has passed');

    inbox = await startSmtp(port);
    later(clock, 60_000);
    assert.equal(await worker.runOnce(), 1);
    const message = await inbox.waitFor(email, /Confirm your email/);
    assert.match(inbox.linkIn(message, 'http://harbinger.test/account/verify?token='), /token=/);

    later(clock, 3_600_000);
    assert.equal(await worker.runOnce(), 0);
    assert.equal(inbox.messages.length, 1, 'one email, not one per attempt');
    const done = await findJob(t.db, job.id);
    assert.equal(done?.status, 'done');
    assert.equal(Number(done?.attempts), 2);
    const accounts = await t.db.selectFrom('users').select('id').where('email', '=', email).execute();
    assert.equal(accounts.length, 1, 'one account, made once');
  } finally {
    await inbox?.close();
    await t.close();
  }
});

test('an email waiting for the mail server is not given up after max_attempts, only a day after it was queued', async () => {
  // Port 1: nothing listens there, and no other test's server can take it in the meantime (as a freed port could be).
  const t = await buildTestApp({ seed: false, env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
  try {
    const message = { to: 'reader@example.org', subject: 'Your weekly brief', text: 'Hello', html: '<p>Hello</p>' };
    const id = await enqueue(t.db, 'send_email', message, { maxAttempts: 2 });
    // The worker's clock starts once the job is queued: a clock read before would find it not yet due.
    const clock = { now: new Date() };
    const worker = workerAt(t, clock);
    for (let attempt = 1; attempt <= 4; attempt++) {
      assert.equal(await worker.runOnce(), 1, `attempt ${attempt} runs`);
      assert.equal((await findJob(t.db, id))?.status, 'pending', `still waiting after attempt ${attempt}`);
      later(clock, 3_600_000);
    }
    later(clock, SERVICE_AWAY_PATIENCE_MS);
    assert.equal(await worker.runOnce(), 1);
    const job = await findJob(t.db, id);
    assert.equal(job?.status, 'failed', 'a day on, the job is given up');
    assert.match(job?.last_error ?? '', /ECONNREFUSED|connect/i);
  } finally {
    await t.close();
  }
});
