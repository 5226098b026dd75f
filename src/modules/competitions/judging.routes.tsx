// The jurors' desk (/judging) and its JSON API (/api/judging). Open to any
// signed-in account with a seat on a jury: the capability comes from the jurors
// table, not from a newsroom role, and reaches only that category's entries.
// Every answer is built from blind rows.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AwardKind } from '../../db/schema.js';
import { AppError, BadRequestError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken, viewerKind } from '../../web/viewer.js';
import { readerOf, requireReader } from '../access/index.js';
import { pictureUrl } from '../media/index.js';
import { FormRefused } from './competitions.service.js';
import type { JudgingService, ScoreInput } from './judging.service.js';
import { CategoryBoardPage, EntryReviewPage, JudgingHomePage } from './views/judging-pages.js';

export interface JudgingRoutesOptions {
  judging: JudgingService;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

type Body = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } }, required: ['id'] } as const;
const awardParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' }, awardId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
  required: ['id', 'awardId'],
} as const;
const AWARD_KINDS: AwardKind[] = ['shortlist', 'first', 'second', 'third', 'overall'];

/** Scores from a form (score-<criterion>, comment-<criterion>) or a JSON body ({ scores: [...] }). */
export function scoresFromBody(body: unknown): ScoreInput[] {
  const b = (body ?? {}) as Record<string, unknown>;
  if (Array.isArray(b.scores)) {
    return b.scores.map((s: unknown) => {
      const x = (s ?? {}) as Record<string, unknown>;
      const score = x.score === null || x.score === undefined || x.score === '' ? null : Number(x.score);
      return { criterionId: String(x.criterionId ?? ''), score, comment: typeof x.comment === 'string' ? x.comment : '' };
    });
  }
  const out: ScoreInput[] = [];
  for (const [key, value] of Object.entries(b)) {
    const m = /^score-([0-9a-f-]{36})$/.exec(key);
    if (!m) continue;
    const raw = one(value as string | string[]).trim();
    out.push({ criterionId: m[1]!, score: raw === '' ? null : Number(raw), comment: one(b[`comment-${m[1]}`] as string | string[] | undefined) });
  }
  return out;
}

export async function judgingRoutes(app: FastifyInstance, opts: JudgingRoutesOptions): Promise<void> {
  const { judging } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctxFor = (request: FastifyRequest, path: string) => opts.pageContext(path, viewerKind(request.viewer));

  // Judging is for signed-in jurors: pages send visitors to sign in, the API answers 401.
  app.addHook('preHandler', requireReader({ home: '/judging', signIn: 'Please sign in to judge.' }));

  const notices: Record<string, string> = { scored: 'Your scores are saved.', conflict: 'Conflict declared: the entry is off your list and your scores for it are removed.', award: 'Saved.' };

  app.get('/judging', async (request, reply) => {
    const { userId } = readerOf(request);
    return sendHtml(reply, JudgingHomePage({ ctx: await ctxFor(request, '/judging'), seats: await judging.seats(userId) }));
  });

  async function boardPage(request: FastifyRequest, reply: FastifyReply, userId: string, categoryId: string, extra: { notice?: string | undefined; error?: string; status?: number }) {
    const board = await judging.board(userId, categoryId);
    return sendHtml(reply, CategoryBoardPage({ ctx: await ctxFor(request, `/judging/categories/${categoryId}`), csrf: csrfToken(reply), ...board, notice: extra.notice, error: extra.error }), extra.status ?? 200);
  }

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/judging/categories/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    return boardPage(request, reply, userId, request.params.id, { notice: notices[request.query.done ?? ''] });
  });

  app.post<{ Params: { id: string }; Body: Body }>('/judging/categories/:id/awards', { ...csrf, schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const kind = one(request.body.kind) as AwardKind;
    const entryId = one(request.body.entryId);
    if (!AWARD_KINDS.includes(kind) || !/^[0-9a-f-]{36}$/.test(entryId)) throw new BadRequestError('Choose an entry and an award.');
    try {
      await judging.setAward({ userId, organiser: false }, entryId, kind, one(request.body.note));
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return boardPage(request, reply, userId, request.params.id, { error: error.message, status: 422 });
      throw error;
    }
    return reply.redirect(`/judging/categories/${request.params.id}?done=award`, 303);
  });

  app.post<{ Params: { id: string; awardId: string } }>('/judging/categories/:id/awards/:awardId/remove', { ...csrf, schema: { params: awardParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    try {
      await judging.removeAward({ userId, organiser: false }, request.params.awardId);
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return boardPage(request, reply, userId, request.params.id, { error: error.message, status: 422 });
      throw error;
    }
    return reply.redirect(`/judging/categories/${request.params.id}?done=award`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/judging/entries/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const view = await judging.entry(userId, request.params.id);
    return sendHtml(reply, EntryReviewPage({ ctx: await ctxFor(request, `/judging/entries/${request.params.id}`), csrf: csrfToken(reply), ...view, notice: notices[request.query.done ?? ''] }));
  });

  app.post<{ Params: { id: string }; Body: Body }>('/judging/entries/:id/scores', { ...csrf, schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    try {
      await judging.score(userId, request.params.id, scoresFromBody(request.body));
    } catch (error) {
      if (!(error instanceof FormRefused)) throw error;
      const view = await judging.entry(userId, request.params.id);
      const values = Object.fromEntries(Object.entries(request.body).map(([k, v]) => [k, one(v).slice(0, 4000)]));
      return sendHtml(reply, EntryReviewPage({ ctx: await ctxFor(request, `/judging/entries/${request.params.id}`), csrf: csrfToken(reply), ...view, values, errors: error.errors }), 422);
    }
    return reply.redirect(`/judging/entries/${request.params.id}?done=scored`, 303);
  });

  app.post<{ Params: { id: string }; Body: Body }>('/judging/entries/:id/conflict', { ...csrf, schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { category } = await judging.entry(userId, request.params.id);
    await judging.declareConflict(userId, request.params.id, one(request.body.reason));
    return reply.redirect(`/judging/categories/${category.id}?done=conflict`, 303);
  });

  // ---- JSON API: the same blind data ------------------------------------------------

  app.get('/api/judging', async (request, reply) => {
    const { userId } = readerOf(request);
    return reply.header('cache-control', 'no-store').send({ seats: await judging.seats(userId) });
  });

  app.get<{ Params: { id: string } }>('/api/judging/categories/:id', { schema: { params: idParams } }, async (request, reply) => {
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

  app.get<{ Params: { id: string } }>('/api/judging/entries/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    const { category, criteria, entry, scores } = await judging.entry(userId, request.params.id);
    const photo = entry.photo ? { alt: entry.photo.alt, width: entry.photo.width, height: entry.photo.height, url: pictureUrl(entry.photo, entry.photo.variants.filter((v) => v.format === 'jpeg').at(-1)?.file ?? entry.photo.original) } : null;
    return reply.header('cache-control', 'no-store').send({
      entry: { id: entry.id, reference: entry.reference, title: entry.title, bodyHtml: entry.safeBodyHtml, wordCount: entry.wordCount, videoUrl: entry.videoUrl || null, photo, submittedAt: entry.submittedAt },
      category: { id: category.id, name: category.name, kind: category.kind, prompt: category.prompt, wordLimit: category.wordLimit },
      criteria,
      scores,
    });
  });

  app.post<{ Params: { id: string } }>('/api/judging/entries/:id/scores', { ...csrf, config: { jsonDocument: true }, schema: { params: idParams } }, async (request, reply) => {
    const { userId } = readerOf(request);
    try {
      await judging.score(userId, request.params.id, scoresFromBody(request.body));
    } catch (error) {
      if (!(error instanceof FormRefused)) throw error;
      return reply.code(422).type('application/problem+json').send({ type: 'about:blank', title: 'Scores not saved', status: 422, detail: error.message, errors: error.errors });
    }
    const { scores } = await judging.entry(userId, request.params.id);
    return reply.header('cache-control', 'no-store').send({ scores });
  });
}
