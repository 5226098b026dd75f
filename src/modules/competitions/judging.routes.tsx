// The jurors' desk (/judging) and its JSON API (/api/judging). Open to any
// signed-in account with a seat on a jury: the capability comes from the jurors
// table, not from a newsroom role, and reaches only that category's entries.
// Every answer is built from blind rows.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import { field, idParams, isId, pathId, noticeQuery } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken, viewerKind } from '../../web/viewer.js';
import { readerOf, requireReader } from '../access/index.js';
import { pictureUrl } from '../media/index.js';
import { awardForm } from './competitions.schemas.js';
import { FormRefused } from './competitions.service.js';
import type { JudgingService, ScoreInput } from './judging.service.js';
import { CategoryBoardPage, EntryReviewPage, JudgingHomePage } from './views/judging-pages.js';

export interface JudgingRoutesOptions {
  judging: JudgingService;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

const NOTICES = {
  scored: 'Your scores are saved.',
  conflict: 'Conflict declared: the entry is off your list and your scores for it are removed.',
  award: 'Saved.',
};

const awardParams = z.object({ id: pathId, awardId: pathId });
/** `?done=` names what was just saved; anything else shows no notice. */
const doneQuery = noticeQuery(NOTICES);
const conflictBody = z.object({ reason: field });

/** A value the scoring form kept as typed, cut to a size the page can show again. */
const TYPED_MAX = 4000;

/** Scores from the form's fields: score-<criterion> (empty clears it) and comment-<criterion>. */
function scoresOfForm(fields: Record<string, string>): ScoreInput[] {
  const out: ScoreInput[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const criterionId = key.startsWith('score-') ? key.slice('score-'.length) : '';
    if (!isId(criterionId)) continue;
    const raw = value.trim();
    out.push({ criterionId, score: raw === '' ? null : Number(raw), comment: fields[`comment-${criterionId}`] ?? '' });
  }
  return out;
}

/** The scoring form: its scores, and every field as typed for a refused form. */
const scoreForm = z.record(z.string(), z.string()).transform((fields) => ({
  scores: scoresOfForm(fields),
  typed: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.slice(0, TYPED_MAX)])),
}));

const scoreItem = z.object({
  criterionId: z.string(),
  score: z
    .union([z.number(), z.string(), z.null()])
    .optional()
    .transform((v) => (v === null || v === undefined || v === '' ? null : Number(v))),
  comment: z.string().default(''),
});

/** The API takes a JSON document ({ scores: [...] }) or the form's fields. */
const scoreDocument = z.union([
  z.object({ scores: z.array(scoreItem) }).transform((doc) => doc.scores),
  scoreForm.transform((form) => form.scores),
]);

export async function judgingRoutes(fastify: FastifyInstance, opts: JudgingRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { judging } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctxFor = (request: FastifyRequest, path: string) => opts.pageContext(path, viewerKind(request.viewer));

  // Judging is for signed-in jurors: pages send visitors to sign in, the API answers 401.
  app.addHook('onRequest', requireReader({ home: '/judging', signIn: 'Please sign in to judge.' }));

  app.get('/judging', async (request, reply) => {
    const { userId } = readerOf(request);
    return sendHtml(reply, JudgingHomePage({ ctx: await ctxFor(request, '/judging'), seats: await judging.seats(userId) }));
  });

  async function boardPage(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    categoryId: string,
    extra: { notice?: string | undefined; error?: string; status?: number },
  ) {
    const board = await judging.board(userId, categoryId);
    return sendHtml(
      reply,
      CategoryBoardPage({
        ctx: await ctxFor(request, `/judging/categories/${categoryId}`),
        csrf: csrfToken(reply),
        ...board,
        notice: extra.notice,
        error: extra.error,
      }),
      extra.status ?? 200,
    );
  }

  app.get('/judging/categories/:id', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { done } = request.query;
    return boardPage(request, reply, userId, request.params.id, { notice: done && NOTICES[done] });
  });

  app.post('/judging/categories/:id/awards', { ...csrf, schema: { params: idParams, body: awardForm } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { kind, entryId, note } = request.body;
    try {
      await judging.setAward({ userId, roles: (await request.actor())?.roles ?? [] }, entryId, kind, note);
    } catch (error) {
      if (error instanceof AppError && error.status === 400)
        return boardPage(request, reply, userId, request.params.id, { error: error.message, status: 422 });
      throw error;
    }
    return reply.redirect(`/judging/categories/${request.params.id}?done=award`, 303);
  });

  app.post('/judging/categories/:id/awards/:awardId/remove', { ...csrf, schema: { params: awardParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    try {
      await judging.removeAward({ userId, roles: (await request.actor())?.roles ?? [] }, request.params.awardId);
    } catch (error) {
      if (error instanceof AppError && error.status === 400)
        return boardPage(request, reply, userId, request.params.id, { error: error.message, status: 422 });
      throw error;
    }
    return reply.redirect(`/judging/categories/${request.params.id}?done=award`, 303);
  });

  app.get('/judging/entries/:id', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const view = await judging.entry(userId, request.params.id);
    const { done } = request.query;
    return sendHtml(
      reply,
      EntryReviewPage({
        ctx: await ctxFor(request, `/judging/entries/${request.params.id}`),
        csrf: csrfToken(reply),
        ...view,
        notice: done && NOTICES[done],
      }),
    );
  });

  app.post('/judging/entries/:id/scores', { ...csrf, schema: { params: idParams, body: scoreForm } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { scores, typed } = request.body;
    try {
      await judging.score(userId, request.params.id, scores);
    } catch (error) {
      if (!(error instanceof FormRefused)) throw error;
      const view = await judging.entry(userId, request.params.id);
      return sendHtml(
        reply,
        EntryReviewPage({
          ctx: await ctxFor(request, `/judging/entries/${request.params.id}`),
          csrf: csrfToken(reply),
          ...view,
          values: typed,
          errors: error.errors,
        }),
        422,
      );
    }
    return reply.redirect(`/judging/entries/${request.params.id}?done=scored`, 303);
  });

  app.post('/judging/entries/:id/conflict', { ...csrf, schema: { params: idParams, body: conflictBody } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { category } = await judging.entry(userId, request.params.id);
    await judging.declareConflict(userId, request.params.id, request.body.reason);
    return reply.redirect(`/judging/categories/${category.id}?done=conflict`, 303);
  });

  // ---- JSON API: the same blind data ------------------------------------------------

  app.get('/api/judging', async (request, reply) => {
    const { userId } = readerOf(request);
    return reply.header('cache-control', 'no-store').send({ seats: await judging.seats(userId) });
  });

  app.get('/api/judging/categories/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const board = await judging.board(userId, request.params.id);
    return reply.header('cache-control', 'no-store').send({
      category: board.category,
      role: board.seat.role,
      criteria: board.criteria,
      entries: board.entries,
      progress: board.progress,
      ranking: board.chair?.ranking ?? null,
      juryProgress: board.chair?.progress ?? null,
    });
  });

  app.get('/api/judging/entries/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { category, criteria, entry, scores } = await judging.entry(userId, request.params.id);
    const photo = entry.photo
      ? {
          alt: entry.photo.alt,
          width: entry.photo.width,
          height: entry.photo.height,
          url: pictureUrl(entry.photo, entry.photo.variants.filter((v) => v.format === 'jpeg').at(-1)?.file ?? entry.photo.original),
        }
      : null;
    return reply.header('cache-control', 'no-store').send({
      entry: {
        id: entry.id,
        reference: entry.reference,
        title: entry.title,
        bodyHtml: entry.safeBodyHtml,
        wordCount: entry.wordCount,
        videoUrl: entry.videoUrl || null,
        photo,
        submittedAt: entry.submittedAt,
      },
      category: { id: category.id, name: category.name, kind: category.kind, prompt: category.prompt, wordLimit: category.wordLimit },
      criteria,
      scores,
    });
  });

  const api = { ...csrf, config: { jsonDocument: true }, schema: { params: idParams, body: scoreDocument } };
  app.post('/api/judging/entries/:id/scores', api, async (request, reply) => {
    const { userId } = readerOf(request);
    try {
      await judging.score(userId, request.params.id, request.body);
    } catch (error) {
      if (!(error instanceof FormRefused)) throw error;
      return reply
        .code(422)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: 'Scores not saved', status: 422, detail: error.message, errors: error.errors });
    }
    const { scores } = await judging.entry(userId, request.params.id);
    return reply.header('cache-control', 'no-store').send({ scores });
  });
}
