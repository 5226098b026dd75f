// The articles module in the app. `articlesPlugin` (a service) gives `app.articles`,
// the article lists people's pages show and the article body renderer the reading
// and newsroom modules use; `articlePagesPlugin` (a route) serves the home page,
// section, tag and article pages through the reading module's page server.
import fp from 'fastify-plugin';
import type { RichNode } from '../../lib/rich-text.js';
import type { ArticleLists } from '../people/index.js';
import { articleListsFor } from './article-lists.js';
import { articlesRoutes } from './articles.routes.js';
import { ArticlesService, renderBody } from './articles.service.js';
import { BodyFigure } from './views/figure.js';

declare module 'fastify' {
  interface FastifyInstance {
    articles: ArticlesService;
    /** The lists of a person's or a newsroom's articles, for the people module's pages. */
    articleLists: ArticleLists;
    /** An article body as HTML, its figures drawn from the media library. */
    renderBodyHtml(doc: RichNode): Promise<string>;
  }
}

export const articlesPlugin = fp(
  async (app) => {
    const { db } = app;
    const articles = new ArticlesService(db, app.config.pageSize);
    app.contentVersion.onChange(() => articles.forget());
    app.decorate('articles', articles);
    app.decorate('articleLists', articleListsFor(articles));
    app.decorate('renderBodyHtml', (doc: RichNode) => renderBody(db, doc, (picture, attrs) => BodyFigure({ picture, ...attrs })));
  },
  { name: 'harbinger-articles', dependencies: ['harbinger-pages'] },
);

export const articlePagesPlugin = fp(
  async (app) => {
    await app.register(articlesRoutes, {
      articles: app.articles,
      servePage: app.servePage,
      pageContext: app.pageContext,
      articlePage: app.articlePage,
    });
  },
  { name: 'harbinger-article-pages', dependencies: ['harbinger-articles', 'harbinger-reading'] },
);
