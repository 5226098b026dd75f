// The subscriber list keeps what it is told: an export imports back as the same
// list (the spreadsheet guard undone, pending addresses still pending), the
// delimiter comes from the header line, internationalised addresses subscribe
// and receive mail (SMTPUTF8), hard bounces three issues in a row suppress an
// address until the editor reactivates it, a stalled sender is reported, and a
// plain-http site URL is warned about at start-up in production.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { normaliseEmail } from '../../../src/lib/email.js';
import * as repo from '../../../src/modules/newsletter/newsletter.repository.js';
import { SUBSCRIBE_LIMIT } from '../../../src/modules/newsletter/newsletter.service.js';
import { DELIVERY_LEASE_MS, HEARTBEAT_MS } from '../../../src/modules/newsletter/sending.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, createTestDatabase, databaseKind, TEST_MEDIA_DIR, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import { postMultipart } from '../media/multipart.js';
import { drainJobs, postPairs, readerClient, visitorSignUp } from './helpers.js';

const IMPORT = '/newsroom/newsletters/weekly-brief/subscribers/import';
const SUBSCRIBERS = '/newsroom/newsletters/weekly-brief/subscribers';
const BOUNCY = 'gone.for.good@example.org';
const actor = {
  userId: 'lists-test',
  personId: 'lists-test',
  name: 'Editor',
  roles: [{ role: 'newsletter_editor' as const, sectionId: null }],
};

interface Received {
  rcpt: string;
  utf8: boolean;
  mail: ParsedMail;
}

/** A real SMTP server that records each envelope (and whether SMTPUTF8 was asked for) and refuses one address for good. */
class RecordingSmtp {
  readonly received: Received[] = [];
  readonly refused: string[] = [];
  url = '';
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (address.address.toLowerCase() === BOUNCY) {
        this.refused.push(address.address);
        return callback(Object.assign(new Error('5.1.1 <gone.for.good@example.org>: mailbox does not exist'), { responseCode: 550 }));
      }
      callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          const args = (session.envelope.mailFrom ? session.envelope.mailFrom.args : {}) as Record<string, unknown>;
          for (const r of session.envelope.rcptTo) this.received.push({ rcpt: r.address, utf8: Boolean(args.SMTPUTF8), mail });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  to(address: string, subject?: RegExp): Received[] {
    // The envelope may carry the domain in ASCII (punycode): compare the stored form.
    return this.received.filter(
      (r) => normaliseEmail(r.rcpt) === normaliseEmail(address) && (!subject || subject.test(r.mail.subject ?? '')),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let t: TestApp;
let smtp: RecordingSmtp;
let chief: Browserish;

before(async () => {
  smtp = new RecordingSmtp();
  await smtp.start();
  t = await buildTestApp({ env: { SMTP_URL: smtp.url } });
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(async () => {
  await t.close();
  await smtp.close();
});

async function importFile(csv: string, consent: boolean) {
  await chief.get(IMPORT);
  const parts: [string, string | { filename: string; contentType: string; bytes: Buffer }][] = [
    ...(consent ? ([['consent', '1']] as [string, string][]) : []),
    ['file', { filename: 'list.csv', contentType: 'text/csv', bytes: Buffer.from(csv) }],
  ];
  return postMultipart(t.app, chief, IMPORT, parts);
}

async function statusOf(email: string): Promise<string | undefined> {
  return (await t.db.selectFrom('subscriptions').select('status').where('email', '=', email).executeTakeFirst())?.status;
}

async function listState(): Promise<Record<string, string>> {
  const rows = await t.db.selectFrom('subscriptions').select(['email', 'status']).orderBy('email').execute();
  return Object.fromEntries(rows.map((r) => [r.email, r.status]));
}

/** Composes an issue, sends it now, and runs the queue until it is sent. */
async function sendIssue(subject: string): Promise<string> {
  const service = t.app.newsletter.service;
  const id = await service.createIssue(actor, 'weekly-brief');
  await service.saveIssue(actor, id, {
    subject,
    intro: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hello.' }] }] },
    articleIds: [],
  });
  await service.sendNow(actor, id);
  for (let i = 0; i < 50; i++) {
    await drainJobs(t);
    const issue = await t.db.selectFrom('newsletter_issues').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    if (issue.status === 'sent') return id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the issue “${subject}” was not sent`);
}

describe('exporting and importing the list', () => {
  it('imports an export back as the same list: the formula guard is undone and pending addresses stay pending', async () => {
    const consentRows = ['+plus@example.com', '-minus@example.com', 'plain@example.com'];
    const first = await importFile(`email\n${consentRows.join('\n')}\n`, true);
    assert.equal(first.statusCode, 200);
    await importFile('email\nwaiting@example.com\n', false); // pending: a confirmation email, no answer yet
    assert.equal(await statusOf('waiting@example.com'), 'pending');
    const before = await listState();

    const exported = await chief.get('/newsroom/newsletters/weekly-brief/subscribers.csv');
    assert.equal(exported.statusCode, 200);
    // The spreadsheet guard is there in the file...
    assert.match(exported.body, /^'\+plus@example\.com,confirmed,/m);
    assert.match(exported.body, /^'-minus@example\.com,confirmed,/m);
    assert.match(exported.body, /^waiting@example\.com,pending,/m);

    // ...and the import undoes it, keeping each row's status, even with consent ticked.
    const again = await importFile(exported.body.replace(/^\ufeff/, ''), true);
    assert.equal(again.statusCode, 200, textOf(again.body));
    assert.match(textOf(again.body), /0 added as confirmed subscribers/);
    assert.deepEqual(await listState(), before, 'the same addresses with the same statuses');
    assert.equal(await statusOf("'+plus@example.com"), undefined, 'no address with the apostrophe');
    assert.equal(await statusOf('waiting@example.com'), 'pending', 'never confirmed by an import');
  });

  it('keeps pending rows pending and leaves unsubscribed rows out, whatever the consent box says', async () => {
    const res = await importFile(
      'email,status\nnew.pending@example.com,pending\nnew.confirmed@example.com,confirmed\nnew.gone@example.com,unsubscribed\nplain@example.com,unsubscribed\n',
      true,
    );
    assert.equal(res.statusCode, 200, textOf(res.body));
    assert.equal(await statusOf('new.pending@example.com'), 'pending');
    assert.equal(await statusOf('new.confirmed@example.com'), 'confirmed');
    assert.equal(await statusOf('new.gone@example.com'), undefined, 'not added');
    assert.equal(await statusOf('plain@example.com'), 'unsubscribed', 'the file says this one left');
    // The pending one is asked to confirm, as anyone who signs up is.
    await drainJobs(t);
    assert.equal(smtp.to('new.pending@example.com', /Confirm your subscription/).length, 1);
    // A file cannot resubscribe someone who left.
    await importFile('email,status\nplain@example.com,confirmed\n', true);
    assert.equal(await statusOf('plain@example.com'), 'unsubscribed');
  });

  it('takes the delimiter from the header line: a semicolon inside a comma file is part of a value', async () => {
    const res = await importFile('name,email\nSmith; Jo,jo.smith@example.com\n"Lee; Ann",ann.lee@example.com\n', true);
    assert.equal(res.statusCode, 200, textOf(res.body));
    assert.match(textOf(res.body), /2 added as confirmed subscribers/);
    assert.equal(await statusOf('jo.smith@example.com'), 'confirmed');
    assert.equal(await statusOf('ann.lee@example.com'), 'confirmed');
    // A semicolon file still works.
    const semicolons = await importFile('name;email\nDoe, Jane;jane.doe@example.com\n', true);
    assert.equal(semicolons.statusCode, 200, textOf(semicolons.body));
    assert.equal(await statusOf('jane.doe@example.com'), 'confirmed');
  });
});

describe('internationalised addresses', () => {
  it('subscribe through the form and the import, and receive their mail over SMTPUTF8', async () => {
    const typed = 'José@Exämple.org';
    const page = await visitorSignUp(t, typed);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /We have sent a message to josé@exämple\.org/);
    assert.equal(await statusOf('josé@exämple.org'), 'pending');
    // The same address with its domain in ASCII is the same subscriber.
    await visitorSignUp(t, 'josé@xn--exmple-cua.org');
    assert.equal((await t.db.selectFrom('subscriptions').select('id').where('email', 'like', 'jos%').execute()).length, 1);

    await drainJobs(t);
    const confirmation = smtp.to('josé@exämple.org', /Confirm your subscription/);
    assert.ok(
      confirmation.length >= 1,
      `the confirmation email went out (the server saw ${JSON.stringify(smtp.received.map((r) => r.rcpt))})`,
    );
    assert.ok(confirmation[0]!.utf8, 'sent with SMTPUTF8');
    const link = /http:\/\/harbinger\.test\/newsletters\/confirm\?token=[^\s<>"]+/.exec(confirmation[0]!.mail.text ?? '')![0];
    const visitor = new Browserish(t.app);
    assert.equal((await visitor.get(link.replace('http://harbinger.test', ''))).statusCode, 200);
    const confirmed = await visitor.post('/newsletters/confirm', { token: new URL(link).searchParams.get('token')! });
    assert.ok([200, 303].includes(confirmed.statusCode), `confirmed: ${confirmed.statusCode}`);
    assert.equal(await statusOf('josé@exämple.org'), 'confirmed');

    const imported = await importFile('email\n用户@例子.广告\nмария@пример.рф\n', true);
    assert.equal(imported.statusCode, 200, textOf(imported.body));
    assert.equal(await statusOf('用户@例子.广告'), 'confirmed');

    await sendIssue('Hello to every alphabet');
    for (const address of ['josé@exämple.org', '用户@例子.广告', 'мария@пример.рф']) {
      const got = smtp.to(address, /^Hello to every alphabet$/);
      assert.equal(got.length, 1, `${address} got the issue`);
      assert.ok(got[0]!.utf8, `${address}: over SMTPUTF8`);
    }
  });
});

describe('the per-address sign-up limit', () => {
  it('refuses a sixth sign-up of one address within the hour, from any client, keeping what was typed', async () => {
    const address = 'popular.target@example.org';
    for (let i = 0; i < SUBSCRIBE_LIMIT.max; i++) assert.equal((await visitorSignUp(t, address)).statusCode, 200);
    const refused = await visitorSignUp(t, address.toUpperCase());
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.match(textOf(refused.body), /Too many sign-ups for this address/);
    assert.match(refused.body, /value="POPULAR\.TARGET@EXAMPLE\.ORG"/);
    // Other addresses are not held up.
    assert.equal((await visitorSignUp(t, 'someone.else@example.org')).statusCode, 200);
  });
});

describe('hard bounces', () => {
  it('suppress an address refused for good three issues running; it is shown, skipped, and can be reactivated', async () => {
    await importFile(`email\n${BOUNCY}\n`, true);
    for (const n of [1, 2, 3]) {
      await sendIssue(`Bounce test ${n}`);
      const sub = await t.db
        .selectFrom('subscriptions')
        .select(['status', 'hard_bounces'])
        .where('email', '=', BOUNCY)
        .executeTakeFirstOrThrow();
      assert.equal(Number(sub.hard_bounces), n);
      assert.equal(sub.status, n < 3 ? 'confirmed' : 'suppressed');
    }
    assert.equal(smtp.refused.length, 3);

    const page = await chief.get(`${SUBSCRIBERS}?status=suppressed`);
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Suppressed \(hard bounces\) 1/);
    assert.match(
      text,
      new RegExp(
        `${BOUNCY.replace(/\./g, '\\.')} Suppressed \\(hard bounces\\) Refused for good 3 issues in a row; last answer: 550 5\\.1\\.1`,
      ),
    );

    // The next issue does not try it at all.
    const fourth = await sendIssue('Bounce test 4');
    assert.equal(smtp.refused.length, 3, 'no further attempt');
    const delivery = await t.db
      .selectFrom('deliveries')
      .innerJoin('subscriptions', 'subscriptions.id', 'deliveries.subscription_id')
      .select('deliveries.id')
      .where('deliveries.issue_id', '=', fourth)
      .where('subscriptions.email', '=', BOUNCY)
      .executeTakeFirst();
    assert.equal(delivery, undefined, 'not among the recipients');

    // The editor takes it back.
    const sub = await t.db.selectFrom('subscriptions').select('id').where('email', '=', BOUNCY).executeTakeFirstOrThrow();
    const reactivate = await postPairs(t, chief, `${SUBSCRIBERS}/${sub.id}/reactivate`, []);
    assert.equal(reactivate.statusCode, 303);
    const after = await t.db
      .selectFrom('subscriptions')
      .select(['status', 'hard_bounces'])
      .where('email', '=', BOUNCY)
      .executeTakeFirstOrThrow();
    assert.deepEqual({ status: after.status, hard_bounces: Number(after.hard_bounces) }, { status: 'confirmed', hard_bounces: 0 });
    const listed = await chief.get(reactivate.headers.location as string);
    assert.match(textOf(listed.body), /gone\.for\.good@example\.org gets the newsletter again/);
  });
});

describe('a stalled sender', () => {
  it('is reported on the sending page with the time sending resumes, and leases are short and renewed often', async () => {
    assert.ok(DELIVERY_LEASE_MS <= 30_000, 'a dead sender’s claims come back within half a minute');
    assert.ok(HEARTBEAT_MS <= 5_000, 'a live sender renews every few seconds');

    const service = t.app.newsletter.service;
    const id = await service.createIssue(actor, 'weekly-brief');
    await service.saveIssue(actor, id, {
      subject: 'Stalled',
      intro: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hello.' }] }] },
      articleIds: [],
    });
    await service.sendNow(actor, id);
    await t.app.newsletter.sender.start(id);
    const now = new Date();
    // A sender claimed three recipients and then stopped renewing: its leases end in 12 s.
    const until = new Date(now.getTime() + 12_000);
    const claimed = await repo.claimDeliveries(t.db, databaseKind, {
      issueId: id,
      now: now.toISOString(),
      lockedUntil: until.toISOString(),
      limit: 3,
    });
    assert.equal(claimed.length, 3);
    // Another one is alive: its claim was just renewed.
    await repo.claimDeliveries(t.db, databaseKind, {
      issueId: id,
      now: now.toISOString(),
      lockedUntil: new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString(),
      limit: 1,
    });

    const page = await chief.get(`/newsroom/newsletters/issues/${id}/sending`);
    assert.equal(page.statusCode, 200);
    const hhmm = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(until);
    assert.match(textOf(page.body), new RegExp(`3 recipients are waiting for a stalled sender; resumes at ${hhmm} \\(Europe/London\\)`));
    assert.match(page.body, /role="status"/);
  });
});

/** The accessible names of a page's landmarks (sections and navs named by aria-label or by their heading). */
function landmarkNames(html: string): string[] {
  const names: string[] = [];
  for (const m of html.matchAll(/<(section|nav|aside|form)\b[^>]*\baria-label="([^"]+)"/g)) names.push(m[2]!);
  for (const m of html.matchAll(/<(section|nav|aside)\b[^>]*\baria-labelledby="([^"]+)"/g)) {
    const heading = new RegExp(`id="${m[2]}"[^>]*>([\\s\\S]*?)</h[1-6]>`).exec(html);
    names.push(textOf(heading?.[1] ?? m[2]!));
  }
  return names;
}

describe('sign-up boxes for signed-in readers', () => {
  it('tell a subscribed reader they get the Weekly Brief, on cached pages too, and offer it to everyone else', async () => {
    const subscribed = await readerClient(t, 'already.reading@example.net', 'Already');
    const res = await subscribed.post('/account/newsletters', { newsletter: 'weekly-brief', action: 'subscribe', source: 'home' });
    assert.equal(res.statusCode, 303);
    const other = await readerClient(t, 'not.yet@example.net', 'Not Yet');
    const article = await t.db.selectFrom('articles').select('slug').where('status', '=', 'published').executeTakeFirstOrThrow();

    for (const path of ['/', `/articles/${article.slug}`]) {
      // The page for signed-in readers is rendered once and cached; the box is filled per request.
      const mine = textOf((await subscribed.get(path)).body);
      assert.doesNotMatch(mine, /Get the Weekly Brief/, `${path}: no offer to a subscriber`);
      assert.match(mine, /You get the Weekly Brief ?\. Manage your newsletters/, `${path}: the subscriber's note`);
      const theirs = textOf((await other.get(path)).body);
      assert.match(theirs, /Get the Weekly Brief/, `${path}: offered to a reader who does not get it`);
      assert.doesNotMatch(theirs, /You get the Weekly Brief/);
    }
    const home = await subscribed.get('/');
    assert.match(home.body, /<a href="\/account\/newsletters">Manage your newsletters<\/a>/);
  });

  it('are landmarks with names of their own', async () => {
    for (const html of [
      (await t.app.inject({ method: 'GET', url: '/' })).body,
      (await (await readerClient(t, 'landmarks@example.net')).get('/')).body,
    ]) {
      const names = landmarkNames(html);
      assert.ok(names.includes('The Weekly Brief'), `the box is named (${names.join(' | ')})`);
      const newsletterNames = names.filter((n) => /weekly brief|newsletter/i.test(n));
      assert.equal(newsletterNames.length, 2, `the box and the footer's form (${names.join(' | ')})`);
      assert.equal(
        new Set(newsletterNames).size,
        newsletterNames.length,
        `no two newsletter landmarks share a name (${names.join(' | ')})`,
      );
    }
  });
});

describe('start-up', () => {
  it('warns in production when the site URL is plain http (one-click unsubscribe needs https)', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const start = async (env: Record<string, string>) => {
      const db = await createTestDatabase();
      const config = loadConfig(
        {
          NODE_ENV: 'production',
          DATA_DIR: t.dataDir,
          MEDIA_DIR: TEST_MEDIA_DIR,
          LOG_LEVEL: 'warn',
          SESSION_SECRET: 'x'.repeat(40),
          ...env,
        },
        {
          database:
            db.database.kind === 'sqlite' ? { kind: 'sqlite', file: ':memory:' } : { kind: 'postgres', url: process.env.DATABASE_URL! },
        },
      );
      const app = await buildApp({ config, database: db.database, logger: { level: 'warn', stream } });
      await app.close();
      await db.drop();
    };
    await start({ SITE_URL: 'http://magazine.example' });
    const warning = lines.find((l) => /one-click unsubscribe/.test(l));
    assert.ok(warning, 'a warning was logged');
    assert.match(warning, /"level":40/);
    assert.match(warning, /SITE_URL is http:\/\/magazine\.example, not https/);

    lines.length = 0;
    await start({ SITE_URL: 'https://magazine.example' });
    assert.equal(lines.filter((l) => /one-click unsubscribe/.test(l)).length, 0, 'no warning with https');
  });
});
