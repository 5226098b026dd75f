// The yearly prize ("The Harbinger Prize <year>"): competitions with categories,
// prompts, rules and a submission window in a named time zone; entering with an
// account (private drafts, eligibility on the deadline date, a final submission
// with an emailed receipt, the deadline enforced to the second); blind judging
// by juries per category with a rubric, conflicts, rankings and awards; public
// shortlist and winners pages; and winners offered a place on the magazine. The
// module owns the competitions, competition_categories, entries, jurors,
// rubric_criteria, scores, juror_conflicts and awards tables.
import fp from 'fastify-plugin';
import { prizeRoutes } from './competitions.routes.js';
import { CompetitionsService, type Clock } from './competitions.service.js';
import { judgingRoutes } from './judging.routes.js';
import { JudgingService } from './judging.service.js';
import { organiserRoutes } from './organiser.routes.js';
import { ResultsService } from './results.service.js';

export {
  CompetitionsService,
  EntryRefused,
  type AccountsPort,
  type Clock,
  type Prize,
  type PrizeCategory,
} from './competitions.service.js';
export { JudgingService } from './judging.service.js';
export { ResultsService, placePath, type PlaceOffer } from './results.service.js';
export { acceptsEntries, prizeState, prizeTime, localToUtc, type PrizeState, type PrizeWindow } from './deadlines.js';
export { countdown, countdownText } from './countdown.js';
export { checkAge, ageOnDeadline, checkWordLimit } from './eligibility.js';
export { rankEntries, BLIND_ENTRY_COLUMNS, PRIVATE_ENTRY_COLUMNS } from './judging.js';
export { seedDemoPrize } from './demo.js';
export { competitionsBundle } from './bundle.js';

declare module 'fastify' {
  interface FastifyInstance {
    prizes: CompetitionsService;
    prizeResults: ResultsService;
    judging: JudgingService;
  }
}

/**
 * The prize in the app: builds the services, decorates the app with them
 * (app.prizes, app.prizeResults, app.judging) and registers the routes. Entrants
 * and organisers may see entry photos; a reader's entries go into their data export.
 */
export const competitionsPlugin = fp(
  async (app) => {
    const { db, site, accounts } = app;
    const clock: Clock = { now: () => new Date() };
    const contentChanged = () => app.contentVersion.bump();
    const prizes = new CompetitionsService({ db, site, media: app.mediaStorage, accounts, clock, contentChanged });
    const results = new ResultsService({ db, site, media: app.mediaStorage, accounts, clock, contentChanged }, prizes);
    const judging = new JudgingService({ db, site, accounts, clock, pictureSigner: app.pictureSigner });
    app.decorate('prizes', prizes);
    app.decorate('prizeResults', results);
    app.decorate('judging', judging);
    app.privatePictures.allow((viewer, mediaId) => prizes.canSeeEntryPhoto(viewer, mediaId));
    accounts.onExport((userId) => prizes.exportFor(userId));
    const pageContext = app.pageContext;
    await app.register(prizeRoutes, { prizes, results, accounts, secureCookies: app.secureCookies, pageContext });
    await app.register(judgingRoutes, { judging, pageContext });
    await app.register(organiserRoutes, { prizes, results, judging, pageContext });
  },
  { name: 'harbinger-competitions', dependencies: ['harbinger-accounts', 'harbinger-media', 'harbinger-pages'] },
);
