import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../web/errors.js';
import { parsePage, serveCached } from '../../web/http.js';
import type { PageContext } from '../../web/page-context.js';
import type { RenderCache } from '../../web/render-cache.js';
import { personCards } from '../people/index.js';
import { getSetting } from '../../db/settings.js';
import { todayUtc } from '../../lib/dates.js';
import type { ArticlesService } from './articles.service.js';
import { plainText } from '../../lib/rich-text.js';
import { ArticlePageView, newsArticleJsonLd } from './views/article-page.js';
import { HomePage } from './views/home-page.js';
import { ListPage } from './views/list-page.js';

export interface ArticlesRoutesOptions {
  articles: ArticlesService;
  cache: RenderCache;
  pageContext: (path: string) => Promise<PageContext>;
}

const slugParam = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' } }, required: ['slug'] } as const;

export async function articlesRoutes(app: FastifyInstance, opts: ArticlesRoutesOptions): Promise<void> {
  const { articles, cache, pageContext } = opts;

  app.get('/', async (request, reply) =>
    serveCached(cache, request, reply, 'home', async () => {
      const [pick, latest, sections, featuredId] = await Promise.all([
        articles.editorsPick(),
        articles.latest({}, 8),
        articles.sections(),
        getSetting(app.db, 'featured_person_id'),
      ]);
      const perSection = await Promise.all(sections.map(async (s) => ({ ...s, latest: (await articles.latest({ sectionId: s.id }, 1))[0] ?? null })));
      const featured = featuredId ? ((await personCards(app.db, [featuredId], todayUtc())).get(featuredId) ?? null) : null;
      return HomePage({ ctx: await pageContext('/'), data: { pick, latest: latest.filter((t) => t.id !== pick?.id).slice(0, 7), sections: perSection, featured } }) as string;
    }),
  );

  app.get<{ Params: { slug: string } }>('/articles/:slug', { schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params;
    return serveCached(cache, request, reply, `article:${slug}`, async () => {
      const article = await articles.published(slug);
      if (!article) throw new NotFoundError('There is no published article at this address.');
      const ctx = await pageContext(`/articles/${slug}`);
      const jsonLd = newsArticleJsonLd(ctx, article, plainText(article.body), null);
      return ArticlePageView({ ctx, article, view: { safeBodyHtml: article.safeBodyHtml, jsonLd } }) as string;
    });
  });

  app.get<{ Params: { slug: string } }>('/sections/:slug', { schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params;
    const page = parsePage(request.query);
    return serveCached(cache, request, reply, `section:${slug}:${page}`, async () => {
      const section = await articles.section(slug);
      if (!section) throw new NotFoundError('There is no section at this address.');
      const { items, pagination } = await articles.page({ sectionId: section.id }, page);
      return ListPage({
        ctx: await pageContext(`/sections/${slug}`),
        eyebrow: 'Section',
        title: section.name,
        description: section.description,
        basePath: `/sections/${slug}`,
        teasers: items,
        pagination,
        showSection: false,
      }) as string;
    });
  });

  app.get<{ Params: { slug: string } }>('/tags/:slug', { schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params;
    const page = parsePage(request.query);
    return serveCached(cache, request, reply, `tag:${slug}:${page}`, async () => {
      const tag = await articles.tag(slug);
      if (!tag) throw new NotFoundError('There is no tag at this address.');
      const { items, pagination } = await articles.page({ tagId: tag.id }, page);
      return ListPage({
        ctx: await pageContext(`/tags/${slug}`),
        eyebrow: 'Tag',
        title: tag.name,
        description: '',
        basePath: `/tags/${slug}`,
        teasers: items,
        pagination,
        showSection: true,
      }) as string;
    });
  });
}
