// The public side of the prize: the prize page, entering (account required,
// with the wall's sign-up coming back to the form), the confirmation, and the
// shortlist and winners pages. The entry form is multipart (a photo may come
// with it), read by the shared multipart reader before the CSRF check.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../web/errors.js';
import { sendHtml, wantsJson } from '../../web/http.js';
import { multipartForm } from '../../web/multipart.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { slug, slugParams } from '../../web/schemas.js';
import { csrfToken, setSessionCookie, viewerKind } from '../../web/viewer.js';
import { readerOf, requireReader } from '../access/index.js';
import { zodRoutes } from '../../web/zod.js';
import { ENTRY_FIELD_NAMES, entryFormSchema, MAX_ESSAY_CHARS, type EntryForm } from './competitions.schemas.js';
import { EntryRefused, PHOTO_LIMITS_TEXT, PHOTO_MAX_BYTES, type AccountsPort, type CompetitionsService } from './competitions.service.js';
import { prizeState } from './deadlines.js';
import { prizeScript } from './prize-script.js';
import { placePath, type ResultsService } from './results.service.js';
import { PlaceOfferPage } from './views/place-offer.js';
import { EntryFormPage } from './views/entry-form.js';
import { EntryClosedPage, EntryWallPage, PrizeListPage, PrizePage, ReceiptPage, ResultsPage } from './views/prize-pages.js';

export interface PrizeRoutesOptions {
  prizes: CompetitionsService;
  results: ResultsService;
  accounts: AccountsPort;
  secureCookies: boolean | 'auto';
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
}

const receiptParams = z.object({ slug, reference: z.string().regex(/^[A-Z0-9-]{6,30}$/) });
/** `?saved=1`, `?new=1`, `?accepted=1`: what the page says it just did. */
const flag = z
  .string()
  .optional()
  .transform((value) => value === '1');

export async function prizeRoutes(fastify: FastifyInstance, opts: PrizeRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { prizes } = opts;
  const script = prizeScript();
  const ctxFor = (request: FastifyRequest, path: string) => opts.pageContext(path, viewerKind(request.viewer));
  const entryUpload = await multipartForm(app, {
    fields: ENTRY_FIELD_NAMES,
    files: ['photo'],
    fileBytes: PHOTO_MAX_BYTES,
    fieldBytes: MAX_ESSAY_CHARS * 4,
  });

  app.get('/prize-assets/:file', { schema: { params: z.object({ file: z.string() }) } }, async (request, reply) => {
    if (`/prize-assets/${request.params.file}` !== script.path)
      throw new AppError(404, 'not_found', 'There is no file at this address.', 'Page not found');
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', script.etag)
      .header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === script.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(script.gzip);
    return reply.send(script.body);
  });

  app.get('/prizes', async (request, reply) => {
    const now = prizes.now();
    const list = (await prizes.list()).map((prize) => ({ prize, state: prizeState(prize.window, now) }));
    return sendHtml(reply, PrizeListPage({ ctx: await ctxFor(request, '/prizes'), prizes: list }));
  });

  app.get('/prizes/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const page = await prizes.publicPage(request.params.slug);
    return sendHtml(reply, PrizePage({ ctx: await ctxFor(request, `/prizes/${page.prize.slug}`), script: script.path, page }));
  });

  async function renderDesk(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    state: { form?: EntryForm; errors?: Record<string, string>; message?: string; notice?: string; status?: number } = {},
  ) {
    const viewer = request.viewer!;
    const desk = await prizes.entryDesk(viewer.userId, slug);
    const ctx = await ctxFor(request, `/prizes/${slug}/enter`);
    const status = state.status ?? 200;
    if (desk.submitted.length >= desk.prize.entriesPerPerson || desk.state !== 'open') {
      const typed = state.form ?? desk.form;
      return sendHtml(
        reply,
        EntryClosedPage({
          ctx,
          prize: desk.prize,
          state: desk.state,
          submitted: desk.submitted,
          message: state.message,
          typed: typed.essay,
        }),
        status,
      );
    }
    const form = state.form ? { ...state.form } : desk.form;
    return sendHtml(
      reply,
      EntryFormPage({
        ctx,
        script: script.path,
        csrf: csrfToken(reply),
        desk,
        form,
        errors: state.errors ?? {},
        message: state.message,
        notice: state.notice,
      }),
      status,
    );
  }

  app.get('/prizes/:slug/enter', { schema: { params: slugParams, querystring: z.object({ saved: flag }) } }, async (request, reply) => {
    const { slug } = request.params;
    if (!request.viewer) {
      const prize = await prizes.bySlug(slug);
      return sendHtml(reply, EntryWallPage({ ctx: await ctxFor(request, `/prizes/${slug}/enter`), prize, csrf: csrfToken(reply) }));
    }
    return renderDesk(request, reply, slug, request.query.saved ? { notice: 'Your draft is saved. Only you can see it.' } : {});
  });

  app.post(
    '/prizes/:slug/enter',
    {
      schema: { params: slugParams, body: entryFormSchema },
      preValidation: entryUpload.preValidation,
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { slug } = request.params;
      if (!request.viewer) {
        if (wantsJson(request))
          throw new AppError(401, 'sign_in_required', 'Please sign in again: your draft could not be saved.', 'Sign in required');
        return reply.redirect(`/prizes/${slug}/enter`, 303);
      }
      const userId = request.viewer.userId;
      const { submit, form } = request.body;
      const { files, problem } = entryUpload.filesOf(request);
      if (problem === 'too_many_parts')
        throw new AppError(
          413,
          'too_large',
          `The form sent more than we accept: one photo of up to ${PHOTO_LIMITS_TEXT}, and the fields of the form.`,
          'Too large',
        );
      const photo = files.get('photo') ?? null;
      const json = wantsJson(request);
      try {
        if (problem === 'too_large')
          throw new EntryRefused(413, 'photo_too_large', 'Your photograph was not accepted.', {
            photo: `Your photograph is larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MB. Save a smaller copy and choose it again.`,
          });
        if (submit) {
          const { reference } = await prizes.submit(userId, slug, form, photo);
          if (json) return reply.code(201).header('cache-control', 'no-store').send({ reference });
          return reply.redirect(`/prizes/${slug}/entries/${reference}?new=1`, 303);
        }
        const { savedAt } = await prizes.saveDraft(userId, slug, form, photo);
        if (json) return reply.header('cache-control', 'no-store').send({ savedAt });
        return reply.redirect(`/prizes/${slug}/enter?saved=1`, 303);
      } catch (error) {
        if (json || !(error instanceof EntryRefused)) throw error;
        // Refused: the page comes back with everything as typed, and says why.
        return renderDesk(request, reply, slug, { form, errors: error.errors, message: error.message, status: error.status });
      }
    },
  );

  // An entrant's receipt and offer of a place: visitors sign in and come back to them.
  const entrant = requireReader();

  app.get(
    '/prizes/:slug/entries/:reference',
    { schema: { params: receiptParams, querystring: z.object({ new: flag }) }, onRequest: entrant },
    async (request, reply) => {
      const { slug, reference } = request.params;
      const { userId } = readerOf(request);
      const { prize, entry } = await prizes.receipt(userId, slug, reference);
      const offer = await opts.results.placeOffer(userId, slug, reference);
      const placeOfferPath = offer.state === 'open' ? placePath(slug, reference) : null;
      return sendHtml(
        reply,
        ReceiptPage({
          ctx: await ctxFor(request, `/prizes/${slug}/entries/${reference}`),
          prize,
          entry,
          fresh: request.query.new,
          placeOfferPath,
        }),
      );
    },
  );

  // The offer of a place, for the winner only: signed in with the account that entered.
  app.get(
    '/prizes/:slug/entries/:reference/place',
    { schema: { params: receiptParams, querystring: z.object({ accepted: flag }) }, onRequest: entrant },
    async (request, reply) => {
      const { slug, reference } = request.params;
      const path = placePath(slug, reference);
      const offer = await opts.results.placeOffer(readerOf(request).userId, slug, reference);
      const notice = request.query.accepted && offer.state === 'accepted' ? 'You accepted your place. Welcome!' : undefined;
      return sendHtml(
        reply.header('cache-control', 'no-store'),
        PlaceOfferPage({ ctx: await ctxFor(request, path), csrf: csrfToken(reply), offer, action: path, notice }),
      );
    },
  );

  app.post(
    '/prizes/:slug/entries/:reference/place',
    { schema: { params: receiptParams }, onRequest: entrant, preValidation: app.csrfProtection },
    async (request, reply) => {
      const { slug, reference } = request.params;
      const path = placePath(slug, reference);
      const { userId } = readerOf(request);
      try {
        await opts.results.acceptPlace(userId, slug, reference);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 409) throw error;
        const offer = await opts.results.placeOffer(userId, slug, reference);
        return sendHtml(
          reply,
          PlaceOfferPage({ ctx: await ctxFor(request, path), csrf: csrfToken(reply), offer, action: path, error: error.message }),
          409,
        );
      }
      // The new role ended the account's sessions (a session id known before it is worthless); this browser gets a fresh one.
      const session = await opts.accounts.createSession(userId, false);
      setSessionCookie(reply, session.token, false, session.expiresAt, opts.secureCookies);
      return reply.redirect(`${path}?accepted=1`, 303);
    },
  );

  for (const what of ['shortlist', 'winners'] as const) {
    app.get(`/prizes/:slug/${what}`, { schema: { params: slugParams } }, async (request, reply) => {
      const { prize, results } = await prizes.results(request.params.slug, what);
      return sendHtml(reply, ResultsPage({ ctx: await ctxFor(request, `/prizes/${prize.slug}/${what}`), prize, results, what }));
    });
  }
}
