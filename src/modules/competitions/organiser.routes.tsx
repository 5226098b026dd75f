// The organisers' desk in the newsroom (/newsroom/prizes): the editor-in-chief,
// the mentors and administrators set prizes up, seat the juries, follow the
// judging, give the overall award, publish results, offer winners a place, and
// export the entries and scores.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RoleName } from '../../db/schema.js';
import { AppError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import { field, fieldErrors, formOutcome, idParams, pathId, noticeQuery } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { canOrganise, requireStaff, staffOf, staffRoleNames } from '../access/index.js';
import { awardForm, categorySchema, competitionSchema, criterionSchema, jurorSchema } from './competitions.schemas.js';
import { FormRefused, type CompetitionsService } from './competitions.service.js';
import { prizeState } from './deadlines.js';
import { ORGANISER_REFUSAL } from './judging.js';
import type { JudgingService } from './judging.service.js';
import { PlaceMoveNeedsConfirmation, type ResultsService } from './results.service.js';
import {
  blankForm,
  ConfirmPlaceMovePage,
  PrizeSetupPage,
  PrizesDeskPage,
  ResultsDeskPage,
  StatsPage,
  type EntrantFacts,
  type FormState,
} from './views/organiser-pages.js';

export interface OrganiserRoutesOptions {
  prizes: CompetitionsService;
  results: ResultsService;
  judging: JudgingService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
}

const categoryParams = z.object({ id: pathId, cid: pathId });
const criterionParams = z.object({ id: pathId, crid: pathId });
const jurorParams = z.object({ id: pathId, jid: pathId });
const awardParams = z.object({ id: pathId, aid: pathId });
const entryParams = z.object({ id: pathId, eid: pathId });
const NOTICES = {
  created: 'The prize is created. Add its categories, rubric and juries.',
  saved: 'Saved.',
  juror: 'The juror is seated and has been emailed a sign-in link.',
  published: 'Published.',
  offered:
    'Place offered: the winner has been emailed the offer. Their profile, contributor role and draft article are made when they accept it.',
};
type Done = keyof typeof NOTICES;
/** `?done=` names what was just done; anything else shows no notice. */
const doneQuery = noticeQuery(NOTICES);

/** A setup change: the form it came from, what was typed there (nothing for a removal), and the change. */
interface Change {
  form: 'settings' | 'category' | 'criterion' | 'juror' | { editCategory: string };
  typed?: Record<string, string>;
  action: () => Promise<unknown>;
  done?: Done;
}

const settingsForm = formOutcome(competitionSchema);
const categoryForm = formOutcome(categorySchema);
const criterionForm = formOutcome(criterionSchema);
const jurorForm = formOutcome(jurorSchema);
const publishForm = z.object({ what: z.enum(['shortlist', 'winners'], { error: 'Publish the shortlist or the winners.' }) });
const offerForm = z.object({ confirm: field });

/** The data of a form its schema accepted; a FormRefused naming the fields otherwise. */
function accepted<T>(parsed: z.ZodSafeParseResult<T>): T {
  if (!parsed.success) throw new FormRefused(fieldErrors(parsed.error));
  return parsed.data;
}

export async function organiserRoutes(fastify: FastifyInstance, opts: OrganiserRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { prizes, results, judging } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', staffRoleNames(request));

  // Only the editor-in-chief, mentors and administrators get past this.
  app.addHook(
    'onRequest',
    requireStaff({
      may: canOrganise,
      refusal: ORGANISER_REFUSAL,
      code: 'not_an_organiser',
      home: '/newsroom/prizes',
    }),
  );

  app.get('/newsroom/prizes', async (request, reply) => {
    const now = prizes.now();
    const list = (await prizes.list()).map((prize) => ({ prize, state: prizeState(prize.window, now) }));
    const form: FormState = {
      values: {
        timeZone: 'Europe/London',
        minAge: '13',
        maxAge: '19',
        entriesPerPerson: '1',
        shortlistSize: '5',
        language: 'English',
        schoolYearQuestion: 'Which school year have you completed?',
        requireFullTime: '1',
        year: String(now.getUTCFullYear() + 1),
      },
      errors: {},
    };
    return sendHtml(reply, PrizesDeskPage({ ctx: await ctx(request, '/newsroom/prizes'), csrf: csrfToken(reply), prizes: list, form }));
  });

  app.post('/newsroom/prizes', { ...csrf, schema: { body: settingsForm } }, async (request, reply) => {
    const { typed, parsed } = request.body;
    const refuse = async (errors: Record<string, string>) => {
      const now = prizes.now();
      const list = (await prizes.list()).map((prize) => ({ prize, state: prizeState(prize.window, now) }));
      return sendHtml(
        reply,
        PrizesDeskPage({
          ctx: await ctx(request, '/newsroom/prizes'),
          csrf: csrfToken(reply),
          prizes: list,
          form: { values: typed, errors },
        }),
        422,
      );
    };
    if (!parsed.success) return refuse(fieldErrors(parsed.error));
    try {
      const id = await prizes.create(staffOf(request), parsed.data);
      return reply.redirect(`/newsroom/prizes/${id}?done=created`, 303);
    } catch (error) {
      if (error instanceof FormRefused) return refuse(error.errors);
      throw error;
    }
  });

  async function setupPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    forms: Partial<Parameters<typeof PrizeSetupPage>[0]['forms']> = {},
    extra: { notice?: string | undefined; error?: string; status?: number } = {},
  ) {
    const prize = await prizes.byId(id);
    const [categories, criteria, jurors, sections] = await Promise.all([
      prizes.categories(id),
      prizes.criteria(id),
      judging.jurors(staffOf(request), id),
      prizes.sections(),
    ]);
    const html = PrizeSetupPage({
      ctx: await ctx(request, `/newsroom/prizes/${id}`),
      csrf: csrfToken(reply),
      prize,
      state: prizeState(prize.window, prizes.now()),
      categories,
      criteria,
      jurors,
      sections,
      forms: {
        settings: { values: prizes.formValues(prize), errors: {} },
        category: { values: { kind: 'essay' }, errors: {} },
        criterion: blankForm,
        juror: { values: { role: 'member' }, errors: {} },
        ...forms,
      },
      notice: extra.notice,
      ...(extra.error ? { error: extra.error } : {}),
    });
    return sendHtml(reply, html, extra.status ?? 200);
  }

  app.get('/newsroom/prizes/:id', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const { done } = request.query;
    return setupPage(request, reply, request.params.id, {}, { notice: done && NOTICES[done] });
  });

  /** Runs a setup change; a refused form comes back with what was typed, in its place on the page. */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    { form: formName, typed = {}, action, done = 'saved' }: Change,
  ) {
    try {
      await action();
    } catch (error) {
      if (error instanceof FormRefused) {
        const form = { values: typed, errors: error.errors };
        const forms = typeof formName === 'object' ? { editCategory: { id: formName.editCategory, form } } : { [formName]: form };
        return setupPage(request, reply, id, forms, { status: 422 });
      }
      if (error instanceof AppError && error.status === 400)
        return setupPage(request, reply, id, {}, { error: error.message, status: 422 });
      throw error;
    }
    return reply.redirect(`/newsroom/prizes/${id}?done=${done}`, 303);
  }

  app.post('/newsroom/prizes/:id', { ...csrf, schema: { params: idParams, body: settingsForm } }, async (request, reply) => {
    const { id } = request.params;
    const { typed, parsed } = request.body;
    return change(request, reply, id, { form: 'settings', typed, action: () => prizes.update(staffOf(request), id, accepted(parsed)) });
  });

  app.post('/newsroom/prizes/:id/categories', { ...csrf, schema: { params: idParams, body: categoryForm } }, async (request, reply) => {
    const { id } = request.params;
    const { typed, parsed } = request.body;
    return change(request, reply, id, {
      form: 'category',
      typed,
      action: () => prizes.addCategory(staffOf(request), id, accepted(parsed)),
    });
  });

  app.post(
    '/newsroom/prizes/:id/categories/:cid',
    { ...csrf, schema: { params: categoryParams, body: categoryForm } },
    async (request, reply) => {
      const { id, cid } = request.params;
      const { typed, parsed } = request.body;
      return change(request, reply, id, {
        form: { editCategory: cid },
        typed,
        action: () => prizes.updateCategory(staffOf(request), id, cid, accepted(parsed)),
      });
    },
  );

  app.post('/newsroom/prizes/:id/categories/:cid/remove', { ...csrf, schema: { params: categoryParams } }, async (request, reply) => {
    const { id, cid } = request.params;
    return change(request, reply, id, { form: 'category', action: () => prizes.removeCategory(staffOf(request), id, cid) });
  });

  app.post('/newsroom/prizes/:id/criteria', { ...csrf, schema: { params: idParams, body: criterionForm } }, async (request, reply) => {
    const { id } = request.params;
    const { typed, parsed } = request.body;
    return change(request, reply, id, {
      form: 'criterion',
      typed,
      action: () => prizes.addCriterion(staffOf(request), id, accepted(parsed)),
    });
  });

  app.post('/newsroom/prizes/:id/criteria/:crid/remove', { ...csrf, schema: { params: criterionParams } }, async (request, reply) => {
    const { id, crid } = request.params;
    return change(request, reply, id, { form: 'criterion', action: () => prizes.removeCriterion(staffOf(request), id, crid) });
  });

  app.post('/newsroom/prizes/:id/jurors', { ...csrf, schema: { params: idParams, body: jurorForm } }, async (request, reply) => {
    const { id } = request.params;
    const { typed, parsed } = request.body;
    return change(request, reply, id, {
      form: 'juror',
      typed,
      action: () => judging.addJuror(staffOf(request), id, accepted(parsed)),
      done: 'juror',
    });
  });

  app.post('/newsroom/prizes/:id/jurors/:jid/remove', { ...csrf, schema: { params: jurorParams } }, async (request, reply) => {
    const { id, jid } = request.params;
    return change(request, reply, id, { form: 'juror', action: () => judging.removeJuror(staffOf(request), id, jid) });
  });

  // ---- judging and results ---------------------------------------------------------------

  async function resultsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { notice?: string | undefined; error?: string; status?: number } = {},
  ) {
    const prize = await prizes.byId(id);
    const now = prizes.now();
    const [overview, entries] = await Promise.all([judging.overview(staffOf(request), id), results.organiserEntries(staffOf(request), id)]);
    const entrants = new Map<string, EntrantFacts>(
      entries.map((e) => [
        e.id,
        {
          name: e.entrantName,
          age: e.age,
          country: e.country,
          school: e.school,
          consentSchool: e.consentSchool,
          offeredAt: e.offeredAt,
          articleId: e.articleId,
        },
      ]),
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

  app.get('/newsroom/prizes/:id/results', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const { done } = request.query;
    return resultsPage(request, reply, request.params.id, { notice: done && NOTICES[done] });
  });

  /** Runs a results action; a refusal (400/409) comes back on the results page. */
  async function decide(request: FastifyRequest, reply: FastifyReply, id: string, action: () => Promise<unknown>, done: Done = 'saved') {
    try {
      await action();
    } catch (error) {
      if (error instanceof AppError && (error.status === 400 || error.status === 409))
        return resultsPage(request, reply, id, { error: error.message, status: error.status === 409 ? 409 : 422 });
      throw error;
    }
    return reply.redirect(`/newsroom/prizes/${id}/results?done=${done}`, 303);
  }

  app.post('/newsroom/prizes/:id/awards', { ...csrf, schema: { params: idParams, body: awardForm } }, async (request, reply) => {
    const { kind, entryId, note } = request.body;
    return decide(request, reply, request.params.id, () => judging.setAward(staffOf(request), entryId, kind, note));
  });

  app.post('/newsroom/prizes/:id/awards/:aid/remove', { ...csrf, schema: { params: awardParams } }, async (request, reply) => {
    return decide(request, reply, request.params.id, () => judging.removeAward(staffOf(request), request.params.aid));
  });

  app.post('/newsroom/prizes/:id/publish', { ...csrf, schema: { params: idParams, body: publishForm } }, async (request, reply) => {
    const { id } = request.params;
    return decide(request, reply, id, () => results.publish(staffOf(request), id, request.body.what), 'published');
  });

  app.post(
    '/newsroom/prizes/:id/entries/:eid/offer',
    { ...csrf, schema: { params: entryParams, body: offerForm } },
    async (request, reply) => {
      const { id, eid } = request.params;
      const confirm = request.body.confirm === '1';
      try {
        await results.offerPlace(staffOf(request), id, eid, { confirm });
      } catch (error) {
        if (error instanceof PlaceMoveNeedsConfirmation) {
          const prize = await prizes.byId(id);
          const page = ConfirmPlaceMovePage({
            ctx: await ctx(request, `/newsroom/prizes/${id}/results`),
            csrf: csrfToken(reply),
            prize,
            message: error.message,
            action: `/newsroom/prizes/${id}/entries/${eid}/offer`,
          });
          return sendHtml(reply, page, 409);
        }
        if (error instanceof AppError && (error.status === 400 || error.status === 409))
          return resultsPage(request, reply, id, { error: error.message, status: error.status === 409 ? 409 : 422 });
        throw error;
      }
      return reply.redirect(`/newsroom/prizes/${id}/results?done=offered`, 303);
    },
  );

  app.get('/newsroom/prizes/:id/stats', { schema: { params: idParams } }, async (request, reply) => {
    const stats = await results.statistics(staffOf(request), request.params.id);
    return sendHtml(
      reply,
      StatsPage({ ctx: await ctx(request, `/newsroom/prizes/${request.params.id}/stats`), prize: stats.prize, stats }),
    );
  });

  const csv = (reply: FastifyReply, name: string, body: string) =>
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(`\uFEFF${body}`);

  app.get('/newsroom/prizes/:id/export.csv', { schema: { params: idParams } }, async (request, reply) => {
    const prize = await prizes.byId(request.params.id);
    const overview = await judging.overview(staffOf(request), prize.id);
    const ranking = new Map(overview.categories.flatMap((c) => c.ranking.map((r) => [r.entryId, r] as const)));
    return csv(reply, `${prize.slug}-entries.csv`, await results.entriesCsv(staffOf(request), prize.id, ranking));
  });

  app.get('/newsroom/prizes/:id/scores.csv', { schema: { params: idParams } }, async (request, reply) => {
    const prize = await prizes.byId(request.params.id);
    return csv(reply, `${prize.slug}-scores.csv`, await results.scoresCsv(staffOf(request), prize.id));
  });
}
