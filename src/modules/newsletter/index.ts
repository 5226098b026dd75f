// The newsletter: newsletters such as the Weekly Brief, double opt-in
// subscriptions (sign-up forms on the home page, the wall, the footer and
// /newsletters; one click for signed-in readers; signed unsubscribe and
// preferences links with RFC 8058 one-click unsubscribe), issues composed in the
// newsroom from the articles published since the last one, sending through the
// job queue over pooled SMTP with one delivery row per recipient as the
// idempotency key, the public archive, and the subscriber list with CSV import
// and export. Other modules use the account deletion hook and the job handlers
// built here; the sign-up form is shared UI (web/ui/newsletter-signup.tsx).
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { Db } from '../../db/database.js';
import type { JobHandlers, JobLogger } from '../../jobs/index.js';
import type { Mailer } from '../../mail/mailer.js';
import type { SiteIdentity } from '../../mail/layout.js';
import type { AccountsService } from '../accounts/index.js';
import type { ArticlesService } from '../articles/index.js';
import { NEWSLETTER_TEST_JOB, NewsletterService, itemOf } from './newsletter.service.js';
import { createNewsletterTransport, NewsletterSender, type NewsletterTransport, type SenderOptions } from './sending.js';
import type { IssueItem } from './issue-email.js';
import { newsletterDeskRoutes } from './newsletter-desk.routes.js';
import { newsletterRoutes } from './newsletter.routes.js';

export { newsletterRoutes, newsletterDeskRoutes };
export { NewsletterService } from './newsletter.service.js';
export {
  NewsletterSender,
  createNewsletterTransport,
  classifySmtpError,
  type NewsletterTransport,
  type NewsletterMessage,
  type SenderOptions,
} from './sending.js';
export { seedDemoSubscribers, DEMO_SUBSCRIBERS } from './demo.js';
export { newsletterBundle } from './bundle.js';
export { importSubscriber, type SubscriberImportOutcome } from './newsletter.repository.js';

export interface NewsletterModuleDeps {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  articles: ArticlesService;
  accounts: AccountsService;
  mailer: Mailer;
  site: SiteIdentity;
  secret: string;
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string };
  log: JobLogger;
  /** Replaces the transport the configuration describes (the benchmark and tests pass their own). */
  transport?: NewsletterTransport;
  sender?: SenderOptions;
  /** NODE_ENV=production: configuration mistakes that break mail clients are logged at start-up. */
  production?: boolean;
}

/**
 * The start-up warning about a plain-http site URL, or null. RFC 8058 one-click
 * unsubscribe needs an https URI in List-Unsubscribe; with http the mail clients
 * that offer the button do not, and some providers count it against the sender.
 */
export function siteUrlWarning(siteUrl: string, production: boolean): string | null {
  if (!production || !siteUrl.startsWith('http:')) return null;
  return `SITE_URL is ${siteUrl}, not https: the newsletter's one-click unsubscribe link (RFC 8058) is not valid over http, so mail clients will not offer it. Set SITE_URL to the site's https address.`;
}

export interface NewsletterModule {
  service: NewsletterService;
  sender: NewsletterSender;
  /** For the JobWorker: `newsletter_send` (an issue's sending), `newsletter_mail` (confirmation emails), `newsletter_test`. */
  jobHandlers: JobHandlers;
  close(): void;
}

/** Fresh snapshots of an issue's articles, in the same order; unpublished ones drop out. */
export function itemRefresher(articles: ArticlesService) {
  return async (items: IssueItem[]): Promise<IssueItem[]> => {
    const fresh = await articles.teasersByIds(items.map((i) => i.articleId));
    return items.flatMap((i) => {
      const teaser = fresh.get(i.articleId);
      return teaser ? [itemOf(teaser)] : [];
    });
  };
}

export function createNewsletterModule(deps: NewsletterModuleDeps): NewsletterModule {
  const warning = siteUrlWarning(deps.site.siteUrl, deps.production ?? false);
  if (warning) deps.log.warn({ siteUrl: deps.site.siteUrl }, warning);
  const transport = deps.transport ?? createNewsletterTransport({ smtpUrl: deps.mail.smtpUrl, outboxDir: deps.mail.outboxDir });
  const service = new NewsletterService({
    db: deps.db,
    mailer: deps.mailer,
    transport,
    site: deps.site,
    secret: deps.secret,
    defaultFrom: deps.mail.from,
    articles: deps.articles,
    accounts: deps.accounts,
  });
  const sender = new NewsletterSender(
    {
      db: deps.db,
      dialect: deps.dialect,
      transport,
      site: deps.site,
      secret: deps.secret,
      defaultFrom: deps.mail.from,
      refreshItems: itemRefresher(deps.articles),
      log: deps.log,
    },
    deps.sender,
  );
  return {
    service,
    sender,
    jobHandlers: {
      newsletter_send: (payload, job) => sender.handle(payload, job),
      newsletter_mail: (payload) => service.sendSubscriptionMail(payload),
      [NEWSLETTER_TEST_JOB]: (payload) => service.sendTestMail(payload),
    },
    close: () => {
      if (!deps.transport) transport.close();
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Subscriptions, issues and sending (its job handlers are in `worker`). */
    newsletter: NewsletterModule;
  }
}

/**
 * The newsletter in the app: `app.newsletter`, its jobs, the reader and desk
 * routes; a deleted account's subscriptions go with it, and the data export
 * carries them.
 */
export const newsletterPlugin = fp(
  async (app) => {
    const { config, accounts } = app;
    const mail = { smtpUrl: config.mail.smtpUrl, from: config.mail.from, outboxDir: join(config.dataDir, 'outbox') };
    const newsletter = createNewsletterModule({
      db: app.db,
      dialect: app.dbDialect,
      articles: app.articles,
      accounts,
      mailer: app.mailer,
      site: app.site,
      secret: app.siteSecret,
      mail,
      log: app.log.child({ module: 'newsletter' }),
      production: config.env === 'production',
    });
    app.decorate('newsletter', newsletter);
    accounts.onDelete((trx, account) => newsletter.service.forgetAccount(trx, account));
    accounts.onExport((userId) => newsletter.service.exportFor(userId));
    for (const [kind, handler] of Object.entries(newsletter.jobHandlers)) app.jobs.register(kind, handler);
    await app.register(newsletterRoutes, { newsletters: newsletter.service, pageContext: app.pageContext, siteUrl: config.siteUrl });
    await app.register(newsletterDeskRoutes, { newsletters: newsletter.service, pageContext: app.pageContext });
  },
  { name: 'harbinger-newsletter', dependencies: ['harbinger-articles', 'harbinger-accounts', 'harbinger-mailer', 'harbinger-jobs'] },
);
