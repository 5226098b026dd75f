// The newsroom in the app: `app.desk`, the scheduled-publish job and the desk's
// routes. What the desk publishes bumps the content version, so every process
// drops its cached pages.
import fp from 'fastify-plugin';
import { onPersonChanged } from '../people/index.js';
import { freezeLateAges } from './late-ages.js';
import { newsroomRoutes } from './newsroom.routes.js';
import { bylinePrivacyRoutes } from './byline-privacy.routes.js';
import { NewsroomService } from './newsroom.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    desk: NewsroomService;
  }
}

type ScheduledPublish = Parameters<NewsroomService['publishScheduled']>[0];

export const newsroomPlugin = fp(
  async (app) => {
    const { articles, renderBodyHtml, contentVersion } = app;
    const desk = new NewsroomService({
      db: app.db,
      site: app.site,
      log: app.log.child({ module: 'newsroom' }),
      renderBody: renderBodyHtml,
      contentChanged: (keys) => contentVersion.bump(keys),
    });
    app.decorate('desk', desk);
    // A birth date entered later gives the person's bylines published without an age the age they had then.
    const unsubscribe = onPersonChanged(async (trx, personId) => void (await freezeLateAges(trx, personId)));
    app.addHook('onClose', async () => unsubscribe());
    app.jobs.register('publish_article', (payload) => desk.publishScheduled(payload as ScheduledPublish));
    const previewParagraphs = app.config.wall.previewParagraphs;
    await app.register(newsroomRoutes, { desk, articles, pageContext: app.pageContext, renderBodyHtml, previewParagraphs });
    await app.register(bylinePrivacyRoutes, { pageContext: app.pageContext, contentChanged: () => contentVersion.bump() });
  },
  { name: 'harbinger-newsroom', dependencies: ['harbinger-articles', 'harbinger-jobs'] },
);
