// Serves pages through the render cache, one cached copy per kind of viewer
// (anonymous, reader, staff). Slots left in a cached page are filled for each
// request: a fresh CSRF token, the state of each bookmark button. A render says
// what its page shows (surrogate keys, web/surrogate-keys.ts) and when that last
// changed, so that a change drops only the pages showing it, here and in a CDN.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { todayUtc } from '../lib/dates.js';
import { HTML, sendCachedPage } from './http.js';
import type { ViewerKind } from './page-context.js';
import type { RenderCache } from './render-cache.js';
import { compileSlots, fillCompiledSlots, type CompiledSlots } from './slots.js';
import { keyCollector, type ShowsKeys } from './surrogate-keys.js';
import { viewerKind } from './viewer.js';

/** What a render tells about its page besides the HTML. */
export interface PageMeta {
  /** Names what the page shows: `page.show(HOME, articleKeys(teasers))`. */
  show: ShowsKeys;
  /** When what the page shows last changed (sent as Last-Modified); the latest call wins. */
  modified(at: Date | string | null | undefined): void;
}

export type RenderForViewer = (viewer: ViewerKind, page: PageMeta) => Promise<string>;

export type ServePage = (request: FastifyRequest, reply: FastifyReply, key: string, render: RenderForViewer) => Promise<FastifyReply>;

export interface PageServerOptions {
  cache: RenderCache;
  /** Renders one bookmark button for the signed-in viewer. */
  bookmarkButtons(request: FastifyRequest, articleIds: string[], csrf: string): Promise<(articleId: string, slug: string) => string>;
  /** The newsletters (slugs) the signed-in viewer gets, for the sign-up boxes. */
  subscribedNewsletters?(request: FastifyRequest): Promise<ReadonlySet<string>>;
}

/** Renders a page, collecting what it says it shows. */
export async function renderWithMeta(
  render: RenderForViewer,
  viewer: ViewerKind,
): Promise<{ html: string; keys: Set<string>; lastModified: Date | null }> {
  const { keys, show } = keyCollector();
  let lastModified: Date | null = null;
  const html = await render(viewer, {
    show,
    modified: (at) => {
      if (!at) return;
      const date = at instanceof Date ? at : new Date(at);
      if (!Number.isNaN(date.getTime())) lastModified = date;
    },
  });
  return { html, keys, lastModified };
}

export function createPageServer(options: PageServerOptions): ServePage {
  const { cache } = options;
  /** Each cached page cut at its slots once (kept while the page is). */
  const compiled = new WeakMap<Buffer, CompiledSlots>();
  return async (request, reply, key, render) => {
    const kind = viewerKind(request.viewer);
    // Pages show roles as of today ("former ..." from the day a role ends), so a cached page lasts a day at most.
    const fullKey = `${key}|${kind}|${todayUtc()}`;
    let page = cache.get(fullKey);
    if (!page) {
      const { html, keys, lastModified } = await renderWithMeta(render, kind);
      page = cache.set(fullKey, html, 200, { keys, lastModified });
    }
    if (!page.slotted) return sendCachedPage(request, reply, page, kind === 'anonymous');
    let slots = compiled.get(page.body);
    if (!slots) compiled.set(page.body, (slots = compileSlots(page.body.toString('utf8'))));
    const csrf = reply.generateCsrf();
    const asksNewsletters = request.viewer && options.subscribedNewsletters && slots.hasNewsletters;
    const [subscribed, button] = await Promise.all([
      asksNewsletters ? options.subscribedNewsletters!(request) : new Set<string>(),
      options.bookmarkButtons(request, slots.articleIds, csrf),
    ]);
    return reply
      .code(page.status)
      .type(HTML)
      .header('cache-control', 'private, no-store')
      .send(fillCompiledSlots(slots, csrf, button, subscribed));
  };
}
