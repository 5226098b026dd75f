// The consent module in the app: `app.consent`, the job that emails guardians,
// the newsroom's consent pages and the guardians' pages.
import fp from 'fastify-plugin';
import { consentDeskRoutes, guardianRoutes } from './consent.routes.js';
import { ConsentService, GUARDIAN_EMAIL_JOB } from './consent.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    consent: ConsentService;
  }
}

export const consentPlugin = fp(
  async (app) => {
    const consent = new ConsentService({ db: app.db, site: app.site, mailer: app.mailer, log: app.log.child({ module: 'consent' }) });
    app.decorate('consent', consent);
    app.jobs.register(GUARDIAN_EMAIL_JOB, (payload) => consent.runEmailJob(payload));
    await app.register(consentDeskRoutes, { consent, pageContext: app.pageContext });
    await app.register(guardianRoutes, { consent, pageContext: app.pageContext });
  },
  { name: 'harbinger-consent', dependencies: ['harbinger-pages', 'harbinger-jobs', 'harbinger-mailer', 'harbinger-access'] },
);
