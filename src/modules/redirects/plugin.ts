// The redirects module in the app: old addresses answered when no route matched
// (through the not-found handler's resolvers), the old site's `/?p=123` answered
// before the home page, a lookup cache emptied by every content change, and the
// newsroom's desk. Registered before the pages it might shadow, so that its hook
// reaches the home route.
import fp from 'fastify-plugin';
import { OLD_QUERY_ADDRESS, RedirectLookup } from './lookup.js';
import { redirectDeskRoutes } from './redirects.routes.js';
import { REDIRECTS } from '../../web/surrogate-keys.js';
import { onPersonMoved } from '../people/index.js';
import { followPersonMove } from './redirects.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    redirectLookup: RedirectLookup;
  }
}

export const redirectsPlugin = fp(
  async (app) => {
    const lookup = new RedirectLookup(app.db);
    app.decorate('redirectLookup', lookup);
    app.contentVersion.onChange(() => lookup.clear());
    // A profile that moved to the name it now shows takes its old links along (byline privacy).
    const unsubscribe = onPersonMoved((trx, move) => followPersonMove(trx, move));
    app.addHook('onClose', async () => unsubscribe());
    app.notFoundResolvers.add((request, reply) => lookup.answer(request, reply));
    // Only `/?p=123`-shaped addresses are looked up ahead of the routes; a plain `/` is not touched.
    app.addHook('onRequest', async (request, reply) => {
      if (!OLD_QUERY_ADDRESS.test(request.url)) return undefined;
      if (await lookup.answer(request, reply)) return reply;
      return undefined;
    });
    // A redirect answers only addresses no page has, so a change to one drops the redirects (and the lookup cache), no page.
    await app.register(redirectDeskRoutes, { pageContext: app.pageContext, contentChanged: () => app.contentVersion.bump([REDIRECTS]) });
  },
  { name: 'harbinger-redirects', dependencies: ['harbinger-pages', 'harbinger-request-guards', 'harbinger-access'] },
);
