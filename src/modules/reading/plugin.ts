// The reading module in the app: `app.reading` (bookmarks), the page server every
// reader page goes through (it fills each page's bookmark buttons and newsletter
// boxes for the signed-in reader), the article page behind the registration wall,
// and the bookmark routes. Sign-in saves the bookmark a visitor asked for, and the
// data export carries the reader's bookmarks.
import fp from 'fastify-plugin';
import { createPageServer, type ServePage } from '../../web/page-server.js';
import { articlePageProvider, readingRoutes } from './reading.routes.js';
import { ReadingService } from './reading.service.js';
import { bookmarkForm } from './views/controls.js';

declare module 'fastify' {
  interface FastifyInstance {
    reading: ReadingService;
    /** Serves a reader page through the render cache, with the request's own slots filled. */
    servePage: ServePage;
    /** Renders an article page for a request: as much of the article as the wall lets the viewer read. */
    articlePage: ReturnType<typeof articlePageProvider>;
  }
}

export const readingPlugin = fp(
  async (app) => {
    const { articles, accounts, newsletter } = app;
    const reading = new ReadingService(app.db, articles);
    app.decorate('reading', reading);
    accounts.onSignIn(async (userId, continuation) => {
      if (continuation.bookmark) await reading.bookmark(userId, continuation.bookmark).catch(() => undefined);
    });
    accounts.onExport((userId) => reading.exportFor(userId));
    app.decorate(
      'servePage',
      createPageServer({
        cache: app.renderCache,
        bookmarkButtons: async (request, articleIds, csrf) => {
          const marked = request.viewer ? await reading.bookmarkedAmong(request.viewer.userId, articleIds) : new Set<string>();
          return (articleId, slug) => bookmarkForm(articleId, slug, marked.has(articleId), csrf);
        },
        subscribedNewsletters: (request) =>
          request.viewer ? newsletter.service.subscribedSlugs(request.viewer) : Promise.resolve(new Set<string>()),
      }),
    );
    const options = { reading, articles, config: app.config, pageContext: app.pageContext, renderBodyHtml: app.renderBodyHtml };
    app.decorate('articlePage', articlePageProvider(options));
    await app.register(readingRoutes, options);
  },
  { name: 'harbinger-reading', dependencies: ['harbinger-articles', 'harbinger-accounts', 'harbinger-newsletter'] },
);
