// The yearly prize ("The Harbinger Prize <year>"): competitions with categories,
// prompts, rules and a submission window in a named time zone; entering with an
// account (private drafts, eligibility on the deadline date, a final submission
// with an emailed receipt, the deadline enforced to the second); blind judging
// by juries per category with a rubric, conflicts, rankings and awards; public
// shortlist and winners pages; and winners offered a place on the magazine. The
// module owns the competitions, competition_categories, entries, jurors,
// rubric_criteria, scores, juror_conflicts and awards tables.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import type { SiteIdentity } from '../../mail/layout.js';
import type { MediaDirs, PictureSigner } from '../media/index.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { prizeRoutes } from './competitions.routes.js';
import { CompetitionsService, type AccountsPort, type Clock } from './competitions.service.js';
import { judgingRoutes } from './judging.routes.js';
import { JudgingService } from './judging.service.js';
import { organiserRoutes } from './organiser.routes.js';
import { ResultsService } from './results.service.js';

export { CompetitionsService, EntryRefused, type AccountsPort, type Clock, type Prize, type PrizeCategory } from './competitions.service.js';
export { JudgingService } from './judging.service.js';
export { ResultsService, placePath, type PlaceOffer } from './results.service.js';
export { acceptsEntries, prizeState, prizeTime, localToUtc, type PrizeState, type PrizeWindow } from './deadlines.js';
export { countdown, countdownText } from './countdown.js';
export { checkAge, ageOnDeadline, checkWordLimit } from './eligibility.js';
export { rankEntries, BLIND_ENTRY_COLUMNS, PRIVATE_ENTRY_COLUMNS } from './judging.js';
export { seedDemoPrize } from './demo.js';

declare module 'fastify' {
  interface FastifyInstance {
    prizes: CompetitionsService;
    prizeResults: ResultsService;
    judging: JudgingService;
  }
}

export interface CompetitionsOptions {
  db: Db;
  site: SiteIdentity;
  media: MediaDirs;
  pictureSigner: PictureSigner;
  accounts: AccountsPort;
  /** The session cookie's `secure` setting, for the fresh session a winner gets on accepting a place. */
  secureCookies?: boolean | 'auto';
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
  contentChanged?: () => Promise<void>;
  /** The clock every time-dependent rule asks; tests replace it with `app.prizes.setClock`. */
  now?: () => Date;
}

/** Builds the services, decorates the app with them (app.prizes, app.prizeResults, app.judging) and registers the routes. */
export async function registerCompetitions(app: FastifyInstance, options: CompetitionsOptions): Promise<void> {
  const clock: Clock = { now: options.now ?? (() => new Date()) };
  const deps = { db: options.db, site: options.site, media: options.media, accounts: options.accounts, clock, ...(options.contentChanged ? { contentChanged: options.contentChanged } : {}) };
  const prizes = new CompetitionsService(deps);
  const results = new ResultsService(deps, prizes);
  const judging = new JudgingService({ db: options.db, site: options.site, accounts: options.accounts, clock, pictureSigner: options.pictureSigner });
  app.decorate('prizes', prizes);
  app.decorate('prizeResults', results);
  app.decorate('judging', judging);
  await app.register(prizeRoutes, { prizes, results, accounts: options.accounts, secureCookies: options.secureCookies ?? 'auto', pageContext: options.pageContext });
  await app.register(judgingRoutes, { judging, pageContext: options.pageContext });
  await app.register(organiserRoutes, { prizes, results, judging, pageContext: options.pageContext });
}
