// The public side: a published page at /<slug>, through the render cache. An
// address that names no published page goes to the not-found handler, where
// the redirects module looks up old addresses.
import type { FastifyInstance } from 'fastify';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import type { ServePage } from '../../web/page-server.js';
import { pageKey } from '../../web/surrogate-keys.js';
import { htmlOf } from '../../web/view.js';
import type { PagesService } from './pages.service.js';
import { PAGE_SLUG_RE } from './slugs.js';
import { StaticPageView } from './views/page-view.js';

export interface PublicPagesOptions {
  pages: PagesService;
  servePage: ServePage;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

export async function publicPagesRoutes(app: FastifyInstance, opts: PublicPagesOptions): Promise<void> {
  const { pages, servePage, pageContext } = opts;
  app.get<{ Params: { slug: string } }>('/:slug', async (request, reply) => {
    const { slug } = request.params;
    const page = PAGE_SLUG_RE.test(slug) ? await pages.publishedBySlug(slug) : null;
    if (!page) return reply.callNotFound();
    return servePage(request, reply, `page:${slug}`, async (viewer, shown) => {
      shown.show(pageKey(slug));
      return htmlOf(StaticPageView({ ctx: await pageContext(`/${slug}`, viewer), page }));
    });
  });
}
