import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { todayUtc } from '../../lib/dates.js';
import { NotFoundError } from '../../web/errors.js';
import { feedLinks } from '../../web/feed-links.js';
import { page, slugParams } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { ServePage } from '../../web/page-server.js';
import { articleKeys, newsroomKey, PEOPLE, personKey } from '../../web/surrogate-keys.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { newsroomDirectory, newsroomProfile, peopleDirectory, personProfile } from './people.service.js';
import { PeopleDirectoryPage } from './views/directory-pages.js';
import { NewsroomPage } from './views/newsroom-page.js';
import { PersonPage } from './views/person-page.js';
import type { ArticleLists } from './article-lists.js';

export interface PeopleRoutesOptions {
  articles: ArticleLists;
  servePage: ServePage;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

const pageQuery = z.object({ page });

export async function peopleRoutes(fastify: FastifyInstance, opts: PeopleRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { articles, servePage, pageContext } = opts;

  app.get('/people', { schema: { querystring: pageQuery } }, async (request, reply) => {
    const { page } = request.query;
    return servePage(request, reply, `people:${page}`, async (viewer, shown) => {
      shown.show(PEOPLE);
      const [{ people, pagination }, newsrooms] = await Promise.all([
        peopleDirectory(app.db, page, 24, todayUtc()),
        newsroomDirectory(app.db),
      ]);
      return PeopleDirectoryPage({ ctx: await pageContext('/people', viewer), people, pagination, newsrooms });
    });
  });

  app.get('/people/:slug', { schema: { params: slugParams, querystring: pageQuery } }, async (request, reply) => {
    const { slug } = request.params;
    const { page } = request.query;
    return servePage(request, reply, `person:${slug}:${page}`, async (viewer, shown) => {
      shown.show(PEOPLE);
      const profile = await personProfile(app.db, slug, todayUtc());
      if (!profile) throw new NotFoundError('There is nobody at this address.');
      const [written, edited] = await Promise.all([
        articles.page({ authorId: profile.card.id }, page),
        articles.latestEdited(profile.card.id, 10),
      ]);
      shown.show(personKey(profile.card.id), articleKeys([...written.items.items, ...edited.items]));
      return PersonPage({
        ctx: { ...(await pageContext(`/people/${slug}`, viewer)), feeds: feedLinks(`/people/${slug}`, profile.card.name) },
        profile,
        written: written.items,
        writtenPagination: written.pagination,
        edited,
      });
    });
  });

  app.get('/newsrooms/:slug', { schema: { params: slugParams, querystring: pageQuery } }, async (request, reply) => {
    const { slug } = request.params;
    const { page } = request.query;
    return servePage(request, reply, `newsroom:${slug}:${page}`, async (viewer, shown) => {
      shown.show(PEOPLE);
      const room = await newsroomProfile(app.db, slug, todayUtc());
      if (!room) throw new NotFoundError('There is no newsroom at this address.');
      const { items, pagination } = await articles.page({ newsroomId: room.id }, page);
      shown.show(newsroomKey(room.id), articleKeys(items.items));
      const ctx = { ...(await pageContext(`/newsrooms/${slug}`, viewer)), feeds: feedLinks(`/newsrooms/${slug}`, room.name) };
      return NewsroomPage({ ctx, room, teasers: items, pagination });
    });
  });
}
