// What every page is made with: the built assets (and the routes that serve them),
// the render cache and the content version that empties it when anything
// published changes, and `app.pageContext`, the site-wide part of each page.
// The sections and the newsroom tabs come from modules, so they are passed in.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RoleName } from '../db/schema.js';
import { loadAssets, type Assets } from './assets.js';
import { ContentVersion } from './content-version.js';
import { isExcludedFromCrawlers } from './crawlers.js';
import { sendError } from './error-handler.js';
import type { PageContext, ViewerKind } from './page-context.js';
import { RenderCache } from './render-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    assets: Assets;
    renderCache: RenderCache;
    contentVersion: ContentVersion;
    pageContext(path: string, viewer?: ViewerKind, staffRoles?: RoleName[]): Promise<PageContext>;
  }
}

export interface PagesOptions {
  /** The sections in the navigation. */
  sections(): Promise<PageContext['sections']>;
  /** The pages in the footer menu, in order (published ones only). */
  footerPages?(): Promise<NonNullable<PageContext['footerPages']>>;
  /** The newsroom tabs a staff member holding these roles may open. */
  newsroomTabs(roles: RoleName[]): ReadonlySet<string>;
}

export const pagesPlugin = fp<PagesOptions>(
  async (app, options) => {
    const assets = loadAssets();
    const renderCache = new RenderCache(app.config.renderCacheEntries);
    const contentVersion = new ContentVersion(app.db, renderCache, { bus: app.changeBus, purge: Boolean(app.config.cdn.purgeUrl) });
    await contentVersion.refresh();
    app.decorate('assets', assets);
    app.decorate('renderCache', renderCache);
    app.decorate('contentVersion', contentVersion);
    // The newsroom pages pass their viewer's roles, so that it shows only the tabs they may open.
    app.decorate('pageContext', async (path: string, viewer: ViewerKind = 'anonymous', staffRoles?: RoleName[]): Promise<PageContext> => ({
      config: app.config,
      assets,
      path,
      sections: await options.sections(),
      ...(options.footerPages ? { footerPages: await options.footerPages() } : {}),
      viewer,
      ...(staffRoles ? { newsroomTabs: options.newsroomTabs(staffRoles) } : {}),
    }));
  },
  { name: 'harbinger-pages', dependencies: ['harbinger-site', 'harbinger-redis'] },
);

/**
 * The assets, the icon and the health check: registered after the
 * request guards and the viewer, so these routes get their hooks as every page does.
 * Also the X-Robots-Tag of every answer under the paths crawlers are kept out of.
 */
export const siteFilesPlugin = fp(siteFiles, {
  name: 'harbinger-site-files',
  dependencies: ['harbinger-request-guards', 'harbinger-viewer'],
});

async function siteFiles(app: FastifyInstance): Promise<void> {
  // robots.txt asks crawlers to stay out; this tells one that follows a link there anyway
  // not to index what it finds, JSON and page previews included (their layout may not say so).
  app.addHook('onRequest', async (request, reply) => {
    if (isExcludedFromCrawlers(request.url)) reply.header('x-robots-tag', 'noindex');
  });

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = app.assets.byPath.get(`/assets/${request.params.file}`);
    if (!asset) {
      const notFound = { status: 404, code: 'not_found', title: 'Page not found', detail: 'There is no file at this address.' };
      return sendError(request, reply, notFound, app.pageContext);
    }
    reply
      .header('content-type', asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', asset.etag)
      .header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    const accept = request.headers['accept-encoding'] ?? '';
    if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(asset.br);
    if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });

  // Browsers and feed readers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(app.assets.icon, 301));
}
