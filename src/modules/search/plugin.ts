// The search module in the app: `app.siteSearch`, kept in step with every change
// to an article or a person inside the writer's transaction (the articles and
// people modules tell their subscribers), and the /search page.
import fp from 'fastify-plugin';
import { drafts } from '../articles/index.js';
import { onPersonChanged } from '../people/index.js';
import { searchRoutes } from './search.routes.js';
import { SearchService } from './search.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    siteSearch: SearchService;
  }
}

export const searchPlugin = fp(
  async (app) => {
    const search = new SearchService(app.db, app.config.wall.previewParagraphs);
    app.decorate('siteSearch', search);
    const unsubscribe = [
      drafts.onArticleChanged((trx, articleId) => search.indexArticle(trx, articleId)),
      onPersonChanged((trx, personId) => search.indexPerson(trx, personId)),
    ];
    app.addHook('onClose', async () => unsubscribe.forEach((stop) => stop()));
    await app.register(searchRoutes, { search, servePage: app.servePage, pageContext: app.pageContext });
  },
  { name: 'harbinger-search', dependencies: ['harbinger-articles', 'harbinger-reading'] },
);
