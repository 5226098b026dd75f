// The reading module in the app: `app.reading` (bookmarks), the page server every
// reader page goes through (it fills each page's bookmark buttons and newsletter
// boxes for the signed-in reader), the article page behind the registration wall,
// and the bookmark routes. Sign-in saves the bookmark a visitor asked for, and the
// data export carries the reader's bookmarks.
import fp from 'fastify-plugin';
import { createPageServer, type ServePage } from '../../web/page-server.js';
import { ReaderStateCache } from '../../web/reader-state.js';
import { VIEWER_CACHE_ENTRIES } from '../../web/viewer.js';
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
    // A reader's bookmarks and newsletters, kept as long as their viewer (web/reader-state.ts).
    const readerState = new ReaderStateCache(app.viewerCache.ttlMs, VIEWER_CACHE_ENTRIES);
    readerState.listen(app.changeBus);
    // Any form a signed-in reader sends may change what their pages show them: dropped before the answer
    // leaves, so the page the answer leads to is read afresh (here and, over the bus, on every server).
    app.addHook('onSend', async (request) => {
      if (request.viewer && request.method !== 'GET' && request.method !== 'HEAD')
        await app.changeBus
          .publish({ kind: 'reader', userId: request.viewer.userId })
          .catch(() => readerState.drop(request.viewer!.userId));
    });
    app.decorate(
      'servePage',
      createPageServer({
        cache: app.renderCache,
        bookmarkButtons: async (request, articleIds, csrf) => {
          const { viewer } = request;
          const marked = viewer
            ? await readerState.bookmarks(viewer.userId, articleIds, (ids) => reading.bookmarkedAmong(viewer.userId, ids))
            : new Set<string>();
          return (articleId, slug) => bookmarkForm(articleId, slug, marked.has(articleId), csrf);
        },
        subscribedNewsletters: (request) => {
          const { viewer } = request;
          return viewer
            ? readerState.newsletters(viewer.userId, () => newsletter.service.subscribedSlugs(viewer))
            : Promise.resolve(new Set<string>());
        },
      }),
    );
    const options = { reading, articles, config: app.config, pageContext: app.pageContext, renderBodyHtml: app.renderBodyHtml };
    app.decorate('articlePage', articlePageProvider(options));
    await app.register(readingRoutes, options);
  },
  { name: 'harbinger-reading', dependencies: ['harbinger-articles', 'harbinger-accounts', 'harbinger-newsletter'] },
);
