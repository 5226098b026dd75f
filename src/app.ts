// Builds the Harbinger application: plugins, shared services and every module's
// routes. Nothing here runs at import; the caller supplies the configuration and
// an open database, so tests can build as many apps as they like.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from './config.js';
import type { Db, OpenDatabase } from './db/database.js';
import { ArticlesService, articlesRoutes } from './modules/articles/index.js';
import { mediaRoutes } from './modules/media/index.js';
import { peopleRoutes } from './modules/people/index.js';
import { buildAssets, type Assets } from './web/assets.js';
import { ContentVersion } from './web/content-version.js';
import { installErrorHandlers, sendError } from './web/error-handler.js';
import type { PageContext } from './web/page-context.js';
import { RenderCache } from './web/render-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<Config>;
    db: Db;
    assets: Assets;
    renderCache: RenderCache;
    contentVersion: ContentVersion;
    articles: ArticlesService;
    pageContext(path: string): Promise<PageContext>;
  }
}

export interface BuildAppOptions {
  config: Readonly<Config>;
  database: OpenDatabase;
  logger?: FastifyServerOptions['logger'];
}

const MAX_URL_LENGTH = 2048;

let cachedAssets: Assets | null = null;

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
  });

  const assets = (cachedAssets ??= buildAssets());
  const renderCache = new RenderCache(config.renderCacheEntries);
  const contentVersion = new ContentVersion(database.db, renderCache);
  const articles = new ArticlesService(database.db, config.pageSize);
  contentVersion.onChange(() => articles.forget());
  await contentVersion.refresh();

  const pageContext = async (path: string): Promise<PageContext> => ({
    config,
    assets,
    path,
    sections: await articles.sections(),
  });

  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('assets', assets);
  app.decorate('renderCache', renderCache);
  app.decorate('contentVersion', contentVersion);
  app.decorate('articles', articles);
  app.decorate('pageContext', pageContext);

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

  await app.register(mediaRoutes, { mediaDir: config.mediaDir });
  await app.register(articlesRoutes, { articles, cache: renderCache, pageContext });
  await app.register(peopleRoutes, { articles, cache: renderCache, pageContext });

  app.addHook('onClose', async () => contentVersion.stop());
  return app;
}
