// Builds the Harbinger application: plugins, shared services and every module's
// routes. Nothing here runs at import; the caller supplies the configuration and
// an open database, so tests can build as many apps as they like.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from './config.js';
import type { Db, OpenDatabase } from './db/database.js';
import type { RoleName } from './db/schema.js';
import { articleListsFor, ArticlesService, articlesRoutes, BodyFigure, renderBody } from './modules/articles/index.js';
import { articlePageProvider, bookmarkForm, ReadingService, readingRoutes } from './modules/reading/index.js';
import { NewsroomService, newsroomRoutes } from './modules/newsroom/index.js';
import { newsroomTabs, registerAccess } from './modules/access/index.js';
import { JobWorker, MAINTENANCE_EVERY_MS, MAINTENANCE_JOB, maintenanceHandler } from './jobs/index.js';
import { createPageServer } from './web/page-server.js';
import type { RichNode } from './lib/rich-text.js';
import { discardPrivatePicturesOf, mediaDirs, mediaJobHandlers, mediaLibraryRoutes, mediaRoutes, PictureSigner, scheduleLegacyOriginals } from './modules/media/index.js';
import { accountPeople, peopleRoutes, rolesHeldOn } from './modules/people/index.js';
import { todayUtc } from './lib/dates.js';
import { loadAssets, type Assets } from './web/assets.js';
import { ContentVersion } from './web/content-version.js';
import { installErrorHandlers, sendError } from './web/error-handler.js';
import { guardRequests } from './web/http.js';
import { withRedactedUrls } from './web/log-redaction.js';
import { deleteExpiredKeyLimits } from './web/key-limit.js';
import type { PageContext } from './web/page-context.js';
import { RenderCache } from './web/render-cache.js';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createMailer, type Mailer, type OutgoingMessage } from './mail/mailer.js';
import { ACCOUNT_EMAIL_JOB, AccountsService, accountsRoutes, purgeExpiredAccess } from './modules/accounts/index.js';
import { getSetting } from './db/settings.js';
import type { ViewerKind } from './web/page-context.js';
import { registerViewer } from './web/viewer.js';
import { createNewsletterModule, newsletterDeskRoutes, newsletterRoutes, type NewsletterModule } from './modules/newsletter/index.js';
import { registerCompetitions } from './modules/competitions/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<Config>;
    db: Db;
    assets: Assets;
    renderCache: RenderCache;
    contentVersion: ContentVersion;
    articles: ArticlesService;
    pageContext(path: string, viewer?: ViewerKind, staffRoles?: RoleName[]): Promise<PageContext>;
    accounts: AccountsService;
    mailer: Mailer;
    desk: NewsroomService;
    /** The job worker; started by the server (RUN_WORKER) or `harbinger worker`, not by buildApp. */
    worker: JobWorker;
    /** Subscriptions, issues and sending (its job handlers are in `worker`). */
    newsletter: NewsletterModule;
  }
}

export interface BuildAppOptions {
  config: Readonly<Config>;
  database: OpenDatabase;
  logger?: FastifyServerOptions['logger'];
  /** Replaces the mailer the configuration describes (tests pass one bound to their SMTP server). */
  mailer?: Mailer;
}

const MAX_URL_LENGTH = 2048;

/**
 * The key that signs cookies: SESSION_SECRET when set, otherwise one generated on
 * the first start and kept in the database, so every app server shares it.
 */
async function siteSecret(db: Db): Promise<string> {
  const stored = await getSetting(db, 'secret_key');
  if (stored) return stored;
  await db
    .insertInto('settings')
    .values({ key: 'secret_key', value: randomBytes(32).toString('base64url'), updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, 'secret_key'))!;
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

  const assets = loadAssets();
  const renderCache = new RenderCache(config.renderCacheEntries);
  const contentVersion = new ContentVersion(database.db, renderCache);
  const articles = new ArticlesService(database.db, config.pageSize);
  contentVersion.onChange(() => articles.forget());
  await contentVersion.refresh();

  // The newsroom pages pass their viewer's roles, so that it shows only the tabs they may open.
  const pageContext = async (path: string, viewer: ViewerKind = 'anonymous', staffRoles?: RoleName[]): Promise<PageContext> => ({
    config,
    assets,
    path,
    sections: await articles.sections(),
    viewer,
    ...(staffRoles ? { newsroomTabs: newsroomTabs(staffRoles) } : {}),
  });
  const site = { siteName: config.siteName, siteUrl: config.siteUrl };
  const mailer = options.mailer ?? createMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, outboxDir: join(config.dataDir, 'outbox'), log: app.log });
  const accounts = new AccountsService(database.db, mailer, site, app.log.child({ module: 'accounts' }), accountPeople);
  const secret = config.sessionSecret ?? (await siteSecret(database.db));
  const newsletter = createNewsletterModule({
    db: database.db,
    dialect: database.kind,
    articles,
    accounts,
    mailer,
    site,
    secret,
    mail: { smtpUrl: config.mail.smtpUrl, from: config.mail.from, outboxDir: join(config.dataDir, 'outbox') },
    log: app.log.child({ module: 'newsletter' }),
    production: config.env === 'production',
  });
  accounts.onDelete((trx, account) => newsletter.service.forgetAccount(trx, account));

  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('assets', assets);
  app.decorate('renderCache', renderCache);
  app.decorate('contentVersion', contentVersion);
  app.decorate('articles', articles);
  app.decorate('pageContext', pageContext);
  app.decorate('accounts', accounts);
  app.decorate('mailer', mailer);
  app.decorate('newsletter', newsletter);

  const https = config.siteUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) {
      return sendError(request, reply, { status: 414, code: 'uri_too_long', title: 'Address too long', detail: 'The address of this request is longer than we accept.' }, pageContext);
    }
  });

  installErrorHandlers(app, pageContext);
  // Text where routes expect text, lists only where they take lists, redirects in bytes HTTP allows.
  guardRequests(app);
  // Secure cookies when the site is https; 'auto' marks them Secure on requests that
  // arrived over https (as a proxy reports it, with TRUST_PROXY).
  const secureCookies = https ? true : 'auto';
  await registerViewer(app, { secret, secureCookies, resolve: (token) => accounts.viewerForSession(token) });
  registerAccess(app, { rolesOf: (personId) => rolesHeldOn(database.db, personId, todayUtc()) });

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = assets.byPath.get(`/assets/${request.params.file}`);
    if (!asset) return sendError(request, reply, { status: 404, code: 'not_found', title: 'Page not found', detail: 'There is no file at this address.' }, pageContext);
    reply.header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable').header('etag', asset.etag).header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    const accept = request.headers['accept-encoding'] ?? '';
    if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(asset.br);
    if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });

  // Browsers and feed readers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(assets.icon, 301));

  app.get('/robots.txt', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(`User-agent: *\nDisallow: /newsroom\nDisallow: /account\n`),
  );

  app.get('/healthz', async (_request, reply) => {
    await database.db.selectFrom('settings').select('key').limit(1).execute();
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  // Originals and private pictures (prize entries) live beside the database, never under MEDIA_DIR.
  const media = mediaDirs(config.mediaDir, join(config.dataDir, 'private-media'));
  const pictureSigner = new PictureSigner(secret);
  accounts.onDelete(async (trx, account) => void (await discardPrivatePicturesOf(trx, media, account.userId)));
  await app.register(mediaRoutes, {
    db: database.db,
    dirs: media,
    signer: pictureSigner,
    canViewPrivate: (viewer, mediaId) => app.prizes.canSeeEntryPhoto(viewer, mediaId),
  });
  const reading = new ReadingService(database.db, articles);
  const servePage = createPageServer({
    cache: renderCache,
    bookmarkButtons: async (request, articleIds, csrf) => {
      const marked = request.viewer ? await reading.bookmarkedAmong(request.viewer.userId, articleIds) : new Set<string>();
      return (articleId, slug) => bookmarkForm(articleId, slug, marked.has(articleId), csrf);
    },
    subscribedNewsletters: (request) => (request.viewer ? newsletter.service.subscribedSlugs(request.viewer) : Promise.resolve(new Set<string>())),
  });
  const renderBodyHtml = (doc: RichNode) => renderBody(database.db, doc, (picture, attrs) => BodyFigure({ picture, ...attrs }));
  const readingOptions = { reading, articles, config, pageContext, renderBodyHtml };

  await app.register(articlesRoutes, { articles, servePage, pageContext, articlePage: articlePageProvider(readingOptions) });
  await app.register(peopleRoutes, { articles: articleListsFor(articles), servePage, pageContext });
  await app.register(readingRoutes, readingOptions);
  await app.register(accountsRoutes, {
    accounts,
    pageContext,
    secureCookies,
    afterSignIn: async (userId, continuation) => {
      if (continuation.bookmark) await reading.bookmark(userId, continuation.bookmark).catch(() => undefined);
    },
    exportExtra: async (userId) => ({ ...(await reading.exportFor(userId)), ...(await newsletter.service.exportFor(userId)), ...(await app.prizes.exportFor(userId)) }),
  });
  const desk = new NewsroomService({
    db: database.db,
    site,
    log: app.log.child({ module: 'newsroom' }),
    renderBody: renderBodyHtml,
    contentChanged: () => contentVersion.bump(),
  });
  const worker = new JobWorker(
    database.db,
    database.kind,
    {
      publish_article: (payload) => desk.publishScheduled(payload as { articleId: string; userId: string | null; actorName: string }),
      send_email: (payload) => mailer.send(payload as OutgoingMessage),
      [ACCOUNT_EMAIL_JOB]: (payload) => accounts.runEmailJob(payload),
      ...newsletter.jobHandlers,
      ...mediaJobHandlers(database.db, media, { concurrency: 1 }),
      // Expired sessions, spent email links and finished jobs, every hour.
      [MAINTENANCE_JOB]: maintenanceHandler(
        database.db,
        [(now) => purgeExpiredAccess(database.db, now), async (now) => ({ keyLimits: await deleteExpiredKeyLimits(database.db, now.getTime()) })],
        app.log.child({ module: 'maintenance' }),
      ),
    },
    { log: app.log.child({ module: 'jobs' }), recurring: { [MAINTENANCE_JOB]: MAINTENANCE_EVERY_MS } },
  );
  app.decorate('desk', desk);
  app.decorate('worker', worker);
  // Pictures stored before originals were private get a stripped master; their originals leave MEDIA_DIR.
  await scheduleLegacyOriginals(database.db);
  await app.register(mediaLibraryRoutes, { pageContext, dirs: media });
  await app.register(newsroomRoutes, { desk, articles, pageContext, renderBodyHtml, previewParagraphs: config.wall.previewParagraphs });
  await app.register(newsletterRoutes, { newsletters: newsletter.service, pageContext, siteUrl: config.siteUrl });
  await app.register(newsletterDeskRoutes, { newsletters: newsletter.service, pageContext });
  await registerCompetitions(app, { db: database.db, site, media, pictureSigner, accounts, secureCookies, pageContext, contentChanged: () => contentVersion.bump() });

  app.addHook('onClose', async () => {
    contentVersion.stop();
    // A send in progress finishes its batch and hands the rest to the next job.
    newsletter.sender.stop();
    await worker.stop();
    newsletter.close();
    if (!options.mailer) mailer.close();
  });
  return app;
}
