import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { articlesOfPerson } from './newsroom.repository.js';
import { NewsroomDashboard } from './views/dashboard.js';

export async function newsroomRoutes(app: FastifyInstance, opts: { pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext> }): Promise<void> {
  app.get('/newsroom', async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer) return reply.redirect(`/account/sign-in?next=${encodeURIComponent('/newsroom')}`, 303);
    if (!viewer.staff) throw new ForbiddenError('The newsroom is for the magazine’s writers, editors and mentors. Your account is a reader account.');
    const articles = await articlesOfPerson(app.db, viewer.staff.personId);
    return sendHtml(reply, NewsroomDashboard({ ctx: await opts.pageContext('/newsroom', 'staff'), person: viewer.staff, articles }) as string);
  });
}
