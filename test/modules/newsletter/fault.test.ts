// Sending survives faults: an SMTP server that refuses some recipients for now
// (451) and one for good (550), and a sending process killed with SIGKILL
// halfway through an issue. The sender runs in a child process on the same
// database (a SQLite file, or the same PostgreSQL schema); after it is killed a
// second one takes over. Nobody is skipped, and the permanent failure is in the
// report.
//
// The kill lands at the worst moment: the test holds a lock on the deliveries
// table, so the sender cannot record the messages the server keeps accepting
// (250), and kills it while they are unrecorded. Those are sent again by the
// next sender (the window documented in src/modules/newsletter/sending.ts); the
// sender lets at most one message per SMTP connection be out and unrecorded, so
// the repeats are at most the number of connections (3 here), however long the
// database stalls. Sending a batch and recording it afterwards repeated every
// message of the batches in flight.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import SQLite from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig, type DatabaseConfig } from '../../../src/config.js';
import { openDatabase, type Db, type OpenDatabase } from '../../../src/db/database.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { seedDemo } from '../../../src/demo/seed.js';
import { DEMO_SUBSCRIBERS } from '../../../src/modules/newsletter/index.js';
import { databaseKind, TEST_MEDIA_DIR, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';

const CHILD = fileURLToPath(new URL('./sender-child.ts', import.meta.url));
const SITE = 'http://harbinger.test';
const OK = Array.from({ length: 34 }, (_, i) => `reader${String(i + 1).padStart(2, '0')}@example.net`);
const FLAKY = ['flaky1@example.net', 'flaky2@example.net', 'flaky3@example.net', 'flaky4@example.net', 'flaky5@example.net'];
const BOUNCE = 'nobody@example.net';
const SUBSCRIBERS = [...OK, ...FLAKY, BOUNCE];
/** The test locks the deliveries table once the server has accepted this many. */
const LOCK_AFTER = 10;
/** The child's SMTP pool (sender-child.ts): the bound on messages repeated after a kill. */
const CONNECTIONS = 3;

/** A database that a child process can open too: a SQLite file, or a PostgreSQL schema. */
async function sharedDatabase(): Promise<{ config: DatabaseConfig; database: OpenDatabase; drop(): Promise<void> }> {
  if (databaseKind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'harbinger-newsletter-'));
    const config: DatabaseConfig = { kind: 'sqlite', file: join(dir, 'harbinger.db') };
    const database = openDatabase(config);
    await migrateToLatest(database.db);
    return { config, database, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.DATABASE_URL!;
  const user = new URL(url).username || 'postgres';
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, user });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const config: DatabaseConfig = { kind: 'postgres', url, schema };
  const database = openDatabase(config);
  await migrateToLatest(database.db, schema);
  return {
    config,
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: url, user });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** An SMTP server that greylists some recipients, refuses one, and can be told to stop answering. */
class FaultySmtp {
  readonly accepted: { to: string; messageId: string }[] = [];
  readonly rcptAttempts = new Map<string, number>();
  /** Messages being read. */
  parsing = 0;
  private readonly server: SMTPServer;
  url = '';

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const email = address.address.toLowerCase();
        const n = (this.rcptAttempts.get(email) ?? 0) + 1;
        this.rcptAttempts.set(email, n);
        if (email === BOUNCE)
          return callback(Object.assign(new Error('5.1.1 <nobody@example.net>: no such user here'), { responseCode: 550 }));
        if (FLAKY.includes(email) && n === 1)
          return callback(Object.assign(new Error('4.7.1 Greylisted, please try again later'), { responseCode: 451 }));
        callback();
      },
      onData: (stream, session, callback) => {
        this.parsing++;
        simpleParser(stream).then(
          (mail) => {
            this.parsing--;
            this.accepted.push({ to: String(session.envelope.rcptTo[0]?.address).toLowerCase(), messageId: mail.messageId ?? '' });
            callback();
          },
          (err: Error) => {
            this.parsing--;
            callback(err);
          },
        );
      },
    });
    // A killed client resets its connections; that is expected here.
    this.server.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  acceptedFor(email: string): number {
    return this.accepted.filter((a) => a.to === email).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function startChild(input: object): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, NL_CHILD: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.${output ? `\nChild output:\n${output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Holds the deliveries table so that no row can be updated (reads still work): a stalled database. */
async function lockDeliveries(config: DatabaseConfig): Promise<() => Promise<void>> {
  if (config.kind === 'sqlite') {
    const handle = new SQLite(config.file);
    handle.exec('BEGIN IMMEDIATE');
    return async () => {
      handle.exec('ROLLBACK');
      handle.close();
    };
  }
  const client = new pg.Client({ connectionString: config.url, user: new URL(config.url).username || 'postgres' });
  await client.connect();
  await client.query(`set search_path to ${config.schema}`);
  await client.query('begin');
  await client.query('lock table deliveries in share row exclusive mode');
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}

async function countByStatus(db: Db, issueId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('issue_id', '=', issueId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

let shared: Awaited<ReturnType<typeof sharedDatabase>>;
let app: FastifyInstance;
let smtp: FaultySmtp;
let dataDir: string;
const children: ChildProcess[] = [];

before(async () => {
  smtp = new FaultySmtp();
  await smtp.start();
  shared = await sharedDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'harbinger-test-'));
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, MEDIA_DIR: TEST_MEDIA_DIR, LOG_LEVEL: 'silent', SITE_URL: SITE, SMTP_URL: smtp.url },
    { database: shared.config },
  );
  await seedDemo(shared.database.db, config.mediaDir);
  app = await buildApp({ config, database: shared.database, logger: false });
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await app.close();
  await shared.database.close();
  await shared.drop();
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sending through faults', () => {
  it('survives 451s, a 550 and a SIGKILL while the database stalls: nobody is skipped, at most one repeat per connection, and the failure is reported', async () => {
    const db = shared.database.db;
    const actor = {
      userId: 'fault-test',
      personId: 'fault-test',
      name: 'Test Editor',
      roles: [{ role: 'newsletter_editor' as const, sectionId: null }],
    };
    const newsletters = app.newsletter.service;
    const report = await newsletters.importCsv(actor, 'weekly-brief', Buffer.from(`email\n${SUBSCRIBERS.join('\n')}\n`), true);
    assert.equal(report.confirmed, SUBSCRIBERS.length);
    const issueId = await newsletters.createIssue(actor, 'weekly-brief');
    const { items } = await newsletters.issue(actor, issueId);
    await newsletters.saveIssue(actor, issueId, {
      subject: 'The brief that would not die',
      intro: { type: 'doc', content: [] },
      articleIds: items.map((i) => i.articleId),
    });
    await newsletters.sendNow(actor, issueId);
    const everyone = [...SUBSCRIBERS, ...DEMO_SUBSCRIBERS];

    // The first sender: the database stalls once it is under way, the server keeps accepting, and the sender is killed.
    const input = { database: shared.config, smtpUrl: smtp.url, siteUrl: SITE, issueId };
    const first = startChild(input);
    children.push(first.child);
    await until('the first sender to get going', () => smtp.accepted.length >= LOCK_AFTER, 60_000, first.output);
    const unlock = await lockDeliveries(shared.config);
    const acceptedAtLock = smtp.accepted.length;
    // Long enough for a sender that does not wait for its records to push every claimed message through.
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, null, 'killed, not finished');
    await unlock();
    await until('the server to finish reading', () => smtp.parsing === 0, 10_000);
    const acceptedWhileStalled = smtp.accepted.length - acceptedAtLock;
    assert.ok(
      acceptedWhileStalled <= CONNECTIONS,
      `${acceptedWhileStalled} messages went out while none could be recorded (at most one per connection)`,
    );
    const atKill = await countByStatus(db, issueId);
    assert.ok((atKill.sending ?? 0) > 0, `some deliveries were in flight when it died (${JSON.stringify(atKill)})`);
    assert.ok((atKill.pending ?? 0) > 0, 'and some were not started yet');
    assert.ok(smtp.accepted.length < everyone.length - 1, 'halfway');
    assert.equal(
      (await db.selectFrom('newsletter_issues').select('status').where('id', '=', issueId).executeTakeFirstOrThrow()).status,
      'sending',
    );

    // A restart: a new sender takes over once the dead one's leases run out.
    const second = startChild(input);
    children.push(second.child);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([second.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 90_000)))]);
    clearTimeout(timer);
    if (code !== 0) {
      const jobs = await db
        .selectFrom('jobs')
        .select(['kind', 'status', 'run_at', 'attempts', 'locked_until', 'last_error', 'unique_key'])
        .execute();
      assert.fail(
        `the second sender did not finish the issue: ${JSON.stringify(await countByStatus(db, issueId))}\n${JSON.stringify(jobs, null, 1)}\n${second.output()}`,
      );
    }

    // Nobody skipped; the only repeats are messages accepted but not yet recorded when the sender died.
    let repeats = 0;
    for (const email of everyone.filter((e) => e !== BOUNCE)) {
      const n = smtp.acceptedFor(email);
      assert.ok(n >= 1, `${email} got the issue`);
      repeats += n - 1;
    }
    assert.ok(repeats <= CONNECTIONS, `${repeats} messages were sent twice: at most one per SMTP connection (${CONNECTIONS})`);
    assert.equal(smtp.acceptedFor(BOUNCE), 0);
    // A repeat keeps its Message-ID (mail providers fold the copies); different recipients never share one.
    const idsByRecipient = new Map<string, Set<string>>();
    for (const a of smtp.accepted) idsByRecipient.set(a.to, (idsByRecipient.get(a.to) ?? new Set()).add(a.messageId));
    for (const [to, ids] of idsByRecipient) assert.equal(ids.size, 1, `${to}: one Message-ID`);
    assert.equal(new Set(smtp.accepted.map((a) => a.messageId)).size, idsByRecipient.size, 'every recipient its own Message-ID');
    for (const email of FLAKY) assert.ok((smtp.rcptAttempts.get(email) ?? 0) >= 2, `${email} was retried after its 451`);

    const issue = await db.selectFrom('newsletter_issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();
    assert.equal(issue.status, 'sent');
    assert.equal(issue.recipients_count, everyone.length);
    assert.equal(issue.sent_count, everyone.length - 1);
    assert.equal(issue.failed_count, 1);
    const bounced = await db
      .selectFrom('deliveries')
      .innerJoin('subscriptions', 'subscriptions.id', 'deliveries.subscription_id')
      .select(['deliveries.status', 'deliveries.last_error', 'deliveries.attempts'])
      .where('deliveries.issue_id', '=', issueId)
      .where('subscriptions.email', '=', BOUNCE)
      .executeTakeFirstOrThrow();
    assert.equal(bounced.status, 'failed');
    // It reached the server at most once per attempt (an attempt cut short by the kill may not have), and
    // never again once the 550 was recorded.
    assert.ok(
      (smtp.rcptAttempts.get(BOUNCE) ?? 0) <= bounced.attempts && bounced.attempts <= 2,
      `${smtp.rcptAttempts.get(BOUNCE)} RCPTs, ${bounced.attempts} attempts`,
    );
    assert.match(bounced.last_error ?? '', /550/);

    // The sending page's final report names it.
    const chief = await staffClient({ app, db } as TestApp, 'aarav-kulkarni');
    const page = await chief.get(`/newsroom/newsletters/issues/${issueId}/sending`);
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, new RegExp(`sent to ${everyone.length - 1} of ${everyone.length} subscribers; 1 failed`));
    assert.match(text, /Could not be delivered/);
    assert.match(text, /nobody@example\.net [12] 550 5\.1\.1 <nobody@example\.net>: no such user here/);
  });
});
