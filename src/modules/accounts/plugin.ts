// The accounts module in the app: `app.accounts`, its email job, its part of the
// hourly cleanup (expired sessions and links, spent rate-limit counters) and its
// routes. Other modules join in through the service's hooks (onDelete, onSignIn,
// onExport) from their own plugins.
import fp from 'fastify-plugin';
import { deleteExpiredKeyLimits } from '../../web/key-limit.js';
import { ACCOUNT_EMAIL_JOB, AccountsService, purgeExpiredAccess, type AccountPeople } from './accounts.service.js';
import { accountsRoutes } from './accounts.routes.js';
import { loadPlaces } from './places.js';
import { AppError } from '../../web/errors.js';
import { wantsJson } from '../../web/http.js';

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountsService;
  }
}

export interface AccountsPluginOptions {
  /** The people linked to accounts (the people module's; passed in, so the two modules do not import each other). */
  people: AccountPeople;
}

/** The newsroom's pages (the desks, the jurors' pages): what needs two-factor sign-in when a role requires it. */
const NEWSROOM_PATH = /^\/(newsroom|judging)(\/|\?|$)/;

export const accountsPlugin = fp<AccountsPluginOptions>(
  async (app, options) => {
    const { db } = app;
    const accounts = new AccountsService(db, app.mailer, app.site, app.log.child({ module: 'accounts' }), options.people, app.changeBus, {
      siteSecret: app.siteSecret,
      staffTwoFactor: app.config.staffTwoFactor,
      places: loadPlaces(app.config.sessionPlaces),
    });
    app.decorate('accounts', accounts);
    app.addHook('onClose', async () => accounts.close());
    app.jobs.register(ACCOUNT_EMAIL_JOB, (payload) => accounts.runEmailJob(payload));
    app.jobs.cleanup((now) => purgeExpiredAccess(db, now));
    app.jobs.cleanup(async (now) => ({ keyLimits: await deleteExpiredKeyLimits(db, now.getTime()) }));
    // Someone whose role requires two-factor sign-in and who has not set it up (signed in before it was
    // required, say) is sent to set it up before any newsroom page.
    app.addHook('onRequest', async (request, reply) => {
      if (!request.viewer?.twoFactorSetupDue || !NEWSROOM_PATH.test(request.url)) return;
      if (wantsJson(request))
        throw new AppError(
          403,
          'two_factor_required',
          'Set up two-factor sign-in on your account page first.',
          'Two-factor sign-in required',
        );
      const next = request.method === 'GET' ? request.url : '/newsroom';
      return reply.redirect(`/account/two-factor/setup?next=${encodeURIComponent(next)}`, 303);
    });
    await app.register(accountsRoutes, {
      accounts,
      pageContext: app.pageContext,
      secureCookies: app.secureCookies,
      afterSignIn: (userId, continuation) => accounts.afterSignIn(userId, continuation),
      exportExtra: (userId) => accounts.exportExtra(userId),
    });
  },
  { name: 'harbinger-accounts', dependencies: ['harbinger-pages', 'harbinger-mailer', 'harbinger-jobs', 'harbinger-viewer'] },
);
