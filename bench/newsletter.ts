// Newsletter benchmark: one issue of the Weekly Brief (the demo's articles, an
// intro) sent to 10,000 confirmed subscribers through the real path (the job
// queue, the sender's batches, a pooled SMTP transport) to a local SMTP sink, and
// the messages per second and peak memory it took. `npm run bench:newsletter
// [-- --subscribers N]`. Target: at least 1,000 messages per second.
//
// The sink (a bare SMTP server that counts messages and parses none) runs in a
// child process (this file with --sink), so it does not share the sender's event
// loop. Before the issue, the same number of messages of the same size, built
// beforehand, go through a bare nodemailer pool to the same sink: the ceiling
// the machine allows in this run, printed next to the sender's rate. The database is a SQLite file in a temporary folder, or a schema of its
// own in the PostgreSQL database DATABASE_URL names. The bench exits 0 once it has
// printed, and non-zero only when the send does not finish or messages go missing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DatabaseConfig } from '../src/config.js';
import { announceReady, formatTable, onParentGone, spawnChild, stopAllChildren } from './lib.js';

const SELF = fileURLToPath(import.meta.url);
/** Pictures survive between runs (shared with `npm run bench`). */
const MEDIA_DIR = join(tmpdir(), 'harbinger-bench-media');
const TARGET_PER_SECOND = 1000;
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    sink: { type: 'boolean' },
    seed: { type: 'string' },
    'count-file': { type: 'string' },
    subscribers: { type: 'string', default: '10000' },
  },
  strict: true,
});

/**
 * --sink: a bare SMTP server that accepts every message and keeps only a count;
 * writes the count to --count-file when stopped. It reads no command it does not
 * need and parses no message (it only looks for the end of the data), so it
 * costs the machine little next to the sender: smtp-server, which parses every
 * line through several streams, used to take a third of a core at 450 messages
 * a second. The ceiling it allows is measured in each run (see main).
 */
async function runSink(countFile: string): Promise<void> {
  const { createServer } = await import('node:net');
  const END = Buffer.from('\r\n.\r\n');
  let count = 0;
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.write('220 sink ESMTP\r\n');
    let inData = false;
    let commands = '';
    // The last bytes of data seen, so an end marker split between two chunks is found; data starts on a new line.
    let tail = Buffer.from('\r\n');
    const onCommands = (text: string) => {
      commands += text;
      let replies = '';
      for (let eol = commands.indexOf('\r\n'); eol !== -1 && !inData; eol = commands.indexOf('\r\n')) {
        const verb = commands.slice(0, 4).toUpperCase();
        commands = commands.slice(eol + 2);
        if (verb === 'EHLO' || verb === 'HELO') replies += '250-sink\r\n250 SIZE 10485760\r\n';
        else if (verb === 'DATA') {
          replies += '354 End data with <CR><LF>.<CR><LF>\r\n';
          inData = true;
          tail = Buffer.from('\r\n');
        } else if (verb === 'QUIT') {
          socket.end(`${replies}221 Bye\r\n`);
          return '';
        } else replies += verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP' ? '250 OK\r\n' : '502 No\r\n';
      }
      return replies;
    };
    socket.on('data', (chunk: Buffer) => {
      let replies = '';
      while (chunk.length > 0) {
        if (!inData) {
          replies += onCommands(chunk.toString('latin1'));
          if (!inData) break;
          // The rest of what came is the start of the data.
          chunk = Buffer.from(commands, 'latin1');
          commands = '';
          continue;
        }
        const joined = Buffer.concat([tail, chunk]);
        const at = joined.indexOf(END);
        if (at === -1) {
          tail = joined.subarray(Math.max(0, joined.length - 4));
          break;
        }
        count++;
        inData = false;
        replies += '250 OK: queued\r\n';
        chunk = joined.subarray(at + END.length);
      }
      if (replies) socket.write(replies);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const finish = () => {
    void writeFile(countFile, String(count)).finally(() => process.exit(0));
  };
  process.on('SIGTERM', finish);
  onParentGone(finish);
  announceReady({ port: (server.address() as AddressInfo).port });
}

/** --seed CONFIG: migrates and loads the demo in a process of its own, so sharp's memory does not count against the sender. */
async function runSeed(databaseJson: string): Promise<void> {
  const { openDatabase } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const { seedDemo } = await import('../src/demo/seed.js');
  const config = JSON.parse(databaseJson) as DatabaseConfig;
  const database = openDatabase(config);
  await migrateToLatest(database.db, config.kind === 'postgres' ? config.schema : undefined);
  await seedDemo(database.db, MEDIA_DIR);
  await database.close();
  announceReady({ port: 0 });
}

async function main(): Promise<number> {
  const subscribers = Number(values.subscribers);
  if (!Number.isInteger(subscribers) || subscribers < 1) throw new Error('--subscribers must be a whole number');
  const dir = await mkdtemp(join(tmpdir(), 'harbinger-bench-newsletter-'));
  const countFile = join(dir, 'sink-count');
  const sink = await spawnChild('smtp-sink', SELF, ['--sink', '--count-file', countFile], { readyTimeoutMs: 30_000 });

  const { loadConfig } = await import('../src/config.js');
  const { openDatabase } = await import('../src/db/database.js');
  const { buildApp } = await import('../src/app.js');
  const { DEMO_SUBSCRIBERS } = await import('../src/modules/newsletter/index.js');
  const { NEWSLETTER_CONNECTIONS } = await import('../src/modules/newsletter/sending.js');
  const pg = (await import('pg')).default;

  const pgUrl = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : null;
  const schema = pgUrl ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: pgUrl!, user: new URL(pgUrl!).username || 'postgres' });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  if (pgUrl) await admin(`create schema ${schema}`);
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: dir,
      MEDIA_DIR,
      LOG_LEVEL: 'warn',
      SITE_URL: 'https://harbinger.example',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    },
    { database: pgUrl ? { kind: 'postgres', url: pgUrl, schema } : { kind: 'sqlite', file: join(dir, 'harbinger.db') } },
  );
  process.stderr.write(`loading the demo (MEDIA_DIR ${MEDIA_DIR})…\n`);
  await spawnChild('seed', SELF, ['--seed', JSON.stringify(config.database)], { readyTimeoutMs: 300_000 });
  const database = openDatabase(config.database);
  try {
    // Exactly the subscribers asked for: the demo's two readers leave.
    await database.db.deleteFrom('subscriptions').where('email', 'in', DEMO_SUBSCRIBERS).execute();
    const app = await buildApp({ config, database, logger: false });
    const newsletters = app.newsletter.service;
    const actor = {
      userId: 'bench',
      personId: 'bench',
      name: 'Bench Editor',
      roles: [{ role: 'newsletter_editor' as const, sectionId: null }],
    };

    process.stderr.write(`importing ${subscribers.toLocaleString('en-GB')} subscribers…\n`);
    const csv = `email\n${Array.from({ length: subscribers }, (_, i) => `reader${i + 1}@bench.example`).join('\n')}\n`;
    const importStarted = performance.now();
    await newsletters.importCsv(actor, 'weekly-brief', Buffer.from(csv), true);
    const importSeconds = (performance.now() - importStarted) / 1000;

    const issueId = await newsletters.createIssue(actor, 'weekly-brief');
    const { items } = await newsletters.issue(actor, issueId);
    const intro = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'Hello readers! This week our writers went diving, marching and voting. Read on.' }],
        },
      ],
    };
    await newsletters.saveIssue(actor, issueId, {
      subject: 'The Weekly Brief: benchmark edition',
      intro,
      articleIds: items.map((i) => i.articleId),
    });
    const { rendered } = await newsletters.preview(actor, issueId);

    // The ceiling: the same number of messages of the same size, built once beforehand, through a bare
    // nodemailer pool of the same size to the same sink (no database, no per-recipient work).
    process.stderr.write('measuring the sink with prebuilt messages…\n');
    const connections = NEWSLETTER_CONNECTIONS;
    const raw = await new MailComposer({
      from: '"Bench" <bench@harbinger.example>',
      to: 'reader@bench.example',
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      textEncoding: 'quoted-printable',
    })
      .compile()
      .build();
    const pool = nodemailer.createTransport({ url: config.mail.smtpUrl, pool: true, maxConnections: connections, maxMessages: 500 });
    const baselineStarted = performance.now();
    await Promise.all(
      Array.from({ length: subscribers }, (_, i) =>
        pool.sendMail({ envelope: { from: 'bench@harbinger.example', to: [`reader${i + 1}@bench.example`] }, raw }),
      ),
    );
    const baselinePerSecond = subscribers / ((performance.now() - baselineStarted) / 1000);
    pool.close();

    process.stderr.write('sending…\n');
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 25);
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    await newsletters.sendNow(actor, issueId);
    const deadline = Date.now() + 30 * 60_000;
    for (;;) {
      const issue = await database.db.selectFrom('newsletter_issues').select('status').where('id', '=', issueId).executeTakeFirstOrThrow();
      if (issue.status === 'sent') break;
      if (Date.now() > deadline) throw new Error('the issue was not sent within 30 minutes');
      if ((await app.worker.runOnce()) === 0) await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const issue = await database.db.selectFrom('newsletter_issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();
    const chainJobs = (await database.db.selectFrom('jobs').select('id').where('kind', '=', 'newsletter_send').execute()).length;
    await app.close();
    await sink.stop();
    const received = Number(await readFile(countFile, 'utf8').catch(() => '0'));

    const perSecond = issue.sent_count / seconds;
    console.log(
      `\nNewsletter benchmark: one issue to ${subscribers.toLocaleString('en-GB')} confirmed subscribers over pooled SMTP (${database.kind})\n`,
    );
    console.log(
      formatTable(
        [
          ['', 'value'],
          ['subscribers imported (CSV, consent)', `${subscribers.toLocaleString('en-GB')} in ${importSeconds.toFixed(2)} s`],
          ['email size (HTML + text)', `${((rendered.html.length + rendered.text.length) / 1024).toFixed(1)} KB, ${items.length} stories`],
          ['sent / failed', `${issue.sent_count.toLocaleString('en-GB')} / ${issue.failed_count}`],
          ['received by the sink (baseline and issue)', received.toLocaleString('en-GB')],
          ['time (deliveries created to issue sent)', `${seconds.toFixed(2)} s`],
          ['jobs in the sending chain', String(chainJobs)],
          [
            'messages per second',
            `${perSecond.toFixed(0)} (target ≥ ${TARGET_PER_SECOND}: ${perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'})`,
          ],
          [
            `sink ceiling (prebuilt messages, bare pool of ${connections})`,
            `${baselinePerSecond.toFixed(0)} per second (the sender reaches ${(perSecond / baselinePerSecond).toFixed(2)}× of it)`,
          ],
          ['peak RSS while sending', `${(peakRss / MB).toFixed(0)} MB (${((peakRss - rssBefore) / MB).toFixed(0)} MB above the start)`],
          ['peak RSS of the sending process', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`],
        ],
        [1],
      ),
    );
    console.log('');
    if (issue.recipients_count !== subscribers || issue.sent_count !== subscribers || received !== 2 * subscribers) {
      console.error(
        `Expected ${subscribers} messages twice (baseline, then the issue); ${issue.sent_count} were recorded as sent and ${received} reached the sink.`,
      );
      return 1;
    }
    return 0;
  } finally {
    await database.close().catch(() => undefined);
    if (pgUrl) await admin(`drop schema ${schema} cascade`).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (values.seed) {
  await runSeed(values.seed);
} else if (values.sink) {
  await runSink(values['count-file'] ?? join(tmpdir(), 'harbinger-sink-count'));
} else {
  main().then(
    async (code) => {
      await stopAllChildren();
      process.exit(code);
    },
    async (err: unknown) => {
      console.error(err);
      await stopAllChildren();
      process.exit(1);
    },
  );
}
