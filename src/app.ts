// Builds the Harbinger application. Every part is a Fastify plugin that names the
// plugins it needs, registered in tiers: infrastructure (database, site, headers,
// pages, request guards, jobs, mail, viewer, access), then the modules (each
// creates its services, decorates the app with them, gives the worker its jobs
// and registers its routes), then the pages that draw on several modules, and last
// the job worker, built from what the modules registered. Nothing here runs at
// import; the caller supplies the configuration and an open database, so tests
// can build as many apps as they like.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { databasePlugin } from './db/plugin.js';
import { jobsPlugin, workerPlugin } from './jobs/plugin.js';
import { todayUtc } from './lib/dates.js';
import type { Mailer } from './mail/mailer.js';
import { mailerPlugin } from './mail/plugin.js';
import { accessPlugin, newsroomTabs } from './modules/access/index.js';
import { accountsPlugin } from './modules/accounts/index.js';
import { articlePagesPlugin, articlesPlugin } from './modules/articles/index.js';
import { competitionsPlugin } from './modules/competitions/index.js';
import { consentPlugin } from './modules/consent/index.js';
import { feedsPlugin } from './modules/feeds/index.js';
import { mediaPlugin } from './modules/media/index.js';
import { newsletterPlugin } from './modules/newsletter/index.js';
import { newsroomPlugin } from './modules/newsroom/index.js';
import { accountPeople, peoplePlugin, rolesHeldOn } from './modules/people/index.js';
import { readingPlugin } from './modules/reading/index.js';
import { redirectsPlugin } from './modules/redirects/index.js';
import { reportsPlugin } from './modules/reports/index.js';
import { searchPlugin } from './modules/search/index.js';
import { sitemapsPlugin } from './modules/sitemaps/index.js';
import { staticPagesPlugin } from './modules/static-pages/index.js';
import { cachePolicyPlugin } from './web/cache-policy.js';
import { cdnPurgePlugin } from './web/cdn-purge.js';
import { healthPlugin } from './web/health.js';
import { withRedactedUrls } from './web/log-redaction.js';
import { pagesPlugin, siteFilesPlugin } from './web/pages.js';
import { redisPlugin } from './web/redis.js';
import { requestGuardsPlugin } from './web/request-guards.js';
import { securityHeadersPlugin } from './web/security-headers.js';
import { sitePlugin } from './web/site.js';
import { viewerPlugin } from './web/viewer.js';

export interface BuildAppOptions {
  config: Readonly<Config>;
  database: OpenDatabase;
  logger?: FastifyServerOptions['logger'];
  /** Replaces the mailer the configuration describes (tests pass one bound to their SMTP server). */
  mailer?: Mailer;
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    // One-time tokens travel in URLs: logged URLs are redacted.
    logger: withRedactedUrls(options.logger ?? { level: config.logLevel }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
  });

  // Infrastructure. The sections, sessions and roles come from modules registered below; they are asked per request.
  await app.register(databasePlugin, { database });
  await app.register(healthPlugin);
  await app.register(sitePlugin, { config });
  await app.register(redisPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(pagesPlugin, {
    sections: () => app.articles.sections(),
    footerPages: () => app.staticPages.footerMenu(),
    newsroomTabs,
  });
  await app.register(requestGuardsPlugin);
  await app.register(jobsPlugin);
  await app.register(mailerPlugin, { mailer: options.mailer });
  await app.register(viewerPlugin, { resolve: (token) => app.accounts.viewerForSession(token) });
  await app.register(cachePolicyPlugin);
  await app.register(cdnPurgePlugin);
  await app.register(accessPlugin, { rolesOf: (personId) => rolesHeldOn(app.db, personId, todayUtc()) });
  await app.register(siteFilesPlugin);

  // The modules, each after those it uses.
  // Redirects first: its hook for the old site's /?p=123 must reach the home route registered below.
  await app.register(redirectsPlugin);
  await app.register(articlesPlugin);
  await app.register(accountsPlugin, { people: accountPeople });
  await app.register(newsletterPlugin);
  await app.register(readingPlugin);
  await app.register(mediaPlugin);
  await app.register(consentPlugin);
  await app.register(newsroomPlugin);
  await app.register(competitionsPlugin);

  // Pages that draw on several modules, then the worker with every module's jobs.
  await app.register(articlePagesPlugin);
  await app.register(peoplePlugin);
  await app.register(searchPlugin);
  await app.register(feedsPlugin);
  await app.register(staticPagesPlugin);
  await app.register(reportsPlugin);
  await app.register(sitemapsPlugin);
  await app.register(workerPlugin);

  app.addHook('onClose', async () => {
    app.contentVersion.stop();
    // A send in progress finishes its batch and hands the rest to the next job.
    app.newsletter.sender.stop();
    await app.worker.stop();
    app.newsletter.close();
    if (!options.mailer) app.mailer.close();
  });
  return app;
}
