// People's public pages in the app: profiles and newsrooms, with the lists of
// their articles the articles module gives (`app.articleLists`), served through
// the reading module's page server.
import fp from 'fastify-plugin';
import { peopleRoutes } from './people.routes.js';

export const peoplePlugin = fp(
  async (app) => {
    await app.register(peopleRoutes, { articles: app.articleLists, servePage: app.servePage, pageContext: app.pageContext });
  },
  { name: 'harbinger-people', dependencies: ['harbinger-articles', 'harbinger-reading'] },
);
