// The static-pages module in the app: `app.staticPages` (the desk's service and
// the footer menu every page shows), the newsroom's pages desk, and the public
// route /<slug>. Registered after every module with routes of its own, though
// the router prefers their fixed paths to /:slug anyway.
import fp from 'fastify-plugin';
import { pagesDeskRoutes } from './pages-desk.routes.js';
import { publicPagesRoutes } from './pages.routes.js';
import { PagesService } from './pages.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    staticPages: PagesService;
  }
}

export const staticPagesPlugin = fp(
  async (app) => {
    const pages = new PagesService(app.db, (keys) => app.contentVersion.bump(keys));
    app.contentVersion.onChange(() => pages.forget());
    app.decorate('staticPages', pages);
    await app.register(pagesDeskRoutes, { pages, pageContext: app.pageContext });
    await app.register(publicPagesRoutes, { pages, servePage: app.servePage, pageContext: app.pageContext });
  },
  { name: 'harbinger-static-pages', dependencies: ['harbinger-pages', 'harbinger-reading', 'harbinger-access', 'harbinger-articles'] },
);
