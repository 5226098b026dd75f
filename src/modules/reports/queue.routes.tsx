// The newsroom's queue of reports at /newsroom/reports: the list (open safety
// reports first, a filter by state, pages), and each report's page with the
// reported page, the reporter's address, a change of state and internal notes.
// The guard lets in the editor-in-chief, the managing editor and the mentors;
// the service checks again and writes every action to the audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProblemReportState, RoleName } from '../../db/schema.js';
import { sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { field, idParams, noticeQuery, page } from '../../web/schemas.js';
import { csrfToken } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { canHandleReports, requireStaff, staffOf, staffRoleNames } from '../access/index.js';
import { MAX_NOTE, noteInput, REPORT_STATES } from './report-input.js';
import { QUEUE_PATH, type ReportsService } from './reports.service.js';
import { ReportPage, ReportsPage } from './views/queue-pages.js';

export interface ReportQueueRoutesOptions {
  reports: ReportsService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
}

const PAGE_SIZE = 30;
const REFUSAL = 'Only the editor-in-chief, the managing editor and the mentors see the reports of a problem.';
const NOTICES = { state: 'The report’s state is changed.', noted: 'Your note is added.' };

const stateFilter = z
  .enum(REPORT_STATES as [ProblemReportState, ...ProblemReportState[]])
  .optional()
  .catch(undefined);
const listQuery = z.object({ state: stateFilter, page });
const stateBody = z.object({ state: field });
const noteBody = z.object({ note: field });

export async function reportQueueRoutes(fastify: FastifyInstance, opts: ReportQueueRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { reports } = opts;
  const csrf = { preValidation: app.csrfProtection };
  app.addHook('onRequest', requireStaff({ may: canHandleReports, refusal: REFUSAL, home: QUEUE_PATH }));

  const ctx = (request: FastifyRequest) => opts.pageContext(QUEUE_PATH, 'staff', staffRoleNames(request));

  async function reportPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: { note: string; noteError?: string | undefined; stateError?: string | undefined; notice?: string | undefined },
    status = 200,
  ) {
    const detail = await reports.detail(staffOf(request), id);
    return sendHtml(reply, ReportPage({ ctx: await ctx(request), csrf: csrfToken(reply), detail, ...state }), status);
  }

  app.get(QUEUE_PATH, { schema: { querystring: listQuery } }, async (request, reply) => {
    const state = request.query.state ?? null;
    const { items, pagination } = await reports.list(staffOf(request), state, request.query.page, PAGE_SIZE);
    return sendHtml(reply, ReportsPage({ ctx: await ctx(request), state, items, pagination }));
  });

  app.get(`${QUEUE_PATH}/:id`, { schema: { params: idParams, querystring: noticeQuery(NOTICES) } }, async (request, reply) => {
    const { done } = request.query;
    return reportPage(request, reply, request.params.id, { note: '', notice: done ? NOTICES[done] : undefined });
  });

  app.post(`${QUEUE_PATH}/:id/state`, { ...csrf, schema: { params: idParams, body: stateBody } }, async (request, reply) => {
    const { id } = request.params;
    const state = REPORT_STATES.find((s) => s === request.body.state);
    if (!state) return reportPage(request, reply, id, { note: '', stateError: 'Choose one of the states.' }, 422);
    await reports.changeState(staffOf(request), id, state);
    return reply.redirect(`${QUEUE_PATH}/${id}?done=state`, 303);
  });

  app.post(`${QUEUE_PATH}/:id/notes`, { ...csrf, schema: { params: idParams, body: noteBody } }, async (request, reply) => {
    const { id } = request.params;
    const typed = request.body.note.slice(0, MAX_NOTE * 2);
    const parsed = noteInput.safeParse(typed);
    if (!parsed.success) return reportPage(request, reply, id, { note: typed, noteError: parsed.error.issues[0]?.message }, 422);
    await reports.addNote(staffOf(request), id, parsed.data);
    return reply.redirect(`${QUEUE_PATH}/${id}?done=noted`, 303);
  });
}
