// The reports module in the app: `app.reports` (the service), the public "Report
// a problem" forms under each article and person page, the newsroom's queue,
// and the job that sends a reporter their acknowledgement.
import fp from 'fastify-plugin';
import { ServiceAwayError } from '../../jobs/index.js';
import type { Mailer } from '../../mail/mailer.js';
import { ACKNOWLEDGEMENT_JOB, ReportsService } from './reports.service.js';
import { reportFormRoutes } from './reports.routes.js';
import { reportQueueRoutes } from './queue.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    reports: ReportsService;
  }
}

/**
 * Sends the acknowledgement without letting the reporter's address reach a log:
 * the mail server's refusal may quote it, so a failure is reported by its code only.
 */
export async function sendAcknowledgement(reports: ReportsService, mailer: Mailer, payload: unknown): Promise<void> {
  const reportId = (payload as { reportId?: unknown } | null)?.reportId;
  if (typeof reportId !== 'string') return;
  const message = await reports.acknowledgement(reportId);
  if (!message) return;
  try {
    await mailer.send({ ...message, logRecipient: false });
  } catch (err) {
    const away = err instanceof ServiceAwayError;
    const { code, responseCode } = ((away ? err.cause : err) ?? {}) as { code?: unknown; responseCode?: unknown };
    const reason = typeof responseCode === 'number' ? `SMTP ${responseCode}` : typeof code === 'string' ? code : 'no code';
    const failure = `The acknowledgement of report ${reportId} could not be sent (${reason})`;
    // A mail server that is away keeps the job waiting for it, as for any other email.
    throw away ? new ServiceAwayError(failure) : new Error(failure);
  }
}

export const reportsPlugin = fp(
  async (app) => {
    const reports = new ReportsService({ db: app.db, site: app.site, articles: app.articles });
    app.decorate('reports', reports);
    app.jobs.register(ACKNOWLEDGEMENT_JOB, (payload) => sendAcknowledgement(reports, app.mailer, payload));
    await app.register(reportFormRoutes, { reports, pageContext: app.pageContext });
    await app.register(reportQueueRoutes, { reports, pageContext: app.pageContext });
  },
  {
    name: 'harbinger-reports',
    dependencies: [
      'harbinger-pages',
      'harbinger-request-guards',
      'harbinger-access',
      'harbinger-jobs',
      'harbinger-mailer',
      'harbinger-articles',
    ],
  },
);
