// The sender's rules, with a transport in memory: a job that runs twice sends
// once, a claim left by a dead sender is retried with the same Message-ID (the
// at-least-once window documented in sending.ts), an unreachable server pauses
// the send, transient failures give up after the last attempt, and readers who
// unsubscribe after the issue started are skipped. The last test sends over
// SMTP (the bulk client) through a connection that drops mid-batch.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { JobWorker } from '../../../src/jobs/index.js';
import { ArticlesService } from '../../../src/modules/articles/index.js';
import {
  createNewsletterTransport,
  itemRefresher,
  NewsletterSender,
  type NewsletterMessage,
  type NewsletterTransport,
  type SenderOptions,
} from '../../../src/modules/newsletter/index.js';
import { buildTestApp, databaseKind, type TestApp } from '../../helpers.js';
import { startSmtp } from '../../smtp.js';
import { startDroppingProxy } from '../../smtp-proxy.js';
import { messagesTo } from './helpers.js';

let t: TestApp;
const actor = {
  userId: 'sender-test',
  personId: 'sender-test',
  name: 'Editor',
  roles: [{ role: 'newsletter_editor' as const, sectionId: null }],
};
const READERS = ['r1@example.net', 'r2@example.net', 'r3@example.net', 'r4@example.net'];

class MemoryTransport implements NewsletterTransport {
  sent: NewsletterMessage[] = [];
  fail: ((m: NewsletterMessage) => Error | null) | null = null;
  async send(message: NewsletterMessage): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const err = this.fail?.(message);
    if (err) throw err;
    this.sent.push(message);
  }
  close(): void {}
}

function senderWith(transport: NewsletterTransport, options: SenderOptions = {}): NewsletterSender {
  return new NewsletterSender(
    {
      db: t.db,
      dialect: databaseKind,
      transport,
      site: { siteName: 'The Harbinger', siteUrl: 'http://harbinger.test' },
      secret: 'test-secret',
      defaultFrom: 'The Harbinger <newsroom@harbinger.test>',
      refreshItems: itemRefresher(new ArticlesService(t.db, 12)),
    },
    { retryBaseMs: 60_000, ...options },
  );
}

/** A new issue, started (deliveries created) but with nothing sent yet. */
async function startedIssue(sender: NewsletterSender): Promise<string> {
  const service = t.app.newsletter.service;
  const id = await service.createIssue(actor, 'weekly-brief');
  await service.saveIssue(actor, id, {
    subject: `Issue ${id.slice(-4)}`,
    intro: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }] },
    articleIds: [],
  });
  await service.sendNow(actor, id);
  await sender.start(id);
  return id;
}

async function deliveries(issueId: string) {
  return t.db
    .selectFrom('deliveries')
    .innerJoin('subscriptions', 'subscriptions.id', 'deliveries.subscription_id')
    .select([
      'deliveries.id',
      'deliveries.status',
      'deliveries.attempts',
      'deliveries.last_error',
      'deliveries.next_attempt_at',
      'subscriptions.email',
    ])
    .where('issue_id', '=', issueId)
    .orderBy('subscriptions.email')
    .execute();
}

async function issueRow(id: string) {
  return t.db.selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

before(async () => {
  t = await buildTestApp();
  await t.app.newsletter.service.importCsv(actor, 'weekly-brief', Buffer.from(`email\n${READERS.join('\n')}\n`), true);
});
after(async () => t.close());
beforeEach(async () => {
  await t.db.deleteFrom('jobs').execute();
});

describe('the sender', () => {
  it('starts an issue once and sends each delivery once, even when its job runs twice at the same time', async () => {
    const transport = new MemoryTransport();
    const sender = senderWith(transport, { batchSize: 2, lanes: 2 });
    const id = await t.app.newsletter.service.createIssue(actor, 'weekly-brief');
    await t.app.newsletter.service.saveIssue(actor, id, {
      subject: 'Twice',
      intro: { type: 'doc', content: [] },
      articleIds: (await t.app.newsletter.service.issue(actor, id)).items.map((i) => i.articleId),
    });
    await t.app.newsletter.service.sendNow(actor, id);
    await Promise.all([sender.handle({ issueId: id, chunk: 0 }), sender.handle({ issueId: id, chunk: 0 })]);
    const recipients = transport.sent.map((m) => m.to).sort();
    assert.deepEqual(recipients, ['ana.reader@example.org', 'ben.reader@example.org', ...READERS].sort());
    const issue = await issueRow(id);
    assert.equal(issue.status, 'sent');
    assert.equal(issue.number !== null, true);
    assert.equal(issue.sent_count, 6);
    // Again, as a late duplicate of the job: nothing more goes out.
    await sender.handle({ issueId: id, chunk: 0 });
    assert.equal(transport.sent.length, 6);
  });

  it('does nothing for an issue that was unscheduled before its time', async () => {
    const transport = new MemoryTransport();
    const sender = senderWith(transport);
    const id = await t.app.newsletter.service.createIssue(actor, 'weekly-brief');
    await t.app.newsletter.service.saveIssue(actor, id, {
      subject: 'Not yet',
      intro: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] },
      articleIds: [],
    });
    await t.app.newsletter.service.schedule(actor, id, new Date(Date.now() + 3600_000));
    await t.app.newsletter.service.unschedule(actor, id);
    assert.equal(
      (await t.db.selectFrom('jobs').select('id').where('kind', '=', 'newsletter_send').execute()).length,
      0,
      'the job is cancelled',
    );
    await sender.handle({ issueId: id, chunk: 0 });
    assert.equal(transport.sent.length, 0);
    assert.equal((await issueRow(id)).status, 'draft');
    await t.app.newsletter.service.deleteDraft(actor, id);
  });

  it('retries a claim left by a dead sender once its lease runs out, with the same Message-ID', async () => {
    const transport = new MemoryTransport();
    const sender = senderWith(transport);
    const id = await startedIssue(sender);
    // A sender died holding two deliveries: claimed, counted, never settled (it may or may not have sent them).
    const [a, b] = await deliveries(id);
    const past = new Date(Date.now() - 1000).toISOString();
    await t.db
      .updateTable('deliveries')
      .set({ status: 'sending', attempts: 1, locked_until: past })
      .where('id', 'in', [a!.id, b!.id])
      .execute();
    // A claim whose lease still runs belongs to a live sender: left alone.
    const [, , c] = await deliveries(id);
    await t.db
      .updateTable('deliveries')
      .set({ status: 'sending', attempts: 1, locked_until: new Date(Date.now() + 60_000).toISOString() })
      .where('id', '=', c!.id)
      .execute();

    await sender.handle({ issueId: id, chunk: 0 });
    const byEmail = new Map(transport.sent.map((m) => [m.to, m]));
    assert.equal(byEmail.get(a!.email)?.messageId, `<${a!.id}@harbinger.test>`);
    assert.equal(byEmail.get(b!.email)?.messageId, `<${b!.id}@harbinger.test>`);
    assert.ok(!byEmail.has(c!.email), 'a live claim is not taken');
    const rows = new Map((await deliveries(id)).map((d) => [d.email, d]));
    assert.equal(rows.get(a!.email)?.attempts, 2);
    assert.equal(rows.get(c!.email)?.status, 'sending');
    assert.equal((await issueRow(id)).status, 'sending', 'not finished while a claim is out');
    const next = await t.db.selectFrom('jobs').selectAll().where('unique_key', '=', `newsletter-send:${id}:1`).executeTakeFirstOrThrow();
    assert.ok(next.run_at >= new Date(Date.now() + 50_000).toISOString(), 'the next job waits for that lease');
  });

  it('pauses when the SMTP server cannot be reached, and gives up on a delivery after the last attempt', async () => {
    const transport = new MemoryTransport();
    transport.fail = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' });
    const sender = senderWith(transport, { batchSize: 2, lanes: 1, maxAttempts: 2, retryBaseMs: 60_000 });
    const id = await startedIssue(sender);
    await sender.handle({ issueId: id, chunk: 0 });
    const rows = await deliveries(id);
    assert.equal(rows.filter((d) => d.attempts === 1).length, 2, 'one batch tried, then the send paused');
    assert.equal(rows.filter((d) => d.attempts === 0).length, rows.length - 2);
    const job = await t.db.selectFrom('jobs').selectAll().where('unique_key', '=', `newsletter-send:${id}:1`).executeTakeFirstOrThrow();
    assert.ok(job.run_at >= new Date(Date.now() + 50_000).toISOString(), 'the next try waits for the backoff');

    // Time passes; a 4xx keeps failing: after maxAttempts the delivery fails for good, with the server's words.
    transport.fail = () =>
      Object.assign(new Error('451 4.3.0 Try later'), {
        responseCode: 451,
        response: '451 4.3.0 Mailbox busy, try later',
        command: 'RCPT TO',
      });
    await t.db
      .updateTable('deliveries')
      .set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
      .where('issue_id', '=', id)
      .execute();
    await sender.handle({ issueId: id, chunk: 1 });
    await t.db
      .updateTable('deliveries')
      .set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
      .where('issue_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    await sender.handle({ issueId: id, chunk: 2 });
    const after = await deliveries(id);
    assert.ok(
      after.every((d) => d.status === 'failed'),
      JSON.stringify(after.map((d) => [d.status, d.attempts])),
    );
    assert.match(after[0]!.last_error ?? '', /^Gave up after 2 attempts\. Last problem: 451 4\.3\.0 Mailbox busy, try later$/);
    const issue = await issueRow(id);
    assert.equal(issue.status, 'sent');
    assert.equal(issue.failed_count, 6);
  });

  it('records a permanent refusal at once, with the server’s answer, and does not retry it', async () => {
    const transport = new MemoryTransport();
    transport.fail = (m) =>
      m.to === READERS[1]
        ? Object.assign(new Error('550'), { responseCode: 550, response: '550 5.1.1 User unknown', command: 'RCPT TO' })
        : null;
    const sender = senderWith(transport);
    const id = await startedIssue(sender);
    await sender.handle({ issueId: id, chunk: 0 });
    const row = (await deliveries(id)).find((d) => d.email === READERS[1])!;
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, '550 5.1.1 User unknown');
    const issue = await issueRow(id);
    assert.equal(issue.status, 'sent');
    assert.equal(issue.sent_count, 5);
    assert.equal(issue.failed_count, 1);
  });

  it('skips readers who unsubscribed after the issue started', async () => {
    const transport = new MemoryTransport();
    const sender = senderWith(transport);
    const id = await startedIssue(sender);
    await t.db.updateTable('subscriptions').set({ status: 'unsubscribed' }).where('email', '=', READERS[0]!).execute();
    await sender.handle({ issueId: id, chunk: 0 });
    assert.ok(!transport.sent.some((m) => m.to === READERS[0]));
    const row = (await deliveries(id)).find((d) => d.email === READERS[0])!;
    assert.equal(row.status, 'skipped');
    const issue = await issueRow(id);
    assert.equal(issue.sent_count, 5);
    assert.equal(issue.failed_count, 0);
    await t.db.updateTable('subscriptions').set({ status: 'confirmed' }).where('email', '=', READERS[0]!).execute();
  });

  it('runs through the app’s job worker: the chain hands over when its time slice ends', async () => {
    const transport = new MemoryTransport();
    const sender = senderWith(transport, { batchSize: 1, lanes: 1, sliceMs: 0 });
    const id = await t.app.newsletter.service.createIssue(actor, 'weekly-brief');
    await t.app.newsletter.service.saveIssue(actor, id, {
      subject: 'Chained',
      intro: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] },
      articleIds: [],
    });
    await t.app.newsletter.service.sendNow(actor, id);
    const worker = new JobWorker(t.db, databaseKind, { newsletter_send: (payload, job) => sender.handle(payload, job) });
    while ((await worker.runOnce()) > 0);
    // A zero time slice still sends one batch per job: six jobs for six readers, then the last one finishes the issue.
    const chain = await t.db
      .selectFrom('jobs')
      .select(['unique_key', 'status'])
      .where('kind', '=', 'newsletter_send')
      .orderBy('created_at')
      .execute();
    assert.ok(chain.length >= 6, `a chain of jobs (${chain.length})`);
    assert.ok(chain.every((j) => j.status === 'done'));
    assert.equal(transport.sent.length, 6);
    assert.equal((await issueRow(id)).status, 'sent');
  });

  it('over SMTP, loses nobody and mails nobody twice when a connection drops in the middle of a batch', async () => {
    const inbox = await startSmtp();
    const proxy = await startDroppingProxy(inbox.url, READERS[2]!);
    const transport = createNewsletterTransport({ smtpUrl: proxy.url, outboxDir: '/nonexistent', maxConnections: 2 });
    try {
      const sender = senderWith(transport, { batchSize: 2, lanes: 2, retryBaseMs: 1 });
      const id = await startedIssue(sender);
      for (let chunk = 0; (await issueRow(id)).status !== 'sent' && chunk < 20; chunk++) {
        await sender.handle({ issueId: id, chunk });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(proxy.drops, 1, 'the connection carrying one message was dropped');
      const rows = await deliveries(id);
      assert.equal(rows.length, 6);
      for (const row of rows) assert.equal(messagesTo(inbox, row.email).length, 1, `${row.email}: exactly one message`);
      assert.equal(rows.find((d) => d.email === READERS[2])?.attempts, 2, 'the dropped message went again');
      const issue = await issueRow(id);
      assert.equal(issue.status, 'sent');
      assert.equal(issue.sent_count, 6);
      assert.equal(issue.failed_count, 0);
    } finally {
      transport.close();
      await proxy.close();
      await inbox.close();
    }
  });
});
