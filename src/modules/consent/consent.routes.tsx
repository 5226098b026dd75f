// The consent module's routes. In the newsroom: a writer's consent page in the
// people desk (/newsroom/people/:id/consent), the editor-in-chief's list
// (/newsroom/consent) and the administrators' ages (/newsroom/consent/ages).
// For guardians, without an account: /consent/confirm and /consent/withdraw,
// each a page with a button (mail scanners open links), the POST rate limited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RoleName } from '../../db/schema.js';
import { formatLongDate } from '../../lib/dates.js';
import { paginate, sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { field, idParams, noticeQuery, page } from '../../web/schemas.js';
import { csrfToken, viewerKind } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { requireStaff, staffOf, staffRoleNames } from '../access/index.js';
import { canSetConsentAges, ConsentFormError, type ConsentService, type GuardianLink } from './consent.service.js';
import {
  ageKey,
  CONSENT_AGES,
  CONSENT_LIST,
  ConsentAgesPage,
  ConsentListPage,
  ConsentPersonPage,
  GuardianConfirmPage,
  GuardianMessagePage,
  GuardianWithdrawPage,
  type ConsentFormValues,
} from './views/consent-pages.js';

export interface ConsentRoutesOptions {
  consent: ConsentService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
}

const LIST_PAGE_SIZE = 25;
const NOTICES = {
  sent: 'The request is on its way to the guardian: the page shows when they confirm.',
  resent: 'The email is on its way again: only the links in this newest email work.',
  saved: 'Saved.',
};
const doneQuery = z.object(noticeQuery(NOTICES).shape);
const listQuery = z.object({ page });
const requestBody = z.object({ guardianName: field, guardianEmail: field, version: field, confirmReplace: field });
const agesBody = z.record(z.string(), z.union([z.string(), z.array(z.string())])).catch({});
const tokenQuery = z.object({ token: field });
const confirmBody = z.object({ token: field, version: field });
const withdrawBody = z.object({ token: field });
const limit = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 minute' } } });

const emptyRequest: ConsentFormValues = { guardianName: '', guardianEmail: '', confirmReplace: false };

/** The staff pages: any staff member signs in; each page's service says who may use it. */
export async function consentDeskRoutes(fastify: FastifyInstance, opts: ConsentRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { consent } = opts;
  const csrf = { preValidation: app.csrfProtection };
  app.addHook('onRequest', requireStaff({ may: () => true, refusal: 'The newsroom’s pages are for its staff.' }));
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', staffRoleNames(request));

  async function personPage(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    form: { values: ConsentFormValues; errors: Record<string, string>; notice?: string | undefined },
    status = 200,
  ) {
    const data = await consent.personPage(staffOf(request), personId);
    return sendHtml(
      reply,
      ConsentPersonPage({
        ctx: await ctx(request, '/newsroom/people'),
        csrf: csrfToken(reply),
        personId,
        ...data,
        ...form,
      }),
      status,
    );
  }

  app.get('/newsroom/people/:id/consent', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const { done } = request.query;
    return personPage(request, reply, request.params.id, { values: emptyRequest, errors: {}, notice: done ? NOTICES[done] : undefined });
  });

  app.post('/newsroom/people/:id/consent', { ...csrf, schema: { params: idParams, body: requestBody } }, async (request, reply) => {
    const { id } = request.params;
    const body = request.body;
    const values = {
      guardianName: body.guardianName.slice(0, 200),
      guardianEmail: body.guardianEmail.slice(0, 300),
      confirmReplace: body.confirmReplace === '1',
    };
    try {
      await consent.request(staffOf(request), id, { ...values, version: body.version });
    } catch (err) {
      if (!(err instanceof ConsentFormError)) throw err;
      return personPage(request, reply, id, { values, errors: err.errors }, 422);
    }
    return reply.redirect(`/newsroom/people/${id}/consent?done=sent`, 303);
  });

  app.post('/newsroom/people/:id/consent/resend', { ...csrf, schema: { params: idParams } }, async (request, reply) => {
    await consent.resend(staffOf(request), request.params.id);
    return reply.redirect(`/newsroom/people/${request.params.id}/consent?done=resent`, 303);
  });

  app.get(CONSENT_LIST, { schema: { querystring: listQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const offset = (request.query.page - 1) * LIST_PAGE_SIZE;
    const { total, items } = await consent.missingList(actor, { offset, limit: LIST_PAGE_SIZE });
    const pagination = paginate(request.query.page, LIST_PAGE_SIZE, total);
    return sendHtml(
      reply,
      ConsentListPage({ ctx: await ctx(request, CONSENT_LIST), items, pagination, canSetAges: canSetConsentAges(actor) }),
    );
  });

  async function agesPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values: Record<string, string>; errors: Record<string, string>; notice?: string | undefined },
    status = 200,
  ) {
    const rows = await consent.agesTable(staffOf(request));
    return sendHtml(reply, ConsentAgesPage({ ctx: await ctx(request, CONSENT_LIST), csrf: csrfToken(reply), rows, ...state }), status);
  }

  app.get(CONSENT_AGES, { schema: { querystring: doneQuery } }, async (request, reply) => {
    const { done } = request.query;
    return agesPage(request, reply, { values: {}, errors: {}, notice: done ? NOTICES[done] : undefined });
  });

  app.post(CONSENT_AGES, { ...csrf, schema: { body: agesBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const rows = await consent.agesTable(actor);
    const typed: Record<string, string> = {};
    for (const r of rows) {
      const value = request.body[`age_${ageKey(r.code)}`];
      typed[r.code] = (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).slice(0, 10);
    }
    try {
      await consent.saveAges(actor, typed);
    } catch (err) {
      if (!(err instanceof ConsentFormError)) throw err;
      return agesPage(request, reply, { values: typed, errors: err.errors }, 422);
    }
    return reply.redirect(`${CONSENT_AGES}?done=saved`, 303);
  });
}

/** What a guardian's link that cannot be used says, and its status. */
function linkOutcome(link: GuardianLink): { title: string; text: string; status: number } {
  const writer = link.writerName ?? 'the writer';
  switch (link.state) {
    case 'given':
      return {
        title: 'Consent already given',
        text: `You gave your consent for ${writer} on ${formatLongDate(link.consent!.given_at!)}. Nothing more to do: this link has been used.`,
        status: 409,
      };
    case 'revoked':
      return {
        title: 'Consent withdrawn',
        text: `The consent for ${writer} was withdrawn on ${formatLongDate(link.consent!.revoked_at!)}. Nothing new of theirs is published.`,
        status: 409,
      };
    case 'replaced':
      return { title: 'Link replaced', text: 'The newsroom sent a newer request: use the link in the latest email.', status: 410 };
    case 'expired':
      return {
        title: 'Link expired',
        text: 'This link has expired. Ask the newsroom to send the request again.',
        status: 410,
      };
    default:
      return {
        title: 'Link not valid',
        text: 'This link is not valid. It may have been copied incompletely, or replaced by a newer one: use the link in the latest email.',
        status: 400,
      };
  }
}

/** The guardian's pages: no account needed, the token in the link says who they are. */
export async function guardianRoutes(fastify: FastifyInstance, opts: ConsentRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { consent } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, viewerKind(request.viewer));
  const message = async (request: FastifyRequest, reply: FastifyReply, path: string, m: { title: string; text: string; status: number }) =>
    sendHtml(reply, GuardianMessagePage({ ctx: await ctx(request, path), title: m.title, text: m.text }), m.status);

  app.get('/consent/confirm', { schema: { querystring: tokenQuery } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { token } = request.query;
    const link = await consent.guardianLink('confirm', token);
    if (link.state !== 'ready') return message(request, reply, '/consent/confirm', linkOutcome(link));
    const c = link.consent!;
    return sendHtml(
      reply,
      GuardianConfirmPage({
        ctx: await ctx(request, '/consent/confirm'),
        csrf: csrfToken(reply),
        token,
        writerName: link.writerName!,
        guardianName: c.guardian_name,
        version: c.text_version,
        text: c.consent_text,
      }),
    );
  });

  app.post('/consent/confirm', { ...csrf, ...limit(20), schema: { body: confirmBody } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const link = await consent.give(request.body.token, request.body.version);
    if (!link.done) return message(request, reply, '/consent/confirm', linkOutcome(link));
    return message(request, reply, '/consent/confirm', {
      title: 'Thank you',
      text: `Your consent for ${link.writerName!} is recorded (consent text version ${link.consent!.text_version}). You can withdraw it at any time with the other link in the email.`,
      status: 200,
    });
  });

  app.get('/consent/withdraw', { schema: { querystring: tokenQuery } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { token } = request.query;
    const link = await consent.withdrawalLink(token);
    if (link.state !== 'ready' && link.state !== 'given') return message(request, reply, '/consent/withdraw', linkOutcome(link));
    return sendHtml(
      reply,
      GuardianWithdrawPage({
        ctx: await ctx(request, '/consent/withdraw'),
        csrf: csrfToken(reply),
        token,
        writerName: link.writerName!,
        given: link.state === 'given',
      }),
    );
  });

  app.post('/consent/withdraw', { ...csrf, ...limit(20), schema: { body: withdrawBody } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const link = await consent.revoke(request.body.token);
    if (!link.done) return message(request, reply, '/consent/withdraw', linkOutcome(link));
    return message(request, reply, '/consent/withdraw', {
      title: 'Consent withdrawn',
      text: `Nothing new by ${link.writerName!} will be published. The editor-in-chief has been told and reviews the articles already online.`,
      status: 200,
    });
  });
}
