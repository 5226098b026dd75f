import type { FastifyInstance } from 'fastify';
import { todayUtc } from '../../lib/dates.js';
import { NotFoundError } from '../../web/errors.js';
import { parsePage, serveCached } from '../../web/http.js';
import type { PageContext } from '../../web/page-context.js';
import type { RenderCache } from '../../web/render-cache.js';
import type { ArticlesService } from '../articles/index.js';
import { newsroomDirectory, newsroomProfile, peopleDirectory, personProfile } from './people.service.js';
import { PeopleDirectoryPage } from './views/directory-pages.js';
import { NewsroomPage } from './views/newsroom-page.js';
import { PersonPage } from './views/person-page.js';

export interface PeopleRoutesOptions {
  articles: ArticlesService;
  cache: RenderCache;
  pageContext: (path: string) => Promise<PageContext>;
}

const slugParam = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' } }, required: ['slug'] } as const;

export async function peopleRoutes(app: FastifyInstance, opts: PeopleRoutesOptions): Promise<void> {
  const { articles, cache, pageContext } = opts;

  app.get('/people', async (request, reply) => {
    const page = parsePage(request.query);
    return serveCached(cache, request, reply, `people:${page}`, async () => {
      const [{ people, pagination }, newsrooms] = await Promise.all([peopleDirectory(app.db, page, 24, todayUtc()), newsroomDirectory(app.db)]);
      return PeopleDirectoryPage({ ctx: await pageContext('/people'), people, pagination, newsrooms }) as string;
    });
  });

  app.get<{ Params: { slug: string } }>('/people/:slug', { schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params;
    const page = parsePage(request.query);
    return serveCached(cache, request, reply, `person:${slug}:${page}`, async () => {
      const profile = await personProfile(app.db, slug, todayUtc());
      if (!profile) throw new NotFoundError('There is nobody at this address.');
      const [written, edited] = await Promise.all([
        articles.page({ authorId: profile.card.id }, page, 10),
        articles.latest({ editorId: profile.card.id }, 10),
      ]);
      return PersonPage({
        ctx: await pageContext(`/people/${slug}`),
        profile,
        written: written.items,
        writtenPagination: written.pagination,
        edited,
      }) as string;
    });
  });

  app.get<{ Params: { slug: string } }>('/newsrooms/:slug', { schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params;
    const page = parsePage(request.query);
    return serveCached(cache, request, reply, `newsroom:${slug}:${page}`, async () => {
      const room = await newsroomProfile(app.db, slug, todayUtc());
      if (!room) throw new NotFoundError('There is no newsroom at this address.');
      const { items, pagination } = await articles.page({ newsroomId: room.id }, page);
      return NewsroomPage({ ctx: await pageContext(`/newsrooms/${slug}`), room, teasers: items, pagination }) as string;
    });
  });
}
