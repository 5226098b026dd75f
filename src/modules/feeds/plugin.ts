// The feeds module in the app: `app.feeds` and the feed routes. It has no tables
// of its own; it reads articles through the articles module and the lists' owners
// (sections, tags, people, newsrooms) through theirs.
import fp from 'fastify-plugin';
import { feedsRoutes } from './feeds.routes.js';
import { FeedsService } from './feeds.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    feeds: FeedsService;
  }
}

export const feedsPlugin = fp(
  async (app) => {
    const feeds = new FeedsService({ db: app.db, config: app.config, articles: app.articles, renderBodyHtml: app.renderBodyHtml });
    app.contentVersion.onChange(() => feeds.forget());
    app.decorate('feeds', feeds);
    await app.register(feedsRoutes, { feeds });
  },
  { name: 'harbinger-feeds', dependencies: ['harbinger-articles'] },
);
