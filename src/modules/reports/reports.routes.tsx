// The public "Report a problem" forms: /articles/:slug/report and
// /people/:slug/report. The page reported is the one the address names (an
// unknown one is a 404); no account is needed. The form works without
// JavaScript, keeps what was typed when it is refused, and after a report the
// browser is sent to the same address with ?done=sent, whose page is the same
// whether or not an email address was given.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../web/errors.js';
import type { FieldErrors } from '../../web/forms.js';
import { sendHtml } from '../../web/http.js';
import { RateLimitedError } from '../../web/key-limit.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { field, fieldErrors, noticeQuery, slugParams } from '../../web/schemas.js';
import { csrfToken, viewerKind } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { MAX_DETAILS, reportInput } from './report-input.js';
import type { ReportsService, ReportSubject } from './reports.service.js';
import { ReportFormPage, ReportSentPage, type ReportFormValues } from './views/report-form.js';

export interface ReportFormRoutesOptions {
  reports: ReportsService;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

const reportBody = z.object({ kind: field, details: field, email: field });
const doneQuery = noticeQuery({ sent: 'sent' });
/** Per client, in each process (or across them with Redis); the service counts per client and per address in the database too. */
const limit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };
const EMPTY: ReportFormValues = { kind: '', details: '', email: '' };

export async function reportFormRoutes(fastify: FastifyInstance, opts: ReportFormRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { reports } = opts;
  const csrf = { preValidation: app.csrfProtection };

  const subjects: Record<'articles' | 'people', (slug: string) => Promise<ReportSubject | null>> = {
    articles: (slug) => reports.articleSubject(slug),
    people: (slug) => reports.personSubject(slug),
  };

  async function subjectOf(kind: 'articles' | 'people', slug: string): Promise<ReportSubject> {
    const subject = await subjects[kind](slug);
    if (!subject)
      throw new NotFoundError(kind === 'articles' ? 'There is no published article at this address.' : 'There is nobody at this address.');
    return subject;
  }

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    subject: ReportSubject,
    state: { values: ReportFormValues; errors: FieldErrors; message?: string | undefined },
    status: number,
  ) {
    const ctx = await opts.pageContext(`${subject.path}/report`, viewerKind(request.viewer));
    return sendHtml(reply, ReportFormPage({ ctx, csrf: csrfToken(reply), subject, ...state }), status);
  }

  for (const kind of ['articles', 'people'] as const) {
    const path = `/${kind}/:slug/report`;

    app.get(path, { schema: { params: slugParams, querystring: doneQuery } }, async (request, reply) => {
      const subject = await subjectOf(kind, request.params.slug);
      if (request.query.done === 'sent') {
        const ctx = await opts.pageContext(`${subject.path}/report`, viewerKind(request.viewer));
        return sendHtml(reply, ReportSentPage({ ctx, subject }));
      }
      return formPage(request, reply, subject, { values: EMPTY, errors: {} }, 200);
    });

    app.post(path, { ...csrf, ...limit, schema: { params: slugParams, body: reportBody } }, async (request, reply) => {
      const subject = await subjectOf(kind, request.params.slug);
      const values: ReportFormValues = {
        kind: request.body.kind.slice(0, 40),
        details: request.body.details.slice(0, MAX_DETAILS * 2),
        email: request.body.email.slice(0, 300),
      };
      const parsed = reportInput.safeParse(values);
      if (!parsed.success) return formPage(request, reply, subject, { values, errors: fieldErrors(parsed.error) }, 422);
      try {
        await reports.submit(subject, parsed.data, request.ip);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        reply.header('retry-after', String(error.retryAfterSeconds));
        return formPage(request, reply, subject, { values, errors: {}, message: error.message }, 429);
      }
      return reply.redirect(`${subject.path}/report?done=sent`, 303);
    });
  }
}
