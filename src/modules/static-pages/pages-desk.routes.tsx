// The newsroom's pages desk at /newsroom/pages: the list, new pages, the editor
// (a form that works without JavaScript, and the article editor's script with
// its autosave on top), the preview, the workflow moves, the delete confirmation
// and the footer menu's order.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PageStatus, RoleName } from '../../db/schema.js';
import { docToText, textToDoc } from '../../lib/plain-text.js';
import { parseDoc, parseRichDoc } from '../../lib/rich-text.js';
import { ConflictError, NotFoundError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { field, fieldErrors, idParams, isId, noticeQuery, one } from '../../web/schemas.js';
import { htmlOf } from '../../web/view.js';
import { csrfToken } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { canEditPage, canEditPages, canPublishPages, pageMovesFor, requireStaff, staffOf, staffRoleNames } from '../access/index.js';
import { bodyFromInput } from '../../web/rich-body-input.js';
import { pageInputSchema } from './page-input.js';
import type { PageRecord } from './pages.repository.js';
import { PageRefusedError, type PagesService } from './pages.service.js';
import { DeletePagePage, MenuPage, NewPagePage, PageEditorPage, PagesListPage, type PageEditorData } from './views/desk-pages.js';
import { StaticPageView } from './views/page-view.js';

export interface PagesDeskOptions {
  pages: PagesService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
}

/** A long page posted as a form carries its text twice (the document and its plain-text fallback). */
const PAGE_FORM_LIMIT = 4 * 1024 * 1024;

const NOTICES = {
  created: 'The draft is created.',
  saved: 'Saved.',
  submitted: 'Saved and submitted: the editor-in-chief will see it in the list of pages.',
  published: 'Published: readers can see the page now.',
  unpublished: 'Unpublished: readers no longer see the page.',
  draft: 'The page is back to draft.',
  deleted: 'The page is deleted.',
  added: 'The page is in the footer menu now.',
  removed: 'The page is out of the footer menu.',
  up: 'The page moved up the footer menu.',
  down: 'The page moved down the footer menu.',
};
const doneQuery = noticeQuery(NOTICES);

const newPageBody = z.object({ title: field.transform((t) => t.trim()), slug: field.transform((s) => s.trim().toLowerCase()) });
const pageForm = z.record(z.string(), z.string());
const autosaveBody = z.object({
  version: z.unknown().transform(Number),
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string())])).catch({}),
});
const STATUSES = ['draft', 'submitted', 'published', 'unpublished'] as const;
const moveBody = z.object({ to: z.enum(STATUSES).nullable().catch(null) });
const confirmBody = z.object({ confirm: field });
const menuBody = z.object({
  pageId: z.string().refine(isId).nullable().catch(null),
  change: z.enum(['add', 'remove', 'up', 'down']).nullable().catch(null),
});
const MENU_NOTICE = { add: 'added', remove: 'removed', up: 'up', down: 'down' } as const;

export async function pagesDeskRoutes(fastify: FastifyInstance, opts: PagesDeskOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { pages } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', staffRoleNames(request));

  const editors = {
    onRequest: requireStaff({
      may: canEditPages,
      refusal: 'The magazine’s pages are written by the editor-in-chief, the managing editor and mentors.',
    }),
  };
  const chief = {
    onRequest: requireStaff({
      may: canPublishPages,
      refusal: 'Only the editor-in-chief deletes pages and orders the footer menu.',
    }),
  };

  app.get('/newsroom/pages', { ...editors, schema: { querystring: doneQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const { done } = request.query;
    return sendHtml(
      reply,
      PagesListPage({
        ctx: await ctx(request, '/newsroom/pages'),
        pages: await pages.list(),
        canOrderMenu: canPublishPages(actor),
        notice: done && NOTICES[done],
      }),
    );
  });

  app.get('/newsroom/pages/new', editors, async (request, reply) =>
    sendHtml(reply, NewPagePage({ ctx: await ctx(request, '/newsroom/pages/new'), csrf: csrfToken(reply), values: {}, errors: {} })),
  );

  app.post('/newsroom/pages', { ...editors, ...csrf, schema: { body: newPageBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const { title, slug } = request.body;
    const refuse = async (errors: Record<string, string>) =>
      sendHtml(
        reply,
        NewPagePage({ ctx: await ctx(request, '/newsroom/pages/new'), csrf: csrfToken(reply), values: { title, slug }, errors }),
        422,
      );
    if (title === '' || title.length > 200) return refuse({ title: 'Give the page a title (up to 200 characters).' });
    try {
      const id = await pages.create(actor, { title, slug });
      return reply.redirect(`/newsroom/pages/${id}?done=created`, 303);
    } catch (err) {
      if (err instanceof PageRefusedError) return refuse({ [err.field]: err.message });
      throw err;
    }
  });

  /** The footer menu: the editor-in-chief's. Declared before /newsroom/pages/:id for readers of this file; the router prefers it anyway. */
  app.get('/newsroom/pages/menu', { ...chief, schema: { querystring: doneQuery } }, async (request, reply) => {
    const all = await pages.list();
    const menu = await pages.listMenu();
    const { done } = request.query;
    return sendHtml(
      reply,
      MenuPage({
        ctx: await ctx(request, '/newsroom/pages/menu'),
        csrf: csrfToken(reply),
        menu,
        others: all.filter((p) => p.menu_position === null),
        notice: done && NOTICES[done],
      }),
    );
  });

  app.post('/newsroom/pages/menu', { ...chief, ...csrf, schema: { body: menuBody } }, async (request, reply) => {
    const { pageId, change } = request.body;
    if (!pageId || !change) throw new NotFoundError('There is no such page, or no such change to the menu.');
    await pages.changeMenu(staffOf(request), pageId, change);
    return reply.redirect(`/newsroom/pages/menu?done=${MENU_NOTICE[change]}`, 303);
  });

  function editorData(request: FastifyRequest, page: PageRecord, overrides: Partial<PageEditorData> = {}): PageEditorData {
    const actor = staffOf(request);
    const doc = parseDoc(page.body_json);
    return {
      page,
      values: {
        version: String(page.version),
        title: page.title,
        slug: page.slug,
        dek: page.dek,
        bodyJson: page.body_json,
        bodyText: docToText(doc, { markup: true }),
      },
      errors: {},
      canEdit: canEditPage(actor, page.status),
      canDelete: canPublishPages(actor),
      moves: pageMovesFor(actor, page.status),
      ...overrides,
    };
  }

  app.get('/newsroom/pages/:id', { ...editors, schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const page = await pages.get(request.params.id);
    const { done } = request.query;
    return sendHtml(
      reply,
      PageEditorPage({
        ctx: await ctx(request, `/newsroom/pages/${page.id}`),
        csrf: csrfToken(reply),
        data: editorData(request, page, { notice: done && NOTICES[done] }),
      }),
    );
  });

  /** The editor's form: "Save" or "Save and submit". Refused, the page comes back with everything typed, the body included. */
  app.post(
    '/newsroom/pages/:id',
    { ...editors, ...csrf, bodyLimit: PAGE_FORM_LIMIT, schema: { params: idParams, body: pageForm } },
    async (request, reply) => {
      const actor = staffOf(request);
      const id = request.params.id;
      const typed = request.body;
      const intent = typed.intent === 'submit' ? 'submit' : 'save';
      const rerender = async (status: number, overrides: Partial<PageEditorData>) => {
        const page = await pages.get(id);
        const base = editorData(request, page);
        const values: Record<string, string> = { ...base.values };
        for (const name of ['title', 'slug', 'dek', 'version'] as const) if (typed[name] !== undefined) values[name] = typed[name];
        // The body comes back as it was sent: the editor's document, or the typed text.
        const sentDoc = typed.bodyJson ? parseRichDoc(typed.bodyJson) : null;
        if (sentDoc?.ok) {
          values.bodyJson = typed.bodyJson!;
          values.bodyText = docToText(sentDoc.doc, { markup: true });
        } else if (typed.bodyText !== undefined) {
          values.bodyText = typed.bodyText;
          values.bodyJson = JSON.stringify(textToDoc(typed.bodyText, { markup: true }));
        }
        return sendHtml(
          reply,
          PageEditorPage({
            ctx: await ctx(request, `/newsroom/pages/${id}`),
            csrf: csrfToken(reply),
            data: { ...base, values, ...overrides },
          }),
          status,
        );
      };
      const parsed = pageInputSchema.safeParse(typed);
      if (!parsed.success) return rerender(422, { errors: fieldErrors(parsed.error), message: 'Not saved. Please correct the following:' });
      const input = parsed.data;
      try {
        await pages.save(
          actor,
          id,
          { title: input.title, slug: input.slug, dek: input.dek, doc: bodyFromInput(input) },
          Number(one(typed.version)),
          intent,
        );
      } catch (err) {
        if (err instanceof ConflictError) return rerender(409, { conflict: true, message: err.message });
        if (err instanceof PageRefusedError)
          return rerender(422, { errors: { [err.field]: err.message }, message: 'Not saved. Please correct the following:' });
        throw err;
      }
      return reply.redirect(`/newsroom/pages/${id}?done=${intent === 'submit' ? 'submitted' : 'saved'}`, 303);
    },
  );

  /** Autosave from the editor script: JSON in, JSON out (RFC 9457 problems when refused), 409 on a stale version. */
  app.post(
    '/newsroom/pages/:id/autosave',
    { ...editors, ...csrf, bodyLimit: PAGE_FORM_LIMIT, config: { jsonDocument: true }, schema: { params: idParams, body: autosaveBody } },
    async (request, reply) => {
      const fields = Object.fromEntries(Object.entries(request.body.fields).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
      const problem = (status: number, title: string, detail: string, extra: object = {}) =>
        reply
          .code(status)
          .type('application/problem+json')
          .send({ type: 'about:blank', title, status, detail, ...extra });
      const parsed = pageInputSchema.safeParse(fields);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error);
        return problem(422, 'Not saved', Object.values(errors)[0] ?? 'Some fields are not valid.', { errors });
      }
      const input = parsed.data;
      try {
        const saved = await pages.save(
          staffOf(request),
          request.params.id,
          { title: input.title, slug: input.slug, dek: input.dek, doc: bodyFromInput(input) },
          request.body.version,
        );
        return reply.header('cache-control', 'no-store').send(saved);
      } catch (err) {
        if (err instanceof ConflictError) return problem(409, 'Someone else saved a newer version', err.message, { code: err.code });
        if (err instanceof PageRefusedError) return problem(422, 'Not saved', err.message, { errors: { [err.field]: err.message } });
        throw err;
      }
    },
  );

  app.post('/newsroom/pages/:id/move', { ...editors, ...csrf, schema: { params: idParams, body: moveBody } }, async (request, reply) => {
    const { to } = request.body;
    if (!to) throw new NotFoundError('There is no such step in the workflow.');
    await pages.move(staffOf(request), request.params.id, to);
    return reply.redirect(`/newsroom/pages/${request.params.id}?done=${to satisfies PageStatus}`, 303);
  });

  app.get('/newsroom/pages/:id/preview', { ...editors, schema: { params: idParams } }, async (request, reply) => {
    const page = await pages.get(request.params.id);
    const html = htmlOf(StaticPageView({ ctx: await opts.pageContext(`/${page.slug}`, 'anonymous'), page, preview: true }))
      .replace(
        '<main id="main" tabindex="-1">',
        `<main id="main" tabindex="-1"><p class="notice notice--info preview-banner">Preview${page.status === 'published' ? '' : ': readers cannot see this page yet'}. <a href="/newsroom/pages/${page.id}">Back to the editor</a></p>`,
      )
      .replace(/<!--slot:[^>]*-->/g, '');
    return sendHtml(reply, html);
  });

  app.get('/newsroom/pages/:id/delete', { ...chief, schema: { params: idParams } }, async (request, reply) => {
    const page = await pages.get(request.params.id);
    return sendHtml(reply, DeletePagePage({ ctx: await ctx(request, `/newsroom/pages/${page.id}`), csrf: csrfToken(reply), page }));
  });

  app.post('/newsroom/pages/:id/delete', { ...chief, ...csrf, schema: { params: idParams, body: confirmBody } }, async (request, reply) => {
    if (request.body.confirm !== 'yes') {
      const page = await pages.get(request.params.id);
      return sendHtml(
        reply,
        DeletePagePage({
          ctx: await ctx(request, `/newsroom/pages/${page.id}`),
          csrf: csrfToken(reply),
          page,
          error: 'Tick “Yes, delete this page” to delete it.',
        }),
        422,
      );
    }
    await pages.delete(staffOf(request), request.params.id);
    return reply.redirect('/newsroom/pages?done=deleted', 303);
  });
}
