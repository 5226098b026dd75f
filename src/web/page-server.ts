// Serves pages through the render cache, one cached copy per kind of viewer
// (anonymous, reader, staff). Slots left in a cached page are filled for each
// request: a fresh CSRF token, the state of each bookmark button.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { todayUtc } from '../lib/dates.js';
import { HTML, sendCachedPage } from './http.js';
import type { ViewerKind } from './page-context.js';
import type { RenderCache } from './render-cache.js';
import { fillNewsletterSlots, fillSlots, hasNewsletterSlots, slotArticleIds } from './slots.js';
import { viewerKind } from './viewer.js';

export type RenderForViewer = (viewer: ViewerKind) => Promise<string>;

export type ServePage = (request: FastifyRequest, reply: FastifyReply, key: string, render: RenderForViewer) => Promise<FastifyReply>;

export interface PageServerOptions {
  cache: RenderCache;
  /** Renders one bookmark button for the signed-in viewer. */
  bookmarkButtons(request: FastifyRequest, articleIds: string[], csrf: string): Promise<(articleId: string, slug: string) => string>;
  /** The newsletters (slugs) the signed-in viewer gets, for the sign-up boxes. */
  subscribedNewsletters?(request: FastifyRequest): Promise<ReadonlySet<string>>;
}

export function createPageServer(options: PageServerOptions): ServePage {
  const { cache } = options;
  return async (request, reply, key, render) => {
    const kind = viewerKind(request.viewer);
    // Pages show roles as of today ("former ..." from the day a role ends), so a cached page lasts a day at most.
    const fullKey = `${key}|${kind}|${todayUtc()}`;
    const page = cache.get(fullKey) ?? cache.set(fullKey, await render(kind));
    if (!page.slotted) return sendCachedPage(request, reply, page);
    const html = page.body.toString('utf8');
    const csrf = reply.generateCsrf();
    const newsletterSlots = hasNewsletterSlots(html);
    const asksNewsletters = request.viewer && options.subscribedNewsletters && newsletterSlots;
    const [subscribed, button] = await Promise.all([
      asksNewsletters ? options.subscribedNewsletters!(request) : new Set<string>(),
      options.bookmarkButtons(request, slotArticleIds(html), csrf),
    ]);
    const filled = newsletterSlots ? fillNewsletterSlots(html, subscribed) : html;
    return reply
      .code(page.status)
      .type(HTML)
      .header('cache-control', 'private, no-store')
      .send(fillSlots(filled, csrf, button));
  };
}
