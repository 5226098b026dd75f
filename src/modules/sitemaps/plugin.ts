// The sitemaps module in the app: `app.sitemaps`, whose built documents are
// dropped whenever published content changes, and the sitemap and robots.txt routes.
import fp from 'fastify-plugin';
import { sitemapsRoutes } from './sitemaps.routes.js';
import { SitemapsService } from './sitemaps.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    sitemaps: SitemapsService;
  }
}

export const sitemapsPlugin = fp(
  async (app) => {
    const sitemaps = new SitemapsService(app.db, app.config);
    app.contentVersion.onChange(() => sitemaps.forget());
    app.decorate('sitemaps', sitemaps);
    await app.register(sitemapsRoutes, { sitemaps, siteUrl: app.config.siteUrl });
  },
  { name: 'harbinger-sitemaps', dependencies: ['harbinger-pages', 'harbinger-request-guards'] },
);
