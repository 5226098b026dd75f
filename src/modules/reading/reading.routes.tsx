import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { docToText } from '../../lib/plain-text.js';
import type { RichNode } from '../../lib/rich-text.js';
import { NotFoundError } from '../../web/errors.js';
import { feedLinks } from '../../web/feed-links.js';
import { sendHtml, wantsJson } from '../../web/http.js';
import { field, page, uuid } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import type { PageMeta } from '../../web/page-server.js';
import { articleKey, articleKeys, personKey } from '../../web/surrogate-keys.js';
import { csrfToken, viewerKind } from '../../web/viewer.js';
import { readerOf, requireReader } from '../access/index.js';
import { safeNext } from '../accounts/index.js';
import { ArticlePageView, newsArticleJsonLd, type ArticlesService } from '../articles/index.js';
import { canReadFullText, decodeMeter, encodeMeter, meterDecision, METER_WINDOW_MS, wallPreview } from './access.js';
import type { ReadingService } from './reading.service.js';
import { BookmarkControl } from '../../web/ui/bookmark-control.js';
import { BookmarksPage } from './views/bookmarks-page.js';
import { GATED_CLASS, RegistrationWall } from './views/wall.js';

export const METER_COOKIE = 'hb_meter';

export interface ReadingRoutesOptions {
  reading: ReadingService;
  articles: ArticlesService;
  config: Readonly<Config>;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
  renderBodyHtml: (doc: RichNode) => Promise<string>;
}

/** A bookmark form: an article that cannot exist is not found; the action is to add unless it says remove. */
const bookmarkBody = z.object({ articleId: uuid.or(z.literal('')).catch(''), next: field, action: field });

/**
 * Decides how much of an article a request may see, and renders that. A visitor
 * who may not read a registered article gets the preview paragraphs and the wall:
 * the rest of the text is never rendered for them, so it cannot leak.
 */
export function articlePageProvider(opts: ReadingRoutesOptions) {
  const { articles, config } = opts;
  return async (request: FastifyRequest, reply: FastifyReply, slug: string) => {
    const access = await articles.accessOf(slug);
    let full = access === null || canReadFullText(access.access, request.viewer !== null);
    if (!full && access && config.wall.freeArticles > 0) {
      const raw = request.cookies[METER_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      const decision = meterDecision(
        decodeMeter(unsigned?.valid ? (unsigned.value ?? undefined) : undefined),
        access.id,
        config.wall.freeArticles,
        Date.now(),
      );
      full = decision.allowed;
      // The meter counts this visitor's articles in a cookie: the answer is theirs alone, never a shared cache's.
      reply.header('cache-control', 'private, no-store');
      reply.setCookie(METER_COOKIE, encodeMeter(decision.entries), {
        path: '/articles',
        httpOnly: true,
        sameSite: 'lax',
        signed: true,
        maxAge: METER_WINDOW_MS / 1000,
        secure: 'auto',
      });
    }
    return {
      key: `article:${slug}:${full ? 'full' : 'wall'}`,
      render: async (viewer: ViewerKind, shown: PageMeta) => {
        const article = await articles.published(slug);
        if (!article) throw new NotFoundError('There is no published article at this address.');
        const [base, further] = await Promise.all([opts.pageContext(`/articles/${slug}`, viewer), articles.furtherReading(article)]);
        // The page shows its own article, and the further reading's teasers and bylines.
        shown.show(
          articleKey(article.id),
          articleKeys([...(further.moreFrom?.teasers ?? []), ...further.related]),
          [...article.authors, ...article.editors].map((p) => personKey(p.id)),
        );
        shown.modified(article.updatedAt);
        // Feed readers pointed at an article find the site's feeds and its section's.
        const feeds = [...feedLinks('', opts.config.siteName), ...feedLinks(`/sections/${article.section.slug}`, article.section.name)];
        const ctx = { ...base, feeds };
        const bookmark = BookmarkControl({ viewer, articleId: article.id, slug });
        if (full) {
          const jsonLd = newsArticleJsonLd(ctx, article, docToText(article.body), null);
          return ArticlePageView({ ctx, article, view: { safeBodyHtml: article.safeBodyHtml, jsonLd, bookmark, further } });
        }
        const jsonLd = newsArticleJsonLd(ctx, article, null, `.${GATED_CLASS}`);
        return ArticlePageView({
          ctx,
          article,
          view: {
            safeBodyHtml: await opts.renderBodyHtml(wallPreview(article, config.wall.previewParagraphs)),
            after: RegistrationWall({ slug, articleId: article.id, siteName: config.siteName }),
            jsonLd,
            bookmark,
            further,
          },
        });
      },
    };
  };
}

export async function readingRoutes(fastify: FastifyInstance, opts: ReadingRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { reading } = opts;

  const bookmarkRoute = {
    schema: { body: bookmarkBody },
    preValidation: app.csrfProtection,
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
  };
  app.post('/bookmarks', bookmarkRoute, async (request, reply) => {
    const { articleId } = request.body;
    if (!articleId) throw new NotFoundError('There is no article to bookmark.');
    const next = safeNext(request.body.next);
    if (!request.viewer) {
      const params = new URLSearchParams({ next, bookmark: articleId });
      return reply.redirect(`/account/sign-up?${params.toString()}`, 303);
    }
    const add = request.body.action !== 'remove';
    if (add) await reading.bookmark(request.viewer.userId, articleId);
    else await reading.unbookmark(request.viewer.userId, articleId);
    if (wantsJson(request)) return reply.header('cache-control', 'no-store').send({ bookmarked: add });
    return reply.redirect(next, 303);
  });

  const bookmarksPage = requireReader({ next: () => '/account/bookmarks' });
  app.get('/account/bookmarks', { schema: { querystring: z.object({ page }) }, onRequest: bookmarksPage }, async (request, reply) => {
    const { page } = request.query;
    const { items, pagination } = await reading.page(readerOf(request).userId, page, 20);
    const ctx = await opts.pageContext('/account/bookmarks', viewerKind(request.viewer));
    return sendHtml(reply, BookmarksPage({ ctx, items, pagination, csrf: csrfToken(reply) }));
  });
}
