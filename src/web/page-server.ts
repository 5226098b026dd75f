// Serves pages through the render cache, one cached copy per kind of viewer
// (anonymous, reader, staff). Slots left in a cached page are filled for each
// request: a fresh CSRF token, the state of each bookmark button.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTML, sendCachedPage } from './http.js';
import type { ViewerKind } from './page-context.js';
import type { RenderCache } from './render-cache.js';
import { fillSlots, slotArticleIds } from './slots.js';
import { viewerKind } from './viewer.js';

export type RenderForViewer = (viewer: ViewerKind) => Promise<string>;

export type ServePage = (request: FastifyRequest, reply: FastifyReply, key: string, render: RenderForViewer) => Promise<FastifyReply>;

export interface PageServerOptions {
  cache: RenderCache;
  /** Renders one bookmark button for the signed-in viewer. */
  bookmarkButtons(request: FastifyRequest, articleIds: string[], csrf: string): Promise<(articleId: string, slug: string) => string>;
}

export function createPageServer(options: PageServerOptions): ServePage {
  const { cache } = options;
  return async (request, reply, key, render) => {
    const kind = viewerKind(request.viewer);
    const fullKey = `${key}|${kind}`;
    const page = cache.get(fullKey) ?? cache.set(fullKey, await render(kind));
    if (!page.slotted) return sendCachedPage(request, reply, page);
    const html = page.body.toString('utf8');
    const csrf = reply.generateCsrf();
    const button = await options.bookmarkButtons(request, slotArticleIds(html), csrf);
    return reply.code(page.status).type(HTML).header('cache-control', 'private, no-store').send(fillSlots(html, csrf, button));
  };
}
