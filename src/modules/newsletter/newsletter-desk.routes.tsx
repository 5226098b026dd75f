// The newsletter desk in the newsroom: newsletters and their issues, the
// composer (save, test, preview, schedule, send now), the sending page, and the
// subscriber list with search, CSV export, CSV import and removal. Every route
// is for staff who may run the newsletter (access's canRunNewsletter); the service checks
// again before acting.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RoleName, SubscriptionStatus } from '../../db/schema.js';
import { isTimeZone, utcToZonedInput, zonedToUtc } from '../../lib/dates.js';
import { docToText, textToDoc } from '../../lib/plain-text.js';
import { parseRichDoc, type RichNode } from '../../lib/rich-text.js';
import { slugify } from '../../lib/slug.js';
import { builtAsset } from '../../web/assets.js';
import { AppError, BadRequestError, ForbiddenError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import { multipartForm } from '../../web/multipart.js';
import { field, idParams, isId, list, one, page } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { isEmailAddress } from '../../lib/email.js';
import { MAX_IMPORT_BYTES } from './csv.js';
import { ImportError, type NewsletterService, type NewsletterSettings } from './newsletter.service.js';
import { canCreateNewsletter, canRunNewsletter, requireStaff, staffOf, staffRoleNames, type Actor } from '../access/index.js';
import { IssueView } from './views/public-pages.js';
import {
  ComposePage,
  deskPaths,
  ImportPage,
  NewsletterDeskPage,
  PreviewBanner,
  SendingPage,
  SettingsPage,
  SubscribersPage,
  type ComposeData,
} from './views/newsroom-pages.js';

export interface NewsletterDeskRoutesOptions {
  newsletters: NewsletterService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
}

type Body = Record<string, string | string[] | undefined>;

const SLUG_RE = /^[a-z0-9-]{1,80}$/;
const slugParams = z.object({ slug: z.string().regex(SLUG_RE, 'There is no newsletter with this address.') });
const subscriberParams = slugParams.extend(idParams.shape);
const doneQuery = z.object({ done: field });
/** The composer's form has a position field per item (`position-<id>`), so it is read as the form it is. */
const composeBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
/** What was typed in the settings form, trimmed and cut to what the page shows back. */
const typed = (max?: number) => field.transform((value) => value.trim().slice(0, max));
const settingsBody = z.object({
  name: typed(200),
  description: typed(1000),
  senderName: typed(200),
  senderEmail: typed(300),
  sendWeekday: field,
  sendTime: typed(),
  timeZone: typed(),
});
const NAME_RULE = 'Give the newsletter a name (up to 80 characters).';
const SENDER_RULE = 'Use up to 80 characters, without < > or quotes.';
/** The settings' rules; a refused form comes back with a message beside each field. */
const settingsRules = z.object({
  name: z.string().min(1, NAME_RULE).max(80, NAME_RULE),
  description: z.string().max(500, 'Keep the description under 500 characters.'),
  senderName: z
    .string()
    .max(80, SENDER_RULE)
    .regex(/^[^<>"\r\n]*$/, SENDER_RULE),
  senderEmail: z
    .string()
    .refine((v) => v === '' || isEmailAddress(v.toLowerCase()), 'Enter an address like brief@example.org, or leave it empty.'),
  sendWeekday: z
    .string()
    .regex(/^[0-6]$/, 'Choose a day.')
    .transform(Number),
  sendTime: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'Write the time as HH:MM, e.g. 16:00.'),
  timeZone: z.string().refine(isTimeZone, 'Enter a time zone such as Europe/London.'),
});
const subscribersQuery = z.object({ q: field, status: field, page, removed: field, reactivated: field });
/** Words the desk's own addresses use after /newsroom/newsletters/: no newsletter may be called that. */
export const RESERVED_SLUGS = ['new', 'issues', 'assets'];

// ---- the composer's script, built by `npm run build`, served under its content hash ----

const composeAsset = () => builtAsset('compose.js', '/newsroom/newsletters/assets/');

/**
 * The intro from the rich editor (JSON) or its plain-text fallback. The page
 * renders the hidden bodyJson field empty (the editor starts from the page's
 * data-initial-doc); only the editor's script fills it, and once it has taken
 * over it also takes the textarea's name away. So an empty bodyJson, or a
 * posted bodyText, means the script did not run in this page view, and what was
 * typed in the textarea wins.
 */
export function introFrom(body: Body): { intro: RichNode; error?: string } {
  const json = one(body.bodyJson);
  if (json && body.bodyText === undefined) {
    // The same check as every other save of a rich-text document: shape and depth.
    const parsed = parseRichDoc(json);
    return parsed.ok ? { intro: parsed.doc } : { intro: { type: 'doc', content: [] }, error: parsed.message };
  }
  return { intro: textToDoc(one(body.bodyText).slice(0, 100_000), { markup: true }) };
}

/** The items in the order the editor numbered them (ties keep the page's order), dropped ones left out. */
export function orderedItems(body: Body): { order: string[]; kept: string[] } {
  const order = list.parse(body.item).filter(isId);
  const keep = new Set(list.parse(body.keep));
  const position = (id: string, index: number) => {
    const n = Number(one(body[`position-${id}`]));
    return Number.isFinite(n) && n > 0 ? n : index + 1;
  };
  const sorted = order.map((id, index) => ({ id, index, at: position(id, index) })).sort((a, b) => a.at - b.at || a.index - b.index);
  return { order: sorted.map((s) => s.id), kept: sorted.filter((s) => keep.has(s.id)).map((s) => s.id) };
}

type SettingsForm = z.output<typeof settingsBody>;

function settingsFrom(values: SettingsForm): { values: SettingsForm; settings: NewsletterSettings | null; errors: Record<string, string> } {
  const parsed = settingsRules.safeParse(values);
  if (parsed.success) return { values, settings: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { values, settings: null, errors };
}

export async function newsletterDeskRoutes(fastify: FastifyInstance, opts: NewsletterDeskRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { newsletters } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', staffRoleNames(request));
  const script = composeAsset();

  const upload = await multipartForm(app, { fields: ['consent'], files: ['file'], fileBytes: MAX_IMPORT_BYTES, fieldBytes: 1024 });

  // The composer's script is a fingerprinted file like any other asset: open to every browser.
  app.get(script.path, { config: { publicAsset: true } }, async (request, reply) => {
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', script.etag);
    if (request.headers['if-none-match'] === script.etag) return reply.code(304).send();
    return reply.send(script.body);
  });

  app.addHook(
    'onRequest',
    requireStaff({
      may: canRunNewsletter,
      refusal: 'The newsletter desk is for the newsletter editor, the editor-in-chief, the managing editor and mentors.',
      home: deskPaths.home,
    }),
  );

  const deskNotices: Record<string, string> = {
    created: 'The newsletter is created.',
    saved: 'Settings saved.',
    deleted: 'The draft is deleted.',
  };

  app.get(deskPaths.home, { schema: { querystring: doneQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const data = await newsletters.desk(actor);
    return sendHtml(
      reply,
      NewsletterDeskPage({
        ctx: await ctx(request, deskPaths.home),
        csrf: csrfToken(reply),
        desk: data,
        canCreate: canCreateNewsletter(actor),
        notice: deskNotices[request.query.done],
      }),
    );
  });

  // --- newsletters ---
  const defaults = {
    name: '',
    description: '',
    senderName: '',
    senderEmail: '',
    sendWeekday: '5',
    sendTime: '16:00',
    timeZone: 'Europe/London',
  };

  /** The staff member let in, if they may start a newsletter: checked before the form is, so a refusal is a 403, not a form error. */
  function creator(request: FastifyRequest) {
    const actor = staffOf(request);
    if (!canCreateNewsletter(actor))
      throw new ForbiddenError('New newsletters are started by the editor-in-chief, the managing editor or a mentor.');
    return actor;
  }

  app.get(deskPaths.newNewsletter, async (request, reply) => {
    creator(request);
    return sendHtml(
      reply,
      SettingsPage({
        ctx: await ctx(request, deskPaths.newNewsletter),
        csrf: csrfToken(reply),
        action: deskPaths.newNewsletter,
        title: 'A new newsletter',
        values: defaults,
        errors: {},
      }),
    );
  });

  app.post(deskPaths.newNewsletter, { ...csrf, schema: { body: settingsBody } }, async (request, reply) => {
    const actor = creator(request);
    const parsed = settingsFrom(request.body);
    const refuse = async () =>
      sendHtml(
        reply,
        SettingsPage({
          ctx: await ctx(request, deskPaths.newNewsletter),
          csrf: csrfToken(reply),
          action: deskPaths.newNewsletter,
          title: 'A new newsletter',
          values: parsed.values,
          errors: parsed.errors,
        }),
        422,
      );
    if (parsed.settings && RESERVED_SLUGS.includes(slugify(parsed.values.name, 'newsletter')))
      parsed.errors.name = 'Choose another name: this word is used by the newsroom’s own pages.';
    if (!parsed.settings || parsed.errors.name) return refuse();
    try {
      await newsletters.createNewsletter(actor, parsed.settings);
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      parsed.errors.name = err.message;
      return refuse();
    }
    return reply.redirect(`${deskPaths.home}?done=created`, 303);
  });

  app.get('/newsroom/newsletters/:slug/settings', { schema: { params: slugParams } }, async (request, reply) => {
    const n = await newsletters.newsletterBySlug(request.params.slug);
    const values = {
      name: n.name,
      description: n.description,
      senderName: n.sender_name,
      senderEmail: n.sender_email,
      sendWeekday: String(n.send_weekday),
      sendTime: n.send_time,
      timeZone: n.time_zone,
    };
    return sendHtml(
      reply,
      SettingsPage({
        ctx: await ctx(request, deskPaths.settings(n.slug)),
        csrf: csrfToken(reply),
        action: deskPaths.settings(n.slug),
        title: `Settings: ${n.name}`,
        values,
        errors: {},
      }),
    );
  });

  app.post(
    '/newsroom/newsletters/:slug/settings',
    { ...csrf, schema: { params: slugParams, body: settingsBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const n = await newsletters.newsletterBySlug(request.params.slug);
      const parsed = settingsFrom(request.body);
      if (!parsed.settings) {
        return sendHtml(
          reply,
          SettingsPage({
            ctx: await ctx(request, deskPaths.settings(n.slug)),
            csrf: csrfToken(reply),
            action: deskPaths.settings(n.slug),
            title: `Settings: ${n.name}`,
            values: parsed.values,
            errors: parsed.errors,
          }),
          422,
        );
      }
      await newsletters.updateNewsletter(actor, n.slug, parsed.settings);
      return reply.redirect(`${deskPaths.home}?done=saved`, 303);
    },
  );

  // --- issues ---
  app.post('/newsroom/newsletters/:slug/issues', { ...csrf, schema: { params: slugParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const id = await newsletters.createIssue(actor, request.params.slug);
    return reply.redirect(deskPaths.issue(id), 303);
  });

  const composeNotices: Record<string, string> = {
    saved: 'Saved.',
    scheduled: 'Saved and scheduled. The issue goes out at the time shown; you can still change it until then.',
    unscheduled: 'The issue is back to a draft: it will not go out until you schedule or send it.',
  };

  async function composeData(actor: Actor, id: string, overrides: Partial<ComposeData> = {}): Promise<ComposeData> {
    const { issue, newsletter, items, intro, defaultSendAt } = await newsletters.issue(actor, id);
    const counts = await newsletters.subscriberCounts(actor, newsletter.id);
    const candidates = issue.status === 'draft' || issue.status === 'scheduled' ? items : [];
    return {
      newsletter,
      issue,
      items: candidates,
      kept: new Set(candidates.map((i) => i.articleId)),
      subject: issue.subject,
      introJson: issue.intro_json,
      introText: docToText(intro, { markup: true }),
      scheduleValue: utcToZonedInput(issue.scheduled_at ?? defaultSendAt.toISOString(), newsletter.time_zone),
      defaultSendAt,
      confirmedCount: counts.confirmed,
      errors: {},
      composeScript: script.path,
      ...overrides,
    };
  }

  const composeQuery = z.object({ done: field, to: field });
  app.get('/newsroom/newsletters/issues/:id', { schema: { params: idParams, querystring: composeQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const data = await composeData(actor, request.params.id);
    if (data.issue.status === 'sending' || data.issue.status === 'sent') return reply.redirect(deskPaths.sending(data.issue.id), 303);
    const to = request.query.to;
    const notice =
      request.query.done === 'test' && to ? `A test is on its way to ${to.slice(0, 254)}.` : composeNotices[request.query.done];
    return sendHtml(
      reply,
      ComposePage({ ctx: await ctx(request, deskPaths.issue(data.issue.id)), csrf: csrfToken(reply), data: { ...data, notice } }),
    );
  });

  const composeRoute = { ...csrf, config: { listFields: ['item', 'keep'] }, schema: { params: idParams, body: composeBody } };
  app.post('/newsroom/newsletters/issues/:id', composeRoute, async (request, reply) => {
    const actor = staffOf(request);
    const id = request.params.id;
    const body = request.body;
    const intent = one(body.intent) || 'save';
    const subject = one(body.subject).trim();
    const { intro, error: introError } = introFrom(body);
    const { order, kept } = orderedItems(body);
    const rerender = async (status: number, errors: Record<string, string>, message?: string) => {
      const base = await composeData(actor, id);
      // What was typed wins over what is stored; the page comes back as the editor left it.
      const byId = new Map(base.items.map((i) => [i.articleId, i]));
      const items = order.length ? order.flatMap((itemId) => byId.get(itemId) ?? []) : base.items;
      const data: ComposeData = {
        ...base,
        subject,
        introJson: JSON.stringify(intro),
        introText: docToText(intro, { markup: true }),
        items,
        kept: new Set(kept),
        scheduleValue: one(body.scheduledAt) || base.scheduleValue,
        errors,
        message,
      };
      return sendHtml(reply, ComposePage({ ctx: await ctx(request, deskPaths.issue(id)), csrf: csrfToken(reply), data }), status);
    };

    if (intent === 'unschedule') {
      await newsletters.unschedule(actor, id);
      return reply.redirect(`${deskPaths.issue(id)}?done=unscheduled`, 303);
    }
    if (introError) return rerender(422, { intro: introError }, 'Nothing was saved.');
    if (subject === '' || subject.length > 150)
      return rerender(422, { subject: 'Give the issue a subject of up to 150 characters: it is what readers see in their inbox.' });
    await newsletters.saveIssue(actor, id, { subject, intro, articleIds: kept });

    try {
      switch (intent) {
        case 'test': {
          const to = await newsletters.sendTest(actor, id);
          return reply.redirect(`${deskPaths.issue(id)}?done=test&to=${encodeURIComponent(to)}`, 303);
        }
        case 'schedule': {
          const local = one(body.scheduledAt);
          const { newsletter } = await newsletters.issue(actor, id);
          let at: Date;
          try {
            at = zonedToUtc(local, newsletter.time_zone);
          } catch {
            return rerender(
              422,
              { scheduledAt: 'Choose a day and a time to send the issue.' },
              'Your changes are saved, but the issue is not scheduled.',
            );
          }
          await newsletters.schedule(actor, id, at);
          return reply.redirect(`${deskPaths.issue(id)}?done=scheduled`, 303);
        }
        case 'send_now': {
          if (one(body.confirmSend) !== '1')
            return rerender(
              422,
              { confirmSend: 'Tick the box to confirm that the issue should go to every subscriber now.' },
              'Your changes are saved, but nothing was sent.',
            );
          await newsletters.sendNow(actor, id);
          return reply.redirect(deskPaths.sending(id), 303);
        }
        default:
          return reply.redirect(`${deskPaths.issue(id)}?done=saved`, 303);
      }
    } catch (err) {
      if (err instanceof BadRequestError) {
        const field = err.code.startsWith('schedule') ? 'scheduledAt' : err.code === 'subject_required' ? 'subject' : 'intro';
        return rerender(422, { [field]: err.message }, 'Your changes are saved, but the issue was not scheduled or sent.');
      }
      if (err instanceof AppError && err.code === 'test_send_failed') return rerender(502, {}, err.message);
      throw err;
    }
  });

  app.post('/newsroom/newsletters/issues/:id/delete', { ...csrf, schema: { params: idParams } }, async (request, reply) => {
    const actor = staffOf(request);
    await newsletters.deleteDraft(actor, request.params.id);
    return reply.redirect(`${deskPaths.home}?done=deleted`, 303);
  });

  // Previews: the email exactly as sent (its own inline styles, hence its own CSP), its text, and the web page.
  app.get('/newsroom/newsletters/issues/:id/preview.html', { schema: { params: idParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const { rendered } = await newsletters.preview(actor, request.params.id);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'none'; img-src 'self' https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'",
      )
      .send(rendered.html);
  });

  app.get('/newsroom/newsletters/issues/:id/preview.txt', { schema: { params: idParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const { rendered } = await newsletters.preview(actor, request.params.id);
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`Subject: ${rendered.subject}\n\n${rendered.text}\n`);
  });

  app.get('/newsroom/newsletters/issues/:id/preview', { schema: { params: idParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const { issue, newsletter, items } = await newsletters.issue(actor, request.params.id);
    const page = await opts.pageContext(`/newsletters/${newsletter.slug}`, 'anonymous');
    const html = IssueView({
      ctx: page,
      newsletter,
      number: issue.number,
      subject: issue.subject,
      date: issue.sent_at ?? issue.scheduled_at ?? new Date().toISOString(),
      safeIntroHtml: issue.intro_html,
      items,
      safeBanner: PreviewBanner({ issueId: issue.id }),
      noIndex: true,
    });
    return sendHtml(reply, html);
  });

  const sendingNotices: Record<string, string> = { sending: 'The issue is on its way.' };
  app.get('/newsroom/newsletters/issues/:id/sending', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const data = await newsletters.progress(actor, request.params.id);
    return sendHtml(
      reply,
      SendingPage({ ctx: await ctx(request, deskPaths.sending(data.issue.id)), data, notice: sendingNotices[request.query.done] }),
    );
  });

  // --- subscribers ---
  const STATUSES: SubscriptionStatus[] = ['pending', 'confirmed', 'unsubscribed', 'suppressed'];

  const subscribersRoute = { schema: { params: slugParams, querystring: subscribersQuery } };
  app.get('/newsroom/newsletters/:slug/subscribers', subscribersRoute, async (request, reply) => {
    const actor = staffOf(request);
    const { slug } = request.params;
    const q = request.query.q.trim().slice(0, 100);
    const status = STATUSES.includes(request.query.status as SubscriptionStatus) ? (request.query.status as SubscriptionStatus) : undefined;
    const { page } = request.query;
    const result = await newsletters.subscribers(actor, slug, { ...(q ? { q } : {}), ...(status ? { status } : {}) }, page);
    const notice = request.query.removed
      ? `${request.query.removed.slice(0, 254)} is removed from the list.`
      : request.query.reactivated
        ? `${request.query.reactivated.slice(0, 254)} gets the newsletter again.`
        : undefined;
    return sendHtml(
      reply,
      SubscribersPage({
        ctx: await ctx(request, deskPaths.subscribers(slug)),
        csrf: csrfToken(reply),
        newsletter: result.newsletter,
        counts: result.counts,
        rows: result.rows,
        filter: { q, status: status ?? '' },
        page,
        pages: result.pages,
        total: result.total,
        notice,
      }),
    );
  });

  app.get('/newsroom/newsletters/:slug/subscribers.csv', { schema: { params: slugParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const { filename, csv } = await newsletters.exportCsv(actor, request.params.slug);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(`\ufeff${csv}`);
  });

  app.get('/newsroom/newsletters/:slug/subscribers/import', { schema: { params: slugParams } }, async (request, reply) => {
    const newsletter = await newsletters.newsletterBySlug(request.params.slug);
    return sendHtml(
      reply,
      ImportPage({ ctx: await ctx(request, deskPaths.importCsv(newsletter.slug)), csrf: csrfToken(reply), newsletter }),
    );
  });

  app.post(
    '/newsroom/newsletters/:slug/subscribers/import',
    {
      schema: { params: slugParams, body: z.object({ consent: field }) },
      preValidation: upload.preValidation,
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const actor = staffOf(request);
      const newsletter = await newsletters.newsletterBySlug(request.params.slug);
      const { files, problem } = upload.filesOf(request);
      const file = files.get('file');
      const consent = request.body.consent === '1';
      const page = async (status: number, extra: { problems?: string[]; report?: Awaited<ReturnType<NewsletterService['importCsv']>> }) =>
        sendHtml(
          reply,
          ImportPage({
            ctx: await ctx(request, deskPaths.importCsv(newsletter.slug)),
            csrf: csrfToken(reply),
            newsletter,
            consent,
            ...extra,
          }),
          status,
        );
      if (problem)
        return page(413, {
          problems: [
            `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files and import them one after another.`,
          ],
        });
      if (!file) return page(422, { problems: ['Choose a CSV file to import.'] });
      try {
        const report = await newsletters.importCsv(actor, newsletter.slug, file, consent);
        return page(200, { report });
      } catch (err) {
        if (err instanceof ImportError) return page(err.status, { problems: err.messages });
        throw err;
      }
    },
  );

  app.post(
    '/newsroom/newsletters/:slug/subscribers/:id/reactivate',
    { ...csrf, schema: { params: subscriberParams } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { slug } = request.params;
      const email = await newsletters.reactivateSubscriber(actor, slug, request.params.id);
      return reply.redirect(`${deskPaths.subscribers(slug)}?status=suppressed&reactivated=${encodeURIComponent(email)}`, 303);
    },
  );

  app.post(
    '/newsroom/newsletters/:slug/subscribers/:id/remove',
    { ...csrf, schema: { params: subscriberParams } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { slug } = request.params;
      const email = await newsletters.removeSubscriber(actor, slug, request.params.id);
      return reply.redirect(`${deskPaths.subscribers(slug)}?removed=${encodeURIComponent(email)}`, 303);
    },
  );
}
