// The redirects desk at /newsroom/redirects: a page of redirects with a search,
// the form that adds one, editing, and deleting after a confirmation page. Every
// change is audited and bumps the content version, which also empties the
// lookup's cache in every process.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RoleName } from '../../db/schema.js';
import type { FieldErrors } from '../../web/forms.js';
import { paginate, sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { field, idParams, noticeQuery, searchListQuery } from '../../web/schemas.js';
import { csrfToken } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { NotFoundError } from '../../web/errors.js';
import { canManageRedirects, requireStaff, staffOf, staffRoleNames } from '../access/index.js';
import { countRedirects, listRedirects, redirectById, type RedirectRow } from './redirects.repository.js';
import { addRedirect, editRedirect, RedirectRefused, removeRedirect, type RedirectStatus } from './redirects.service.js';
import {
  DeleteRedirectPage,
  DESK,
  EditRedirectPage,
  readable,
  RedirectsPage,
  type RedirectFormState,
  type RedirectFormValues,
  type RedirectItem,
} from './views/redirect-pages.js';

export interface RedirectDeskOptions {
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
  /** Called after every change: drops cached pages and cached lookups. */
  contentChanged: () => Promise<void>;
}

const PAGE_SIZE = 50;
const REFUSAL = 'Only the editor-in-chief, the managing editor and administrators manage redirects.';

const SHADOWED = 'A page of this site answers that old address, so visitors see the page: the redirect is used only once the page is gone.';
const NOTICES = {
  added: 'Redirect added.',
  saved: 'Redirect saved.',
  addedShadowed: `Redirect added. ${SHADOWED}`,
  savedShadowed: `Redirect saved. ${SHADOWED}`,
  deleted: 'Redirect deleted.',
};
const deskQuery = searchListQuery.extend(noticeQuery(NOTICES).shape);

const redirectBody = z.object({ from: field, to: field, status: field });
const confirmBody = z.object({ confirm: field });

const emptyForm: RedirectFormState = { values: { from: '', to: '', status: '301' }, errors: {} };

/** The form as typed (cut to size) and, when it is complete, what to save. */
function readForm(body: z.output<typeof redirectBody>): {
  values: RedirectFormValues;
  errors: FieldErrors;
  input: null | { from: string; to: string; status: RedirectStatus };
} {
  const values = { from: body.from.trim().slice(0, 2000), to: body.to.trim().slice(0, 2000), status: body.status };
  const errors: FieldErrors = {};
  if (values.from === '') errors.from = 'Enter the old address, e.g. /2019/04/12/old-story/.';
  if (values.to === '') errors.to = 'Enter the new address on this site, e.g. /articles/new-story.';
  if (values.status !== '301' && values.status !== '302') errors.status = 'Choose permanent (301) or temporary (302).';
  if (Object.keys(errors).length > 0) return { values, errors, input: null };
  return { values, errors, input: { from: values.from, to: values.to, status: Number(values.status) as RedirectStatus } };
}

function itemOf(row: RedirectRow): RedirectItem {
  return { id: row.id, from: row.from_path, to: row.to_path, status: row.status_code, source: row.source };
}

function valuesOf(row: RedirectRow): RedirectFormValues {
  return { from: readable(row.from_path), to: readable(row.to_path), status: String(row.status_code) };
}

export async function redirectDeskRoutes(fastify: FastifyInstance, opts: RedirectDeskOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const csrf = { preValidation: app.csrfProtection };
  app.addHook('onRequest', requireStaff({ may: canManageRedirects, refusal: REFUSAL, home: DESK }));

  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', staffRoleNames(request));

  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    { q, page }: z.output<typeof searchListQuery>,
    state: { form: RedirectFormState; notice?: string | undefined; status: number },
  ) {
    const total = await countRedirects(app.db, { q });
    const pagination = paginate(page, PAGE_SIZE, total);
    const rows = await listRedirects(app.db, { q }, { limit: PAGE_SIZE, offset: pagination.offset });
    return sendHtml(
      reply,
      RedirectsPage({
        ctx: await ctx(request, DESK),
        csrf: csrfToken(reply),
        q,
        pagination,
        items: rows.map(itemOf),
        form: state.form,
        notice: state.notice,
      }),
      state.status,
    );
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, row: RedirectRow, form: RedirectFormState, status: number) {
    return sendHtml(reply, EditRedirectPage({ ctx: await ctx(request, DESK), csrf: csrfToken(reply), item: itemOf(row), form }), status);
  }

  async function found(id: string): Promise<RedirectRow> {
    const row = await redirectById(app.db, id);
    if (!row) throw new NotFoundError('There is no such redirect: it may have been deleted.');
    return row;
  }

  /** Whether a route of the site answers this address as a visitor asks for it (a redirect from it would never be used). */
  async function shadowed(fromPath: string): Promise<boolean> {
    const res = await fastify.inject({ method: 'HEAD', url: fromPath });
    return res.statusCode < 300;
  }

  app.get(DESK, { schema: { querystring: deskQuery } }, async (request, reply) => {
    const { done } = request.query;
    return listPage(request, reply, request.query, { form: emptyForm, notice: done ? NOTICES[done] : undefined, status: 200 });
  });

  app.post(DESK, { ...csrf, schema: { querystring: searchListQuery, body: redirectBody } }, async (request, reply) => {
    const { values, errors, input } = readForm(request.body);
    const refuse = () => listPage(request, reply, request.query, { form: { values, errors }, status: 422 });
    if (!input) return refuse();
    let added: RedirectRow;
    try {
      added = await addRedirect(app.db, staffOf(request), input);
    } catch (error) {
      if (!(error instanceof RedirectRefused)) throw error;
      errors[error.field] = error.message;
      return refuse();
    }
    await opts.contentChanged();
    return reply.redirect(`${DESK}?done=${(await shadowed(added.from_path)) ? 'addedShadowed' : 'added'}`, 303);
  });

  app.get(`${DESK}/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const row = await found(request.params.id);
    return editPage(request, reply, row, { values: valuesOf(row), errors: {} }, 200);
  });

  app.post(`${DESK}/:id`, { ...csrf, schema: { params: idParams, body: redirectBody } }, async (request, reply) => {
    const row = await found(request.params.id);
    const { values, errors, input } = readForm(request.body);
    if (!input) return editPage(request, reply, row, { values, errors }, 422);
    let saved: RedirectRow | null;
    try {
      saved = await editRedirect(app.db, staffOf(request), row.id, input);
    } catch (error) {
      if (!(error instanceof RedirectRefused)) throw error;
      errors[error.field] = error.message;
      return editPage(request, reply, row, { values, errors }, 422);
    }
    if (!saved) throw new NotFoundError('There is no such redirect: it may have been deleted.');
    await opts.contentChanged();
    return reply.redirect(`${DESK}?done=${(await shadowed(saved.from_path)) ? 'savedShadowed' : 'saved'}`, 303);
  });

  // Deleting asks first: the page says where visitors are sent now and what they get after.
  app.get(`${DESK}/:id/delete`, { schema: { params: idParams } }, async (request, reply) => {
    const row = await found(request.params.id);
    return sendHtml(reply, DeleteRedirectPage({ ctx: await ctx(request, DESK), csrf: csrfToken(reply), item: itemOf(row) }));
  });

  app.post(`${DESK}/:id/delete`, { ...csrf, schema: { params: idParams, body: confirmBody } }, async (request, reply) => {
    const { id } = request.params;
    if (request.body.confirm !== 'yes') return reply.redirect(`${DESK}/${id}/delete`, 303);
    const removed = await removeRedirect(app.db, staffOf(request), id);
    if (!removed) throw new NotFoundError('There is no such redirect: it may have been deleted already.');
    await opts.contentChanged();
    return reply.redirect(`${DESK}?done=deleted`, 303);
  });
}
