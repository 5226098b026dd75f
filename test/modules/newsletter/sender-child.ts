// A sending process for the fault test: opens the test's database (the same
// SQLite file, or the same PostgreSQL schema), runs a job worker with the
// newsletter's send handler over pooled SMTP, and exits once the issue is sent.
// The test kills it with SIGKILL halfway and starts another.
//
// Input (JSON in NL_CHILD): { database, smtpUrl, siteUrl, issueId }.
import { openDatabase } from '../../../src/db/database.js';
import { getSetting } from '../../../src/db/settings.js';
import type { DatabaseConfig } from '../../../src/config.js';
import { JobWorker } from '../../../src/jobs/index.js';
import { ArticlesService } from '../../../src/modules/articles/index.js';
import { createNewsletterTransport, itemRefresher, NewsletterSender } from '../../../src/modules/newsletter/index.js';

interface ChildInput {
  database: DatabaseConfig;
  smtpUrl: string;
  siteUrl: string;
  issueId: string;
}

const input = JSON.parse(process.env.NL_CHILD ?? '{}') as ChildInput;
const database = openDatabase(input.database);
const db = database.db;
const secret = await getSetting(db, 'secret_key');
if (!secret) throw new Error('the test app did not store its secret');

const transport = createNewsletterTransport({
  smtpUrl: input.smtpUrl,
  outboxDir: '/nonexistent',
  maxConnections: 3,
  socketTimeoutMs: 10_000,
});
const sender = new NewsletterSender(
  {
    db,
    dialect: database.kind,
    transport,
    site: { siteName: 'The Harbinger', siteUrl: input.siteUrl },
    secret,
    defaultFrom: 'The Harbinger <newsroom@harbinger.test>',
    refreshItems: itemRefresher(new ArticlesService(db, 12)),
  },
  // Short leases and backoffs, so the test does not wait minutes for a dead sender's claims.
  { leaseMs: 2000, retryBaseMs: 300, batchSize: 5, sliceMs: 3000 },
);
const worker = new JobWorker(
  db,
  database.kind,
  { newsletter_send: (payload, job) => sender.handle(payload, job) },
  { leaseMs: 2000, pollMs: 50, backoffBaseMs: 100, keepAlive: true },
);
worker.start();
process.stdout.write('ready\n');

const timer = setInterval(() => {
  void db
    .selectFrom('newsletter_issues')
    .select('status')
    .where('id', '=', input.issueId)
    .executeTakeFirst()
    .then(async (row) => {
      if (row?.status !== 'sent') return;
      clearInterval(timer);
      await worker.stop();
      transport.close();
      await database.close();
      process.exit(0);
    });
}, 100);
