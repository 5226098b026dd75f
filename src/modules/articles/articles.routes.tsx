import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getSetting } from '../../db/settings.js';
import { todayUtc } from '../../lib/dates.js';
import { NotFoundError } from '../../web/errors.js';
import { feedLinks } from '../../web/feed-links.js';
import { page, slugParams } from '../../web/schemas.js';
import { articleKeys, HOME, personKey, sectionKey, tagKey } from '../../web/surrogate-keys.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import type { RenderForViewer, ServePage } from '../../web/page-server.js';
import { personCards } from '../people/index.js';
import type { ArticlesService } from './articles.service.js';
import { HomePage } from './views/home-page.js';
import { ListPage } from './views/list-page.js';

export interface ArticlesRoutesOptions {
  articles: ArticlesService;
  servePage: ServePage;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
  /** Renders the article page for a request: the wall module decides how much of it. */
  articlePage: (request: FastifyRequest, reply: FastifyReply, slug: string) => Promise<{ key: string; render: RenderForViewer }>;
}

const listPage = { params: slugParams, querystring: z.object({ page }) };

export async function articlesRoutes(fastify: FastifyInstance, opts: ArticlesRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { articles, servePage, pageContext } = opts;

  app.get('/', async (request, reply) =>
    servePage(request, reply, 'home', async (viewer, shown) => {
      // Every part at once: each waits on the database, none on another.
      const sections = await articles.sections();
      const [pick, latest, newestOf, featuredPerson, base] = await Promise.all([
        articles.editorsPick(),
        articles.latest({}, 8),
        articles.latestPerSection(sections.map((s) => s.id)),
        getSetting(app.db, 'featured_person_id').then(async (id) =>
          id ? { id, card: (await personCards(app.db, [id], todayUtc())).get(id) ?? null } : null,
        ),
        pageContext('/', viewer),
      ]);
      const perSection = sections.map((s) => ({ ...s, latest: newestOf.get(s.id) ?? null }));
      const featured = featuredPerson?.card ?? null;
      shown.show(
        HOME,
        articleKeys([pick, ...latest, ...perSection.map((s) => s.latest)]),
        featuredPerson ? personKey(featuredPerson.id) : [],
      );
      return HomePage({
        ctx: { ...base, feeds: feedLinks('', app.config.siteName) },
        data: { pick, latest: latest.filter((t) => t.id !== pick?.id).slice(0, 7), sections: perSection, featured },
      });
    }),
  );

  app.get('/articles/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const { key, render } = await opts.articlePage(request, reply, request.params.slug);
    return servePage(request, reply, key, render);
  });

  app.get('/sections/:slug', { schema: listPage }, async (request, reply) => {
    const { slug } = request.params;
    const { page } = request.query;
    return servePage(request, reply, `section:${slug}:${page}`, async (viewer, shown) => {
      shown.show(sectionKey(slug));
      const section = await articles.section(slug);
      if (!section) throw new NotFoundError('There is no section at this address.');
      const { items, pagination } = await articles.page({ sectionId: section.id }, page);
      shown.show(articleKeys(items));
      return ListPage({
        ctx: { ...(await pageContext(`/sections/${slug}`, viewer)), feeds: feedLinks(`/sections/${slug}`, section.name) },
        eyebrow: 'Section',
        title: section.name,
        description: section.description,
        basePath: `/sections/${slug}`,
        teasers: items,
        pagination,
        showSection: false,
      });
    });
  });

  app.get('/tags/:slug', { schema: listPage }, async (request, reply) => {
    const { slug } = request.params;
    const { page } = request.query;
    return servePage(request, reply, `tag:${slug}:${page}`, async (viewer, shown) => {
      shown.show(tagKey(slug));
      const tag = await articles.tag(slug);
      if (!tag) throw new NotFoundError('There is no tag at this address.');
      const { items, pagination } = await articles.page({ tagId: tag.id }, page);
      shown.show(articleKeys(items));
      return ListPage({
        ctx: { ...(await pageContext(`/tags/${slug}`, viewer)), feeds: feedLinks(`/tags/${slug}`, tag.name) },
        eyebrow: 'Tag',
        title: tag.name,
        description: '',
        basePath: `/tags/${slug}`,
        teasers: items,
        pagination,
        showSection: true,
      });
    });
  });
}
