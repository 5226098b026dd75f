// GET /search: the query and its filters read from the address (anything odd in
// them is read as no filter, never an error), a visitor's page served through
// the render cache, a signed-in reader's (who searches the whole text) private.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import type { PageMeta, ServePage } from '../../web/page-server.js';
import { SEARCH } from '../../web/surrogate-keys.js';
import { page, slug } from '../../web/schemas.js';
import { viewerKind } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { canReadFullText } from '../reading/index.js';
import type { SearchService } from './search.service.js';
import { SearchPage, searchHref } from './views/search-page.js';

export interface SearchRoutesOptions {
  search: SearchService;
  servePage: ServePage;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

const searchQuery = z.object({
  q: z.string().default(''),
  section: slug.catch('').default(''),
  author: slug.catch('').default(''),
  year: z
    .string()
    .regex(/^\d{4}$/)
    .catch('')
    .default(''),
  page,
});

export async function searchRoutes(fastify: FastifyInstance, opts: SearchRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { search } = opts;

  app.get('/search', { schema: { querystring: searchQuery } }, async (request, reply) => {
    const { q, page: pageNumber, ...filters } = request.query;
    const fullText = canReadFullText('registered', request.viewer !== null);
    const render = async (viewer: ViewerKind, shown?: PageMeta) => {
      shown?.show(SEARCH);
      const [outcome, years] = await Promise.all([search.search(q, filters, pageNumber, fullText), search.years()]);
      const ctx = await opts.pageContext(searchHref(q, filters, pageNumber), viewer);
      return SearchPage({ ctx, query: q, filters, page: pageNumber, outcome, choices: { sections: ctx.sections, years } });
    };
    reply.header('x-robots-tag', 'noindex');
    if (fullText) return sendHtml(reply, await render(viewerKind(request.viewer))).header('cache-control', 'private, no-store');
    return opts.servePage(request, reply, `search:${JSON.stringify([q, filters, pageNumber])}`, render);
  });
}
