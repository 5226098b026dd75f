// The organisers' desk in the newsroom (/newsroom/prizes): the editor-in-chief,
// the mentors and administrators set prizes up, seat the juries, follow the
// judging, give the overall award, publish results, offer winners a place, and
// export the entries and scores.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AwardKind, RoleName } from '../../db/schema.js';
import { AppError, BadRequestError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { canOrganise, requireStaff, staffOf } from '../access/index.js';
import { categorySchema, competitionSchema, criterionSchema, fieldErrors, jurorSchema } from './competitions.schemas.js';
import { FormRefused, type CompetitionsService } from './competitions.service.js';
import { prizeState } from './deadlines.js';
import type { JudgingService } from './judging.service.js';
import { PlaceMoveNeedsConfirmation, type ResultsService } from './results.service.js';
import { blankForm, ConfirmPlaceMovePage, PrizeSetupPage, PrizesDeskPage, ResultsDeskPage, StatsPage, type EntrantFacts, type FormState } from './views/organiser-pages.js';

export interface OrganiserRoutesOptions {
  prizes: CompetitionsService;
  results: ResultsService;
  judging: JudgingService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
}

type Body = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const ID = '^[0-9a-f-]{36}$';
const params = (...names: string[]) => ({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string', pattern: ID }])), required: names }) as const;
const ORGANISER_KINDS: AwardKind[] = ['shortlist', 'first', 'second', 'third', 'overall'];

function typed(body: Body | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, one(v).slice(0, 40_000)]));
}

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): { ok: true; data: z.infer<T> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(body ?? {});
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error) };
}

export async function organiserRoutes(app: FastifyInstance, opts: OrganiserRoutesOptions): Promise<void> {
  const { prizes, results, judging } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', request.viewer?.staff?.roles);

  // Only the editor-in-chief, mentors and administrators get past this.
  app.addHook(
    'onRequest',
    requireStaff({
      may: canOrganise,
      refusal: 'Prizes are run by the editor-in-chief, the mentors and the administrators.',
      code: 'not_an_organiser',
      home: '/newsroom/prizes',
    }),
  );

  const notices: Record<string, string> = {
    created: 'The prize is created. Add its categories, rubric and juries.',
    saved: 'Saved.',
    juror: 'The juror is seated and has been emailed a sign-in link.',
    published: 'Published.',
    offered: 'Place offered: the winner has been emailed the offer. Their profile, contributor role and draft article are made when they accept it.',
  };

  app.get('/newsroom/prizes', async (request, reply) => {
    const now = prizes.now();
    const list = (await prizes.list()).map((prize) => ({ prize, state: prizeState(prize.window, now) }));
    const form: FormState = { values: { timeZone: 'Europe/London', minAge: '13', maxAge: '19', entriesPerPerson: '1', shortlistSize: '5', language: 'English', schoolYearQuestion: 'Which school year have you completed?', requireFullTime: '1', year: String(now.getUTCFullYear() + 1) }, errors: {} };
    return sendHtml(reply, PrizesDeskPage({ ctx: await ctx(request, '/newsroom/prizes'), csrf: csrfToken(reply), prizes: list, form }));
  });

  app.post<{ Body: Body }>('/newsroom/prizes', csrf, async (request, reply) => {
    const refuse = async (errors: Record<string, string>) => {
      const now = prizes.now();
      const list = (await prizes.list()).map((prize) => ({ prize, state: prizeState(prize.window, now) }));
      return sendHtml(reply, PrizesDeskPage({ ctx: await ctx(request, '/newsroom/prizes'), csrf: csrfToken(reply), prizes: list, form: { values: typed(request.body), errors } }), 422);
    };
    const parsed = parse(competitionSchema, request.body);
    if (!parsed.ok) return refuse(parsed.errors);
    try {
      const id = await prizes.create(parsed.data);
      return reply.redirect(`/newsroom/prizes/${id}?done=created`, 303);
    } catch (error) {
      if (error instanceof FormRefused) return refuse(error.errors);
      throw error;
    }
  });

  async function setupPage(request: FastifyRequest, reply: FastifyReply, id: string, forms: Partial<Parameters<typeof PrizeSetupPage>[0]['forms']> = {}, extra: { notice?: string | undefined; error?: string; status?: number } = {}) {
    const prize = await prizes.byId(id);
    const [categories, criteria, jurors, sections] = await Promise.all([prizes.categories(id), prizes.criteria(id), judging.jurors(id), prizes.sections()]);
    const html = PrizeSetupPage({
      ctx: await ctx(request, `/newsroom/prizes/${id}`),
      csrf: csrfToken(reply),
      prize,
      state: prizeState(prize.window, prizes.now()),
      categories,
      criteria,
      jurors,
      sections,
      forms: { settings: { values: prizes.formValues(prize), errors: {} }, category: { values: { kind: 'essay' }, errors: {} }, criterion: blankForm, juror: { values: { role: 'member' }, errors: {} }, ...forms },
      notice: extra.notice,
      ...(extra.error ? { error: extra.error } : {}),
    });
    return sendHtml(reply, html, extra.status ?? 200);
  }

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/newsroom/prizes/:id', { schema: { params: params('id') } }, async (request, reply) => {
    return setupPage(request, reply, request.params.id, {}, { notice: notices[request.query.done ?? ''] });
  });

  /** Runs a setup change; a refused form comes back with what was typed, in its place on the page. */
  async function change(request: FastifyRequest<{ Params: Record<string, string>; Body: Body }>, reply: FastifyReply, formName: 'settings' | 'category' | 'criterion' | 'juror' | 'editCategory', action: () => Promise<unknown>, done = 'saved') {
    const id = request.params.id!;
    try {
      await action();
    } catch (error) {
      if (error instanceof FormRefused) {
        const form = { values: typed(request.body), errors: error.errors };
        const forms = formName === 'editCategory' ? { editCategory: { id: request.params.cid!, form } } : { [formName]: form };
        return setupPage(request, reply, id, forms, { status: 422 });
      }
      if (error instanceof AppError && error.status === 400) return setupPage(request, reply, id, {}, { error: error.message, status: 422 });
      throw error;
    }
    return reply.redirect(`/newsroom/prizes/${id}?done=${done}`, 303);
  }

  function parsed<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
    const result = parse(schema, body);
    if (!result.ok) throw new FormRefused(result.errors);
    return result.data;
  }

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/prizes/:id', { ...csrf, schema: { params: params('id') } }, async (request, reply) => {
    return change(request, reply, 'settings', () => prizes.update(request.params.id, parsed(competitionSchema, request.body)));
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/prizes/:id/categories', { ...csrf, schema: { params: params('id') } }, async (request, reply) => {
    return change(request, reply, 'category', () => prizes.addCategory(request.params.id, parsed(categorySchema, request.body)));
  });

  app.post<{ Params: { id: string; cid: string }; Body: Body }>('/newsroom/prizes/:id/categories/:cid', { ...csrf, schema: { params: params('id', 'cid') } }, async (request, reply) => {
    return change(request, reply, 'editCategory', () => prizes.updateCategory(request.params.id, request.params.cid, parsed(categorySchema, request.body)));
  });

  app.post<{ Params: { id: string; cid: string }; Body: Body }>('/newsroom/prizes/:id/categories/:cid/remove', { ...csrf, schema: { params: params('id', 'cid') } }, async (request, reply) => {
    return change(request, reply, 'category', () => prizes.removeCategory(request.params.id, request.params.cid));
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/prizes/:id/criteria', { ...csrf, schema: { params: params('id') } }, async (request, reply) => {
    return change(request, reply, 'criterion', () => prizes.addCriterion(request.params.id, parsed(criterionSchema, request.body)));
  });

  app.post<{ Params: { id: string; crid: string }; Body: Body }>('/newsroom/prizes/:id/criteria/:crid/remove', { ...csrf, schema: { params: params('id', 'crid') } }, async (request, reply) => {
    return change(request, reply, 'criterion', () => prizes.removeCriterion(request.params.id, request.params.crid));
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/prizes/:id/jurors', { ...csrf, schema: { params: params('id') } }, async (request, reply) => {
    return change(request, reply, 'juror', () => judging.addJuror(request.params.id, parsed(jurorSchema, request.body)), 'juror');
  });

  app.post<{ Params: { id: string; jid: string }; Body: Body }>('/newsroom/prizes/:id/jurors/:jid/remove', { ...csrf, schema: { params: params('id', 'jid') } }, async (request, reply) => {
    return change(request, reply, 'juror', () => judging.removeJuror(request.params.id, request.params.jid));
  });

  // ---- judging and results ---------------------------------------------------------------

  async function resultsPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: { notice?: string | undefined; error?: string; status?: number } = {}) {
    const prize = await prizes.byId(id);
    const now = prizes.now();
    const [overview, entries] = await Promise.all([judging.overview(id), results.organiserEntries(id)]);
    const entrants = new Map<string, EntrantFacts>(
      entries.map((e) => [e.id, { name: e.entrantName, age: e.age, country: e.country, school: e.school, consentSchool: e.consentSchool, offeredAt: e.offeredAt, articleId: e.articleId }]),
    );
    const past = now.getTime() > Date.parse(prize.deadlineAt);
    const html = ResultsDeskPage({
      ctx: await ctx(request, `/newsroom/prizes/${id}/results`),
      csrf: csrfToken(reply),
      prize,
      state: prizeState(prize.window, now),
      overview,
      entrants,
      canDecide: past && prize.window.winnersPublishedAt === null,
      canPublish: now.getTime() >= Date.parse(prize.announceAt),
      notice: extra.notice,
      ...(extra.error ? { error: extra.error } : {}),
    });
    return sendHtml(reply, html, extra.status ?? 200);
  }

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/newsroom/prizes/:id/results', { schema: { params: params('id') } }, async (request, reply) => {
    return resultsPage(request, reply, request.params.id, { notice: notices[request.query.done ?? ''] });
  });

  /** Runs a results action; a refusal (400/409) comes back on the results page. */
  async function decide(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, action: () => Promise<unknown>, done = 'saved') {
    try {
      await action();
    } catch (error) {
      if (error instanceof AppError && (error.status === 400 || error.status === 409)) return resultsPage(request, reply, request.params.id, { error: error.message, status: error.status === 409 ? 409 : 422 });
      throw error;
    }
    return reply.redirect(`/newsroom/prizes/${request.params.id}/results?done=${done}`, 303);
  }

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/prizes/:id/awards', { ...csrf, schema: { params: params('id') } }, async (request, reply) => {
    const { userId } = staffOf(request);
    const kind = one(request.body.kind) as AwardKind;
    const entryId = one(request.body.entryId);
    if (!ORGANISER_KINDS.includes(kind) || !/^[0-9a-f-]{36}$/.test(entryId)) throw new BadRequestError('Choose an entry and an award.');
    return decide(request, reply, () => judging.setAward({ userId, organiser: true }, entryId, kind, one(request.body.note)));
  });

  app.post<{ Params: { id: string; aid: string } }>('/newsroom/prizes/:id/awards/:aid/remove', { ...csrf, schema: { params: params('id', 'aid') } }, async (request, reply) => {
    const { userId } = staffOf(request);
    return decide(request, reply, () => judging.removeAward({ userId, organiser: true }, request.params.aid));
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/prizes/:id/publish', { ...csrf, schema: { params: params('id') } }, async (request, reply) => {
    const what = one(request.body.what);
    if (what !== 'shortlist' && what !== 'winners') throw new BadRequestError('Publish the shortlist or the winners.');
    return decide(request, reply, () => results.publish(request.params.id, what), 'published');
  });

  app.post<{ Params: { id: string; eid: string }; Body: Body }>('/newsroom/prizes/:id/entries/:eid/offer', { ...csrf, schema: { params: params('id', 'eid') } }, async (request, reply) => {
    const { id, eid } = request.params;
    const confirm = one(request.body?.confirm) === '1';
    try {
      await results.offerPlace(id, eid, { confirm });
    } catch (error) {
      if (error instanceof PlaceMoveNeedsConfirmation) {
        const prize = await prizes.byId(id);
        const page = ConfirmPlaceMovePage({ ctx: await ctx(request, `/newsroom/prizes/${id}/results`), csrf: csrfToken(reply), prize, message: error.message, action: `/newsroom/prizes/${id}/entries/${eid}/offer` });
        return sendHtml(reply, page, 409);
      }
      if (error instanceof AppError && (error.status === 400 || error.status === 409)) return resultsPage(request, reply, id, { error: error.message, status: error.status === 409 ? 409 : 422 });
      throw error;
    }
    return reply.redirect(`/newsroom/prizes/${id}/results?done=offered`, 303);
  });

  app.get<{ Params: { id: string } }>('/newsroom/prizes/:id/stats', { schema: { params: params('id') } }, async (request, reply) => {
    const stats = await results.statistics(request.params.id);
    return sendHtml(reply, StatsPage({ ctx: await ctx(request, `/newsroom/prizes/${request.params.id}/stats`), prize: stats.prize, stats }));
  });

  const csv = (reply: FastifyReply, name: string, body: string) =>
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(`\uFEFF${body}`);

  app.get<{ Params: { id: string } }>('/newsroom/prizes/:id/export.csv', { schema: { params: params('id') } }, async (request, reply) => {
    const prize = await prizes.byId(request.params.id);
    const overview = await judging.overview(prize.id);
    const ranking = new Map(overview.categories.flatMap((c) => c.ranking.map((r) => [r.entryId, r] as const)));
    return csv(reply, `${prize.slug}-entries.csv`, await results.entriesCsv(prize.id, ranking));
  });

  app.get<{ Params: { id: string } }>('/newsroom/prizes/:id/scores.csv', { schema: { params: params('id') } }, async (request, reply) => {
    const prize = await prizes.byId(request.params.id);
    return csv(reply, `${prize.slug}-scores.csv`, await results.scoresCsv(prize.id));
  });
}
